"""Rendering a consultation page as a respondent sees it (also used for the facilitator preview)."""

from __future__ import annotations

import markdown
import nh3
from flask import current_app, render_template
from markupsafe import Markup

from surveys import translations
from surveys.types import get_type

from ..i18n import current_language

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "blockquote", "br"}


def briefing_html(body: str) -> Markup:
    """Markdown to HTML, sanitised: only simple text structure survives (no links, no script).
    English words on a page in another language (no translation given) are marked as English."""
    html = markdown.markdown(body or "", output_format="html")
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={})
    # NHS.UK typography for headings inside the page body.
    html = html.replace("<h2>", '<h2 class="nhsuk-heading-m">')
    if isinstance(body, translations.English):
        html = f'<div lang="{translations.SOURCE}">{html}</div>'
    return Markup(html)  # noqa: S704 - sanitised by nh3 above


def shown_structure(structure):
    """The consultation's pages and questions in the person's language (where it is offered and
    translated; English words left on a Welsh page are marked as English)."""
    return translations.localise(structure, current_language())


def localised(consultation):
    """The consultation's own texts (title, summary…) in the person's language."""
    return translations.localise_consultation(consultation, current_language())


def plain(text) -> str:
    """Words as plain text, for an attribute or the page title (no language mark inside)."""
    return "" if text is None else str(text)


def consent_html(consultation) -> Markup:
    """The consultation's consent text, then what happens to words that suggest someone is at risk
    (the same for every consultation: the named safeguarding lead reads them as written)."""
    note = render_template("participate/_safeguarding_note.html",
                           contact=current_app.config.get("SAFEGUARDING_CONTACT", ""))
    return briefing_html(consultation.consent_text) + Markup(note)  # noqa: S704 - our template


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


def render_page(structure, page, *, values=None, errors=None, form=None, action=None,
                back_href=None, preview=False, progress=None, extra=None):
    """The page template with everything it needs; ``preview`` hides the form's submit."""
    structure = shown_structure(structure)
    page = structure.page(page.key)
    questions = structure.questions_on(page)
    types = {q.key: get_type(q.type) for q in questions}
    errors = errors or {}
    return render_template(
        "participate/page.html", consultation=structure.consultation, page=page,
        questions=questions, types=types, values=values or {}, errors=errors,
        error_list=[{"text": m, "href": f"#{f}"} for f, m in errors.items()],
        body_html=briefing_html(page.body) if page.kind == "briefing" else None,
        form=form, action=action, back_href=back_href, preview=preview, progress=progress,
        # The language switch sends this form (unsaved), so what is typed here is not lost.
        switch_form="page-form" if form is not None and not preview else None,
        **(extra or {}))
