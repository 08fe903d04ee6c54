"""The Flask-Login user: what a request knows of the signed-in account (operations are in
``surveys.accounts``)."""

from __future__ import annotations

from flask_login import UserMixin

from surveys.models import User


class LoginUser(UserMixin):
    """What Flask-Login keeps for a request: id, role and the session's token; no password hash."""

    def __init__(self, user: User, token: str):
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.web_credentials = user.web_credentials
        self.token = token

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_build(self) -> bool:
        """Admins and facilitators create and change consultations; viewers only read."""
        return self.role in ("admin", "facilitator")

    def get_id(self) -> str:
        # The cookie carries only the random session token (see sessions.py).
        return self.token
