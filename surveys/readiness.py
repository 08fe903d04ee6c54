"""Is a consultation ready to open? What stops it, said as what to do and where to do it.

The builder's own checks speak first, in people's words ("Add a question to the page ‘About
you’"); the definition-file check (``surveys.definitions``) has the last word, so that what the
builder makes always exports and re-imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from sqlmodel import Session, select

from .definitions import DefinitionError, export_definition, parse_definition
from .definitions.parse import NO_PAGES, NO_QUESTIONS
from .models import Consultation, Page, Question
from .types import get_type
from .types.base import OTHER_KEY
from .wording import gettext

# Problems the definition check finds that only mean "not finished yet" (a draft may have them),
# known by their msgid whatever language they are read in.
_UNFINISHED = frozenset({NO_QUESTIONS, NO_PAGES})


@dataclass(frozen=True)
class Problem:
    """Something to put right before the consultation opens, said as what to do.

    ``fix`` names where to do it ("add_page", "add_question", "edit_page", "edit_question"), and
    ``key`` the page or question it is about, so the workspace can link to the place.
    """

    message: str
    fix: str | None = None
    key: str | None = None
    #: It only means "not finished yet": a draft may have it, opening may not.
    unfinished: bool = False


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return "‘" + (text if len(text) <= limit else text[:limit - 1].rstrip() + "…") + "’"


def _routing_problem(page: Page, earlier: Mapping[str, Question], later: Mapping[str, Question]
                     ) -> Problem | None:
    rule = page.show_if
    if not rule:
        return None
    page_title = _quoted(page.title)
    q = earlier.get(rule.get("question"))
    if q is None:
        if rule.get("question") in later:
            return Problem(gettext("The page %(page)s is shown only after an answer to %(question)s, which "
                                   "now comes after it. Move the page, or change who sees it",
                                   page=page_title, question=_quoted(later[rule["question"]].prompt)),
                           "edit_page", page.key)
        return Problem(gettext("The page %(page)s is shown only after an answer to a question that no "
                               "longer exists. Change who sees it", page=page_title), "edit_page", page.key)
    if not get_type(q.type).can_route:
        return Problem(gettext("The page %(page)s is shown only after an answer to %(question)s, which has "
                               "no list of answers to choose from. Change who sees it", page=page_title,
                               question=_quoted(q.prompt)), "edit_page", page.key)
    if not set(map(str, rule.get("in") or [])) <= set(route_answers(q)):
        return Problem(gettext("The page %(page)s is shown only after an answer to %(question)s that it no "
                               "longer offers. Choose which answers show this page", page=page_title,
                               question=_quoted(q.prompt)), "edit_page", page.key)
    return None


def readiness(session: Session, consultation: Consultation) -> list[Problem]:
    """What stops the consultation opening, each said as what to do and where."""
    session.flush()
    pages = _pages(session, consultation)
    if not pages:
        return [Problem(gettext("Add a page before you open the consultation"), "add_page", unfinished=True)]
    found: list[Problem] = []
    every = {q.key: q for q in _questions(session, consultation, pages)}
    earlier: dict[str, Question] = {}
    for page in pages:
        later = {k: q for k, q in every.items() if k not in earlier}
        routing = _routing_problem(page, earlier, later)
        if routing:
            found.append(routing)
        qs = [q for q in every.values() if q.page_id == page.id]
        if page.kind == "briefing" and not (page.body or "").strip():
            found.append(Problem(gettext("Write the text for the briefing page %(page)s",
                                         page=_quoted(page.title)), "edit_page", page.key))
        if page.kind == "questions" and not qs:
            found.append(Problem(gettext("Add a question to the page %(page)s", page=_quoted(page.title)),
                                 "add_question", page.key, unfinished=True))
        ids = {q.id for q in earlier.values()}
        for q in qs:
            if q.repeat_of_id and q.repeat_of_id not in ids:
                found.append(Problem(gettext("The question %(question)s asks an earlier question again, so "
                                             "it must come after it. Move it, or choose ‘Not a repeat’",
                                             question=_quoted(q.prompt)), "edit_question", q.key))
            for p in get_type(q.type).check_config(q.config):
                found.append(Problem(gettext("The question %(question)s: %(problem)s",
                                             question=_quoted(q.prompt), problem=p), "edit_question", q.key))
            earlier[q.key] = q
            ids.add(q.id)
    return found or _definition_problems(session, consultation)


def _definition_problems(session: Session, consultation: Consultation) -> list[Problem]:
    """The last word: what the definition-file check finds (what the builder makes always exports
    and re-imports). The checks above say most of it in people's words first."""
    text = yaml.safe_dump(export_definition(session, consultation), sort_keys=False)
    try:
        parse_definition(text)
    except DefinitionError as exc:
        # Said without the line: the builder's people have no file to look in.
        return [Problem(_sentence(p.what), unfinished=p.msgid in _UNFINISHED) for p in exc.problems]
    return []


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pages(session: Session, consultation: Consultation) -> list[Page]:
    return list(session.exec(select(Page).where(Page.consultation_id == consultation.id)
                             .order_by(Page.position, Page.id)).all())


def _questions(session: Session, consultation: Consultation, pages: list[Page]) -> list[Question]:
    """In the order a respondent meets them."""
    order = {p.id: i for i, p in enumerate(pages)}
    qs = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    return sorted(qs, key=lambda q: (order[q.page_id], q.position, q.id))


def route_answers(question: Question) -> list[str]:
    """The answers of ``question`` a page may be shown for: its options (and "something else")."""
    keys = [str(o["key"]) for o in question.config.get("options", [])]
    return keys + [OTHER_KEY] if question.config.get("other") else keys
