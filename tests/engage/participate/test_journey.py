"""The respondent journey through HTTP: every type stored right, errors, routing, resume, submit."""

import re
from html import unescape

import pytest
from sqlmodel import func, select

from surveys.models import Answer, Question, Respondent

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin, complete
from ..auth.conftest import sign_in, staff  # noqa: F401  (fixture)


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def answers_of(session, respondent_id):
    rows = session.exec(select(Question.key, Answer.value, Answer.text, Answer.text_redacted)
                        .join(Answer, Answer.question_id == Question.id)
                        .where(Answer.respondent_id == respondent_id)).all()
    return {k: (v, t, r) for k, v, t, r in rows}


def test_complete_journey_stores_typed_values(client, session, demo):
    reference = complete(client, role="patient")
    respondent = session.exec(select(Respondent)).one()
    assert respondent.reference == reference
    assert respondent.submitted_at is not None and respondent.segment == "patient"
    assert respondent.channel == "online" and respondent.consent_at is not None
    got = answers_of(session, respondent.id)
    assert got["role"][0] == "patient"
    assert got["connection-vs-speed-before"][:2] == (-2, "I want a person to talk to")
    assert got["new-vs-existing"][0] == 2
    assert got["technology-budget-share"][0] == {"fix-existing-systems": 40, "staff-training": 30,
                                                 "proven-new-technology": 20, "new-pilots": 10}
    assert got["technology-priorities"][0] == ["shared-records", "reliable-computers",
                                               "ai-scribes", "better-nhs-app"]
    assert got["success-measures"][:2] == (["safer-care", "other"], "Fewer letters lost")
    assert got["open-about-failure"][0] == 2
    assert got["person-makes-final-decision"][0] == 0  # don't know
    assert got["connection-vs-speed-after"][0] == 1
    # Free text is stored as written and as a redacted copy (the only one anyone reads).
    value, text, redacted = got["fix-one-thing"]
    assert value is None and "07700 900123" in text
    assert "07700" not in redacted and "[phone number]" in redacted
    # Optional question left empty: no row at all.
    assert "anything-else-text" not in got
    # Routing: a patient never sees the staff-only page.
    assert "staff-experience" not in complete.pages_seen
    assert "staff-one-change" not in got


def test_staff_are_routed_to_staff_page(client, session, demo):
    complete(client, role="staff")
    assert "staff-experience" in complete.pages_seen
    respondent = session.exec(select(Respondent)).one()
    assert answers_of(session, respondent.id)["staff-one-change"][1] == "Single sign-on"


def test_changing_segment_hides_page_and_its_answers_stay_out_of_check(client, session, demo):
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "staff"})
    client.post(f"/c/{SLUG}/p/staff-experience", data=DEMO_ANSWERS["staff-experience"])
    assert "Single sign-on" in client.get(f"/c/{SLUG}/check").data.decode()
    client.post(f"/c/{SLUG}/p/about-you?change=1", data={"q-role": "carer"})
    check = client.get(f"/c/{SLUG}/check").data.decode()
    assert "Single sign-on" not in check
    # The hidden page itself now sends the person to check answers.
    assert client.get(f"/c/{SLUG}/p/staff-experience").headers["Location"].endswith("/check")


def test_double_submit_stores_one_submission(client, session, demo):
    complete(client)
    again = client.post(f"/c/{SLUG}/submit")
    assert again.status_code == 302 and again.headers["Location"].endswith("/done")
    assert session.exec(select(func.count()).select_from(Respondent)
                        .where(Respondent.submitted_at.is_not(None))).one() == 1
    # Pages after submitting go to the confirmation, never a second response.
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 1


def test_required_answer_missing_blocks_submit(client, session, demo):
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "public"})
    response = client.post(f"/c/{SLUG}/submit")
    assert response.headers["Location"].endswith("/p/first-view?change=1")
    assert session.exec(select(Respondent)).one().submitted_at is None


def test_error_summary_and_nothing_half_saved(client, session, demo):
    begin(client)
    # A valid allocate and an over-long text on the same page: the page is refused whole.
    data = dict(DEMO_ANSWERS["technology-budget"], **{"q-fix-one-thing": "x" * 1501})
    response = client.post(f"/c/{SLUG}/p/technology-budget", data=data)
    html = response.data.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and 'href="#q-fix-one-thing"' in html
    assert "Your answer must be 1500 characters or fewer" in html
    assert "<title>Error:" in html
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0
    # What the person typed is kept in the form.
    assert 'value="40"' in html


