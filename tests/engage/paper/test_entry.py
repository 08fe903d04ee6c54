"""Typing in paper and phone responses: the journey's checks, the channel kept everywhere, and a
second person's check."""

import csv
import io
import re

from sqlmodel import select

from surveys.models import AnalysisRun, Answer, AuditEvent, Question, Respondent, ResponseEntry

from ...factories import demo_consultation, signed_in_lead_with_answers
from ...journey_helpers import DEMO_ANSWERS, SLUG
from ..auth.conftest import sign_in

ENTRY = f"/manage/c/{SLUG}/entry/"


def paper_form(channel="paper", **changes) -> dict:
    data = {"channel": channel, "consent": "y"}
    for page in DEMO_ANSWERS.values():
        data.update(page)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_paper_response_is_saved_like_an_online_one(client, session, staff):
    consultation = demo_consultation(session)
    lead = staff("lead@example.nhs.uk", "facilitator", [consultation])
    sign_in(client, lead.email)
    assert "Type in a paper response" in client.get(ENTRY).get_data(as_text=True)
    form = client.get(ENTRY + "new?channel=paper").get_data(as_text=True)
    assert 'name="q-connection-vs-speed-before"' in form and 'value="paper" checked' in form

    # A staff-only page's answers, typed in for a patient, are ignored as the journey would.
    r = client.post(ENTRY + "new", data=paper_form(**{"q-staff-one-change": "Typed by mistake"}))
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    respondent = session.exec(select(Respondent)).one()
    assert (respondent.channel, respondent.segment) == ("paper", "patient")
    assert respondent.submitted_at is not None and respondent.consent_at is not None
    assert respondent.resume_token_hash is None
    stored = {q.key: a for a, q in session.exec(select(Answer, Question).join(Question)).all()}
    assert stored["new-vs-existing"].value == 2
    assert "[phone number]" in stored["fix-one-thing"].text_redacted  # redacted like any answer
    assert "staff-one-change" not in stored
    entry = session.get(ResponseEntry, respondent.id)
    assert entry.entered_by == lead.id and entry.checked_by is None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.enter")).one()
    assert event.detail["channel"] == "paper" and "reference" not in event.detail
    listing = client.get(ENTRY).get_data(as_text=True)
    assert f"{ENTRY}{respondent.id}/check" in listing
    assert respondent.reference not in listing  # staff never see reference codes


def test_the_journeys_checks_apply_and_nothing_is_half_saved(client, session, staff):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.post(ENTRY + "new", data=paper_form(channel="phone", **{
        "q-new-vs-existing": None, "consent": None, "q-technology-budget-share-new-pilots": "50"}))
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "Confirm that the person agreed to take part" in page
    assert "Select where you stand between" in page  # a required trade-off left empty (by phone)
    assert "add up" in page  # the budget does not add up to 100
    assert 'value="phone-call" checked' in page or "phone-call" in page  # what was typed is kept
    assert session.exec(select(Respondent)).all() == []
    r = client.post(ENTRY + "new", data=paper_form(channel="fax"))
    assert r.status_code == 400 and session.exec(select(Respondent)).all() == []


def test_a_second_person_checks_it_but_not_the_one_who_typed_it(client, session, staff):
    consultation = demo_consultation(session)
    staff("lead@example.nhs.uk", "facilitator", [consultation])
    staff("second@example.nhs.uk", "facilitator", [consultation])
    sign_in(client, "lead@example.nhs.uk")
    client.post(ENTRY + "new", data=paper_form(channel="phone"))
    respondent = session.exec(select(Respondent)).one()
    check = f"{ENTRY}{respondent.id}/check"
    page = client.get(check).get_data(as_text=True)
    assert "someone else needs to check it" in page and "[phone number]" in page and "07700" not in page
    r = client.post(check)
    assert r.status_code == 400 and "you typed it in" in r.get_data(as_text=True)

    client.post("/account/sign-out")
    sign_in(client, "second@example.nhs.uk")
    assert client.post(check).status_code == 302
    session.expire_all()
    entry = session.get(ResponseEntry, respondent.id)
    assert entry.checked_by is not None and entry.checked_at is not None
    assert "Checked by second@example.nhs.uk" in client.get(ENTRY).get_data(as_text=True)
    assert client.post(check).status_code == 400  # once only


