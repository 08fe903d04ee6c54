"""Flask's signed session cookie, sent again only when it changed or is getting old.

Flask sends a permanent session's cookie on every response, to move its expiry on
(``SESSION_REFRESH_EACH_REQUEST``): a respondent's every page paid for serialising, compressing and
signing the same cookie again. Here an unchanged cookie is sent again only once it is
``REFRESH_AFTER`` old, so its expiry moves on at most that much later than Flask's would (against
an 8-hour lifetime). A changed session is always sent, as is one Flask would not refresh at all
(refresh turned off: never). The signing serializer is made once per secret, not twice a request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

#: An unchanged cookie younger than this is not sent again.
REFRESH_AFTER = timedelta(seconds=60)


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
            data, issued_at = s.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
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