def test_a_trade_off_reports_a_missing_choice_and_a_long_reason_together_choice_first(client, demo):
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "patient"})
    response = client.post(f"/c/{SLUG}/p/first-view", data={"q-connection-vs-speed-before-why": "x" * 1001})
    assert response.status_code == 400
    summary = response.get_data(as_text=True).split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    # Both at once (told of one only after fixing the other, the person would send the page twice),
    # in the page's order: the choice, then the reason under it.
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["q-connection-vs-speed-before", "q-connection-vs-speed-before-why"]
    assert "Select where you stand between" in summary and "1000 characters or fewer" in summary


def test_resume_link_brings_person_back(client, app, session, demo):
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "carer"})
    save = client.get(f"/c/{SLUG}/save").data.decode()
    link = save.split('id="resume-link">')[1].split("<")[0]
    assert "data:image/svg+xml" in save  # the QR code
    token = link.rsplit("/", 1)[1]
    respondent = session.exec(select(Respondent)).one()
    # Only a hash of the token is stored.
    assert token not in (respondent.resume_token_hash or "") and len(respondent.resume_token_hash) == 64
    other = app.test_client()  # a new browser
    response = other.get(link.replace("http://localhost", ""))
    assert response.headers["Location"].endswith(f"/c/{SLUG}/continue")
    response = other.get(response.headers["Location"])
    assert response.headers["Location"].endswith("/p/first-view")
    # The earlier answer is there to change.
    page = other.get(f"/c/{SLUG}/p/about-you").data.decode()
    assert 'value="carer" checked' in page


def test_resume_link_states_its_expiry_and_stops_working_after_it(client, app, session, demo):
    from datetime import timedelta

    from surveys.responses import RESUME_DAYS

    begin(client)
    respondent = session.exec(select(Respondent)).one()
    save = client.get(f"/c/{SLUG}/save").data.decode()
    expires = respondent.started_at + timedelta(days=RESUME_DAYS)
    assert f"The link works until <strong>{expires.day} {expires:%B %Y}</strong>" in save
    assert 'id="copy-link"' in save and "scan this code with your phone" not in save.lower()
    link = save.split('id="resume-link">')[1].split("<")[0].replace("http://localhost", "")
    # A closing date sooner than that is the date stated.
    demo.closes_at = respondent.started_at + timedelta(days=3)
    session.add(demo)
    session.commit()
    save = client.get(f"/c/{SLUG}/save").data.decode()
    assert f"The link works until <strong>{demo.closes_at.day} {demo.closes_at:%B %Y}</strong>" in save
    demo.closes_at = None
    session.add(demo)
    respondent.started_at -= timedelta(days=RESUME_DAYS + 1)
    session.add(respondent)
    session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.data.decode()


def test_bad_resume_token_is_not_found(client, demo):
    assert client.get(f"/c/{SLUG}/resume/not-a-token").status_code == 404


def test_expired_session_gets_clear_message(client, demo):
    response = client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "staff"})
    assert response.status_code == 400
    assert "could not find your answers in this browser" in response.data.decode()


def test_closed_consultation_refuses_answers(client, session, demo):
    begin(client)
    demo.status = "closed"
    session.add(demo)
    session.commit()
    response = client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "staff"})
    assert response.status_code == 410
    assert "This consultation has closed" in response.data.decode()
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0
    assert "This consultation has closed" in client.get(f"/c/{SLUG}/").data.decode()


def test_draft_consultation_is_not_public(client, session):
    demo_consultation(session, status="draft")
    assert client.get(f"/c/{SLUG}/").status_code == 404


def test_consent_is_required(client, session, demo):
    response = client.post(f"/c/{SLUG}/consent", data={})
    assert response.status_code == 400
    assert "Tick the box to say you want to take part" in response.data.decode()
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0


def test_results_only_after_answering_and_for_big_enough_groups(app, client, session, demo):
    assert client.get(f"/c/{SLUG}/results").status_code == 403
    complete(client)
    page = client.get(f"/c/{SLUG}/results").data.decode()
    assert "Not enough people have answered yet" in page
    for _ in range(5):
        complete(app.test_client())
    page = client.get(f"/c/{SLUG}/results").data.decode()
    assert "Not enough people" not in page
    # Six people all preferred human connection before the briefing: said in words, with a bar
    # in a data table (the figure is the table's, the bar is hidden from screen readers).
    assert "Most common answer: Leaned towards human connection (100% of people). 6 people answered." in page
    assert 'aria-hidden="true"' in page and "aria-labelledby=\"result-" in page
    # Answers no one chose are left out ("Something else 0 (0%)" was noise).
    assert "About once a month" in page and "Most weeks" not in page


