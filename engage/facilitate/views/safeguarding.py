"""The safeguarding lead's page: flagged answers with the words as written.

Who the leads are is set in the deployment's configuration (SAFEGUARDING_LEADS), not in the
workspace, so no facilitator or admin can give themselves sight of unredacted words. Every
viewing and every answer dealt with is recorded in the audit trail.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from surveys import safeguarding
from surveys.models import OUTCOMES

from ... import db
from ...audit import record
from ...i18n import long_datetime
from .. import bp
from ..forms import EmptyForm

PAGE_SIZE = 25


#: Why a consultation cannot open while no safeguarding lead is named: every consent page promises
#: that a named lead reads words suggesting someone is at risk, and without one nobody can.
NO_LEAD = _l("No safeguarding lead is named, so no one could read answers that suggest someone is at "
             "risk, as the consent page promises. Ask your administrator to name one in "
             "SAFEGUARDING_LEADS and create their account on the server.")


def lead_named() -> bool:
    """Whether the deployment names a safeguarding lead (the consent page's promise can be kept)."""
    return bool(current_app.config["SAFEGUARDING_LEADS"])


def is_safeguarding_lead() -> bool:
    leads = current_app.config["SAFEGUARDING_LEADS"]
    # An account whose password an admin set in the web interface is never a lead's, until the
    # password is set again from the server's command line (engage users reset-password).
    return current_user.is_authenticated and current_user.email.lower() in leads \
        and not current_user.web_credentials


def lead_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_safeguarding_lead():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


@bp.get("/safeguarding")
@lead_required
def safeguarding_list():
    s = db.session()
    dealt_with = request.args.get("show") == "dealt-with"
    page = max(1, min(request.args.get("page", 1, type=int), 100_000))
    total = safeguarding.count_flagged(s, dealt_with)
    rows = safeguarding.flagged_answers(s, (page - 1) * PAGE_SIZE, PAGE_SIZE, dealt_with)
    # Held disclosures wait to be dealt with, so they head that list (and are gone once dealt with).
    waiting_held = safeguarding.count_held(s)
    held = safeguarding.held_disclosures(s) if waiting_held and not dealt_with else []
    viewed = {"answers": [r.answer_id for r in rows]}
    if held:
        viewed["held"] = [h.id for h in held]
    record(s, "safeguarding.view", "answer", "", viewed)
    return render_template("facilitate/safeguarding.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), dealt_with=dealt_with, held=held,
                           waiting_held=waiting_held,
                           other=safeguarding.count_flagged(s, not dealt_with),
                           outcomes={k: _(v) for k, v in OUTCOMES.items()},
                           form=EmptyForm())


def _outcome_sent() -> str:
    """The outcome a lead chose on the safeguarding page's form (checked by the caller)."""
    if not EmptyForm().validate_on_submit():
        abort(400, _("The form had expired. Go back and try again."))
    return request.form.get("outcome", "")


@bp.post("/safeguarding/<id:answer_id>")
@lead_required
def safeguarding_review(answer_id: int):
    s, outcome = db.session(), _outcome_sent()
    try:
        safeguarding.record_review(s, answer_id, outcome, current_user.id)
    except safeguarding.AlreadyReviewed as exc:
        # A page loaded before another lead decided: theirs stands, and the lead is told whose it is.
        s.rollback()
        flash(_("Your choice was not recorded: another lead had already dealt with this answer. "
                "On record: %(outcome)s, by %(who)s, %(when)s.",
                outcome=_(OUTCOMES[exc.outcome]).lower(), who=exc.reviewed_by or _("a former account"),
                when=long_datetime(exc.reviewed_at)), "error")
        return redirect(url_for(".safeguarding_list")), 303
    except safeguarding.ReviewError as exc:
        abort(400, str(exc))
    record(s, "safeguarding.review", "answer", answer_id, {"outcome": outcome})
    flash(_("Recorded: %(outcome)s.", outcome=_(OUTCOMES[outcome]).lower()), "success")
    return redirect(url_for(".safeguarding_list"))


@bp.post("/safeguarding/held/<id:held_id>")
@lead_required
def safeguarding_review_held(held_id: int):
    """Record what was done about a held disclosure, which deletes it (audited without the words)."""
    s, outcome = db.session(), _outcome_sent()
    try:
        consultation_id = safeguarding.settle_held(s, held_id, outcome)
    except safeguarding.ReviewError as exc:
        abort(400, str(exc))
    record(s, "safeguarding.review", "held_disclosure", held_id,
           {"outcome": outcome, "consultation": consultation_id, "deleted": True})
    flash(_("Recorded: %(outcome)s. The answer it was about has been deleted, as its writer asked.",
            outcome=_(OUTCOMES[outcome]).lower()), "success")
    return redirect(url_for(".safeguarding_list"))
