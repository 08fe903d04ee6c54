"""The words of each email Engage sends. Plain text, plain English, no answer text ever."""

from __future__ import annotations

from flask import current_app
from sqlmodel import Session

from surveys.models import AnalysisRun, Consultation, User

from . import queue_mail
from .links import external_url


def _service() -> str:
    return current_app.config["SERVICE_NAME"]


def resume_link(session: Session, consultation: Consultation, recipient: str, link: str) -> bool:
    return queue_mail(session, "resume", recipient, f"Your link to carry on: {consultation.title}", (
        f"You asked us to email you a link so you can carry on answering \"{consultation.title}\".\n\n"
        f"Your answers so far are saved. To carry on, open this link:\n{link}\n\n"
        "Anyone with this link can see and change your answers, so do not pass this email on.\n\n"
        f"We have not kept your email address. If you did not ask for this, ignore this email.\n\n"
        f"{_service()}\n"))


def receipt(session: Session, consultation: Consultation, recipient: str, reference: str) -> bool:
    withdraw = external_url("participate.withdraw", slug=consultation.slug)
    return queue_mail(session, "receipt", recipient, f"Your answers were sent: {consultation.title}", (
        f"Thank you for answering \"{consultation.title}\".\n\n"
        f"Your reference code is {reference}\n\n"
        "Keep it if you might want to take your answers back. You do not need it for anything else.\n"
        f"To take your answers back, go to {withdraw} and enter the code.\n\n"
        f"We have not kept your email address with your answers.\n\n{_service()}\n"))


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
