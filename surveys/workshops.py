"""Workshop operations: open and close a workshop, take a kiosk's whole response (the room
display's figures are in ``surveys.room``).

Like every operation here they add and flush; the caller's unit of work commits. A kiosk may send
the same response more than once (it retries until it hears back), so a response is stored under
its idempotency key and a repeat is recognised, never stored twice.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import journey, responses
from .formdata import FormData
from .models import Consultation, Respondent, Workshop, utcnow

# Join codes avoid look-alike characters, like reference codes, so they can be read out in a room.
JOIN_ALPHABET = responses.REFERENCE_ALPHABET
JOIN_CODE_LENGTH = 6
REFERENCE_PATTERN = re.compile(f"[{responses.REFERENCE_ALPHABET}]{{4}}-[{responses.REFERENCE_ALPHABET}]{{4}}")
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
MAX_FIELDS = 400
MAX_VALUE_CHARS = 10_000


class PayloadError(ValueError):
    """A kiosk sent something that is not a response at all (wrong shape); not the person's fault."""


@dataclass
class Outcome:
    """What happened to a kiosk's response."""

    respondent: Respondent | None = None
    #: True when this idempotency key was already stored: nothing was stored again.
    duplicate: bool = False
    #: Page key -> {field: message} for answers that cannot be accepted.
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Pages left out (lenient mode: a response queued offline is never thrown away whole).
    skipped: list[str] = field(default_factory=list)
    #: True when the key is already stored for another workshop: refused, and nothing of that
    #: response (not even its reference) is told (keys are scoped to their workshop).
    foreign: bool = False
    #: True when the response under this key was taken back since: nothing was stored again.
    withdrawn: bool = False
    #: True when the code sent with it is another response's: nothing was stored (not lenient).
    reference_taken: bool = False


def new_join_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if find_by_code(session, code) is None:
            return code


def find_by_code(session: Session, code: str) -> Workshop | None:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    if not code or len(code) > 16:
        return None
    return session.exec(select(Workshop).where(Workshop.join_code == code)).first()


def create_workshop(session: Session, consultation: Consultation, name: str, tables: int,
                    pin_hash: str, facilitator_id: int | None = None) -> Workshop:
    """Open a workshop with a fresh join code. ``pin_hash`` is the hashed exit PIN."""
    workshop = Workshop(consultation_id=consultation.id, name=name.strip(), tables=tables,
                        join_code=new_join_code(session), pin_hash=pin_hash,
                        facilitator_id=facilitator_id, status="open")
    session.add(workshop)
    session.flush()
    return workshop


def of_consultation(session: Session, consultation_id: int) -> list[Workshop]:
    """A consultation's workshops, newest first."""
    return list(session.exec(select(Workshop).where(Workshop.consultation_id == consultation_id)
                             .order_by(Workshop.created_at.desc())).all())


def set_pin(session: Session, workshop: Workshop, pin_hash: str) -> None:
    """Give an open workshop a new exit PIN (hashed), e.g. after too many wrong guesses."""
    workshop.pin_hash = pin_hash
    session.add(workshop)
    session.flush()


def close_workshop(session: Session, workshop: Workshop, now: datetime | None = None) -> bool:
    """Close a workshop (False if it already was). Late answers are taken for a grace period."""
    if workshop.status == "closed":
        return False
    workshop.status = "closed"
    workshop.closed_at = now or utcnow()
    session.add(workshop)
    return True


def accepts_answers(workshop: Workshop, grace_minutes: int, now: datetime | None = None) -> bool:
    """Open, or closed less than ``grace_minutes`` ago (tablets may still be sending their queue)."""
    if workshop.status == "open":
        return True
    now = now or utcnow()
    return workshop.closed_at is not None and now <= workshop.closed_at + timedelta(minutes=grace_minutes)


def consultation_accepts_answers(consultation: Consultation, grace_minutes: int,
                                 now: datetime | None = None) -> bool:
    """Open, or closed less than ``grace_minutes`` ago: as for a workshop, a tablet that kept a
    person's answers while offline (and told them they were saved) may still be sending them when
    the facilitator closes the consultation itself."""
    if consultation.status == "open":
        return True
    now = now or utcnow()
    return (consultation.status == "closed" and consultation.closes_at is not None
            and now <= consultation.closes_at + timedelta(minutes=grace_minutes))


def grace_ends(workshop: Workshop, grace_minutes: int) -> datetime | None:
    return workshop.closed_at + timedelta(minutes=grace_minutes) if workshop.closed_at else None


def check_reference(payload: dict) -> str | None:
    """The reference code a kiosk made for its person, if it sent a well-formed one."""
    reference = payload.get("reference")
    if reference is None:
        return None
    if not isinstance(reference, str) or not REFERENCE_PATTERN.fullmatch(reference):
        raise PayloadError("reference must be a code like ABCD-EF23.")
    return reference


