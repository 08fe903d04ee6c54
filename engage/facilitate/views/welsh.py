"""The Welsh version of a consultation: offer it in Welsh, and write each text in Welsh beside the
English (a wording change: once open, saving bumps the version, as other wording fixes do)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from surveys import journey, translation_edits, translations
from surveys.builder import BuilderError

from ... import db
from ...audit import record
from ...auth.access import builder_required, consultation_or_refuse
from .. import bp
from ..common import check_stamp, stamp_form
from ..forms import WelshForm

LANGUAGE = "cy"


@bp.route("/c/<slug>/welsh", methods=["GET", "POST"])
@builder_required
def welsh(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    s = db.session()
    structure = journey.Structure.load(s, consultation)
    form = WelshForm()
    stamp_form(form, consultation)
    problems: dict[str, str] = {}
    values = {translation_edits.field_name(row, path): text
              for row, texts in translation_edits.to_translate(structure)
              for path, text in translations.given(row, LANGUAGE).items() if path in texts}
    offered = LANGUAGE in (consultation.languages or [])
    if form.validate_on_submit():
        offered = request.form.get("offer") == LANGUAGE
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "offer", "edit_stamp")}
        try:
            check_stamp(form, consultation)
            changed = translation_edits.update_translations(s, structure, LANGUAGE, offered, values)
        except BuilderError as exc:  # opened before someone else's edit: the texts typed stay on the page
            s.rollback()
            problems = {"offer": exc.message}
        except translation_edits.TranslationError as exc:
            s.rollback()
            problems = exc.problems
        else:
            if changed:
                record(s, "consultation.translate", "consultation", consultation.id,
                       {"language": LANGUAGE, "offered": offered, "changes": changed,
                        "version": consultation.version})
            flash(_("Welsh version saved.") if changed else _("Nothing had changed."), "success")
            return redirect(url_for(".overview", slug=slug))
    elif form.errors:
        problems = {"offer": _("This page was open too long. Reload it and try again.")}
    sections = [{"row": row, "kind": type(row).__tablename__, "texts": texts}
                for row, texts in translation_edits.to_translate(structure) if texts]
    return render_template("facilitate/welsh.html", consultation=consultation, form=form,
                           sections=sections, values=values, offered=offered, problems=problems,
                           field_name=translation_edits.field_name, limit=translation_edits.limit,
                           back=(url_for(".overview", slug=slug), _("Back to the consultation"))), \
        (400 if problems else 200)
