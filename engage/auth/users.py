"""Staff accounts: password hashing (argon2id, memory-hard) and the Flask-Login user."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_login import UserMixin
from sqlmodel import Session, select

from surveys.models import ROLES, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


class LoginUser(UserMixin):
    """What Flask-Login keeps for a request: id and role, no password hash."""

    def __init__(self, user: User):
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role

    def get_id(self) -> str:
        return str(self.id)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def load_user(user_id: str):
    from .. import db

    if not user_id.isdigit():
        return None
    user = db.session().get(User, int(user_id))
    return LoginUser(user) if user is not None and user.active else None


def create_user(session: Session, email: str, password: str, role: str, name: str = "") -> User:
    """Add a staff account (flushes, does not commit)."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}.")
    if "@" not in email or len(email) > 254:
        raise ValueError("Enter a valid email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise ValueError(f"An account for {email} already exists.")
    user = User(email=email, name=name, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user
