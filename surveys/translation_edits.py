"""Writing a consultation's texts in another language (the workspace's Welsh version page).

Every text is checked before any is changed, so a save is whole or not at all. Operations add and
flush, never commit.
"""

from __future__ import annotations

from .journey import Structure
from .models import utcnow
from .translations import SOURCE, consultation_texts, given, page_texts, question_texts
from .wording import gettext

#: Longest each text may be (as its English column allows); a type's words (options, poles…) 500.
LIMITS = {"title": 200, "summary": 2000, "audience": 300, "consent_text": 20000, "body": 20000,
          "prompt": 500, "hint": 1000, "heard": 20000, "will_do": 20000}
WORDS_LIMIT = 500


def limit(path: str) -> int:
    return LIMITS.get(path, WORDS_LIMIT) if "." not in path else WORDS_LIMIT


class TranslationError(ValueError):
    """Translations that cannot be saved; ``problems`` maps a field's name to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def field_name(row, path: str) -> str:
    """The form field for ``row``'s text at ``path`` (e.g. ``question-12-options.staff``)."""
    return f"{type(row).__tablename__}-{row.id}-{path}"


def to_translate(structure: Structure) -> list[tuple[object, dict[str, str]]]:
    """Each row a respondent reads (the consultation, then each page and its questions, in order)
    with its English texts by path."""
    out: list[tuple[object, dict[str, str]]] = [(structure.consultation,
                                                 consultation_texts(structure.consultation))]
    for page in structure.pages:
        out.append((page, page_texts(page)))
        out.extend((q, question_texts(q)) for q in structure.questions_on(page))
    return out


def _cleaned(typed: str | None, english: str) -> str:
    """A typed translation as kept: one line trimmed; several lines as typed (with Unix line
    ends), like the English they translate; only spaces is no translation."""
    text = (typed or "").replace("\r\n", "\n")
    if not text.strip():
        return ""
    return text if "\n" in english else text.strip()


def update_translations(session, structure: Structure, language: str, offered: bool,
                        submitted: dict[str, str]) -> int:
    """Set whether the consultation is offered in ``language`` and its texts in it, from
    ``submitted`` (field name -> text; empty clears a translation, and a text not sent at all, a
    form opened before it was there, stays as it is). Checks every text before changing any
    (``TranslationError``); returns how many texts changed. Once the consultation has opened this is
    a wording fix, so a change bumps its version."""
    rows = to_translate(structure)
    problems = {}
    for row, texts in rows:
        for path, english in texts.items():
            name = field_name(row, path)
            if name not in submitted:
                continue
            text = _cleaned(submitted[name], english)
            if len(text) > limit(path):
                problems[name] = gettext("This text must be %(limit)s characters or fewer (it has %(has)s)",
                                         limit=f"{limit(path):,}", has=f"{len(text):,}")
    if problems:
        raise TranslationError(problems)
    changed = 0
    for row, texts in rows:
        before = given(row, language)
        after = {path: t for path, english in texts.items()
                 if (t := _cleaned(submitted[field_name(row, path)], english)
                     if field_name(row, path) in submitted else before.get(path, ""))}
        if after != before:
            changed += len(set(before.items()) ^ set(after.items()))
            row.translations = {**(row.translations or {}), language: after}
            session.add(row)
    consultation = structure.consultation
    languages = [code for code in consultation.languages or [SOURCE] if code != language]
    languages += [language] if offered else []
    if languages != list(consultation.languages or []):
        consultation.languages = languages
        changed += 1
    if changed:
        if consultation.status != "draft":
            consultation.version += 1
        consultation.updated_at = utcnow()
        session.add(consultation)
        session.flush()
    return changed
