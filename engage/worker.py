"""``engage worker``: runs the jobs of the database queue, one at a time, beside the web server.

It claims the oldest queued job atomically (several workers on several hosts never run the same
one), runs it with a heartbeat, and on each pass marks jobs whose worker died as failed. On
SIGTERM or SIGINT it finishes the job in hand, then stops.
"""

from __future__ import annotations

import logging
import signal
import threading

from flask import Flask

from surveys import job_queue

from .db import unit_of_work
from .jobs import check, execute, worker_name

log = logging.getLogger(__name__)


def run(app: Flask, stop: threading.Event | None = None, burst: bool = False) -> int:
    """Serve jobs until ``stop`` is set (or, with ``burst``, until none is waiting). Returns how
    many jobs it ran."""
    stop = stop or threading.Event()
    name = worker_name()
    poll = app.config.get("JOB_POLL_SECONDS", 1.0)
    ran = 0
    while not stop.is_set():
        with unit_of_work(app) as s:
            check(app, s)
        with unit_of_work(app) as s:
            job = job_queue.claim_next(s, name)
            claimed = job and (job.id, job.task, list(job.args))
        if not claimed:
            if burst:
                break
            stop.wait(poll)
            continue
        log.info("Job %s: %s%s", claimed[0], claimed[1], tuple(claimed[2]))
        execute(app, *claimed, name)
        ran += 1
    return ran


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM (systemd stop) or SIGINT (Ctrl-C)."""
    stop = threading.Event()

    def handler(signum, _frame):
        log.info("Signal %s: stopping after the job in hand.", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop
