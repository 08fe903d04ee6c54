"""Admin pages: staff accounts (create, role, access, reset password) and the audit trail."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from surveys import accounts, consultations
from surveys.models import User, utcnow

from ... import db, reading
from ...audit import record
from ...auth.access import admin_required
from ...auth.forms import ROLE_HINTS, EditUserForm, ResetPasswordForm, UserForm
from .. import bp

AUDIT_PAGE = 50
def _lead_by_command_line(email: str, command: str) -> str:
    return _("%(email)s is a safeguarding lead. Leads' accounts are created and their passwords reset "
             "only on the server, with: %(command)s", email=email, command=f"engage users {command} {email}")


def _is_lead(email: str) -> bool:
    return email.strip().lower() in current_app.config["SAFEGUARDING_LEADS"]


@bp.get("/admin/users")
@admin_required
def users():
    rows = accounts.all_users(db.session())
    return render_template("facilitate/admin/users.html", users=rows, now=utcnow())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        s = db.session()
        try:
            if _is_lead(form.email.data):
                # Whoever sets a lead's password could read unredacted words as them.
                raise ValueError(_lead_by_command_line(form.email.data.strip().lower(), "create"))
            user = accounts.create_user(s, form.email.data, form.password.data, form.role.data,
                               form.name.data or "", web=True)
        except ValueError as exc:
            form.email.errors = [str(exc)]
        else:
            record(s, "user.create", "user", user.id, {"email": user.email, "role": user.role})
            flash(_("Created the account %(email)s. Give them their password in person or by phone.",
                    email=user.email), "success")
            return redirect(url_for(".user_edit", user_id=user.id))
    return render_template("facilitate/admin/user_form.html", form=form, heading=_("Create an account"),
                           hints=ROLE_HINTS), (400 if form.errors else 200)


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<id:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id):
    s = db.session()
    user = _user_or_404(user_id)
    form = EditUserForm(obj=user)
    form.consultations.choices = [(c.id, reading.own_words(c)) for c in consultations.all_by_title(s)]
    if not form.is_submitted():
        form.consultations.data = accounts.access_ids(s, user)
        form.consultations_shown.data = ",".join(str(cid) for cid, _name in form.consultations.choices)
    if form.validate_on_submit():
        from flask_login import current_user

        shown = form.shown_ids()
        if shown is None:
            abort(400)

        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = [_("You cannot take away your own admin role or turn off your own account")]
        else:
            changes = {}
            for name in ("name", "role", "active"):
                value = form[name].data if name != "name" else (form.name.data or "")
                if getattr(user, name) != value:
                    changes[name] = [getattr(user, name), value]
                    setattr(user, name, value)
            s.add(user)
            # Only the consultations the form listed: one made or copied since keeps its access.
            listed = shown & {cid for cid, _name in form.consultations.choices}
            added, removed = accounts.set_access(s, user, set(form.consultations.data or []), listed)
            if added or removed:
                changes["access"] = {"added": sorted(added), "removed": sorted(removed)}
            if changes:
                record(s, "user.update", "user", user.id, changes)
            flash(_("Saved %(email)s.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("facilitate/admin/user_form.html", form=form, user=user, hints=ROLE_HINTS,
                           heading=_("Account: %(email)s", email=user.email)), (400 if form.errors else 200)


@bp.route("/admin/users/<id:user_id>/password", methods=["GET", "POST"])
@admin_required
def user_password(user_id):
    user = _user_or_404(user_id)
    if _is_lead(user.email):
        abort(403, _lead_by_command_line(user.email, "reset-password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        s = db.session()
        accounts.set_password(s, user, form.password.data, by="admin")
        record(s, "user.password_reset", "user", user.id)
        flash(_("The password for %(email)s has been reset and any lockout cleared. Their other sessions "
                "have ended.", email=user.email), "success")
        return redirect(url_for(".users"))
    return render_template("facilitate/admin/user_form.html", form=form, user=user, hints=ROLE_HINTS,
                           heading=_("Reset the password for %(email)s", email=user.email)), \
        (400 if form.errors else 200)


@bp.get("/admin/audit")
@admin_required
def audit():
    s = db.session()
    action = request.args.get("action", "").strip()[:80]
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    rows, total, page = accounts.audit_page(s, page, AUDIT_PAGE, action)
    return render_template("facilitate/admin/audit.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // AUDIT_PAGE)), action=action)
