"""Times are stored in UTC and shown on UK clocks (GMT in winter, BST in summer), in the page's
language."""

from __future__ import annotations

import html
import re
import uuid
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from engage.i18n import uk_time
from surveys import workshops
from surveys.models import (
    AnalysisRun,
    Answer,
    AuditEvent,
    OutboxMessage,
    PublicationVersion,
    Question,
    Respondent,
    ResponseEntry,
    SafeguardingReview,
)

from ...factories import demo_consultation, user
from ..auth.conftest import sign_in
from ..workshop.helpers import all_answers, kiosk_token, make_workshop

SUMMER = datetime(2026, 7, 1, 13, 5)  # 14:05 on a UK clock (BST)
WINTER = datetime(2026, 1, 14, 13, 5)  # 13:05 on a UK clock (GMT)
LATE_JUNE = datetime(2026, 6, 30, 23, 30)  # already 00:30 on 1 July in the UK

#: (stored UTC time, as a sentence in English, in Welsh, in a table)
SEASONS = {
    "summer": (SUMMER, "1 July 2026 at 14:05", "1 Gorffennaf 2026 am 14:05", "2026-07-01 14:05"),
    "winter": (WINTER, "14 January 2026 at 13:05", "14 Ionawr 2026 am 13:05", "2026-01-14 13:05"),
    "after midnight": (LATE_JUNE, "1 July 2026 at 00:30", "1 Gorffennaf 2026 am 00:30", "2026-07-01 00:30"),
}


def text_of(response) -> str:
    """What a person reads on the page: its words without markup, spaces collapsed."""
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


# --- the helpers alone (no database) ---

def test_stored_times_are_shown_on_uk_clocks():
    assert uk_time(SUMMER).strftime("%Y-%m-%d %H:%M %Z") == "2026-07-01 14:05 BST"
    assert uk_time(WINTER).strftime("%Y-%m-%d %H:%M %Z") == "2026-01-14 13:05 GMT"
    assert uk_time(LATE_JUNE).date().isoformat() == "2026-07-01"


# --- pages, through HTTP ---

@pytest.fixture
def lead(app, session):
    """An admin who is also the safeguarding lead, with the demo consultation."""
    consultation = demo_consultation(session)
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    account = user(session, "lead@example.nhs.uk", "admin", consultations=(consultation,))
    return consultation, account


def _stored_at(session, consultation, account, at: datetime) -> Respondent:
    """A typed-in response sent at ``at``, with a flagged written answer reviewed then, an audit
    event, an email in the outbox, an analysis and a publication version, all made at ``at``."""
    person = Respondent(consultation_id=consultation.id, public_id=uuid.uuid4().hex, reference="UKTIME1",
                        channel="paper", started_at=at, submitted_at=at)
    session.add(person)
    session.flush()
    question = session.exec(select(Question).where(Question.type == "text")).first()
    answer = Answer(respondent_id=person.id, question_id=question.id, text="Words", text_redacted="Words",
                    safeguarding=True, updated_at=at)
    session.add(answer)
    session.flush()
    session.add_all([
        ResponseEntry(respondent_id=person.id, entered_by=account.id, entered_at=at),
        SafeguardingReview(answer_id=answer.id, outcome="no_action", user_id=account.id, reviewed_at=at),
        AuditEvent(at=at, action="uk_time.check", object_type="test"),
        OutboxMessage(kind="resume", recipient="person@example.com", subject="Link", body="…",
                      status="failed", created_at=at),
        AnalysisRun(consultation_id=consultation.id, status="done", metrics={"themes": 2, "answers": 1},
                    created_at=at),
        PublicationVersion(consultation_id=consultation.id, number=1, created_at=at),
    ])
    session.commit()
    return person


@pytest.mark.parametrize("season", SEASONS)
def test_workspace_pages_show_uk_time(client, session, lead, season):
    at, sentence, _, cell = SEASONS[season]
    consultation, account = lead
    person = _stored_at(session, consultation, account, at)
    sign_in(client, account.email)
    slug = consultation.slug
    sentences = {f"/manage/c/{slug}/responses/r/{person.id}": f"Sent {sentence}",
                 "/manage/safeguarding?show=dealt-with": f"sent {sentence}",
                 f"/manage/{slug}/themes/": sentence}
    for path, expected in sentences.items():
        assert expected in text_of(client.get(path)), path
    assert f"{account.email}, {sentence}." in text_of(client.get("/manage/safeguarding?show=dealt-with"))
    cells = {"/manage/admin/audit": cell + ":00 ", "/manage/admin/mail": cell,
             f"/manage/c/{slug}/entry/": cell, f"/manage/c/{slug}/publication/": cell}
    for path, expected in cells.items():
        page = text_of(client.get(path))
        assert expected in page, path
        assert "UTC" not in page, path
    assert "who, what, when (UK time)" in text_of(client.get("/manage/admin/audit"))


@pytest.mark.parametrize("season", SEASONS)
def test_welsh_workspace_pages_show_uk_time_in_welsh(client, session, lead, season):
    at, _, welsh, cell = SEASONS[season]
    consultation, account = lead
    person = _stored_at(session, consultation, account, at)
    sign_in(client, account.email)
    respondent = text_of(client.get(f"/manage/c/{consultation.slug}/responses/r/{person.id}?lang=cy"))
    assert f"Wedi'i anfon {welsh}" in respondent
    page = text_of(client.get("/manage/safeguarding?show=dealt-with&lang=cy"))
    assert f"anfonwyd {welsh}" in page and "UTC" not in page
    assert cell in text_of(client.get("/manage/admin/mail?lang=cy"))


@pytest.mark.parametrize(("closed", "shown"), [(SUMMER, "14:05"), (WINTER, "13:05")])
def test_the_workshop_page_says_when_it_closed_on_uk_clocks(app, client, session, lead, closed, shown):
    app.config["WORKSHOP_GRACE_MINUTES"] = 10
    consultation, account = lead
    workshop = make_workshop(session, consultation)
    workshops.close_workshop(session, workshop)
    workshop.closed_at = closed
    session.commit()
    sign_in(client, account.email)
    page = text_of(client.get(f"/workshop/manage/w/{workshop.id}/"))
    late = (datetime(2000, 1, 1, *map(int, shown.split(":"))) + timedelta(minutes=10)).strftime("%H:%M")
    assert f"Closed at {shown}. Late answers from tablets are accepted until {late}." in page
    assert "UTC" not in page


@pytest.mark.parametrize(("closed", "english", "welsh"), [
    (SUMMER, "at 14:15 (UK time) on 1 July 2026.", "am 14:15 (amser y DU) ar 1 Gorffennaf 2026."),
    (WINTER, "at 13:15 (UK time) on 14 January 2026.", "am 13:15 (amser y DU) ar 14 Ionawr 2026."),
])
def test_a_tablet_told_the_workshop_closed_hears_the_time_on_uk_clocks(app, client, session, lead, closed,
                                                                       english, welsh):
    app.config["WORKSHOP_GRACE_MINUTES"] = 10
    consultation, _ = lead
    workshop = make_workshop(session, consultation)
    workshops.close_workshop(session, workshop)
    workshop.closed_at = closed
    session.commit()
    for query, expected in (("", english), ("?lang=cy", welsh)):
        refused = client.post(f"/workshop/k/{workshop.join_code}/1/responses{query}",
                              json={"idempotency_key": str(uuid.uuid4()), "answers": all_answers()},
                              headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
        assert refused.status_code == 410
        assert expected in refused.json["message"] and "UTC" not in refused.json["message"]
