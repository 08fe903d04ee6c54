"""Workspace: the list of consultations, creating one, its overview, settings, status, files."""

from __future__ import annotations

import json

import yaml
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from surveys import builder
from surveys.accounts import grant
from surveys.builder import BuilderError
from surveys.definitions import DefinitionError, create_from_definition, export_definition, parse_definition
from surveys.models import Consultation

from ... import db, reading
from ...audit import record
from ...auth.access import builder_required, can_edit, consultation_or_refuse, visible_consultations
from .. import bp
from ..common import check_stamp, form_page, refuse, stamp_form
from ..forms import ConsultationForm, ImportForm, SettingsForm, StatusForm
from .pages import routing_words
from .safeguarding import NO_LEAD, lead_named

SETTING_FIELDS = ("title", "summary", "audience", "consent_text", "retention_days", "min_group_size",
                  "show_results")
#: The status in the sentence "The consultation is now …".
STATUS_WORDS = {"draft": _l("draft"), "open": _l("open"), "closed": _l("closed"),
                "archived": _l("archived")}
STATUS_ACTIONS = {"open": _l("Open for responses"), "closed": _l("Close"), "archived": _l("Archive")}


@bp.get("/")
@login_required
def index():
    consultations = db.session().exec(visible_consultations().order_by(Consultation.updated_at.desc())).all()
    return render_template("facilitate/index.html", consultations=consultations)


@bp.route("/new", methods=["GET", "POST"])
@builder_required
def new():
    form = ConsultationForm()
    if form.validate_on_submit():
        s = db.session()
        try:
            consultation = builder.create_consultation(
                s, form.slug.data, **{k: form[k].data for k in SETTING_FIELDS})
        except BuilderError as exc:
            refuse(form, exc)
        else:
            grant(s, current_user.id, consultation.id)
            record(s, "consultation.create", "consultation", consultation.id, {"slug": consultation.slug})
            created = _("Created %(title)s Add its pages next.")
            flash(reading.naming(created, consultation, ends_sentence=True), "success")
            return redirect(url_for(".overview", slug=consultation.slug))
    return form_page(form, _("Create a consultation"), submit=_("Create consultation"),
                     back=(url_for(".index"), _("Your consultations")))


FIXES = {"add_page": ".page_new", "add_question": ".question_new", "edit_page": ".page_edit",
         "edit_question": ".question_edit"}


def fix_href(consultation, problem) -> str | None:
    """Where to put a problem right, if it names a place."""
    if problem.fix not in FIXES:
        return None
    keys = {"key": problem.key} if problem.key else {}
    return url_for(FIXES[problem.fix], slug=consultation.slug, **keys)


@bp.get("/c/<slug>/")
@login_required
def overview(slug):
    consultation = consultation_or_refuse(slug)
    s = db.session()
    pages = builder.pages_of(s, consultation)
    questions = {p.id: builder.questions_on(s, p) for p in pages}
    return render_template("facilitate/overview.html", consultation=consultation, pages=pages,
                           questions=questions, editable=can_edit(consultation),
                           frozen=builder.is_frozen(consultation),
                           actions={t: STATUS_ACTIONS[t] for t in builder.TRANSITIONS[consultation.status]},
                           status_form=StatusForm(), routing_words=routing_words(consultation, pages),
                           problems=_problems(consultation) if consultation.status == "draft" else [])


def _problems(consultation) -> list[tuple[str, str | None]]:
    """What stops a draft from opening, each with where to put it right (if it names a place)."""
    found = [(p.message, fix_href(consultation, p)) for p in builder.readiness(db.session(), consultation)]
    return found if lead_named() else [*found, (str(NO_LEAD), None)]


@bp.route("/c/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    form = SettingsForm(obj=consultation)
    stamp_form(form, consultation)
    frozen = builder.is_frozen(consultation)
    if form.validate_on_submit():
        s = db.session()
        values = {k: form[k].data if form[k].data is not None else "" for k in SETTING_FIELDS}
        try:
            check_stamp(form, consultation)
            changes = builder.update_settings(s, consultation, values)
        except BuilderError as exc:
            refuse(form, exc)
        else:
            if changes:
                record(s, "consultation.wording_fix" if frozen else "consultation.settings", "consultation",
                       consultation.id, {"changes": changes, "version": consultation.version})
            flash(_("Settings saved."), "success")
            return redirect(url_for(".overview", slug=slug))
    return form_page(form, _("Settings"), consultation=consultation, frozen=frozen,
                     back=(url_for(".overview", slug=slug), _("Back to the consultation")))


@bp.post("/c/<slug>/status")
@login_required
def status(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    form = StatusForm()
    if not form.validate_on_submit() or form.status.data not in STATUS_ACTIONS:
        abort(400)
    s = db.session()
    before = consultation.status
    if form.status.data == "open" and not lead_named():
        flash(str(NO_LEAD), "error")
        return redirect(url_for(".overview", slug=slug)), 303
    try:
        builder.set_status(s, consultation, form.status.data)
    except BuilderError as exc:
        s.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".overview", slug=slug)), 303
    record(s, f"consultation.{form.status.data}", "consultation", consultation.id,
           {"from": before, "to": consultation.status})
    now = STATUS_WORDS.get(consultation.status, consultation.status)
    flash(_("The consultation is now %(status)s.", status=now), "success")
    return redirect(url_for(".overview", slug=slug))


@bp.get("/c/<slug>/export.<fmt>")
@login_required
def export(slug, fmt):
    consultation = consultation_or_refuse(slug)
    if fmt not in ("yaml", "json"):
        abort(404)
    s = db.session()
    definition = export_definition(s, consultation)
    if fmt == "json":
        body, mimetype = json.dumps(definition, indent=2, ensure_ascii=False) + "\n", "application/json"
    else:
        body = yaml.safe_dump(definition, sort_keys=False, allow_unicode=True, width=100)
        mimetype = "application/yaml"
    record(s, "consultation.export", "consultation", consultation.id, {"format": fmt})
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{consultation.slug}.{fmt}"'})


@bp.route("/import", methods=["GET", "POST"])
@builder_required
def import_():
    form = ImportForm()
    problems: list = []  # each read in the reader's language where the page shows it
    if form.validate_on_submit():
        s = db.session()
        try:
            definition = parse_definition(form.file.data.read())
            consultation = create_from_definition(s, definition)
        except DefinitionError as exc:
            problems = exc.problems
        except ValueError as exc:  # a Refusal (the slug is taken), read where it is shown
            problems = [exc]
        else:
            grant(s, current_user.id, consultation.id)
            record(s, "consultation.import", "consultation", consultation.id,
                   {"slug": consultation.slug, "file": form.file.data.filename or ""})
            flash(reading.naming(_("Imported %(title)s as a draft."), consultation), "success")
            return redirect(url_for(".overview", slug=consultation.slug))
        s.rollback()
        form.file.errors = [ngettext("The file cannot be imported: %(num)s problem, listed below",
                                     "The file cannot be imported: %(num)s problems, listed below",
                                     len(problems))]
    return render_template("facilitate/import.html", form=form, problems=problems), \
        (400 if form.errors else 200)
