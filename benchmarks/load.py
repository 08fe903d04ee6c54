"""Benchmark: simulated respondents through the whole journey, against a one-route app in the same run.

    .venv/bin/python -m benchmarks.load [--respondents 20] [--seconds 20] [--workers 2]
    .venv/bin/python -m benchmarks.load --base-url https://127.0.0.1:PORT --cacert DIR/nginx/cert.pem

Each simulated respondent is a thread with its own cookies. It reads every form and its CSRF token
from the HTML, as a browser would: start page, consent, each question page with the demo's
answers, check, submit, done. They go round the journey until the time is up. In the same run,
the same number of clients request a one-route Flask app served with Engage's own gunicorn
settings, then Engage's start page and a question page.

With ``--base-url`` the Engage phases run against a server already running with the demo loaded
(such as the topology of ``scripts/topology.sh up``; ``--cacert`` trusts its own certificate); the
one-route app is still started here, with ``--workers`` workers.

Printed: completed journeys per second, p50 and p95 per step, errors, and the ratios of the
targets in issue #15: start and question pages as a share of the one-route app's requests per
second, and journeys per second as a share of (one-route requests per second ÷ requests per
journey).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import ssl
import statistics
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import contextmanager

from tests.journey_helpers import DEMO_ANSWERS, SLUG

from .serving import engage_server, one_route_server

#: Handlers every client's opener gets (an HTTPS context trusting ``--cacert``).
HANDLERS: list = []

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Respondent:
    """One person's browser: cookies, and a count of the requests it made."""

    def __init__(self, base: str):
        self.base = base
        self.opener = _opener()
        self.requests = 0
        self.page = base  # the page the browser is on: its address is the Referer of a form sent

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path if path.startswith("/") else path, timeout=60) as r:
            self.requests += 1
            self.page = r.geturl()
            return r.read().decode(), self.page

    def post(self, url: str, html: str, data: dict) -> tuple[str, str]:
        """Submit the form on ``html`` with its CSRF token; follows the redirect (two requests)."""
        match = TOKEN.search(html)
        fields = {**data, **({"csrf_token": match.group(1) or match.group(2)} if match else {})}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        with self.opener.open(_form(url, body, self.page), timeout=60) as r:
            self.requests += 2
            self.page = r.geturl()
            return r.read().decode(), self.page


def _form(url: str, body: bytes, referer: str) -> urllib.request.Request:
    """A form sent as a browser sends it: over HTTPS, Flask-WTF refuses a form without a Referer
    from the same site (its check against cross-site posts)."""
    return urllib.request.Request(url, data=body, headers={"Referer": referer})


def journey(person: Respondent, timings: dict[str, list[float]]) -> None:
    """Start to done, timing each step (a form's POST and the page it leads to count together)."""

    def step(name, call, *args):
        started = time.perf_counter()
        result = call(*args)
        timings[name].append(time.perf_counter() - started)
        return result

    html, url = step("start page", person.get, f"/c/{SLUG}/")
    html, url = step("consent page", person.get, f"/c/{SLUG}/consent")
    html, url = step("consent", person.post, url, html, {"agree": "y"})
    while "/p/" in url:
        key = url.rsplit("/p/", 1)[1].split("?")[0]
        html, url = step("question page", person.post, url, html, DEMO_ANSWERS.get(key, {}))
    if not url.endswith("/check"):
        raise RuntimeError(f"The journey went to {url}, not the check page")
    html, url = step("check and submit", person.post, f"{person.base}/c/{SLUG}/submit", html, {})
    if not url.endswith("/done") or 'id="reference"' not in html:
        raise RuntimeError(f"Submitting went to {url}")


