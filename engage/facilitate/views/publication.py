"""Composing, previewing and publishing 'You said, we did' (every publish and unpublish audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from surveys import consultations, publication, theme_board, translations
from surveys.models import AnalysisRun

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...groups import smallest_group
from ...i18n import current_language
from .. import bp
from ..forms import EmptyForm, PublicationForm


def _welsh(form) -> dict:
    """The draft's Welsh texts (none given: the Welsh page shows the English)."""
    welsh = {name: text for name, text in (("heard", (form.heard_cy.data or "").strip()),
                                           ("will_do", (form.will_do_cy.data or "").strip())) if text}
    return {"cy": welsh} if welsh else {}


def _run(s, consultation, run_id) -> tuple[AnalysisRun | None, list[AnalysisRun]]:
    """The chosen finished run (else the newest), and all finished runs."""
    runs = theme_board.finished_runs(s, consultation.id)
    return next((r for r in runs if r.id == run_id), runs[0] if runs else None), runs


@bp.route("/c/<slug>/publication/", methods=["GET", "POST"])
@login_required
def publication_compose(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    s = db.session()
    versions = publication.versions(s, consultation)
    latest = versions[0] if versions else None
    run, runs = _run(s, consultation, request.args.get("run", type=int) or request.form.get("run", type=int)
                     or (latest.run_id if latest else None))
    questions = [q for q in consultations.questions_of(s, consultation.id)
                 if publication.charted(q) and not q.is_segment]
    themes = theme_board.top_themes(s, run.id) if run else []
    keep = latest.quote_answer_ids if latest else []
    candidates = {t.id: publication.quote_candidates(s, run, t, keep) for t in themes}
    form = PublicationForm()
    names = publication.question_names(questions)
    form.questions.choices = [(q.key, names[q.id]) for q in questions]
    form.themes.choices = [(t.id, t.label) for t in themes]
    form.quotes.choices = [(a, text) for rows in candidates.values() for a, text in rows]
    if request.method == "GET" and latest is not None:
        form.questions.data = latest.question_keys
        form.heard.data, form.will_do.data = latest.heard, latest.will_do
        welsh = translations.given(latest, "cy")
        form.heard_cy.data, form.will_do_cy.data = welsh.get("heard", ""), welsh.get("will_do", "")
        form.themes.data = [t for t in latest.theme_ids if t in {t.id for t in themes}]
        form.quotes.data = latest.quote_answer_ids
        form.report_back_by.data = latest.report_back_by
    if form.validate_on_submit():
        draft = publication.save_draft(
            s, consultation, current_user.id, run_id=run.id if run else None,
            question_keys=form.questions.data, theme_ids=form.themes.data, quote_answer_ids=form.quotes.data,
            heard=form.heard.data, will_do=form.will_do.data, report_back_by=form.report_back_by.data,
            translations=_welsh(form))
        record(s, "publication.save", "consultation", consultation.id, {"version": draft.number})
        saved = _("Saved as draft version %(number)s. Check the preview, then publish it.",
                  number=draft.number)
        flash(saved, "success")
        return redirect(url_for(".publication_preview", slug=slug, version=draft.number))
    return render_template("facilitate/publication.html", consultation=consultation, form=form,
                           versions=versions, current=publication.published(s, consultation), run=run,
                           runs=runs, themes=themes, candidates=candidates,
                           minimum=smallest_group(consultation), action_form=EmptyForm()), \
        (400 if form.errors else 200)


@bp.get("/c/<slug>/publication/<id:version>/preview")
@login_required
def publication_preview(slug, version):
    consultation = consultation_or_refuse(slug, edit=True)
    s = db.session()
    draft = publication.version(s, consultation, version) or abort(404)
    # As the public will read it, in the language chosen (?lang=cy previews the Welsh page).
    language = current_language()
    return render_template("participate/outcome.html",
                           consultation=translations.localise_consultation(consultation, language),
                           version=translations.localise_publication(draft, consultation, language),
                           content=publication.content(s, consultation, draft, smallest_group(consultation),
                                                       language),
                           minimum=smallest_group(consultation), preview=True, action_form=EmptyForm())


@bp.post("/c/<slug>/publication/<id:version>/publish")
@login_required
def publication_publish(slug, version):
    consultation = consultation_or_refuse(slug, edit=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    s = db.session()
    draft = publication.version(s, consultation, version) or abort(404)
    try:
        before = publication.publish(s, consultation, draft)
    except publication.PublicationError as exc:
        flash(str(exc), "info")
        return redirect(url_for(".publication_compose", slug=slug))
    record(s, "publication.publish", "consultation", consultation.id,
           {"version": version, "replaced": before.number if before else None})
    from ...mail.links import external_url
    from ...mail.outcome import tell_subscribers

    told = tell_subscribers(s, consultation)
    published = _("Published version %(number)s. Anyone can now read it at %(address)s", number=version,
                  address=external_url("participate.outcome", slug=slug))
    if told:
        published += " " + ngettext("We are emailing the %(num)s person who asked to hear the outcome.",
                                    "We are emailing the %(num)s people who asked to hear the outcome.", told)
    flash(published, "success")
    return redirect(url_for(".publication_compose", slug=slug))


@bp.post("/c/<slug>/publication/unpublish")
@login_required
def publication_unpublish(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    s = db.session()
    retired = publication.unpublish(s, consultation)
    if retired is None:
        flash(_("Nothing is published."), "info")
    else:
        record(s, "publication.unpublish", "consultation", consultation.id, {"version": retired.number})
        flash(_("Took down version %(number)s. The public page is gone until you publish again.",
                number=retired.number), "success")
    return redirect(url_for(".publication_compose", slug=slug))
