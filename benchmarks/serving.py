"""Servers for the HTTP benchmarks: `engage serve` on a fresh SQLite (or throwaway PostgreSQL) database
with the demo, and a one-route Flask app under exactly the same gunicorn settings (the baseline ratios
are taken against)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import PostgresServer, free_port

ROOT = Path(__file__).resolve().parent.parent
#: The benchmark servers' SECRET_KEY (a benchmark may read its own session cookie with it).
SECRET_KEY = "benchmark-" * 5


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 - loopback only
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"The server at {url} did not start.") from None
            time.sleep(0.02)


@dataclass
class Served:
    process: subprocess.Popen
    base: str
    #: From launching `engage serve` to its first answer on /health.
    boot_seconds: float
    #: The database it serves, for a benchmark that checks what was stored.
    database_url: str = ""


@contextmanager
def postgres_database():
    """A throwaway PostgreSQL cluster on loopback (as the tests start one); yields its URL."""
    server = PostgresServer().start()
    try:
        yield server.url()
    finally:
        server.stop()


@contextmanager
def engage_server(workers: int = 2, prefix: str = "engage-bench-", output=subprocess.DEVNULL,
                  database_url: str | None = None):
    """`engage serve` with the demo consultation loaded, on a new SQLite database, or on the empty
    database at ``database_url`` (e.g. from :func:`postgres_database`)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    database_url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
    engage = str(Path(sys.executable).parent / "engage")
    subprocess.run([engage, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([engage, "demo", "load"], env=env, check=True, capture_output=True)
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([engage, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
                              env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/health")
        yield Served(server, base, time.perf_counter() - started, database_url)
    finally:
        server.terminate()
        server.wait(60)
        shutil.rmtree(tmp, ignore_errors=True)


ONE_ROUTE = '''
import sys
from flask import Flask

def factory():
    app = Flask("one_route")
    @app.get("/")
    def page():
        return "<!DOCTYPE html><html lang=en><title>One route</title><p>Hello</p></html>"
    return app

from engage.serve import run
run(sys.argv[1], int(sys.argv[2]), factory)
'''


@contextmanager
def one_route_server(workers: int = 2):
    """The smallest Flask app, served by Engage's own gunicorn settings; yields its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", ONE_ROUTE, f"127.0.0.1:{port}", str(workers)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/")
        yield base
    finally:
        server.terminate()
        server.wait(60)
