"""Telling people who asked that the results are published, then forgetting their addresses."""

from __future__ import annotations

from flask import current_app
from sqlmodel import Session

from surveys import subscriptions
from surveys.models import Consultation

from . import configured, queue_mail
from .links import external_url


def tell_subscribers(session: Session, consultation: Consultation) -> int:
    """Queue one email per address and delete the addresses; 0 (and keep them) without SMTP."""
    if not configured():
        return 0
    link = external_url("participate.outcome", slug=consultation.slug)
    emails = subscriptions.take_all(session, consultation)
    for email in emails:
        queue_mail(session, "outcome", email, f"What we heard: {consultation.title}", (
            f"You asked us to tell you the outcome of \"{consultation.title}\".\n\n"
            f"We have published what we heard and what we will do:\n{link}\n\n"
            "This is the only email we will send you about it. We have now deleted your email address.\n\n"
            f"{current_app.config['SERVICE_NAME']}\n"))
    return len(emails)
