"""The words of each email Engage sends. Plain text, plain words, no answer text ever.

A respondent's email is in their language: the one of the page they asked from (or one given),
with the consultation's own words in it where it is offered in that language."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from surveys.models import AnalysisRun, Consultation, User
from surveys.translations import SOURCE, localise_consultation

from ..i18n import LANGUAGES, current_language
from . import queue_mail
from .links import external_url


def _service() -> str:
    return current_app.config["SERVICE_NAME"]


def _in(consultation: Consultation, language: str | None) -> tuple[str, str]:
    """The language an email is written in (the page's, unless one is given), and the
    consultation's title in it where the consultation offers it (else English)."""
    language = language if language in LANGUAGES else current_language()
    return language, str(localise_consultation(consultation, language).title)


def resume_link(session: Session, consultation: Consultation, recipient: str, link: str,
                language: str | None = None) -> bool:
    """In the language the person is using (the email is made while their request is served), or
    in ``language``."""
    language, title = _in(consultation, language)
    with force_locale(language):
        subject = _("Your link to carry on: %(title)s", title=title)
        return queue_mail(session, "resume", recipient, subject, (
            _("You asked us to email you a link so you can carry on answering \"%(title)s\".", title=title)
            + "\n\n"
            + _("Your answers so far are saved. To carry on, open this link:") + f"\n{link}\n\n"
            + _("Anyone with this link can see and change your answers, so do not pass this email on.")
            + "\n\n"
            + _("We have not kept your email address. If you did not ask for this, ignore this email.")
            + f"\n\n{_service()}\n"))


def receipt(session: Session, consultation: Consultation, recipient: str, reference: str,
            language: str | None = None) -> bool:
    """In the language the person is using (the email is made while their request is served), or
    in ``language``; the link to take answers back opens in that language."""
    language, title = _in(consultation, language)
    withdraw = external_url("participate.withdraw", slug=consultation.slug,
                            **({"lang": language} if language != SOURCE else {}))
    with force_locale(language):
        subject = _("Your answers were sent: %(title)s", title=title)
        return queue_mail(session, "receipt", recipient, subject, (
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
    # Staff have no language of their own yet: English, its words marked for when they do.
    with force_locale(SOURCE):
        if run.status == "done":
            subject = _("Your analysis has finished: %(title)s", title=consultation.title)
            what = _("The theme analysis you started has finished. The themes are ready to review.")
        else:
            subject = _("Your analysis stopped: %(title)s", title=consultation.title)
            what = _("The theme analysis you started could not finish. The page below says why.")
        which = _("%(title)s, analysis %(number)s:", title=consultation.title, number=run.id)
    return queue_mail(session, "analysis", user.email, subject,
                      f"{what}\n\n{which}\n{link}\n\n{_service()}\n")
