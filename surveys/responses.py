"""Operations on a person's response: start, save a page, submit, resume, withdraw.

They add and flush; the caller's unit of work commits. Free text is redacted on the way in, so the
redacted copy is the only one anyone reads.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete
from sqlmodel import Session, select

from analysis.redact import redact
from analysis.safeguarding import mentions_safeguarding

from .models import Answer, Consultation, Respondent, utcnow
from .theme_runs import forget_respondents
from .types import get_type
from .types.base import Parsed

# Reference codes avoid look-alike characters (0/O, 1/I/L) so they can be read over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def start_response(session: Session, consultation: Consultation, channel: str = "online",
                   workshop_id: int | None = None, table_number: int | None = None,
                   locale: str = "en", idempotency_key: str | None = None,
                   reference: str | None = None) -> tuple[Respondent, str]:
    """Create an anonymous respondent who has consented. Returns it and its resume token."""
    token = secrets.token_urlsafe(24)
    respondent = Respondent(
        consultation_id=consultation.id, public_id=secrets.token_urlsafe(18),
        reference=reference or new_reference(), channel=channel, workshop_id=workshop_id,
        table_number=table_number, locale=locale, consent_at=utcnow(),
        resume_token_hash=token_hash(token), idempotency_key=idempotency_key)
    session.add(respondent)
    session.flush()
    return respondent, token


def find_by_resume_token(session: Session, token: str) -> Respondent | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(Respondent)
                        .where(Respondent.resume_token_hash == token_hash(token))).first()


def save_answer(session: Session, respondent: Respondent, question, parsed: Parsed,
                existing: Answer | None) -> Answer | None:
    """Store (or replace, or clear) one answer. Segment answers also tag the respondent."""
    if question.is_segment:
        respondent.segment = parsed.value if parsed.value is not None else None
    if parsed.empty:
        if existing is not None:
            session.delete(existing)
        return None
    answer = existing or Answer(respondent_id=respondent.id, question_id=question.id)
    answer.value = parsed.value
    answer.text = parsed.text
    answer.text_redacted = redact(parsed.text) if parsed.text else None
    answer.safeguarding = bool(parsed.text) and mentions_safeguarding(parsed.text)
    answer.updated_at = utcnow()
    session.add(answer)
    return answer


def parse_page(questions, form) -> tuple[dict, dict]:
    """Parse every question on a page. Returns (parsed by key, errors by field); all or nothing."""
    from .types import AnswerError

    parsed, errors = {}, {}
    for q in questions:
        try:
            parsed[q.key] = get_type(q.type).parse(q, form)
        except AnswerError as exc:
            errors[exc.field] = exc.message
    return parsed, errors


def submit(session: Session, respondent: Respondent) -> bool:
    """Mark the response submitted. Returns False if it already was (a double submit)."""
    if respondent.submitted_at is not None:
        return False
    respondent.submitted_at = utcnow()
    session.add(respondent)
    return True


def withdraw(session: Session, consultation: Consultation, reference: str) -> bool:
    """Delete a person's answers and record of taking part, found by their reference code."""
    respondent = session.exec(select(Respondent).where(
        Respondent.consultation_id == consultation.id,
        Respondent.reference == reference.strip().upper())).first()
    if respondent is None:
        return False
    forget_respondents(session, [respondent.id])  # their words leave theme quotes and runs too
    session.exec(delete(Answer).where(Answer.respondent_id == respondent.id))
    session.delete(respondent)
    return True