def check_payload(payload) -> tuple[str, FormData]:
    """The idempotency key and answers (as a form) of a kiosk's response, or PayloadError."""
    if not isinstance(payload, dict):
        raise PayloadError("The response must be a JSON object.")
    key = payload.get("idempotency_key")
    if not isinstance(key, str) or not 8 <= len(key) <= 64 or not set(key) <= KEY_CHARS:
        raise PayloadError("idempotency_key must be 8 to 64 letters, digits or hyphens.")
    answers = payload.get("answers")
    if not isinstance(answers, dict) or len(answers) > MAX_FIELDS:
        raise PayloadError(f"answers must be an object of at most {MAX_FIELDS} fields.")
    form = FormData()
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        if not name.startswith("q-") or len(name) > 200 or len(values) > 50:
            raise PayloadError(f"Unexpected field {name[:50]!r}.")
        for v in values:
            if isinstance(v, bool) or not isinstance(v, str | int):
                raise PayloadError(f"Field {name!r} must be text or a list of text.")
            if len(str(v)) > MAX_VALUE_CHARS:
                raise PayloadError(f"Field {name!r} is too long.")
            form.add(name, str(v))
    return key, form


def existing(session: Session, key: str, workshop_id: int | None = None) -> Respondent | None:
    """The response stored under ``key`` (in ``workshop_id`` only, when given)."""
    query = select(Respondent).where(Respondent.idempotency_key == key)
    if workshop_id is not None:
        query = query.where(Respondent.workshop_id == workshop_id)
    return session.exec(query).first()


class _Refused(Exception):
    """Leaves the savepoint of a kiosk response whose answers cannot all be accepted."""


def submit_kiosk_response(session: Session, workshop: Workshop, table: int, key: str, form: FormData,
                          lenient: bool = False, reference: str | None = None, locale: str = "en") -> Outcome:
    """Store a kiosk's whole response at once, under its idempotency key, as given in ``locale``.

    Each page the person was shown (routing follows their own answers) is saved in order with
    ``responses.save_page``, as on the web. ``reference`` is a code the server made for this kiosk
    (the caller checks its signature): it is kept, as the person may have left with it before the
    answers could be sent. If another response already has it, nothing is stored and the outcome is
    ``reference_taken`` (the person is still there to be given another), unless ``lenient``: then
    the response gets a new code and the shared one is marked so that it withdraws nobody. A key
    already stored in this workshop returns ``duplicate`` and stores nothing; one stored in another
    workshop returns ``foreign``. A key whose response was taken back since (the tablet's first
    reply was lost) returns ``withdrawn`` and stores nothing. Answers that cannot be accepted return
    ``errors`` and store nothing, unless ``lenient`` (a response queued offline, whose person has
    gone): then the pages in error are left out and listed in ``skipped``.
    """
    found = existing(session, key)
    if found is not None:
        if found.workshop_id != workshop.id:
            return Outcome(foreign=True)
        return Outcome(respondent=found, duplicate=True)
    if responses.was_withdrawn(session, key=key):
        return Outcome(withdrawn=True)
    consultation = session.get(Consultation, workshop.consultation_id)
    structure = journey.Structure.load(session, consultation)
    # Its person took it back with its code before it came: stored, then withdrawn at once, as a
    # withdrawal then would (a flagged answer is still held for the safeguarding leads).
    taken_back = bool(reference) and responses.awaits_withdrawal(session, reference)
    if reference and (session.exec(select(Respondent.id).where(Respondent.reference == reference)).first()
                      or responses.was_withdrawn(session, reference=reference)):
        # Another person was given this code too (a tablet offline handed it out twice). While
        # its person is at the screen the tablet gives them another; once they have gone, the
        # answers are kept under a new code and the shared one takes back nobody's answers.
        if not lenient:
            return Outcome(reference_taken=True)
        responses.mark_shared(session, consultation, reference)
        reference = None
    outcome = Outcome()
    try:
        # A savepoint: if another request stored the same key a moment ago, or an answer cannot be
        # accepted, only this is undone.
        with session.begin_nested():
            respondent, _token = responses.start_response(
                session, consultation, channel="workshop", workshop_id=workshop.id,
                table_number=table, idempotency_key=key, reference=reference, locale=locale)
            # Kiosk responses are never resumed: no resume token is kept.
            respondent.resume_token_hash = None
            page = next((p for p in structure.pages if journey.rule_met(p, {})), None)
            while page is not None:
                saved = responses.save_page(session, structure, respondent, page, form)
                if saved.errors:
                    if lenient:
                        outcome.skipped.append(page.key)
                    else:
                        outcome.errors[page.key] = saved.errors
                    answers = journey.answers_by_key(session, structure, respondent.id)
                    page = journey.next_page(structure, page, answers)
                else:
                    page = saved.next_page
            if outcome.errors:
                raise _Refused
            responses.submit(session, structure, respondent)
            session.flush()
            if taken_back:
                responses.withdraw(session, respondent)
                session.flush()
    except _Refused:
        return outcome
    except IntegrityError:
        found = existing(session, key)
        if found is None:
            raise
        if found.workshop_id != workshop.id:
            return Outcome(foreign=True)
        return Outcome(respondent=found, duplicate=True)
    if taken_back:
        return Outcome(withdrawn=True)
    outcome.respondent = respondent
    return outcome


def tablets_may_still_send(session: Session, consultation: Consultation, grace_minutes: int,
                           now: datetime | None = None) -> bool:
    """Whether a workshop tablet of ``consultation`` can still send answers it holds (taken
    offline, say): the kiosk takes a new response while its workshop accepts answers
    (``accepts_answers``) and so does the consultation (``consultation_accepts_answers``). Once no
    workshop can, no answers are still on their way."""
    now = now or utcnow()
    if not consultation_accepts_answers(consultation, grace_minutes, now):
        return False
    return any(accepts_answers(w, grace_minutes, now) for w in of_consultation(session, consultation.id))
