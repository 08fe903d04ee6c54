"""Signed-in sessions kept in the database.

The browser's cookie holds only a random token (inside Flask's signed cookie, where Flask-Login
keeps the user id). The ``user_session`` row behind it says whose session it is and when it
ends, so the server can end it: signing out deletes the row, so a copied cookie stops working;
a password change or reset deletes every row of the account. A session ends after
SESSION_IDLE_MINUTES without a request, and after PERMANENT_SESSION_LIFETIME whatever happens
(requests do not extend that).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlmodel import delete

from surveys.models import User, UserSession, utcnow

from .. import db
from .users import LoginUser

#: last_seen_at is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> LoginUser:
    """A new session for ``user`` (added to the request's session; the request edge commits)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = timedelta(seconds=current_app.permanent_session_lifetime.total_seconds())
    s = db.session()
    # Sessions of this account that have run out are cleared here, so the table stays small.
    s.exec(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    s.add(UserSession(id=_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                                 expires_at=now + lifetime))
    return LoginUser(user, token)


def load_user(token: str) -> LoginUser | None:
    """Flask-Login's loader: the account behind a live session token, or None."""
    if not token or len(token) > 100:
        return None
    s = db.session()
    row = s.get(UserSession, _digest(token))
    if row is None:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    user = s.get(User, row.user_id)
    if row.expires_at <= now or row.last_seen_at + idle <= now or user is None or not user.active:
        end(token)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        s.add(row)
    return LoginUser(user, token)


def end(token: str) -> None:
    """End one session (flushes)."""
    s = db.session()
    s.exec(delete(UserSession).where(UserSession.id == _digest(token)))
    s.flush()


def clear_ended(s, idle_minutes: int) -> int:
    """Delete every session that has run out or gone idle, of any account (``engage purge``
    runs it daily); returns how many. Without it, a session nobody comes back to would stay
    until its account next signs in."""
    now = utcnow()
    idle_since = now - timedelta(minutes=idle_minutes)
    ended = (UserSession.expires_at <= now) | (UserSession.last_seen_at <= idle_since)
    return s.exec(delete(UserSession).where(ended)).rowcount or 0
