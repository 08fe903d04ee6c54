"""Sign in and sign out (throttled, with lockout after repeated failures), and password change."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from surveys.models import User, utcnow

from .. import db
from ..audit import record
from ..extensions import limiter
from . import bp
from .forms import ChangePasswordForm, EmptyForm, LoginForm
from .users import LoginUser, set_password, verify_password

LOCKED = "This account is locked after too many failed sign-in attempts. Try again in {m} minutes."
WRONG = "The email address or password is not right. Check them and try again."


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        s = db.session()
        user = s.exec(select(User).where(User.email == form.email.data.strip().lower())).first()
        now = utcnow()
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        if user is not None and user.locked_until and user.locked_until > now:
            error = LOCKED.format(m=minutes)
        elif user is None or not user.active or not verify_password(user.password_hash,
                                                                    form.password.data):
            error = WRONG
            if user is not None:
                user.failed_logins += 1
                if user.failed_logins >= current_app.config["LOGIN_MAX_ATTEMPTS"]:
                    user.locked_until = now + timedelta(minutes=minutes)
                    user.failed_logins = 0
                    error = LOCKED.format(m=minutes)
                    record(s, "user.locked", "user", user.id, user_id=None)
                # The failed attempt must be kept even though the page shows an error.
                s.commit()
        else:
            user.failed_logins = 0
            user.locked_until = None
            # A fresh session (no fixation) that expires after PERMANENT_SESSION_LIFETIME.
            session.clear()
            session.permanent = True
            login_user(LoginUser(user))
            record(s, "user.sign_in", "user", user.id, user_id=user.id)
            target = request.args.get("next", "")
            # Only ever redirect to a path on this site.
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("facilitate.index")
            return redirect(target)
    if error:
        form.password.errors = [error]
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/sign-out", methods=["GET", "POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
        return redirect(url_for("main.home"))
    return render_template("auth/logout.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        s = db.session()
        user = s.get(User, current_user.id)
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors = ["Your current password is not right"]
        elif form.new.data == form.current.data:
            form.new.errors = ["The new password must be different from the current one"]
        else:
            set_password(s, user, form.new.data)
            record(s, "user.password_changed", "user", user.id)
            # Other sessions end (the session stamp changed); this one carries on.
            login_user(LoginUser(user))
            flash("Your password has been changed.", "success")
            return redirect(url_for("facilitate.index"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)
