"""Finding consultations and their parts: by URL name, the open ones, those a staff account may
see; a consultation's pages and questions by key."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from .models import Consultation, ConsultationAccess, Page, Question

#: Built once: building a statement costs about as much as running it (every respondent page asks).
_BY_SLUG = select(Consultation).where(Consultation.slug == bindparam("slug"))


def by_slug(session: Session, slug: str) -> Consultation | None:
    return session.exec(_BY_SLUG, params={"slug": slug}).first()


#: A few columns, no ORM object: what says whether a kept copy of the consultation is current.
#: A Core statement run on the session's connection, a third of the ORM's cost (every page asks).
_TABLE = Consultation.__table__
_FRESHNESS_BY_SLUG = core_select(_TABLE.c.id, _TABLE.c.version, _TABLE.c.updated_at, _TABLE.c.status,
                                 _TABLE.c.closes_at).where(_TABLE.c.slug == bindparam("slug"))


def freshness(session: Session, slug: str) -> tuple | None:
    """``(id, version, updated_at, status, closes_at)`` of the consultation called ``slug`` (None:
    there is none): every edit moves ``updated_at`` on (a wording fix once open bumps ``version``
    too); the status and closing date, which decide what a person may still do, are read as they
    are now even if set without an edit time."""
    row = session.connection().execute(_FRESHNESS_BY_SLUG, {"slug": slug}).first()
    return None if row is None else tuple(row)


def has_opened(consultation: Consultation) -> bool:
    """Whether people could ever have answered it: open or closed now, or archived after it had
    opened (opening stamps ``opens_at`` and closing ``closes_at``: a draft set aside has neither).
    Such a consultation keeps its public pages for taking answers back and for its outcome."""
    if consultation.status in ("open", "closed"):
        return True
    return consultation.status == "archived" and (consultation.opens_at or consultation.closes_at) is not None


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


def page_by_key(session: Session, consultation_id: int, key: str) -> Page | None:
    return session.exec(select(Page).where(Page.consultation_id == consultation_id, Page.key == key)).first()


def question_by_key(session: Session, consultation_id: int, key: str) -> Question | None:
    return session.exec(select(Question).where(Question.consultation_id == consultation_id,
                                               Question.key == key)).first()


def pages_by_id(session: Session, consultation_id: int) -> dict[int, Page]:
    return {p.id: p for p in session.exec(select(Page).where(Page.consultation_id == consultation_id))}


def questions_of(session: Session, consultation_id: int) -> list[Question]:
    """A consultation's questions, page by page in order."""
    return list(session.exec(select(Question).where(Question.consultation_id == consultation_id)
                             .order_by(Question.page_id, Question.position)).all())
