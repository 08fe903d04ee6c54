"""Benchmark: CPU per respondent page, in process, against a one-route Flask app.

    .venv/bin/python -m benchmarks.render [--repeat 200]

Builds the app on a fresh SQLite database with the demo consultation, walks to a question page,
and times (process CPU, so a busy shared machine shows the work itself, not the waiting) the
start page, a question page (in English and in Welsh, and with CSRF checks on as served), a
question page with errors and a workshop kiosk's page (every page of the consultation at once)
through Flask's test client;
then the same for a Flask app with one route returning a short string.
Every page is timed twice: with the per-process caches of rendered markup and of the
consultation's structure turned off (``RENDER_CACHE_SIZE=0``, ``STRUCTURE_CACHE_SIZE=0``: the
cost of rendering from scratch) and on (as served). Prints the median CPU per request and each
page's cost as a multiple of the one-route app's.
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
from surveys import consultations, migrate, workshops
from surveys.accounts import hash_password


def cpu_ms(client, method: str, url: str, repeat: int, data=None) -> float:
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        response = client.open(url, method=method, data=data)
        samples.append((time.process_time() - started) * 1000)
        assert response.status_code in (200, 400), (url, response.status_code)
    return statistics.median(samples)


SLUG = "technology-in-the-nhs"


def with_csrf(app, measure):
    """``measure()`` with CSRF checks on, as served (each form then carries a signed token)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        return measure()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def page_costs(repeat: int, caches: bool) -> dict[str, float]:
    """Median CPU ms of each respondent page, on a new app and database."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='engage-render-')) / 'render.sqlite3'}"
    migrate.upgrade(url)
    config = {"DATABASE_URL": url, "SECRET_KEY": "benchmark-" * 5, "TESTING": True,
              "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    if not caches:
        config.update(RENDER_CACHE_SIZE=0, STRUCTURE_CACHE_SIZE=0)
    app = create_app(config)
    with app.app_context(), unit_of_work() as s:
        load_demo(s)
        demo = consultations.by_slug(s, SLUG)
        code = workshops.create_workshop(s, demo, "Benchmark", 2, hash_password("4321")).join_code
    client = app.test_client()
    about = client.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    question = client.post(about, data={"q-role": "patient", "q-age-band": "45-to-64"}).headers["Location"]
    costs = {
        "start page": cpu_ms(client, "GET", f"/c/{SLUG}/", repeat),
        "question page (trade-off)": cpu_ms(client, "GET", question, repeat),
        "question page, CSRF on": with_csrf(app, lambda: cpu_ms(client, "GET", question, repeat)),
        "question page with an error": cpu_ms(client, "POST", question, repeat,
                                              {"q-connection-vs-speed-before": "9"}),
    }
    welsh = app.test_client()
    welsh.get(f"/c/{SLUG}/?lang=cy")
    about = welsh.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    question = welsh.post(about, data={"q-role": "patient", "q-age-band": "45-to-64"}).headers["Location"]
    costs["question page in Welsh"] = cpu_ms(welsh, "GET", question, repeat)
    costs["kiosk page"] = cpu_ms(app.test_client(), "GET", f"/workshop/k/{code}/1", max(repeat // 4, 5))
    app.extensions["engage.db"].dispose()
    return costs


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    one_route = Flask("one_route")
    one_route.add_url_rule("/", "hello", lambda: "Hello")
    baseline = cpu_ms(one_route.test_client(), "GET", "/", args.repeat)
    before = page_costs(args.repeat, caches=False)
    after = page_costs(args.repeat, caches=True)
    print(f"one-route Flask app: {baseline:.2f} ms CPU per request (median of {args.repeat})")
    print(f"{'page':<30} {'caches off':>22} {'caches on (as served)':>28}")
    for name, ms in after.items():
        off = before[name]
        print(f"{name:<30} {off:6.2f} ms ({off / baseline:5.1f} x) {ms:12.2f} ms ({ms / baseline:5.1f} x, "
              f"{ms - baseline:.2f} ms beyond it)")


if __name__ == "__main__":
    main()