def test_paper_and_phone_responses_show_their_channel_in_views_analysis_and_exports(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    for channel in ("paper", "phone"):
        assert client.post(ENTRY + "new", data=paper_form(channel=channel)).status_code == 302
    responses = client.get(f"/manage/c/{SLUG}/responses").get_data(as_text=True)
    assert ">Paper<" in responses and ">Phone<" in responses
    only_paper = client.get(f"/manage/c/{SLUG}/responses?channel=paper").get_data(as_text=True)
    assert 'value="paper" selected' in only_paper
    paper = session.exec(select(Respondent).where(Respondent.channel == "paper")).one()
    assert "Paper" in client.get(f"/manage/c/{SLUG}/responses/r/{paper.id}").get_data(as_text=True)

    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text",
                                                              Question.consultation_id == consultation.id))]
    assert client.post(f"/manage/{SLUG}/themes/", data={"questions": qids}).status_code == 302
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/manage/{SLUG}/themes/{run.id}/answers.csv").get_data(as_text=True))))
    assert {"Paper", "Phone"} <= {row["Channel"] for row in rows}


def test_the_pairs_to_type_in_are_the_pairs_printed_on_the_paper(client, session, staff):
    """The entry screen used to draw its own pairs, so staff could not type in what was ticked."""
    from surveys.types import get_type

    from ...factories import consultation_from
    from .test_printable import PAIRS

    consultation = consultation_from(session, PAIRS)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    q = session.exec(select(Question).where(Question.key == "matters")).one()
    printed = get_type(q.type).paper_pairs(q)
    entry = f"/manage/c/{consultation.slug}/entry/new"
    for _ in range(3):  # the same every time the screen is opened
        page = client.get(entry).get_data(as_text=True)
        shown = [tuple(v.split(":")) for v in re.findall(r'name="q-matters-pair-\d+" value="([^"]+)"', page)]
        assert shown == [tuple(p) for p in printed]
    ticks = {f"q-matters-pair-{i}": f"{a}:{b}" for i, (a, b) in enumerate(printed)}
    ticks |= {f"q-matters-pick-{i}": a for i, (a, _b) in enumerate(printed)}
    response = client.post(entry, data={"channel": "paper", "consent": "y", **ticks})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    answer = session.exec(select(Answer).where(Answer.question_id == q.id)).one()
    assert [tuple(j[:2]) for j in answer.value] == [tuple(p) for p in printed]
    assert [j[2] for j in answer.value] == [a for a, _b in printed]


def test_a_question_left_blank_on_paper_is_typed_in_as_blank(client, session, staff):
    """The person left a question the form asked them to answer blank, or a page is missing: the
    typist cannot ask them, and must not make an answer up. The rest is still checked."""
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    blank = {"q-new-vs-existing": None, "q-connection-vs-speed-before": None,
             "q-connection-vs-speed-before-why": None}
    r = client.post(ENTRY + "new", data=paper_form(**blank, **{"q-technology-budget-share-new-pilots": "50"}))
    assert r.status_code == 400 and "add up" in r.get_data(as_text=True)  # what was written is checked
    assert "Select where you stand between" not in r.get_data(as_text=True)
    r = client.post(ENTRY + "new", data=paper_form(**blank))
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    respondent = session.exec(select(Respondent)).one()
    assert respondent.channel == "paper" and respondent.submitted_at is not None
    stored = {q.key for _a, q in session.exec(select(Answer, Question).join(Question)).all()}
    assert "new-vs-existing" not in stored and "connection-vs-speed-before" not in stored
    assert "nhs-app-use" in stored
    session.expire_all()  # the question itself is unchanged
    assert session.exec(select(Question).where(Question.key == "new-vs-existing")).one().required


def test_a_finished_response_with_no_group_is_counted_as_not_given(client, session, staff):
    """A paper form whose group was left blank is finished: its group is 'Not given', not 'yet'."""
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.post(ENTRY + "new", data=paper_form(**{"q-role": ""}))
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    page = client.get(f"/manage/c/{SLUG}/responses").get_data(as_text=True)
    by_group = page[page.index("By group"):]
    assert re.search(r"Not given\s*</th>\s*<td[^>]*>\s*(<span[^>]*>[^<]*</span>)?\s*1\s*<", by_group)
    assert "Not given yet" not in page


def test_the_title_of_an_entry_saved_empty_says_error_once(client, session, staff):
    """Saving an empty form gave the page the title "Error: Error: Type in a response – …"."""
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.post(ENTRY + "new", data={})
    assert r.status_code == 400
    title = re.search(r"<title>(.*?)</title>", r.get_data(as_text=True), re.S).group(1).strip()
    assert title.startswith("Error: Type in a response") and title.count("Error:") == 1, title
