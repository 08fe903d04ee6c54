"""Staff accounts: password hashing (argon2id, memory-hard) and account operations.

Operations here add and flush; the request edge (or ``unit_of_work``) commits.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlmodel import Session, delete, func, select

from .models import ROLES, AuditEvent, ConsultationAccess, User, UserSession
from .wording import N_, Refusal

_hasher = PasswordHasher()
#: Checked against when no account matches, so an unknown email costs the same work as a known
#: one and timing does not tell which accounts exist. Written out, with the hasher's own settings
#: (a test checks it needs no rehash), rather than hashed at import: that took a tenth of a second
#: of every web worker's boot, and workers are recycled.
DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$MY3hJzuxHqJhEUsLtAq5vg"
              "$WvX85m58k7zLE8TTiV8LD68oDwsvHDDgUUelwTtJ1EY")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
MAX_EMAIL_LENGTH = 254
#: The shape of a staff account's email address, the one rule for making an account (here) and
#: signing in (the web forms): a name, one @, and a domain of at least two dot-separated parts.
#: A shape check only: no DNS look-ups, no email_validator dependency.
EMAIL_SHAPE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def normal_email(email: str) -> str:
    """An email address as accounts are stored and looked up: trimmed, lowercase."""
    return email.strip().lower()


def valid_email(email: str) -> bool:
    """Whether ``email`` (normalised: ``normal_email``) can be a staff account's address."""
    return len(email) <= MAX_EMAIL_LENGTH and EMAIL_SHAPE.fullmatch(email) is not None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hash_: str | None, password: str) -> bool:
    """Check a password; with no hash (no such account) the same work is done and it fails."""
    try:
        return _hasher.verify(hash_ or DUMMY_HASH, password) and hash_ is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal(N_("The password must be at least %(num)s characters."), num=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refusal(N_("The password must be %(num)s characters or fewer."), num=MAX_PASSWORD_LENGTH)


def create_user(session: Session, email: str, password: str, role: str, name: str = "",
                web: bool = False) -> User:
    """Add a staff account (flushes, does not commit). ``web``: an admin is setting the password
    in the web interface (see ``User.web_credentials``)."""
    email = normal_email(email)
    if role not in ROLES:
        raise Refusal(N_("Role must be one of %(roles)s."), roles=", ".join(ROLES))
    if not valid_email(email):
        raise Refusal(N_("Enter a valid email address."))
    check_password(password)
    if user_by_email(session, email) is not None:
        raise Refusal(N_("An account for %(email)s already exists."), email=email)
    user = User(email=email, name=name, password_hash=hash_password(password), role=role,
                web_credentials=web)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str, by: str) -> None:
    """Change a password, clear any lockout and end every session of the account (flushes).

    ``by``: "self" (the account holder, knowing the old one), "admin" (an admin in the web
    interface) or "command line" (the server's operator).
    """
    check_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    if by == "admin":
        user.web_credentials = True
    elif by == "command line":
        user.web_credentials = False
    session.add(user)
    session.exec(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()


def set_access(session: Session, user: User, consultation_ids: set[int],
               shown: set[int] | None = None) -> tuple[set[int], set[int]]:
    """Give the user exactly these consultations of those ``shown`` on the form (None: of all);
    consultations it did not show (made or copied since it was opened) stay as they are. Returns
    (added, removed) ids (flushes)."""
    current = set(access_ids(session, user))
    if shown is not None:
        consultation_ids = (consultation_ids & shown) | (current - shown)
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


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def all_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.email)).all())


def access_ids(session: Session, user: User) -> list[int]:
    """The consultations this account was given (admins see all without being given them)."""
    return list(session.exec(select(ConsultationAccess.consultation_id)
                             .where(ConsultationAccess.user_id == user.id)).all())


def audit_page(session: Session, page: int, per_page: int, action: str = "") -> tuple[list, int, int]:
    """One page of the audit trail, newest first, with who did each thing; events whose action
    starts with ``action`` only. Returns (rows, total, the page shown): a page past the end
    shows the last one (and a huge page number never reaches the database as an offset)."""
    query = select(AuditEvent, User.email).join(User, User.id == AuditEvent.user_id, isouter=True)
    count = select(func.count()).select_from(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
        count = count.where(AuditEvent.action.startswith(action, autoescape=True))
    total = session.exec(count).one()
    page = max(1, min(page, -(-total // per_page)))
    rows = session.exec(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total, page
