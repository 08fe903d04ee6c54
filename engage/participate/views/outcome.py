"""The published 'You said, we did' page, for anyone (aggregates and approved, redacted quotes only)."""

from __future__ import annotations

from flask import abort, render_template

from surveys import publication, translations

from ... import db
from ...facilitate.charts import diverging
from ...groups import smallest_group
from ...i18n import current_language
from .. import bp
from ..render import briefing_html, localised
from ..results import has_outcome
from .journey import load


@bp.get("/<slug>/outcome")
def outcome(slug: str):
    consultation = load(slug, must_be_open=False)
    s = db.session()
    version = publication.published(s, consultation)
    if version is None:
        abort(404)
    minimum = smallest_group(consultation)
    language = current_language()
    return render_template("participate/outcome.html", consultation=localised(consultation),
                           version=translations.localise_publication(version, consultation, language),
                           content=publication.content(s, consultation, version, minimum, language),
                           minimum=minimum, preview=False)


def template_globals() -> dict:
    return {"has_outcome": has_outcome, "markdown": briefing_html, "diverging": diverging}

