"""Telling people who asked that the results are published, then forgetting their addresses."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from surveys import subscriptions
from surveys.models import Consultation
from surveys.translations import SOURCE, localise_consultation

from ..i18n import LANGUAGES
from . import configured, queue_mail
from .links import external_url


def tell_subscribers(session: Session, consultation: Consultation) -> int:
    """Queue one email per address, in the language it was left in, and delete the addresses;
    0 (and keep them) without SMTP."""
    if not configured():
        return 0
    offered = [lang for lang in LANGUAGES if lang in (consultation.languages or ["en"])] or ["en"]
    addresses = subscriptions.take_all(session, consultation)
    for email, language in addresses.items():
        # An address kept before languages were (or in one the consultation no longer offers) gets
        # every language offered, English first.
        subject, text = _outcome_email(consultation, [language] if language in offered else offered)
        queue_mail(session, "outcome", email, subject, text)
    return len(addresses)


def _outcome_email(consultation: Consultation, languages: list[str]) -> tuple[str, str]:
    """Subject and body in each of ``languages``, each part with the consultation's title and a
    link to the page in that language."""
    link = external_url("participate.outcome", slug=consultation.slug)
    subjects, bodies = [], []
    for lang in languages:
        title = str(localise_consultation(consultation, lang).title)  # in that language, where given
        page = link if lang == SOURCE else f"{link}?lang={lang}"
        with force_locale(lang):
            subjects.append(_("What we heard: %(title)s", title=title))
            bodies.append(
                _("You asked us to tell you the outcome of \"%(title)s\".", title=title)
                + "\n\n" + _("We have published what we heard and what we will do:") + f"\n{page}\n\n"
                + _("This is the only email we will send you about it. We have now deleted your email "
                    "address.") + "\n")
    return " / ".join(subjects), "\n----\n\n".join(bodies) + f"\n{current_app.config['SERVICE_NAME']}\n"
