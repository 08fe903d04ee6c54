"""Flask's signed session cookie, sent again only when it changed or is getting old.

Flask sends a permanent session's cookie on every response, to move its expiry on
(``SESSION_REFRESH_EACH_REQUEST``): a respondent's every page paid for serialising, compressing and
signing the same cookie again. Here an unchanged cookie is sent again only once it is
``REFRESH_AFTER`` old, so its expiry moves on at most that much later than Flask's would (against
an 8-hour lifetime). A changed session is always sent, as is one Flask would not refresh at all
(refresh turned off: never). The signing serializer is made once per secret, not twice a request.

The same cookie comes back on every page until it changes, and reading it (checking its
signature, then unpacking it) was about 5% of a respondent page's CPU: what a cookie says is kept
(``_READ``, by its exact text and the serializer that checked it), and each request gets its own
copy. Its age is still checked on every request.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .fragments import BoundedCache

#: An unchanged cookie younger than this is not sent again.
REFRESH_AFTER = timedelta(seconds=60)

#: What cookies said (their data and when they were signed), by (serializer, cookie text).
_READ = BoundedCache(4096)


def _copy(value):
    """A copy of a session's data that shares nothing a request could change (dicts and lists)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class CookieSession(SecureCookieSession):
    #: When the cookie this session came from was signed (None: a new session).
    issued_at: datetime | None = None


class CookieSessionInterface(SecureCookieSessionInterface):
    session_class = CookieSession

    def __init__(self) -> None:
        self._serializers: dict = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request) -> CookieSession | None:
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, issued_at = _READ.get_or_make((id(s), val), lambda: s.loads(val, return_timestamp=True))
        except BadSignature:
            return self.session_class()
        age = int(time.time()) - int(issued_at.timestamp())
        if not 0 <= age <= max_age:
            return self.session_class()  # as itsdangerous's max_age refuses it: too old, or from later
        session = self.session_class(_copy(data))
        session.issued_at = issued_at
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        issued_at = getattr(session, "issued_at", None)
        return issued_at is None or datetime.now(UTC) - issued_at >= REFRESH_AFTER


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
