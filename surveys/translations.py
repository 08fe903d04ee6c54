"""A consultation's wording in another language (Welsh), and the one place that chooses it.

English is the consultation's own language: its columns (``title``, ``prompt``…) and its
questions' config hold the English. Each row that a respondent or the public reads has a
``translations`` column, ``{"cy": {PATH: text}}``, where PATH is a text column's name or, for a
question, a path into its config that its type names (``QuestionType.texts``: ``"left"``,
``"options.staff"``…).

``localise`` gives the structure a person sees: copies of the rows (never the rows themselves,
which stay in the session) with each text in the person's language where the consultation
offers it and a translation is given; a text with no translation stays in English as an
``English`` string, which HTML templates show inside ``<span lang="en">`` so that a screen reader
reads it with English pronunciation.
"""

from __future__ import annotations

import copy
import html

from .journey import Structure
from .models import Consultation, Page, PublicationVersion, Question
from .types import get_type
from .wording import N_

#: The consultation's own language, and the others it may be offered in (named for staff).
SOURCE = "en"
OTHER_LANGUAGES = {"cy": N_("Welsh")}

CONSULTATION_FIELDS = ("title", "summary", "audience", "consent_text")
PAGE_FIELDS = ("title", "body")
QUESTION_FIELDS = ("prompt", "hint")
PUBLICATION_FIELDS = ("heard", "will_do")


class English(str):
    """Words left in English on a page in another language (no translation was given).

    Printed into HTML (``__html__``, which Jinja and MarkupSafe call) it is marked as English;
    anywhere else it is the plain text.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return _Html(f'<span lang="{SOURCE}">{html.escape(str(self))}</span>')


class _Html(str):
    """HTML already safe to print (the same protocol, so that it is not escaped a second time)."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def offers(consultation: Consultation, language: str) -> bool:
    """The consultation is offered in ``language`` (other than English)."""
    return language in OTHER_LANGUAGES and language in (consultation.languages or [])


def consultation_texts(consultation: Consultation) -> dict[str, str]:
    """The consultation's own texts (English), by field, leaving out those that are empty."""
    return {f: getattr(consultation, f) for f in CONSULTATION_FIELDS if getattr(consultation, f)}


def page_texts(page: Page) -> dict[str, str]:
    """A page's texts (English): its title, and its body on a briefing."""
    return {f: getattr(page, f) for f in PAGE_FIELDS if getattr(page, f)}


def question_texts(question: Question) -> dict[str, str]:
    """A question's texts (English): prompt, hint, then the words its type keeps in its config."""
    own = {f: getattr(question, f) for f in QUESTION_FIELDS if getattr(question, f)}
    return {**own, **get_type(question.type).texts(question.config or {})}


def publication_texts(version: PublicationVersion) -> dict[str, str]:
    return {f: getattr(version, f) for f in PUBLICATION_FIELDS if getattr(version, f)}


def given(row, language: str) -> dict[str, str]:
    """The translations a row holds in ``language``."""
    return dict((row.translations or {}).get(language) or {})


def shown(texts: dict[str, str], translated: dict[str, str]) -> dict[str, str]:
    """Each text in the other language where it is given, else in English (as ``English``)."""
    return {path: translated.get(path) or English(text) for path, text in texts.items()}


def _copy(row, texts: dict[str, str]):
    """A detached copy of ``row`` with its text columns replaced (config paths are set apart)."""
    values = {name: copy.deepcopy(getattr(row, name)) for name in type(row).model_fields}
    values.update({k: v for k, v in texts.items() if k in values})
    return type(row)(**values)


def _wanted(row, consultation: Consultation, language: str) -> dict[str, str]:
    """The row's translations to show: none where the consultation is not offered in ``language``
    (its texts are then all shown as English)."""
    return given(row, language) if offers(consultation, language) else {}


def localise_consultation(consultation: Consultation, language: str) -> Consultation:
    """The consultation as a person reading ``language`` sees it (itself for English)."""
    if language == SOURCE:
        return consultation
    return _copy(consultation, shown(consultation_texts(consultation),
                                     _wanted(consultation, consultation, language)))


def localise_page(page: Page, consultation: Consultation, language: str) -> Page:
    return _copy(page, shown(page_texts(page), _wanted(page, consultation, language)))


def localise_question(question: Question, consultation: Consultation, language: str) -> Question:
    texts = shown(question_texts(question), _wanted(question, consultation, language))
    own = {k: v for k, v in texts.items() if k in QUESTION_FIELDS}
    in_config = {k: v for k, v in texts.items() if k not in QUESTION_FIELDS}
    copied = _copy(question, own)
    copied.config = get_type(question.type).put_texts(question.config or {}, in_config)
    return copied


def localise(structure: Structure, language: str) -> Structure:
    """The structure as a person reading ``language`` sees it: copies with the texts in that
    language where the consultation offers it and gives them, the others marked ``English``; the
    same object for English."""
    if language == SOURCE:
        return structure
    c = structure.consultation
    pages = [localise_page(p, c, language) for p in structure.pages]
    questions = [localise_question(q, c, language) for q in structure.questions]
    by_page: dict[int, list[Question]] = {p.id: [] for p in pages}
    for q in questions:
        by_page.setdefault(q.page_id, []).append(q)
    return Structure(localise_consultation(structure.consultation, language), pages, questions, by_page)


def localise_publication(version: PublicationVersion, consultation: Consultation,
                         language: str) -> PublicationVersion:
    """A published version's own words as a reader of ``language`` sees them."""
    if language == SOURCE:
        return version
    return _copy(version, shown(publication_texts(version), _wanted(version, consultation, language)))

