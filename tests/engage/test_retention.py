"""`engage purge` deletes responses once a consultation's retention period has passed."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from engage.cli import main
from engage.sample_responses import add_sample_responses
from surveys.models import Answer, AuditEvent, Respondent, utcnow

from ..factories import demo_consultation


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_purge_deletes_only_expired_consultations(runner, session):
    expired = demo_consultation(session, status="closed")
    expired.closes_at = utcnow() - timedelta(days=expired.retention_days + 1)
    current = demo_consultation(session, status="closed", slug="still-kept")
    current.closes_at = utcnow() - timedelta(days=1)
    session.add_all([expired, current])
    add_sample_responses(session, expired, 5)
    add_sample_responses(session, current, 4, seed=3)
    session.commit()
    dry = runner.invoke(main, ["purge", "--dry-run"])
    assert "Would delete 5 responses to technology-in-the-nhs" in dry.output
    assert count(session, Respondent) == 9
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 5 responses to technology-in-the-nhs" in result.output
    session.expire_all()
    left = session.exec(select(Respondent.consultation_id)).all()
    assert set(left) == {current.id} and len(left) == 4
    assert count(session, Answer) > 0  # the kept consultation's answers
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
    again = runner.invoke(main, ["purge"])
    assert "Nothing to delete" in again.output
    # The daily purge also refreshes the planner's statistics (SQLite keeps none unless asked).
    if session.connection().dialect.name == "sqlite":
        analysed = session.exec(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'answer'")).one()[0]
        assert analysed > 0
    else:
        analysed = session.exec(text("SELECT last_analyze FROM pg_stat_user_tables "
                                     "WHERE relname = 'answer'")).one()[0]
        assert analysed is not None


@pytest.mark.parametrize("old_email", [False, True])
def test_a_consultation_whose_answers_could_not_be_deleted_fails_the_purge(runner, session, monkeypatch,
                                                                          old_email):
    """The rest of the purge is done (an old failed email deleted too), but the command exits
    non-zero, so the scheduler reports that answers due for deletion are still kept."""
    from surveys import outbox, retention

    expired = demo_consultation(session, status="closed")
    expired.closes_at = utcnow() - timedelta(days=expired.retention_days + 1)
    session.add(expired)
    add_sample_responses(session, expired, 3)
    if old_email:
        old = outbox.add_message(session, "analysis", "fac@example.nhs.uk", "Old", "Body")
        old.status, old.created_at = "failed", utcnow() - outbox.KEEP_FAILED - timedelta(days=1)
    session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(retention, "purge", broken)
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Error: could not delete the responses to technology-in-the-nhs: disk I/O error" in result.output
    assert ("Deleted 1 emails that failed more than 30 days ago" in result.output) is old_email
    assert "The responses to technology-in-the-nhs could not be deleted" in result.output
    session.expire_all()
    assert count(session, Respondent) == 3


def test_a_retention_period_too_long_for_the_calendar_never_stops_the_purge(runner, session):
    """One stored before the maximum was checked (2,000,000,000 days: no date that far exists) is
    kept, with a warning; every other consultation's answers are still deleted on time."""
    expired = demo_consultation(session, status="closed")
    expired.closes_at = utcnow() - timedelta(days=expired.retention_days + 1)
    endless = demo_consultation(session, status="closed", slug="kept-for-ever")
    endless.closes_at = utcnow() - timedelta(days=4000)
    endless.retention_days = 2_000_000_000
    session.add_all([expired, endless])
    add_sample_responses(session, expired, 3)
    add_sample_responses(session, endless, 2, seed=3)
    session.commit()
    dry = runner.invoke(main, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete 3 responses to technology-in-the-nhs" in dry.output
    assert "Warning: kept-for-ever keeps answers for 2,000,000,000 days" in dry.output
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 3 responses to technology-in-the-nhs" in result.output
    assert "kept-for-ever" not in result.output.replace("Warning: kept-for-ever", "")
    session.expire_all()
    assert set(session.exec(select(Respondent.consultation_id)).all()) == {endless.id}


def test_purge_deletes_disclosures_held_for_the_lead_once_the_period_has_passed(app, runner, session):
    """The lead has had the whole retention period: a disclosure held after its writer took their
    answers back goes with the rest, even when no response to the consultation is left."""
    import copy

    from surveys.models import HeldDisclosure

    from ..journey_helpers import DEMO_ANSWERS, SLUG, complete

    consultation = demo_consultation(session)
    answers = copy.deepcopy(DEMO_ANSWERS)
    answers["people-and-ai"]["q-what-matters-most"] = "My carer hit me again"
    reference = complete(app.test_client(), answers=answers)
    app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert count(session, HeldDisclosure) == 1 and count(session, Respondent) == 0
    session.expire_all()
    consultation = session.get(type(consultation), consultation.id)
    consultation.status = "closed"
    consultation.closes_at = utcnow() - timedelta(days=consultation.retention_days + 1)
    session.add(consultation)
    session.commit()
    # It says what goes: no response is left, but a disclosure is ("Deleted 0 responses" hid it).
    said = "0 responses and 1 disclosure held for the safeguarding leads to technology-in-the-nhs"
    dry = runner.invoke(main, ["purge", "--dry-run"])
    assert f"Would delete {said}" in dry.output, dry.output
    assert count(session, HeldDisclosure) == 1
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert f"Deleted {said}" in result.output, result.output
    session.expire_all()
    assert count(session, HeldDisclosure) == 0
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
    assert event.detail["disclosures"] == 1 and event.detail["responses"] == 0
