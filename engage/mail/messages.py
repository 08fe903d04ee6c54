"""The words of each email Engage sends. Plain text, plain English, no answer text ever."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session

from surveys.models import AnalysisRun, Consultation, User

from . import queue_mail
from .links import external_url


def _service() -> str:
    return current_app.config["SERVICE_NAME"]


def resume_link(session: Session, consultation: Consultation, recipient: str, link: str) -> bool:
    """In the language the person is using (the email is made while their request is served)."""
    title = consultation.title
    return queue_mail(session, "resume", recipient, _("Your link to carry on: %(title)s", title=title), (
        _("You asked us to email you a link so you can carry on answering \"%(title)s\".", title=title)
        + "\n\n"
        + _("Your answers so far are saved. To carry on, open this link:") + f"\n{link}\n\n"
        + _("Anyone with this link can see and change your answers, so do not pass this email on.")
        + "\n\n"
        + _("We have not kept your email address. If you did not ask for this, ignore this email.")
        + f"\n\n{_service()}\n"))


def receipt(session: Session, consultation: Consultation, recipient: str, reference: str) -> bool:
    """In the language the person is using (the email is made while their request is served)."""
    withdraw = external_url("participate.withdraw", slug=consultation.slug)
    title = consultation.title
    return queue_mail(session, "receipt", recipient, _("Your answers were sent: %(title)s", title=title), (
        _("Thank you for answering \"%(title)s\".", title=title) + "\n\n"
        + _("Your reference code is %(reference)s", reference=reference) + "\n\n"
        + _("Keep it if you might want to take your answers back. You do not need it for anything else.")
        + "\n"
        + _("To take your answers back, go to %(address)s and enter the code.", address=withdraw) + "\n\n"
        + _("We have not kept your email address with your answers.") + f"\n\n{_service()}\n"))


def analysis_finished(session: Session, run: AnalysisRun) -> bool:
    """To the facilitator who started a run, when it has finished or stopped."""
    user = session.get(User, run.created_by) if run.created_by else None
    consultation = session.get(Consultation, run.consultation_id)
    if user is None or not user.active:
        return False
    link = external_url("themes.run", slug=consultation.slug, run_id=run.id)
    if run.status == "done":
        subject = f"Your analysis has finished: {consultation.title}"
        what = "The theme analysis you started has finished. The themes are ready to review."
    else:
        subject = f"Your analysis stopped: {consultation.title}"
        what = "The theme analysis you started could not finish. The page below says why."
    return queue_mail(session, "analysis", user.email, subject,
                      f"{what}\n\n{consultation.title}, analysis {run.id}:\n{link}\n\n{_service()}\n")
