"""Shared factories for model objects, committed so the app under test sees them."""

from __future__ import annotations

from sqlmodel import Session, select

from surveys.accounts import create_user
from surveys.definitions import DEMO, create_from_definition, parse_definition
from surveys.models import Answer, Consultation, ConsultationAccess, Question, Respondent, User

PASSWORD = "correct horse battery staple"


def demo_consultation(session: Session, status: str = "open", slug: str | None = None) -> Consultation:
    definition = parse_definition(DEMO.read_bytes())
    if slug:
        definition["slug"] = slug
    consultation = create_from_definition(session, definition, status=status)
    session.commit()
    return consultation


def consultation_from(session: Session, definition: dict, status: str = "open") -> Consultation:
    consultation = create_from_definition(session, parse_definition_dict(definition), status=status)
    session.commit()
    return consultation


def parse_definition_dict(definition: dict) -> dict:
    import yaml

    return parse_definition(yaml.safe_dump(definition))


def user(session: Session, email: str = "fac@example.nhs.uk", role: str = "facilitator",
         consultations: tuple[Consultation, ...] = ()) -> User:
    u = create_user(session, email, PASSWORD, role)
    for c in consultations:
        session.add(ConsultationAccess(user_id=u.id, consultation_id=c.id))
    session.commit()
    return u


def signed_in_lead_with_answers(app, session, client, responses: int = 80) -> Consultation:
    """The demo consultation with sample responses, and its facilitator signed in; analysis runs
    inline so that a test sees its results at once."""
    from engage.sample_responses import add_sample_responses

    app.config["JOBS_INLINE"] = True
    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, responses)
    session.commit()
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    return consultation


def running_and_failed_runs(session: Session, like, why) -> tuple:
    """Two more analysis runs of ``like``'s consultation and questions: one running (at its
    sentiment step), one failed for the reason ``why`` (a ``surveys.wording.said`` message)."""
    from surveys import theme_runs
    from surveys.models import AnalysisRun

    same = {"consultation_id": like.consultation_id, "question_ids": like.question_ids}
    running = AnalysisRun(**same, status="running", step="Scoring sentiment", progress=0.7)
    failed = AnalysisRun(**same, status="queued")
    session.add_all([running, failed])
    session.flush()
    theme_runs.fail(session, failed, why)
    session.commit()
    return running, failed


def give_trade_off_points(session: Session, key: str, groups: dict[str, list[int]]) -> None:
    """Set the answers to trade-off ``key``: ``groups`` is each group's points, given in turn to
    the people who answered it, who join that group; its other answers are deleted, and everyone
    else is a patient."""
    question = session.exec(select(Question).where(Question.key == key)).one()
    answers = session.exec(select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)).all()
    given = [(group, point) for group, points in groups.items() for point in points]
    assert len(answers) >= len(given)
    for person in session.exec(select(Respondent)):
        person.segment = "patient"
        session.add(person)
    for answer, (group, point) in zip(answers, given, strict=False):
        answer.value = point
        session.get(Respondent, answer.respondent_id).segment = group
    for answer in answers[len(given):]:
        session.delete(answer)
    session.commit()
