"""Rendering a consultation page as a respondent sees it (also used for the facilitator preview)."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

from flask import current_app, render_template
from markupsafe import Markup, escape

from surveys import translations
from surveys.types import get_type

from .. import fragments
from ..i18n import current_language
from ..prose import prose_html
from . import structures

# A Markdown table as nh3 leaves it (no attributes), and each of its cells.
_TABLE = re.compile(r"<table>\s*<thead>\s*<tr>(.*?)</tr>\s*</thead>\s*<tbody>(.*?)</tbody>\s*</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd]>(.*?)</t[hd]>", re.S)
_STRAY = re.compile(r"</?(table|thead|tbody|tr|th|td)>")


def briefing_html(body: str, links: bool = True) -> Markup:
    """Markdown to HTML, sanitised (:func:`engage.prose.prose_html`; with ``links`` false, as on
    the kiosk, a link's address is written out instead). English words on a page in another
    language (no translation given) are marked as English."""
    return _briefing_html(str(body or ""), isinstance(body, translations.English), links)


@lru_cache(maxsize=512)
def _briefing_html(body: str, english: bool, links: bool) -> Markup:
    # Kept by the text itself: an edited briefing is another key, so nothing goes stale.
    html = prose_html(body, links)
    # NHS.UK typography for headings inside the page body, and its table (scrolling sideways on a
    # phone); a table that is not a whole Markdown table (written as HTML) keeps no tags.
    html = html.replace("<h2>", '<h2 class="nhsuk-heading-m">')
    html = _tables(html)
    if english:
        html = f'<div lang="{translations.SOURCE}">{html}</div>'
    return Markup(html)  # noqa: S704 - sanitised by nh3 (prose_html)


def _tables(html: str) -> str:
    """Each Markdown table drawn as an NHS.UK table; table tags anywhere else dropped."""
    parts, last = [], 0
    for match in _TABLE.finditer(html):
        parts += [_STRAY.sub(" ", html[last:match.start()]), _nhs_table(match)]
        last = match.end()
    return "".join([*parts, _STRAY.sub(" ", html[last:])])


def _nhs_table(match) -> str:
    """A Markdown table drawn by the NHS.UK table macro; the cells' markup is nh3's already."""
    head, body = match.groups()
    cells = lambda row: [{"html": Markup(c.strip())} for c in _CELL.findall(row)]  # noqa: E731, S704
    drawn = current_app.jinja_env.get_template("participate/_briefing_table.html").module.table(
        [{**c, "element": "th"} for c in cells(head)], [cells(r) for r in _ROW.findall(body)])
    return re.sub(r"\s*\n\s*", "\n", str(drawn))  # the macro's blank lines, kept for every page


def shown_structure(structure):
    """The consultation's pages and questions in the person's language (where it is offered and
    translated; English words left on a Welsh page are marked as English); kept per edit."""
    return structures.shown(structure, current_language())


def localised(consultation):
    """The consultation's own texts (title, summary…) in the person's language."""
    return translations.localise_consultation(consultation, current_language())


def plain(text) -> str:
    """Words as plain text, for an attribute or the page title (no language mark inside)."""
    return "" if text is None else str(text)


def consent_html(consultation, links: bool = True) -> Markup:
    """The consultation's consent text, then what happens to words that suggest someone is at risk
    (the same for every consultation: the named safeguarding lead reads them as written)."""
    note = render_template("participate/_safeguarding_note.html",
                           contact=current_app.config.get("SAFEGUARDING_CONTACT", ""))
    return briefing_html(consultation.consent_text, links) + Markup(note)  # noqa: S704 - our template


def form_values(questions, answers) -> dict:
    """Field name -> value to pre-fill, from saved answers."""
    values = {}
    for q in questions:
        a = answers.get(q.key)
        if a is not None:
            values.update(get_type(q.type).form_values(q, a.value, a.text))
    return values


def submitted_values(form) -> dict:
    """Field name -> what was sent (a list where a field was sent more than once), to show again
    beside the errors."""
    return {k: (form.getlist(k) if len(form.getlist(k)) > 1 else form.get(k)) for k in form}


#: A value that may be part of a cache key: empty, a number, or an option's key. Anything else is
#: words the person typed, which are never kept in the cache (the question is rendered afresh).
_KEY_LIKE = re.compile(r"[a-z0-9-]{0,80}")


def _key_like(value) -> bool:
    if value is None or isinstance(value, int | float):
        return True
    if isinstance(value, str):
        return _KEY_LIKE.fullmatch(value) is not None
    if isinstance(value, list | tuple):
        return all(_key_like(v) for v in value)
    if isinstance(value, dict):  # an allocation: option key -> amount
        return all(_key_like(k) and _key_like(v) for k, v in value.items())
    return False


def _frozen(value):
    # With its type: 1, 1.0, True and "1" are equal or alike as keys but not as markup.
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):  # in its own order, as ``display`` lists it
        return ("dict", tuple((k, _frozen(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def question_cache_key(stamp: tuple, question, values: dict, errors: dict):
    """What a question's markup depends on, for ``{% call cached(key) %}``: the consultation as
    edited (``stamp``), the question, and the person's values and errors for its fields; None
    (render it every time) for a type that draws its markup at random, or for typed words."""
    if not get_type(question.type).same_markup_for_same_values:
        return None
    name = f"q-{question.key}"
    mine = sorted((k, v) for k, v in values.items() if k == name or k.startswith(name + "-"))
    if not all(_key_like(v) for _, v in mine):
        return None
    wrong = sorted((k, str(v)) for k, v in errors.items() if k == name or k.startswith(name + "-"))
    return ("question", stamp, question.key, tuple((k, _frozen(v)) for k, v in mine), tuple(wrong))


#: What a kept section of "check your answers" holds in place of an answer with words the person
#: typed (random per process, so no one's words can hold it): the words are never kept, and are
#: written in after the page is rendered (``check_answer``, ``fragments.fill``).
_TYPED = f"engage-typed-{secrets.token_hex(12)}"


def check_answer(question, answer, typed: dict[str, str]) -> str:
    """The answer as "check your answers" shows it. For one with words the person typed, the
    stand-in of its row, its words (escaped, as the page would show them) added to ``typed``."""
    shown = get_type(question.type).display(question, answer.value if answer else None,
                                            answer.text if answer else None)
    # On one line, trimmed: the summary list indents each line of a value by how deep it sits,
    # which a stand-in cannot copy. A browser shows the words the same either way.
    shown = " ".join(shown.splitlines()).strip()
    if answer is None or not answer.text or not shown:
        return shown
    # Ended by a character no question key has: "why" is not then the start of "why-2".
    stand_in = f"{_TYPED}-{question.key}."
    typed[stand_in] = str(escape(shown))
    return stand_in


def check_section_key(stamp: tuple, page, questions, answers: dict):
    """What a page's section of "check your answers" depends on, for ``{% call cached(key) %}``:
    the consultation as edited, the page, and the answers to its ``questions`` (for words someone
    typed, only that there are some: ``check_answer`` shows a stand-in). An answer is shown by its
    type's ``display``, the same for the same value, even for a type that asks at random."""
    mine = []
    for q in questions:
        a = answers.get(q.key)
        if a is not None and a.text:
            mine.append((q.key, "typed"))
            continue
        value = None if a is None else a.value
        if not _key_like(value):
            return None
        mine.append((q.key, _frozen(value)))
    return ("check section", stamp, page.key, tuple(mine))


def question_keys(consultation, questions, values: dict, errors: dict, preview: bool = False,
                  surface: str = "page") -> dict:
    """The cache key of each question's markup on a page (``fragment_keys`` in page.html and in
    workshop/_page.html); ``surface`` names where it is shown ("page", or the kiosk's "kiosk
    shell" and "kiosk check"), as each may draw a question its own way."""
    # The preview is kept apart from the respondent's page: it shows its texts its own way.
    stamp = structures.edit_stamp(consultation) + (preview, surface)
    return {q.key: question_cache_key(stamp, q, values, errors) for q in questions}


def render_page(structure, page, *, values=None, errors=None, form=None, action=None,
                back_href=None, preview=False, progress=None, extra=None):
    """The page template with everything it needs; ``preview`` hides the form's submit."""
    consultation = structure.consultation
    structure = shown_structure(structure)
    page = structure.page(page.key)
    questions = structure.questions_on(page)
    types = {q.key: get_type(q.type) for q in questions}
    errors = errors or {}
    values = values or {}
    fragment_keys = question_keys(consultation, questions, values, errors, preview)
    extra = extra or {}

    def render():
        return render_template(
            "participate/page.html", consultation=structure.consultation, page=page,
            questions=questions, types=types, values=values, errors=errors, fragment_keys=fragment_keys,
            error_list=[{"text": m, "href": f"#{f}"} for f, m in errors.items()],
            body_html=briefing_html(page.body) if page.kind == "briefing" else None,
            form=form, action=action, back_href=back_href, preview=preview, progress=progress,
            # The language switch sends this form (unsaved), so what is typed here is not lost.
            switch_form="page-form" if form is not None and not preview else None,
            **extra)

    # The whole page is the same for everyone with the same answers on it (each question's key
    # names them, and is None for typed words), so it is kept like each question's markup.
    key = None
    if not preview and None not in fragment_keys.values() and _key_like_extra(extra):
        key = ("respondent page", structures.edit_stamp(consultation), page.key,
               tuple(fragment_keys.values()), tuple((f, str(m)) for f, m in errors.items()),
               action, back_href, progress, form is not None, tuple(sorted(extra.items())))
    return fragments.whole_page(key, render, form)


def _key_like_extra(extra: dict) -> bool:
    # Addresses and flags only; anything else (a list, an object) keeps the page out of the cache.
    return all(v is None or isinstance(v, str | bool | int) for v in extra.values())
