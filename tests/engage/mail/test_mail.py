"""Every email through a real SMTP server on loopback: resume link, receipt, analysis finished,
safeguarding alert; retries after a refusal; failures shown to admins; nothing without SMTP."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from engage.cli import main
from engage.worker import run as run_worker
from surveys import job_queue, outbox
from surveys.models import Answer, Job, OutboxMessage, Question, utcnow

from ...factories import demo_consultation, signed_in_lead_with_answers, user
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin, complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..auth.conftest import sign_in


def outbox_size(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(OutboxMessage)).one()


@pytest.fixture
def mailing(app, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    return smtp_server


def test_resume_link_by_email(client, session, mailing):
    demo_consultation(session)
    begin(client)
    page = client.get(f"/c/{SLUG}/save").get_data(as_text=True)
    link = re.search(r'id="resume-link">([^<]+)<', page).group(1)
    # "<script>@x.com" was taken for an address: a person's is held to the accounts' own rule.
    for wrong in ("not an address", "<script>@x.com", "a@b", "x@@y.com", "x@example.com;drop"):
        r = client.post(f"/c/{SLUG}/save/email", data={"email": wrong})
        assert r.status_code == 400 and "correct format" in r.get_data(as_text=True), wrong
    assert outbox_size(session) == 0
    r = client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    assert r.status_code == 200 and "We are sending the email" in r.get_data(as_text=True)
    [message] = mailing.to("person@example.com")
    assert message["from"] == "engage@trust.example.nhs.uk"
    assert link in message["body"] and "carry on" in message["subject"]
    assert outbox_size(session) == 0  # the address is not kept once sent


def test_receipt_with_reference_code(client, session, mailing):
    demo_consultation(session)
    reference = complete(client)
    assert "Email me my reference code" in client.get(f"/c/{SLUG}/done").get_data(as_text=True)
    r = client.post(f"/c/{SLUG}/done/email", data={"email": "person@example.com"})
    assert r.status_code == 200
    [message] = mailing.to("person@example.com")
    assert reference in message["body"] and f"/c/{SLUG}/withdraw" in message["body"]
    assert outbox_size(session) == 0


def test_analysis_finished_goes_to_the_facilitator_who_started_it(app, client, session, mailing):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    assert client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids}).status_code == 302
    [message] = mailing.to("lead@example.nhs.uk")
    assert message["subject"] == f"Your analysis has finished: {consultation.title}"
    assert f"/manage/{consultation.slug}/themes/" in message["body"]


def test_new_safeguarding_flag_tells_the_leads_without_the_words(app, client, session, mailing):
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk", "deputy@example.nhs.uk"})
    demo_consultation(session)
    answers = {k: dict(v) for k, v in DEMO_ANSWERS.items()}
    answers["technology-budget"]["q-fix-one-thing"] = "My carer hit me and I am frightened at home"
    complete(client, answers=answers)
    for lead in ("lead@example.nhs.uk", "deputy@example.nhs.uk"):
        [message] = mailing.to(lead)
        assert "may show that someone is at risk" in message["body"]
        assert "/manage/safeguarding" in message["body"]
        assert "frightened" not in message["body"] and "carer" not in message["body"]
    assert len(mailing.messages) == 2  # once, not again when the person submits


def _answer_until(client, key: str, text: str) -> str:
    """Answer the demo's pages up to and including ``key``, writing ``text`` in its box; returns
    that page's address."""
    location = begin(client)
    while True:
        page = location.rsplit("/p/", 1)[1].split("?")[0]
        data = dict(DEMO_ANSWERS.get(page, {}))
        if page == key:
            data["q-fix-one-thing"] = text
        response = client.post(location, data=data)
        assert response.status_code == 302
        if page == key:
            return location.split("?")[0]
        location = response.headers["Location"]


def test_a_flagged_answer_rewritten_after_a_lead_dealt_with_it_tells_the_leads_again(
        app, client, session, mailing):
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    demo_consultation(session)
    page = _answer_until(client, "technology-budget", "My carer hit me and I am frightened at home")
    data = dict(DEMO_ANSWERS["technology-budget"])
    # Rewritten before any lead has read it: it waits on the list already, and they have been told.
    data["q-fix-one-thing"] = "My carer hit me again and I am frightened at home"
    assert client.post(f"{page}?change=1", data=data).status_code == 302
    assert len(mailing.to("lead@example.nhs.uk")) == 1
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()

    user(session, "lead@example.nhs.uk", "viewer")
    lead = app.test_client()
    sign_in(lead, "lead@example.nhs.uk")
    assert lead.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "no_action"}).status_code == 302
    assert "No answers are waiting" in lead.get("/manage/safeguarding").get_data(as_text=True)

    data["q-fix-one-thing"] = "My carer hit me again. Tonight I have the pills ready and I want to die"
    assert client.post(f"{page}?change=1", data=data).status_code == 302
    assert "Tonight I have the pills" in lead.get("/manage/safeguarding").get_data(as_text=True)
    first, again = mailing.to("lead@example.nhs.uk")
    assert "1 answer in " in again["body"] and "has been changed by the person who wrote it" in again["body"]
    assert "/manage/safeguarding" in again["body"] and "pills" not in again["body"]
    assert "new answer" not in again["body"]


