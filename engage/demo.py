"""The demo consultation, loaded by ``engage demo load``."""

from __future__ import annotations

from sqlmodel import Session

from surveys import consultations
from surveys.definitions import DEMO, create_from_definition, parse_definition
from surveys.models import Consultation


def load_demo(session: Session, with_responses: int = 0) -> tuple[Consultation, bool]:
    """Add the demo consultation, open, unless it is there already. Returns (it, created)."""
    definition = parse_definition(DEMO.read_bytes())
    existing = consultations.by_slug(session, definition["slug"])
    if existing is not None:
        return existing, False
    consultation = create_from_definition(session, definition, status="open")
    if with_responses:
        from .sample_responses import add_sample_responses

        add_sample_responses(session, consultation, with_responses)
    return consultation, True
