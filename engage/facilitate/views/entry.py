"""Staff type in responses given on paper or by phone, and a second person may check them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from surveys import journey, paper_entry
from surveys.types import get_type

from ... import db, reading
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...participate.render import briefing_html
from .. import bp
from ..common import CHANNEL_NAMES
from ..forms import EmptyForm, EntryForm


def _consultation(slug: str):
    consultation = consultation_or_refuse(slug, edit=True)
    if consultation.status not in ("open", "closed"):
        abort(409, _("Responses can be typed in once the consultation has opened."))
    return consultation


@bp.get("/c/<slug>/entry/")
@login_required
def entry_list(slug):
    consultation = _consultation(slug)
    return render_template("facilitate/entry_list.html", consultation=consultation, channels=CHANNEL_NAMES,
                           rows=paper_entry.entries(db.session(), consultation.id))


@bp.route("/c/<slug>/entry/new", methods=["GET", "POST"])
@login_required
def entry_new(slug):
    consultation = _consultation(slug)
    s = db.session()
    structure = journey.Structure.load(s, consultation)
    form = EntryForm()
    if request.method == "GET":
        form.channel.data = request.args.get("channel", "paper")
    errors, values = {}, {}
    if request.method == "POST":
        form_ok = form.validate()
        parsed, errors = paper_entry.check_entry(structure, request.form, form.channel.data)
        if form_ok and not errors:
            earlier = paper_entry.same_as_earlier(s, structure, parsed, form.channel.data)
            # The same form typed in twice is asked about, never saved without a deliberate yes;
            # the yes names the response it was shown, so a newer look-alike is asked about again.
            if earlier is not None and request.form.get(SAME_AS) != str(earlier.number):
                return _same_as_earlier(consultation, form, earlier)
            respondent = paper_entry.enter_response(s, structure, parsed, form.channel.data, current_user.id)
            detail = {"consultation": slug, "channel": respondent.channel}
            if earlier is not None:
                detail["same_answers_as"] = earlier.number
            record(s, "response.enter", "respondent", respondent.id, detail)
            # Staff never see reference codes: the internal number files the paper with its response.
            saved = (_("Saved the paper response as number %(number)s. Write that number on the paper.",
                       number=respondent.id) if respondent.channel == "paper" else
                     _("Saved the phone response as number %(number)s. Write that number on the paper.",
                       number=respondent.id))
            flash(saved, "success")
            return redirect(url_for(".entry_list", slug=slug))
        values = {k: (request.form.getlist(k) if len(request.form.getlist(k)) > 1 else v)
                  for k, v in request.form.items()}
    error_list = [{"text": f.errors[0], "href": f"#{f.id}"} for f in (form.channel, form.consent) if f.errors]
    error_list += [{"text": m, "href": f"#{k}"} for k, m in errors.items()]
    return render_template(
        "facilitate/entry_form.html", consultation=consultation, structure=structure, entry_form=form,
        types={q.key: get_type(q.type) for q in structure.questions}, values=values, errors=errors,
        error_list=error_list, briefing_html=briefing_html), (400 if error_list else 200)


#: The form field that says "save it anyway", naming the earlier response it was warned about.
SAME_AS = "same-as"


def _same_as_earlier(consultation, form, earlier):
    """Ask before saving a form whose answers match one typed in recently. Everything typed is
    sent again, hidden, with "save it anyway"; nothing is saved until then."""
    typed = [(name, value) for name, values in request.form.lists() if name not in ("csrf_token", SAME_AS)
             for value in values]
    return render_template("facilitate/entry_same.html", consultation=consultation, entry_form=form,
                           earlier=earlier, typed=typed, same_as=SAME_AS)


@bp.route("/c/<slug>/entry/<id:number>/check", methods=["GET", "POST"])
@login_required
def entry_check(slug, number):
    consultation = _consultation(slug)
    s = db.session()
    found = paper_entry.entry_for(s, consultation.id, number)
    if found is None:
        abort(404)
    respondent, entry = found
    form = EmptyForm()
    problem = None
    if form.validate_on_submit():
        try:
            paper_entry.confirm_check(s, entry, current_user.id)
        except paper_entry.EntryError as exc:
            problem = str(exc)
        else:
            record(s, "response.check", "respondent", respondent.id, {"consultation": slug})
            flash(_("Recorded that response %(number)s matches the paper.", number=number), "success")
            return redirect(url_for(".entry_list", slug=slug))
    structure = journey.Structure.load(s, consultation)
    answers = journey.answers_by_key(s, structure, respondent.id)
    # Each answer in its question's language, as on the respondent page (reading.asked).
    asked = {a.question.id: a for a in reading.asked(consultation, structure.questions)}
    rows = []
    for page in journey.visible_pages(structure, answers):
        for q in structure.questions_on(page):
            a, read = answers.get(q.key), asked[q.id]
            with read.words():
                # The redacted copy, as everywhere in the workspace.
                rows.append((read.question.prompt, get_type(q.type).display(
                    read.question, a.value if a else None, a.text_redacted if a else None),
                    reading.lang_of(read)))
    return render_template("facilitate/entry_check.html", consultation=consultation, respondent=respondent,
                           entry=entry, rows=rows, form=form, problem=problem, channels=CHANNEL_NAMES,
                           own=entry.entered_by == current_user.id), (400 if problem else 200)
