"""Run Engage under gunicorn with settings that suit one machine or several behind a proxy."""

from __future__ import annotations

import multiprocessing

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict, factory=None):
        self.options, self.factory = options, factory
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return (self.factory or create_app)()


def run(bind: str = "127.0.0.1:8000", workers: int | None = None, factory=None) -> None:
    """Serve Engage (or, for benchmarks, the app ``factory`` makes, under the same settings)."""
    cores = multiprocessing.cpu_count()
    _Gunicorn({
        "bind": bind,
        # Requests are short; threads cover slow phones on hospital Wi-Fi without more memory.
        "workers": workers or min(2 * cores + 1, 9),
        "threads": 4,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        # Recycle workers now and then so a slow leak cannot grow without bound. Not too often: a
        # new worker costs about a second of CPU to import Engage and starts with cold caches. At
        # 2,000 a busy worker was replaced every 3 seconds (benchmarks/load.py: the question page
        # served 27% of the one-route app's requests per second, 33% at 20,000).
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        "forwarded_allow_ips": "127.0.0.1",
    }, factory).run()
