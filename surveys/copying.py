"""Copying a consultation as a new draft: its settings, pages, questions and routing, no responses.

Rows are copied column by column rather than through the definition format, so whatever a page or
question carries (wording in a second language, type settings) comes along without this module
having to know about it. Only what identifies the copy, its state and its links to other rows
is set afresh.
"""

from __future__ import annotations

from copy import deepcopy

from sqlmodel import Session, select

from .builder import BuilderError, check_key
from .consultations import by_slug
from .models import Consultation, Page, Question, utcnow
from .wording import N_

#: Columns of the source consultation that the copy gets new values for.
_FRESH = {"id", "slug", "title", "status", "version", "opens_at", "closes_at", "created_at", "updated_at"}


def _columns(row, leave_out: set[str]) -> dict:
    return {name: deepcopy(getattr(row, name)) for name in type(row).model_fields
            if name not in leave_out}


def copy_consultation(session: Session, source: Consultation, slug: str, title: str) -> Consultation:
    """Add a draft copy of ``source`` called ``slug`` (adds and flushes, never commits)."""
    slug = check_key(slug, "slug", "slug")
    title = (title or "").strip()
    if not title:
        raise BuilderError(N_("Enter a title"), "title")
    if by_slug(session, slug):
        raise BuilderError(N_("A consultation called ‘%(slug)s’ already exists"), "slug", slug=slug)
    now = utcnow()
    copy = Consultation(slug=slug, title=title, status="draft", version=1, created_at=now, updated_at=now,
                        **_columns(source, _FRESH))
    # The copy has a title of its own: a translation of the old one would not match it.
    copy.translations = {lang: {k: v for k, v in texts.items() if k != "title"}
                         for lang, texts in (copy.translations or {}).items()}
    session.add(copy)
    session.flush()
    page_ids: dict[int, int] = {}
    for page in session.exec(select(Page).where(Page.consultation_id == source.id)
                             .order_by(Page.position, Page.id)):
        new = Page(consultation_id=copy.id, **_columns(page, {"id", "consultation_id"}))
        session.add(new)
        session.flush()
        page_ids[page.id] = new.id
    question_ids: dict[int, int] = {}
    repeats: list[tuple[Question, int]] = []
    # Repeats point at the copies of their originals once every question has been copied.
    for q in session.exec(select(Question).where(Question.consultation_id == source.id)
                          .order_by(Question.id)):
        new = Question(consultation_id=copy.id, page_id=page_ids[q.page_id],
                       **_columns(q, {"id", "consultation_id", "page_id", "repeat_of_id"}))
        session.add(new)
        session.flush()
        question_ids[q.id] = new.id
        if q.repeat_of_id:
            repeats.append((new, q.repeat_of_id))
    for new, original in repeats:
        new.repeat_of_id = question_ids.get(original)
        session.add(new)
    session.flush()
    return copy
