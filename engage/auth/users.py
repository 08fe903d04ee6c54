"""Staff accounts: password hashing (argon2id, memory-hard), the Flask-Login user, account operations.

Operations here add and flush; the request edge (or ``unit_of_work``) commits.
"""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_login import UserMixin
from sqlmodel import Session, select

from surveys.models import ROLES, ConsultationAccess, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


class LoginUser(UserMixin):
    """What Flask-Login keeps for a request: id and role, no password hash."""

    def __init__(self, user: User):
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self._stamp = session_stamp(user)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_build(self) -> bool:
        """Admins and facilitators create and change consultations; viewers only read."""
        return self.role in ("admin", "facilitator")

    def get_id(self) -> str:
        # The stamp changes with the password, so a password change or reset signs out every
        # other session of the account.
        return f"{self.id}:{self._stamp}"


def session_stamp(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def load_user(user_id: str):
    from .. import db

    ident, _, stamp = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db.session().get(User, int(ident))
    if user is None or not user.active or stamp != session_stamp(user):
        return None
    return LoginUser(user)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"The password must be {MAX_PASSWORD_LENGTH} characters or fewer.")


def create_user(session: Session, email: str, password: str, role: str, name: str = "") -> User:
    """Add a staff account (flushes, does not commit)."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}.")
    if "@" not in email or len(email) > 254:
        raise ValueError("Enter a valid email address.")
    check_password(password)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise ValueError(f"An account for {email} already exists.")
    user = User(email=email, name=name, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change a password and clear any lockout (flushes)."""
    check_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.flush()


def set_access(session: Session, user: User, consultation_ids: set[int]) -> tuple[set[int], set[int]]:
    """Give the user exactly these consultations; returns (added, removed) ids (flushes)."""
    current = set(session.exec(select(ConsultationAccess.consultation_id)
                               .where(ConsultationAccess.user_id == user.id)).all())
    added, removed = consultation_ids - current, current - consultation_ids
    for cid in added:
        session.add(ConsultationAccess(user_id=user.id, consultation_id=cid))
    for cid in removed:
        session.delete(session.get(ConsultationAccess, (user.id, cid)))
    session.flush()
    return added, removed


def grant(session: Session, user_id: int, consultation_id: int) -> None:
    """Give one consultation to a user, if they do not have it yet (flushes)."""
    if session.get(ConsultationAccess, (user_id, consultation_id)) is None:
        session.add(ConsultationAccess(user_id=user_id, consultation_id=consultation_id))
        session.flush()