def test_refused_once_then_sent(client, session, mailing):
    demo_consultation(session)
    begin(client)
    mailing.refuse = 1
    assert client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"}).status_code == 200
    assert len(mailing.to("person@example.com")) == 1 and mailing.refuse == 0
    assert outbox_size(session) == 0


def test_failure_is_shown_to_admins_without_the_message_and_can_be_tried_again(app, client, session, mailing):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    demo_consultation(session)
    begin(client)
    mailing.refuse = 2
    assert client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"}).status_code == 200
    assert mailing.messages == []
    failed = session.exec(select(OutboxMessage)).one()
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert "451" in failed.last_error

    admin = user(session, "admin@example.nhs.uk", "admin")
    client.post("/account/sign-out")
    sign_in(client, admin.email)
    page = client.get("/manage/admin/mail").get_data(as_text=True)
    assert "Link to carry on" in page and "Failed" in page and "Mailbox busy" in page
    assert "…@example.com" in page and "person@example.com" not in page  # the public's address masked
    assert "/resume/" not in page and "carry on answering" not in page  # never the body
    r = client.post(f"/manage/admin/mail/{failed.id}/retry")
    assert r.status_code == 302
    assert len(mailing.to("person@example.com")) == 1
    assert outbox_size(session) == 0
    assert "No email is waiting or failed" in client.get("/manage/admin/mail").get_data(as_text=True)


def test_nothing_sent_without_smtp_and_the_site_says_so(app, client, session, smtp_server):  # noqa: F811
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    demo_consultation(session)
    begin(client)
    page = client.get(f"/c/{SLUG}/save").get_data(as_text=True)
    assert "This site cannot send email" in page and "Email me the link" not in page
    r = client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    assert r.status_code == 404 and "cannot send email" in r.get_data(as_text=True)
    assert outbox_size(session) == 0
    client.post("/account/sign-out")
    sign_in(client, user(session, "admin@example.nhs.uk", "admin").email)
    assert "Email is not set up" in client.get("/manage/admin/mail").get_data(as_text=True)
    assert smtp_server.messages == []


def test_a_refused_email_waits_in_the_job_queue_and_the_worker_sends_it_when_due(app, client, session,
                                                                                 mailing):
    """Delivery is a job of `engage worker`'s queue; the next try is another job that no worker
    starts before its backoff has passed, so the worker is free meanwhile."""
    app.config.update(JOBS_INLINE=False, MAIL_RETRY_SECONDS=60)
    demo_consultation(session)
    begin(client)
    mailing.refuse = 1
    assert client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"}).status_code == 200
    assert mailing.messages == []  # nothing is sent by the web process
    [job] = session.exec(select(Job)).all()
    assert (job.task, job.status, job.run_after) == ("engage.mail.delivery:deliver", "queued", None)

    assert run_worker(app, burst=True) == 1  # refused: the next try is queued, not waited for
    assert mailing.messages == [] and mailing.refuse == 0
    session.expire_all()
    message = session.exec(select(OutboxMessage)).one()
    assert (message.status, message.attempts) == ("pending", 1)
    retry = session.exec(select(Job).where(Job.status == "queued")).one()
    assert retry.task == "engage.mail.delivery:deliver" and retry.args == [message.id]
    assert retry.run_after == message.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert run_worker(app, burst=True) == 0  # not due yet

    past = utcnow() - timedelta(seconds=1)
    session.exec(update(Job).where(Job.id == retry.id).values(run_after=past))
    session.exec(update(OutboxMessage).where(OutboxMessage.id == message.id).values(next_attempt_at=past))
    session.commit()
    assert run_worker(app, burst=True) == 1
    assert len(mailing.to("person@example.com")) == 1
    assert outbox_size(session) == 0


