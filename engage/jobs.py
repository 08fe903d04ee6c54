"""Background jobs: a thread in the web process by default, RQ workers when REDIS_URL is set.

A job is a plain function taking simple arguments; it opens its own units of work, so it runs
the same way in a thread, in an RQ worker on another host, or inline in a test.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

QUEUE = "engage"


def enqueue(func, *args, app: Flask | None = None) -> None:
    app = app or current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        with app.app_context():
            func(*args)
        return
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        with Redis.from_url(app.config["REDIS_URL"]) as connection:
            Queue(QUEUE, connection=connection).enqueue(_in_worker_app, func, *args, job_timeout=3600)
        return

    def run():
        with app.app_context():
            func(*args)

    threading.Thread(target=run, name=f"engage-job-{func.__name__}", daemon=True).start()


def _in_worker_app(func, *args):
    """Run inside an RQ worker: build the app from the same environment as the web processes."""
    from . import create_app
    from .db import engine

    app = create_app()
    try:
        with app.app_context():
            func(*args)
    finally:
        # A worker that runs jobs in-process (SimpleWorker) would otherwise keep one pool per job.
        engine(app).dispose()