def respondents_for(base: str, count: int, seconds: float) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    done, errors, requests = [0], [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        while time.monotonic() < stop:
            person = Respondent(base)
            try:
                journey(person, timings)
                with lock:
                    done[0] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(repr(exc)[:160])
            with lock:
                requests[0] += person.requests

    elapsed = _in_threads(run, count)
    return {"journeys": done[0], "per_second": done[0] / elapsed, "errors": errors,
            "requests_per_journey": requests[0] / max(done[0] + len(errors), 1), "timings": timings}


def hammer(url: str, count: int, seconds: float, prepare=None) -> dict:
    """``count`` clients requesting ``url`` for ``seconds``: requests per second, p50 and p95."""
    times, errors = [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        opener = _opener()
        if prepare:
            prepare(opener)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=60) as r:
                    r.read()
                mine.append(time.perf_counter() - started)
            except Exception:  # noqa: BLE001
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    elapsed = _in_threads(run, count)
    return {"rps": len(times) / elapsed, "p50": _q(times, 0.5), "p95": _q(times, 0.95), "errors": errors[0]}


def _opener():
    """A browser's cookies, and the HTTPS context if one is set."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                       *HANDLERS)


@contextmanager
def _engage(base_url: str | None, workers: int):
    """The base URL of the Engage to load: ``base_url``, or a server started here."""
    if base_url:
        yield base_url.rstrip("/")
        return
    with engage_server(workers, prefix="engage-load-") as served:
        yield served.base


def _in_threads(run, count: int) -> float:
    """Run ``run`` in ``count`` threads at once; the seconds until the last one ends."""
    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def _q(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) >= 2 else float("nan")


def _consented(base: str):
    def prepare(opener):
        with opener.open(f"{base}/c/{SLUG}/consent", timeout=60) as r:
            html = r.read().decode()
        match = TOKEN.search(html)
        body = urllib.parse.urlencode({"agree": "y", "csrf_token": match.group(1) or match.group(2)}).encode()
        consent = f"{base}/c/{SLUG}/consent"
        opener.open(_form(consent, body, consent), timeout=60).read()
    return prepare


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base-url", help="an Engage already running with the demo loaded")
    parser.add_argument("--cacert", help="a certificate to trust for --base-url (a self-signed one)")
    args = parser.parse_args(argv)
    n, s = args.respondents, args.seconds
    if args.cacert:
        HANDLERS.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=args.cacert)))
    with one_route_server(args.workers) as one_base:
        baseline = hammer(f"{one_base}/", n, s)
    with _engage(args.base_url, args.workers) as base:
        start = hammer(f"{base}/c/{SLUG}/", n, s)
        question = hammer(f"{base}/c/{SLUG}/p/about-you", n, s, prepare=_consented(base))
        result = respondents_for(base, n, s)
    where = f"Engage at {base}" if args.base_url else f"{args.workers} gunicorn workers × 4 threads (gthread)"
    print(f"{n} clients, {s:.0f} s per phase, {where}; one-route app: {args.workers} gunicorn workers × 4 "
          f"threads (gthread), one machine")
    print(f"one-route app: {baseline['rps']:.0f} requests/s, p50 {baseline['p50'] * 1000:.0f} ms, "
          f"p95 {baseline['p95'] * 1000:.0f} ms")
    for name, r in (("start page", start), ("question page", question)):
        print(f"{name}: {r['rps']:.0f} requests/s = {r['rps'] / baseline['rps']:.0%} of the one-route app "
              f"(target ≥ 40%), p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms, "
              f"{r['errors']} errors")
    per_journey = result["requests_per_journey"]
    ceiling = baseline["rps"] / per_journey if per_journey else float("nan")
    print(f"journeys: {result['journeys']} completed, {result['per_second']:.2f}/s with {per_journey:.0f} "
          f"requests each = {result['per_second'] / ceiling:.0%} of the one-route ceiling "
          f"({ceiling:.2f}/s; target ≥ 40%), {len(result['errors'])} errors")
    for name, values in result["timings"].items():
        p95 = _q(values, 0.95)
        print(f"  {name:<17} p50 {_q(values, 0.5) * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms   "
              f"= {p95 / baseline['p95']:.1f} × the one-route p95 (target < 5 ×)")
    for line in result["errors"][:5]:
        print("  error:", line)


if __name__ == "__main__":
    main()
