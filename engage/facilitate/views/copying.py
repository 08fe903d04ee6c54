"""Copying a consultation as a new draft (pages, questions, routing; never responses)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveys.accounts import grant
from surveys.builder import BuilderError
from surveys.copying import copy_consultation

from ... import db, reading
from ...audit import record
from ...auth.access import builder_required, consultation_or_refuse
from .. import bp
from ..common import form_page, refuse
from ..forms import CopyForm


@bp.route("/c/<slug>/copy", methods=["GET", "POST"])
@builder_required
def copy(slug):
    source = consultation_or_refuse(slug)
    form = CopyForm()
    if not form.is_submitted():
        form.slug.data, form.title.data = f"{source.slug}-copy"[:80], f"{source.title} (copy)"[:200]
    if form.validate_on_submit():
        s = db.session()
        try:
            consultation = copy_consultation(s, source, form.slug.data, form.title.data)
        except BuilderError as exc:
            refuse(form, exc)
        else:
            grant(s, current_user.id, consultation.id)
            record(s, "consultation.copy", "consultation", consultation.id,
                   {"slug": consultation.slug, "from": source.slug})
            flash(reading.naming(_("Copied as %(title)s, a draft. No responses were copied."), consultation),
                  "success")
            return redirect(url_for(".overview", slug=consultation.slug))
    return form_page(form, _("Copy this consultation"), consultation=source, submit=_("Copy as a new draft"),
                     intro=_("The copy is a new draft with the same pages, questions, routing and wording "
                             "in every language. No responses are copied."),
                     back=(url_for(".overview", slug=slug), _("Back to the consultation")))
