"""Sign in and sign out (throttled, with lockout after repeated failures), and password change."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import update
from sqlmodel import Session

from surveys.accounts import set_password, user_by_email, verify_password
from surveys.models import User, utcnow

from .. import db
from ..audit import record
from . import bp, sessions, throttle
from .forms import ChangePasswordForm, EmptyForm, LoginForm

LOCKED = _l("This account is locked after too many failed sign-in attempts. Try again in {m} minutes.")
WRONG = _l("The email address or password is not right. Check them and try again.")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Browsers ignore tabs, newlines and other control characters in a URL and read a backslash as
    a slash, so ``/\t/evil.example`` and ``/\\evil.example`` both lead off-site: those characters
    (and spaces) are removed before checking, and what is checked is what is returned.
    """
    if not target:
        return None
    cleaned = "".join(ch for ch in target if not unicodedata.category(ch).startswith(("C", "Z"))
                      and not ch.isspace())
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned:
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return cleaned


#: Failed sign-ins are counted per email address, known account or not, in a window that starts
#: at the first failure and lasts LOGIN_LOCKOUT_MINUTES; an unknown address's lock is kept here
#: too (a known account's is ``User.locked_until``). One count for both, so that failures spread
#: out in time lock a real account and an unknown address alike.
FAILURES, UNKNOWN_LOCK = "sign_in_failures", "unknown_account_lock"


def _locked(user: User | None, email: str) -> bool:
    """Locked out: a known account's lock, or (so the answer gives nothing away) an unknown
    email's, which starts and ends as an account's would."""
    if user is not None:
        return user.locked_until is not None and user.locked_until > utcnow()
    return throttle.hits(UNKNOWN_LOCK, email) > 0


def _failed(s: Session, user: User | None, email: str) -> str:
    """Count a failed sign-in (atomically: concurrent failures are all counted) and lock the
    account, or the unknown address, when there have been too many; returns the message to show."""
    maximum = current_app.config["LOGIN_MAX_ATTEMPTS"]
    minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
    if throttle.hit(FAILURES, email, minutes * 60) < maximum:
        return WRONG
    # Locked for LOGIN_LOCKOUT_MINUTES from now, and the count starts again (so an account an
    # admin unlocks early is not locked again by its next failure).
    throttle.clear(FAILURES, email)
    if user is None:
        throttle.hit(UNKNOWN_LOCK, email, minutes * 60)
    else:
        # Only the request that finds the account unlocked locks it (and audits it).
        now = utcnow()
        locked = s.execute(update(User).where(User.id == user.id, (User.locked_until.is_(None))
                                              | (User.locked_until <= now))
                           .values(locked_until=now + timedelta(minutes=minutes), failed_logins=0)
                           .execution_options(synchronize_session=False)).rowcount
        if locked:
            record(s, "user.locked", "user", user.id, user_id=None)
        # The lock must be kept even though the page shows an error.
        s.commit()
    return LOCKED.format(m=minutes)


@bp.route("/sign-in", methods=["GET", "POST"])
@throttle.limit("sign_in")
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        s = db.session()
        email = form.email.data.strip().lower()
        user = user_by_email(s, email)
        # The password hash runs for every attempt, known account or not, locked or not, so
        # the time taken says nothing about which accounts exist.
        right = verify_password(user.password_hash if user else None, form.password.data)
        if _locked(user, email):
            error = LOCKED.format(m=current_app.config["LOGIN_LOCKOUT_MINUTES"])
        elif not right or user is None or not user.active:
            error = _failed(s, user, email)
        else:
            user.failed_logins = 0
            user.locked_until = None
            s.add(user)
            throttle.clear(FAILURES, email)  # a fresh count, as after any success
            # A fresh session (no fixation), kept in the database; the language chosen stays.
            language = session.get("lang")
            session.clear()
            if language:
                session["lang"] = language
            session.permanent = True
            login_user(sessions.start(user))
            record(s, "user.sign_in", "user", user.id, user_id=user.id)
            return redirect(safe_next(request.args.get("next")) or url_for("facilitate.index"))
    if error:
        form.password.errors = [error]
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/sign-out", methods=["GET", "POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            sessions.end(current_user.token)
        logout_user()
        session.clear()
        flash(_("You have signed out."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/logout.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        s = db.session()
        user = s.get(User, current_user.id)
        # The current password is guessed here as on the sign-in page (by someone at a browser
        # left signed in, say): the same count and lockout.
        right = verify_password(user.password_hash, form.current.data)
        if _locked(user, user.email):
            form.current.errors = [LOCKED.format(m=current_app.config["LOGIN_LOCKOUT_MINUTES"])]
        elif not right:
            failed = _failed(s, user, user.email)
            form.current.errors = [_("Your current password is not right") if failed is WRONG else failed]
        elif form.new.data == form.current.data:
            form.new.errors = [_("The new password must be different from the current one")]
        else:
            set_password(s, user, form.new.data, by="self")
            record(s, "user.password_changed", "user", user.id)
            # Every session of the account has ended; this browser carries on in a new one.
            login_user(sessions.start(user))
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("facilitate.index"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)