def test_repeat_question_records_change(client, session, demo):
    complete(client)
    q_after = session.exec(select(Question).where(Question.key == "connection-vs-speed-after")).one()
    q_before = session.get(Question, q_after.repeat_of_id)
    assert q_before.key == "connection-vs-speed-before"
    respondent = session.exec(select(Respondent)).one()
    got = answers_of(session, respondent.id)
    assert got["connection-vs-speed-after"][0] - got["connection-vs-speed-before"][0] == 3


def test_copy_follows_nhs_content_style(client, session, demo):
    """Optional questions say so and required ones do not (as the consent page explains); an
    unanswered required question gets an NHS-style error; the privacy reminder appears once."""
    consent = client.get(f"/c/{SLUG}/consent").data.decode()
    assert "skip any question marked (optional)" in consent
    begin(client)
    response = client.post(f"/c/{SLUG}/p/about-you", data={})
    html = response.data.decode()
    assert response.status_code == 400
    assert "Select which of these best describes you" in html
    assert "Answer the question" not in html
    assert "Which of these best describes you? (optional)" not in html
    assert "How old are you? (optional)" in html
    html = client.get(f"/c/{SLUG}/p/technology-budget").data.decode()
    assert html.count("personal details") == 1
    assert "Do not include names or other personal details." in html


def test_an_unanswered_welsh_question_is_named_in_its_own_words(client, session, demo):
    # In Welsh the error said only "Dewiswch ateb" (select an answer) where English says which.
    client.get(f"/c/{SLUG}/consent?lang=cy")
    begin(client)
    response = client.post(f"/c/{SLUG}/p/about-you?lang=cy", data={})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Dewiswch pa un o'r rhain sy'n eich disgrifio orau" in html
    assert "Select which" not in html


def test_a_title_ending_in_a_question_mark_gets_no_extra_full_stop(client, session, staff):  # noqa: F811
    u = staff("builder@example.nhs.uk", "facilitator")
    sign_in(client, u.email)
    response = client.post("/manage/new", data={"slug": "why", "title": "What matters to you?",
                                                "retention_days": 30, "min_group_size": 5},
                           follow_redirects=True)
    html = response.data.decode()
    assert "Created What matters to you? Add its pages next." in html
    assert "?." not in html


def test_no_question_gives_the_same_instruction_twice(client, demo):
    """A question's own hint and the words its type adds ("Select up to 3.", "They must add up to
    exactly 100.") said the same thing twice: "Choose up to 3." then "Select up to 3."."""
    location = begin(client)
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        html = client.get(location).get_data(as_text=True)
        for fieldset in html.split("<fieldset")[1:]:
            words = " ".join(re.sub(r"<[^>]+>", " ", fieldset.split("</fieldset>")[0]).split())
            assert len(re.findall(r"\bup to \d+\b", words)) <= 1, (key, words[:300])
            assert words.count("add up to") <= 1, (key, words[:300])
        data = dict(DEMO_ANSWERS.get(key, {}), **({"q-role": "staff"} if key == "about-you" else {}))
        location = client.post(location, data=data).headers["Location"]
    assert location.endswith("/check")


@pytest.mark.parametrize(("lang", "keep", "done"), [
    ("en", "We keep your answers for 12 months after the consultation closes.",
     "while we keep them (365 days after the consultation closes)"),
    ("cy", "Rydyn ni'n cadw eich atebion am 12 mis ar ôl i'r ymgynghoriad gau.", "365 diwrnod"),
])
def test_the_demo_says_one_keeping_period_before_and_after(client, session, demo, lang, keep, done):
    # The consent page said "for 12 months" and the last page "365 days after the consultation
    # closes": from when, a person could not tell.
    def words(html):
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))

    consent = words(client.get(f"/c/{SLUG}/consent?lang={lang}").get_data(as_text=True))
    assert keep in consent
    complete(client)
    assert done in words(client.get(f"/c/{SLUG}/done?lang={lang}").get_data(as_text=True))
