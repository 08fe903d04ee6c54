"""Admin page: email waiting to be sent or that failed, and trying a failed one again.

It shows who each message is for (only the domain for members of the public), what kind it is,
its tries and the mail server's last answer; never a message's body, which can hold a resume
link or a reference code.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveys import outbox

from ... import db, mail
from ...audit import record
from ...auth.access import admin_required
from ...jobs import add_job
from ...mail.delivery import deliver
from .. import bp
from ..forms import EmptyForm

#: What each kind of email is, in the page's language.
KIND_NAMES = {"resume": _l("Link to carry on"), "receipt": _l("Receipt with reference code"),
              "outcome": _l("Results published"), "analysis": _l("Analysis finished"),
              "safeguarding": _l("Safeguarding alert")}


@bp.get("/admin/mail")
@admin_required
def mail_outbox():
    s = db.session()
    config = current_app.config
    return render_template("facilitate/admin/mail.html", messages=outbox.waiting(s), counts=outbox.counts(s),
                           configured=mail.configured(), kinds=KIND_NAMES, masked=outbox.masked,
                           server=f"{config['SMTP_HOST']}:{config['SMTP_PORT']} ({config['SMTP_SECURITY']})",
                           form=EmptyForm())


@bp.post("/admin/mail/<id:message_id>/retry")
@admin_required
def mail_retry(message_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    s = db.session()
    message = outbox.try_again(s, message_id)
    if message is None:
        flash(_("That email is no longer waiting to be tried again."), "info")
        return redirect(url_for(".mail_outbox"))
    record(s, "mail.retry", "outbox_message", message_id, {"kind": message.kind})
    add_job(s, deliver, message_id)
    s.commit()
    flash(_("Trying that email again."), "success")
    return redirect(url_for(".mail_outbox"))
