"""Rendering a consultation page as a respondent sees it (also used for the facilitator preview)."""

from __future__ import annotations

import markdown
import nh3
from flask import current_app, render_template
from markupsafe import Markup

from surveys.types import get_type

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "blockquote", "br"}


def briefing_html(body: str) -> Markup:
    """Markdown to HTML, sanitised: only simple text structure survives (no links, no script)."""
    html = markdown.markdown(body or "", output_format="html")
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={})
    # NHS.UK typography for headings inside the page body.
    html = html.replace("<h2>", '<h2 class="nhsuk-heading-m">')
    return Markup(html)  # noqa: S704 - sanitised by nh3 above


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
