"""Preview: a page rendered by the respondent journey's own template, read-only, saving nothing."""

from __future__ import annotations

from flask import render_template

from surveys.types import get_type

from ..participate.render import briefing_html, question_keys, shown_structure


def render_page(structure, page, *, back_href, previous_href, next_href, progress, in_builder, builder_href):
    """The respondent's page template (``participate/page.html``) wrapped with preview navigation,
    in the language chosen (``?lang=cy`` shows what a Welsh respondent reads). ``progress`` is the
    respondent's "page 1 of 15"; ``in_builder`` the page's place among all the builder's pages."""
    consultation = structure.consultation
    structure = shown_structure(structure)
    page = structure.page(page.key)
    questions = structure.questions_on(page)
    return render_template(
        "facilitate/preview.html", consultation=structure.consultation, page=page, questions=questions,
        types={q.key: get_type(q.type) for q in questions}, values={}, errors={}, error_list=[],
        body_html=briefing_html(page.body) if page.kind == "briefing" else None, form=None,
        action=None, back_href=back_href, preview=True, progress=progress,
        previous_href=previous_href, next_href=next_href, builder_href=builder_href, in_builder=in_builder,
        fragment_keys=question_keys(consultation, questions, {}, {}, preview=True))
