"""Turn a validated definition into database rows, and rows back into a definition."""

from __future__ import annotations

import copy

from sqlmodel import Session, select

from ..consultations import by_slug
from ..models import Consultation, Page, Question
from ..translations import (
    CONSULTATION_FIELDS,
    PAGE_FIELDS,
    QUESTION_FIELDS,
    consultation_texts,
    page_texts,
    question_texts,
)
from ..wording import N_, Refusal
from . import languages

SETTINGS = ("title", "summary", "audience", "languages", "consent_text", "retention_days",
            "show_results", "min_group_size")


def create_from_definition(session: Session, definition: dict, status: str = "draft") -> Consultation:
    """Add a consultation with its pages and questions (flushes, does not commit); ``definition``
    is validated (``parse_definition``), with its texts in other languages beside the English."""
    if by_slug(session, definition["slug"]):
        raise Refusal(N_("A consultation called ‘%(slug)s’ already exists"), slug=definition["slug"])
    consultation = Consultation(slug=definition["slug"], status=status,
                                translations=_translations(definition, CONSULTATION_FIELDS),
                                **{k: definition[k] for k in SETTINGS if k in definition})
    session.add(consultation)
    session.flush()
    by_key: dict[str, Question] = {}
    for p_pos, p in enumerate(definition["pages"]):
        page = Page(consultation_id=consultation.id, key=p["key"], position=p_pos, kind=p["kind"],
                    title=p["title"], body=p.get("body", ""), show_if=p.get("show_if"),
                    translations=_translations(p, PAGE_FIELDS))
        session.add(page)
        session.flush()
        for q_pos, q in enumerate(p.get("questions") or []):
            question = Question(
                consultation_id=consultation.id, page_id=page.id, key=q["key"], position=q_pos,
                type=q["type"], prompt=q["prompt"], hint=q.get("hint", ""),
                required=bool(q.get("required")),
                config=languages.without_translations(q.get("config") or {}),
                translations=_translations(q, QUESTION_FIELDS, q.get("config") or {}),
                is_segment=bool(q.get("segment")),
                repeat_of_id=by_key[q["repeat_of"]].id if q.get("repeat_of") else None)
            session.add(question)
            session.flush()
            by_key[q["key"]] = question
    return consultation


def _translations(node: dict, fields: tuple[str, ...], config: dict | None = None) -> dict:
    english = languages.english(node, fields, None if config is None else config)
    return languages.read(node, english, {}, [], config)


def export_definition(session: Session, consultation: Consultation) -> dict:
    """The consultation's structure as a definition dict (round-trips through create)."""
    pages = session.exec(select(Page).where(Page.consultation_id == consultation.id)
                         .order_by(Page.position)).all()
    questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)
                             .order_by(Question.position)).all()
    keys = {q.id: q.key for q in questions}
    out = {"slug": consultation.slug}
    out.update({k: getattr(consultation, k) for k in SETTINGS})
    languages.write(out, consultation.translations, consultation_texts(consultation))
    out["pages"] = []
    for page in pages:
        p = {"key": page.key, "kind": page.kind, "title": page.title}
        if page.kind == "briefing":
            p["body"] = page.body
        if page.show_if:
            p["show_if"] = page.show_if
        languages.write(p, page.translations, page_texts(page))
        if page.kind == "questions":
            p["questions"] = [_question(q, keys) for q in questions if q.page_id == page.id]
        out["pages"].append(p)
    return out


def _question(q: Question, keys: dict) -> dict:
    d = {"key": q.key, "type": q.type, "prompt": q.prompt}
    if q.hint:
        d["hint"] = q.hint
    d["required"] = q.required
    if q.is_segment:
        d["segment"] = True
    if q.repeat_of_id:
        d["repeat_of"] = keys[q.repeat_of_id]
    d["config"] = copy.deepcopy(q.config)
    languages.write(d, q.translations, question_texts(q), d["config"])
    return d
