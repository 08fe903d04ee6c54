"""Answers on the workspace's pages as the downloads give them: each question in one language.

The rule is the downloads' own (``surveys.response_export.as_read``): a question the consultation
gives in the facilitator's language in full is shown in it, fixed words and all; any other is shown
as written, in English, its fixed words in English too, and marked as English on the page. The
page's own words (headings, filters) follow the facilitator.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import force_locale
from markupsafe import Markup

from surveys.models import Consultation, Question
from surveys.response_export import Asked, as_read
from surveys.translations import SOURCE, localise_consultation

from .i18n import current_language
from .wording import full_stop


def asked(consultation: Consultation, questions: list[Question]) -> list[Asked]:
    """The questions as the facilitator reads them, in order."""
    return as_read(consultation, questions, current_language())


def own_words(consultation: Consultation, field: str = "title") -> str:
    """One of the consultation's own texts (its title, audience…) as the page's reader reads it, by
    the journey's rule (``localise_consultation``): in their language where the consultation is
    offered in it and gives that text, else as written, marked as English in HTML (the layout strips
    the mark from the tab's title)."""
    return getattr(localise_consultation(consultation, current_language()), field)


def naming(message: str, consultation: Consultation, *, ends_sentence: bool = False) -> Markup:
    """``message`` (our own words, translated, with ``%(title)s`` in them) naming ``consultation``
    as the reader reads it (:func:`own_words`). For flash messages: they are shown as HTML, so a
    title left in English on a Welsh page keeps its mark; the title itself is escaped."""
    title = own_words(consultation)
    return Markup(message) % {"title": full_stop(title) if ends_sentence else title}  # noqa: S704 - our catalog


def lang_of(a: Asked) -> str | None:
    """The language to mark a question's words with: English for one shown as written on a page in
    another language; None where its words are in the page's language."""
    return SOURCE if a.as_written and current_language() != SOURCE else None


@contextmanager
def in_words_of(a: Asked) -> Iterator[None]:
    """Everything made inside, the interface's words (Flask-Babel, templates) and the domain's
    (``surveys.wording``), in the language ``a`` is read in."""
    if lang_of(a) is None:
        yield
        return
    with force_locale(SOURCE), a.words():
        yield
