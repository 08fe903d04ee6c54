"""Recording the audit trail of facilitator actions (flushes with the caller's transaction)."""

from __future__ import annotations

from flask_login import current_user
from sqlmodel import Session

from surveys.models import AuditEvent

_CURRENT = object()


def record(session: Session, action: str, object_type: str, object_id, detail: dict | None = None,
           user_id=_CURRENT) -> AuditEvent:
    """Add an audit event: who (the signed-in user unless given), did what, to which object."""
    if user_id is _CURRENT:
        user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    event = AuditEvent(user_id=user_id, action=action, object_type=object_type,
                       object_id=str(object_id or ""), detail=detail or {})
    session.add(event)
    return event
