"""Facilitators open workshops, hand out join codes and QR codes per table, and close them."""

from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from surveys import accounts, consultations, workshops
from surveys.models import Consultation

from ... import audit, db
from ...auth import throttle
from ...i18n import language_args
from ...mail.links import external_url
from .. import bp
from ..access import can_manage, consultation_to_manage, pin_guesses, workshop_to_manage
from ..forms import CloseForm, PinForm, WorkshopForm


@bp.get("/manage/")
@login_required
def manage_index():
    """The consultations this person may run workshops for, with their workshops."""
    if getattr(current_user, "role", None) not in ("admin", "facilitator"):
        abort(403)
    s = db.session()
    mine = [c for c in consultations.open_ones(s) if can_manage(c.id)]
    return render_template("workshop/manage_index.html", consultations=mine)


@bp.route("/manage/c/<slug>/", methods=["GET", "POST"])
@login_required
def manage_consultation(slug: str):
    consultation = consultation_to_manage(slug)
    s = db.session()
    form = WorkshopForm()
    if form.validate_on_submit():
        if consultation.status != "open":
            abort(409, _("Open the consultation before you run a workshop for it."))
        workshop = workshops.create_workshop(s, consultation, form.name.data, form.tables.data,
                                             accounts.hash_password(form.pin.data), current_user.id)
        audit.record(s, "workshop.create", "workshop", workshop.id,
                     {"consultation": consultation.slug, "tables": workshop.tables})
        flash(_("Workshop opened. Its join code is %(code)s.", code=workshop.join_code), "success")
        return redirect(url_for(".manage_workshop", workshop_id=workshop.id))
    listed = workshops.of_consultation(s, consultation.id)
    return render_template("workshop/manage_consultation.html", consultation=consultation,
                           workshops=listed, form=form), (400 if form.errors else 200)


@bp.get("/manage/w/<id:workshop_id>/")
@login_required
def manage_workshop(workshop_id: int):
    return _workshop_page(workshop_to_manage(workshop_id), PinForm(prefix="new"))


def _workshop_page(workshop, pin_form: PinForm, status: int = 200):
    consultation = db.session().get(Consultation, workshop.consultation_id)
    tables = []
    for n in range(1, workshop.tables + 1):
        # A tablet keeps the language it is set up in (the kiosk reads it from its address): the
        # one this page is shown in.
        link = external_url("workshop.kiosk", code=workshop.join_code, table=n, **language_args())
        tables.append({"number": n, "link": link,
                       "qr": segno.make(link, error="m").svg_data_uri(scale=4, border=2)})
    grace = current_app.config["WORKSHOP_GRACE_MINUTES"]
    allowed, minutes = current_app.config["RATE_LIMITS"]["kiosk_exit"]
    locked = throttle.hits("kiosk_exit", pin_guesses(workshop)) >= allowed
    return render_template("workshop/manage_workshop.html", workshop=workshop, consultation=consultation,
                           tables=tables, form=CloseForm(), grace=grace, pin_form=pin_form,
                           pin_locked=locked, lock_minutes=minutes // 60,
                           grace_ends=workshops.grace_ends(workshop, grace),
                           join_link=external_url("workshop.join", **language_args())), status


@bp.post("/manage/w/<id:workshop_id>/pin")
@login_required
def new_pin(workshop_id: int):
    """A new exit PIN: when someone has used up the wrong guesses, the tablets can leave kiosk
    mode again at once (guesses of the old PIN no longer count)."""
    workshop = workshop_to_manage(workshop_id)
    form = PinForm(prefix="new")
    if workshop.status != "open":
        abort(409, _("This workshop is closed: its tablets no longer need an exit PIN."))
    if not form.validate_on_submit():
        return _workshop_page(workshop, form, 400)
    s = db.session()
    workshops.set_pin(s, workshop, accounts.hash_password(form.pin.data))
    audit.record(s, "workshop.pin_change", "workshop", workshop.id, {})
    flash(_("New exit PIN set. Use it to take the tablets out of kiosk mode."), "success")
    return redirect(url_for(".manage_workshop", workshop_id=workshop.id))


@bp.post("/manage/w/<id:workshop_id>/close")
@login_required
def close(workshop_id: int):
    workshop = workshop_to_manage(workshop_id)
    if not CloseForm().validate():
        abort(400)
    s = db.session()
    if workshops.close_workshop(s, workshop):
        audit.record(s, "workshop.close", "workshop", workshop.id, {})
        flash(_("Workshop closed. Answers still waiting on its tablets are accepted for %(minutes)s minutes.",
                minutes=current_app.config["WORKSHOP_GRACE_MINUTES"]), "success")
    return redirect(url_for(".manage_workshop", workshop_id=workshop.id))