def test_with_redis_a_retry_is_handed_to_rqs_scheduler_for_when_it_is_due(app, session, redis_server):
    from redis import Redis
    from rq import Queue

    from engage.jobs import QUEUE, enqueue
    from engage.mail.delivery import deliver

    app.config.update(REDIS_URL=redis_server.url, JOBS_INLINE=False)
    connection = Redis.from_url(redis_server.url)
    connection.flushall()
    due = utcnow() + timedelta(minutes=2)
    enqueue(deliver, 12345, app=app, not_before=due)
    job = session.exec(select(Job)).one()
    assert (job.queue, job.run_after) == ("rq", due) and job.dispatched_at is not None
    queue = Queue(QUEUE, connection=connection)
    assert queue.count == 0  # not handed to a worker yet...
    assert queue.scheduled_job_registry.count == 1  # ...but to the scheduler, for when it is due


def test_a_delivery_job_that_stops_shows_the_email_as_failed(app, client, session, mailing, monkeypatch):
    app.config.update(JOBS_INLINE=False)
    demo_consultation(session)
    begin(client)
    client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})

    def broken(*_args):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr("engage.mail.transport.send", broken)
    assert run_worker(app, burst=True) == 1
    session.expire_all()
    message = session.exec(select(OutboxMessage)).one()
    assert message.status == "failed" and "something unforeseen" in message.last_error
    assert session.exec(select(Job.status)).all() == ["failed"]


def test_purge_deletes_email_that_failed_long_ago(session, runner):
    old = outbox.add_message(session, "analysis", "fac@example.nhs.uk", "Old", "Body")
    old.status, old.created_at = "failed", utcnow() - outbox.KEEP_FAILED - timedelta(days=1)
    recent = outbox.add_message(session, "analysis", "fac@example.nhs.uk", "Recent", "Body")
    recent.status = "failed"
    session.commit()
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Deleted 1 emails that failed more than 30 days ago" in result.output, result.output
    session.expire_all()
    assert session.exec(select(OutboxMessage.subject)).all() == ["Recent"]


def test_mail_settings_are_checked():
    import config

    assert config.load({"ENGAGE_ENV": "development", "SECRET_KEY": "x" * 40})["SMTP_HOST"] == ""
    settings = config.load({"SECRET_KEY": "x" * 40, "SMTP_HOST": "mail.trust.nhs.uk", "SMTP_SECURITY": "ssl",
                            "MAIL_FROM": "engage@trust.nhs.uk"})
    assert (settings["SMTP_PORT"], settings["SMTP_SECURITY"]) == (465, "ssl")
    with pytest.raises(config.ConfigError, match="SMTP_SECURITY must be one of"):
        config.load({"SECRET_KEY": "x" * 40, "SMTP_SECURITY": "tls-please"})
    with pytest.raises(config.ConfigError, match="MAIL_FROM"):
        config.load({"SECRET_KEY": "x" * 40, "SMTP_HOST": "mail.trust.nhs.uk"})


def test_purge_deletes_jobs_that_finished_long_ago(session, runner):
    """Each email and analysis leaves a job row; without this the table grows for ever."""
    now = utcnow()
    ages = {"done-old": ("done", job_queue.KEEP_DONE + timedelta(days=1)),
            "done-new": ("done", job_queue.KEEP_DONE - timedelta(days=1)),
            "failed-old": ("failed", job_queue.KEEP_FAILED + timedelta(days=1)),
            "failed-new": ("failed", job_queue.KEEP_FAILED - timedelta(days=1)),
            "queued": ("queued", None), "running": ("running", None)}
    for task, (status, age) in ages.items():
        job = job_queue.add(session, task, [])
        job.status, job.finished_at = status, (now - age) if age else None
    session.commit()
    result = runner.invoke(main, ["purge"])
    assert "Deleted 2 finished background jobs" in result.output, result.output
    session.expire_all()
    assert sorted(session.exec(select(Job.task)).all()) == ["done-new", "failed-new", "queued", "running"]


def test_a_queued_email_and_its_job_are_saved_together(app, client, session, mailing, monkeypatch):
    """The sending job is part of the transaction that saves the message: if the process stops the
    moment that commits (nothing more can be written), the message still has its job."""
    app.config["JOBS_INLINE"] = False
    demo_consultation(session)
    begin(client)

    def stopped(*_args, **_kwargs):
        raise SystemExit("the process stopped")

    monkeypatch.setattr("engage.jobs.unit_of_work", stopped)  # no second transaction can start
    try:
        client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    except SystemExit:
        pass
    session.expire_all()
    [message] = session.exec(select(OutboxMessage)).all()
    [job] = session.exec(select(Job)).all()
    assert job.args == [message.id] and job.status == "queued"
    monkeypatch.undo()
    assert run_worker(app, burst=True) == 1
    assert [m["subject"] for m in mailing.to("person@example.com")] == [message.subject]
