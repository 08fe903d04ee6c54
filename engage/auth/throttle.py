"""Rate limits that every worker and host share: Redis when configured, the database otherwise.

A limit is a number of hits in a window that starts at the first hit (so "20 per minute" can
never let 40 through across a window boundary). Each hit is one atomic step in the store (an
upsert in the database, INCR in Redis), never a read followed by a write, so concurrent requests
cannot under-count. If Redis is configured but cannot be reached, the database counts instead:
sign-in keeps working and the limits keep holding.

Counters are written on their own connection and committed at once, so a refused or failed
request still counts.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from functools import wraps

from flask import abort, current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from .. import db

log = logging.getLogger(__name__)
REDIS_EXTENSION = "engage.throttle.redis"
#: Once in this many hits, expired counters are cleared from the database.
SWEEP_ONE_IN = 200
#: After Redis fails, the database counts for this long before Redis is tried again (so a
#: Redis outage does not add a connection timeout to every request).
REDIS_RETRY_SECONDS = 30
REDIS_DOWN = "engage.throttle.redis_down_until"

_UPSERT = text(
    "INSERT INTO rate_counter (key, hits, expires) VALUES (:key, 1, :expires) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN rate_counter.expires <= :now THEN 1 ELSE rate_counter.hits + 1 END, "
    "expires = CASE WHEN rate_counter.expires <= :now THEN :expires ELSE rate_counter.expires END "
    "RETURNING hits")


def client_address() -> str:
    """The client's address: the connection's, or (with TRUSTED_PROXIES set) the one the trusted
    proxies passed on; ProxyFix has already put it in ``remote_addr``."""
    return request.remote_addr or "unknown"


def _key(limit: str, subject: str) -> str:
    # Hashed: the table holds no addresses or email addresses, and keys have a fixed length.
    return f"{limit}:" + hashlib.sha256(subject.encode()).hexdigest()[:40]


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url or time.monotonic() < current_app.extensions.get(REDIS_DOWN, 0.0):
        return None
    client = current_app.extensions.get(REDIS_EXTENSION)
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        current_app.extensions[REDIS_EXTENSION] = client
    return client


def _hit_redis(client, key: str, seconds: int) -> int:
    pipe = client.pipeline()
    pipe.set(key, 0, ex=seconds, nx=True)  # a new window, only if none is running
    pipe.incr(key)
    return int(pipe.execute()[1])


def _hit_database(key: str, seconds: int) -> int:
    now = int(time.time())
    with db.engine().begin() as conn:
        hits = conn.execute(_UPSERT, {"key": key, "now": now, "expires": now + seconds}).scalar_one()
        if random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 - not for security
            conn.execute(text("DELETE FROM rate_counter WHERE expires <= :now"), {"now": now})
    return hits


def hit(limit: str, subject: str, seconds: int) -> int:
    """Count one hit of ``limit`` for ``subject``; returns the hits in the current window."""
    key = _key(limit, subject)
    client = _redis()
    if client is not None:
        try:
            return _hit_redis(client, "engage:rate:" + key, seconds)
        except Exception:  # noqa: BLE001 - any Redis failure: count in the database instead
            _redis_failed()
    return _hit_database(key, seconds)


def _redis_failed() -> None:
    current_app.extensions[REDIS_DOWN] = time.monotonic() + REDIS_RETRY_SECONDS
    log.warning("Redis is unreachable; counting rate limits in the database for %ss",
                REDIS_RETRY_SECONDS)


def hits(limit: str, subject: str) -> int:
    """The hits of ``limit`` for ``subject`` in its current window, without counting one."""
    key = _key(limit, subject)
    client = _redis()
    if client is not None:
        try:
            return int(client.get("engage:rate:" + key) or 0)
        except Exception:  # noqa: BLE001 - as in hit()
            _redis_failed()
    with db.engine().connect() as conn:
        return conn.execute(text("SELECT hits FROM rate_counter WHERE key = :key AND expires > :now"),
                            {"key": key, "now": int(time.time())}).scalar() or 0


def clear(limit: str, subject: str) -> None:
    """Forget the hits of ``limit`` for ``subject`` (its next hit starts a new window)."""
    key = _key(limit, subject)
    client = _redis()
    if client is not None:
        try:
            client.delete("engage:rate:" + key)
        except Exception:  # noqa: BLE001 - as in hit()
            _redis_failed()
    with db.engine().begin() as conn:  # also here: the database counts while Redis is down
        conn.execute(text("DELETE FROM rate_counter WHERE key = :key"), {"key": key})


def allowed(limit: str, subject: str, count: int | None = None, seconds: int | None = None) -> bool:
    """Count a hit and say whether it is within the configured limit (always True when rate
    limiting is turned off)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    configured = current_app.config["RATE_LIMITS"][limit]
    count = configured[0] if count is None else count
    seconds = configured[1] if seconds is None else seconds
    return hit(limit, subject, seconds) <= count


TOO_MANY = _l("Too many attempts from your connection. Wait a few minutes, then try again.")


def refuse(as_json: bool = False):
    """The 429 answer: JSON for the tablets' requests, the error page otherwise."""
    if as_json:
        response = jsonify(status="refused", message=str(TOO_MANY))
        response.status_code = 429
        response.headers["Retry-After"] = "60"
        return response
    abort(429)


def limit(name: str, methods: tuple[str, ...] = ("POST",), as_json: bool = False, also=None):
    """Refuse with 429 when the client address has used up limit ``name`` (only for ``methods``).

    ``also``: a function of the view's arguments naming a second subject with its own count of
    the same limit (e.g. the workshop, so guesses from many addresses are counted together).
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method in methods:
                subjects = [client_address()] + ([also(**kwargs)] if also else [])
                # Every subject is counted, even when the first already refuses.
                if not all([allowed(name, subject) for subject in subjects]):
                    return refuse(as_json)
            return view(*args, **kwargs)
        return wrapped
    return decorator
