"""Benchmark: CPU per respondent page, in process, against a one-route Flask app.

    .venv/bin/python -m benchmarks.render [--repeat 200]

Builds the app on a fresh SQLite database with the demo consultation, walks to a question page,
and times (process CPU, so a busy shared machine shows the work itself, not the waiting) the
start page, a question page and a question page with errors through Flask's test client; then the
same for a Flask app with one route returning a short string. Prints the median CPU per request
and each page's cost as a multiple of the one-route app's.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask

from engage import create_app
from engage.db import unit_of_work
from engage.demo import load_demo
from surveys import migrate


def cpu_ms(client, method: str, url: str, repeat: int, data=None) -> float:
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.open(url, method=method, data=data)
        samples.append((time.process_time() - started) * 1000)
        assert response.status_code in (200, 400), (url, response.status_code)
    return statistics.median(samples)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='engage-render-')) / 'render.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark-" * 5, "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context(), unit_of_work() as s:
        load_demo(s)
    client = app.test_client()
    slug = "technology-in-the-nhs"
    about = client.post(f"/c/{slug}/consent", data={"agree": "y"}).headers["Location"]
    question = client.post(about, data={"q-role": "patient", "q-age-band": "45-to-64"}).headers["Location"]
    one_route = Flask("one_route")
    one_route.add_url_rule("/", "hello", lambda: "Hello")
    baseline = cpu_ms(one_route.test_client(), "GET", "/", args.repeat)
    pages = {
        "start page": cpu_ms(client, "GET", f"/c/{slug}/", args.repeat),
        "question page (trade-off)": cpu_ms(client, "GET", question, args.repeat),
        "question page with an error": cpu_ms(client, "POST", question, args.repeat,
                                              {"q-connection-vs-speed-before": "9"}),
    }
    print(f"one-route Flask app: {baseline:.2f} ms CPU per request (median of {args.repeat})")
    for name, ms in pages.items():
        print(f"{name}: {ms:.2f} ms CPU ({ms / baseline:.1f} x the one-route app; "
              f"{ms - baseline:.2f} ms beyond it)")


if __name__ == "__main__":
    main()
