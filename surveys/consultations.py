"""Finding consultations: by URL name, the open ones, and those a staff account may see."""

from __future__ import annotations

from sqlmodel import Session, select

from .models import Consultation, ConsultationAccess


def by_slug(session: Session, slug: str) -> Consultation | None:
    return session.exec(select(Consultation).where(Consultation.slug == slug)).first()


def open_ones(session: Session) -> list[Consultation]:
    """Consultations taking answers now, by title."""
    return list(session.exec(select(Consultation).where(Consultation.status == "open")
                             .order_by(Consultation.title)).all())


def all_by_title(session: Session) -> list[Consultation]:
    return list(session.exec(select(Consultation).order_by(Consultation.title)).all())


def visible_to(user_id: int, is_admin: bool):
    """A select of the consultations a staff account may see: all for admins, else those given."""
    query = select(Consultation)
    if not is_admin:
        query = query.join(ConsultationAccess, ConsultationAccess.consultation_id == Consultation.id) \
            .where(ConsultationAccess.user_id == user_id)
    return query
