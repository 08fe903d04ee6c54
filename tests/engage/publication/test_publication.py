"""'You said, we did': drafts, preview, publish and unpublish (audited), small groups left out,
only approved redacted quotes, and a withdrawn person's quote gone from the published page."""

import re
from datetime import date

import pytest
from sqlmodel import select

from surveys.models import Answer, AuditEvent, PublicationVersion, Question, Respondent, Theme

from ...factories import (
    consultation_from,
    demo_consultation,
    give_trade_off_points,
    signed_in_lead_with_answers,
)
from ...journey_helpers import SLUG
from ..auth.conftest import sign_in

COMPOSE = f"/manage/c/{SLUG}/publication/"
PUBLIC = f"/c/{SLUG}/outcome"
#: A day to report back by that is still to come (a day gone is refused).
NEXT_YEAR = date.today().year + 1


@pytest.fixture
def analysed(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text"))]
    assert client.post(f"/manage/{SLUG}/themes/", data={"questions": qids}).status_code == 302
    return consultation


def offered(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="checkbox" value="([^"]+)"', page)


def compose(client, **changes):
    page = client.get(COMPOSE).get_data(as_text=True)
    themes, quotes = offered(page, "themes"), offered(page, "quotes")
    data = {"heard": "Most of you want a **person** to talk to.", "will_do": "We will keep phone lines open.",
            "report_back_by": f"{NEXT_YEAR}-03-31",
            "questions": ["connection-vs-speed-before", "nhs-app-use"],
            "themes": themes[:2], "quotes": quotes[:1]}
    data.update(changes)
    r = client.post(COMPOSE, data=data)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    return data, r.headers["Location"]


def test_compose_preview_publish_and_unpublish(client, session, analysed):
    data, preview_url = compose(client)
    assert preview_url.endswith("/publication/1/preview")
    quote = session.get(Answer, int(data["quotes"][0])).text_redacted
    preview = client.get(preview_url).get_data(as_text=True)
    assert "Preview" in preview and "<strong>person</strong>" in preview and "Publish version 1" in preview
    assert quote in preview and f"31 March {NEXT_YEAR}" in preview
    assert client.get(PUBLIC).status_code == 404  # a draft is not public
    assert "You said, we did" not in client.get(f"/c/{SLUG}/").get_data(as_text=True)

    assert client.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 302
    page = client.get(PUBLIC).get_data(as_text=True)
    assert "We will keep phone lines open." in page and quote in page
    assert "60 people sent us their answers" in page
    assert "Answers to: How often do you use the NHS App?" in page  # a chart's data table
    assert "You said, we did" in client.get(f"/c/{SLUG}/").get_data(as_text=True)  # linked from the start

    # A new draft does not change the public page until it is published.
    compose(client, will_do="We will also add evening appointments.")
    assert "evening appointments" not in client.get(PUBLIC).get_data(as_text=True)
    client.post(f"/manage/c/{SLUG}/publication/2/publish")
    assert "evening appointments" in client.get(PUBLIC).get_data(as_text=True)
    statuses = {v.number: v.status for v in session.exec(select(PublicationVersion))}
    assert statuses == {1: "retired", 2: "published"}

    client.post(f"/manage/c/{SLUG}/publication/unpublish")
    assert client.get(PUBLIC).status_code == 404
    events = [(e.action, e.detail) for e in session.exec(select(AuditEvent).where(
        AuditEvent.action.startswith("publication.")).order_by(AuditEvent.id))]
    assert events == [("publication.save", {"version": 1}),
                      ("publication.publish", {"version": 1, "replaced": None}),
                      ("publication.save", {"version": 2}),
                      ("publication.publish", {"version": 2, "replaced": 1}),
                      ("publication.unpublish", {"version": 2})]


def test_only_approved_quotes_and_never_a_safeguarding_answer(client, session, analysed):
    page = client.get(COMPOSE).get_data(as_text=True)
    candidates = [int(a) for a in offered(page, "quotes")]
    flagged = {a.id for a in session.exec(select(Answer).where(Answer.safeguarding.is_(True)))}
    assert candidates and not set(candidates) & flagged
    data, _ = compose(client, quotes=[str(candidates[0])])
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    public = client.get(PUBLIC).get_data(as_text=True)
    assert session.get(Answer, candidates[0]).text_redacted in public
    for other in candidates[1:]:
        text = session.get(Answer, other).text_redacted
        if text != session.get(Answer, candidates[0]).text_redacted:
            assert text not in public


def test_withdrawal_after_publication_removes_the_quote(client, session, analysed):
    data, _ = compose(client)
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    answer = session.get(Answer, int(data["quotes"][0]))
    quote, gone = answer.text_redacted, answer.id
    assert quote in client.get(PUBLIC).get_data(as_text=True)
    reference = session.get(Respondent, answer.respondent_id).reference
    assert client.post(f"/c/{SLUG}/withdraw", data={"reference": reference}).status_code == 200
    assert quote in client.get(PUBLIC).get_data(as_text=True)  # not until the person confirms
    r = client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert "Your answers have been deleted" in r.get_data(as_text=True)
    assert quote not in client.get(PUBLIC).get_data(as_text=True)
    # The approval itself is gone with the answer, so a later answer given the same id is never shown.
    session.expire_all()
    published = session.exec(select(PublicationVersion).where(PublicationVersion.status == "published")).one()
    assert [int(i) for i in published.quote_answer_ids] == [int(i) for i in data["quotes"] if int(i) != gone]


def test_small_groups_are_left_out(app, client, session, analysed):
    app.config["MIN_GROUP_SIZE"] = 1000
    compose(client)
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    page = client.get(PUBLIC).get_data(as_text=True)
    assert "Fewer than 1000 people have taken part" in page
    assert "Answers to:" not in page and "engage-quote" not in page


def test_trade_offs_by_group_leave_out_small_groups(app, client, session, analysed):
    compose(client, questions=["connection-vs-speed-before"])
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    groups = {r.segment for r in session.exec(select(Respondent))}
    counts = {g: len([r for r in session.exec(select(Respondent)) if r.segment == g]) for g in groups}
    page = client.get(PUBLIC).get_data(as_text=True)
    table = page.split("Answers to: ")[1].split("</table>")[0]
    assert "Everyone (" in table
    labels = {o["key"]: o["label"] for o in session.exec(select(Question).where(Question.is_segment)).one()
              .config["options"]}
    for group, n in counts.items():
        if group in labels and n < 5:
            assert f"{labels[group]} ({n})" not in table, (group, n)
    assert not [n for n in cells(table) if 0 < n < 5], table


def trade_off_table(client, session, groups: dict[str, list[int]]) -> str:
    """Publish the trade-off chart after giving its answers: ``groups`` is each group's points, in
    turn over the people who answered it (everyone else is a patient); return its data table."""
    give_trade_off_points(session, "connection-vs-speed-before", groups)
    compose(client, questions=["connection-vs-speed-before"])
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    page = client.get(PUBLIC).get_data(as_text=True)
    return page.split("Answers to: ")[1].split("</table>")[0]


def cells(table: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\w(])(\d+)\s*\(\d+%\)", table)]


def test_a_trade_off_by_group_never_counts_a_point_of_fewer_than_five(client, session, analysed):
    """Each group of 5 or more was charted at its seven points: "NHS staff (30)" with 2 at one
    point, 1 at another, so those people could be counted. The points are joined into three sides
    when any would single someone out."""
    staff = [-3] * 8 + [-2] * 2 + [-1] * 1 + [0] * 6 + [1] * 3 + [2] * 6 + [3] * 4
    patients = [-3] * 6 + [-2] * 6 + [-1] * 5 + [0] * 5 + [1] * 1 + [2] * 3 + [3] * 4
    table = trade_off_table(client, session, {"staff": staff, "patient": patients})
    assert "I work for the NHS (30)" in table, table
    assert "Leaned towards human connection" in table and "Leaned towards faster diagnosis" in table
    # staff 11, 6 and 13; patients 17, 5 and 8; everyone 28, 11 and 21
    assert sorted(cells(table)) == sorted([28, 11, 21, 17, 5, 8, 11, 6, 13]), table
    assert "joined into three" in client.get(PUBLIC).get_data(as_text=True)


def test_a_group_whose_sides_would_single_someone_out_is_left_out(client, session, analysed):
    """Staff with 2 in the middle: hidden, and the patients with them (everyone less the patients
    would give the 2 away); everyone is still shown, at seven points where each has 5 or more."""
    staff = [-3] * 7 + [-2] * 7 + [0] * 2 + [2] * 7 + [3] * 7
    patients = [-1] * 5 + [0] * 3 + [1] * 5 + [-3] * 1 + [3] * 1
    table = trade_off_table(client, session, {"staff": staff, "patient": patients})
    assert "Everyone (45)" in table
    assert not [n for n in cells(table) if 0 < n < 5], table
    assert "(30)" not in table and "(15)" not in table, table


def test_only_facilitators_of_the_consultation_compose(client, session, staff):
    demo_consultation(session)
    sign_in(client, staff("other@example.nhs.uk", "facilitator").email)
    assert client.get(COMPOSE).status_code == 403
    assert client.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 403


def test_themes_offered_are_top_level(client, session, analysed):
    page = client.get(COMPOSE).get_data(as_text=True)
    ids = [int(t) for t in offered(page, "themes")]
    assert ids and all(session.get(Theme, t).parent_id is None for t in ids)


EVERY_TYPE = {
    "slug": "every-type", "title": "Every type", "summary": "All of them.", "consent_text": "You agree.",
    "pages": [{"key": "all", "title": "Questions", "kind": "questions", "questions": [
        {"key": "role", "type": "choice", "prompt": "Who are you?", "segment": True,
         "config": {"options": [{"key": "patient", "label": "A patient"},
                                {"key": "staff", "label": "Staff"}]}},
        {"key": "balance", "type": "tradeoff", "prompt": "Talk or speed?",
         "config": {"left": "Talking", "right": "Speed"}},
        {"key": "agree", "type": "likert", "prompt": "The app helps."},
        {"key": "uses", "type": "multi", "prompt": "What do you use?",
         "config": {"options": [{"key": "app", "label": "The app"}, {"key": "phone", "label": "Phone"}]}},
        {"key": "order", "type": "rank", "prompt": "Put these in order.",
         "config": {"options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]}},
        {"key": "budget", "type": "allocate", "prompt": "Share 100 points.",
         "config": {"total": 100, "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]}},
        {"key": "matters", "type": "pairwise", "prompt": "Which matters more?",
         "config": {"pairs": 1, "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]}},
        {"key": "else", "type": "text", "prompt": "Anything else?"}]}],
}


def test_charts_offered_are_counts_of_answers(client, session, staff):
    """Scales and options are charted (the segment question is shown as the groups); an order,
    amounts, pairs judged and written words are not."""
    consultation = consultation_from(session, EVERY_TYPE)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    page = client.get(f"/manage/c/{consultation.slug}/publication/").get_data(as_text=True)
    assert offered(page, "questions") == ["balance", "agree", "uses"]


def test_who_took_part_gives_no_small_group_that_the_total_would_give_away(client, session, analysed):
    """"60 people sent us their answers" over each group's count: with one group of fewer than 5
    hidden alone, it was the total less the others. The next smallest is hidden with it, and a
    hidden count is "Not shown", never "Fewer than 5" (it may be more)."""
    people = session.exec(select(Respondent).order_by(Respondent.id)).all()
    for i, person in enumerate(people):  # 2 carers, 6 of the public, the rest patients and staff
        person.segment = "carer" if i < 2 else "public" if i < 8 else "patient" if i % 2 else "staff"
        session.add(person)
    session.commit()
    compose(client)
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    page = client.get(PUBLIC).get_data(as_text=True)
    took_part = page.split("Who took part")[1].split("What we heard")[0]
    rows = dict(re.findall(r'<dt class="nhsuk-summary-list__key"\s*>\s*(.*?)\s*</dt>\s*'
                           r'<dd class="nhsuk-summary-list__value"\s*>\s*(.*?)\s*</dd>', took_part, re.S))
    labels = {o["key"]: o["label"] for o in session.exec(select(Question).where(Question.is_segment)).one()
              .config["options"]}
    assert rows.get(labels["carer"]) == "Not shown" and rows.get(labels["public"]) == "Not shown", rows
    assert rows[labels["patient"]] == "26" and rows[labels["staff"]] == "26"
    assert "Fewer than 5" not in took_part and "neither is one more" in took_part


def test_a_day_to_report_back_by_that_has_gone_is_refused(client, session, analysed):
    """It was saved, and the public page promised "We will tell you what we have done by 1 January
    1900"."""
    page = client.get(COMPOSE).get_data(as_text=True)
    r = client.post(COMPOSE, data={"heard": "Heard", "will_do": "Will do", "report_back_by": "1900-01-01",
                                   "themes": offered(page, "themes")[:1]})
    assert r.status_code == 400
    said = r.get_data(as_text=True)
    assert "Enter a date that is today or later" in said and 'href="#report_back_by"' in said
    assert session.exec(select(PublicationVersion)).all() == []


def test_the_title_of_a_form_with_an_error_says_error_once(client, session, analysed):
    """A date typed as words gave the page the title "Error: Error: You said, we did – …"."""
    r = client.post(COMPOSE, data={"heard": "Heard", "will_do": "Will do", "report_back_by": "next March"})
    assert r.status_code == 400
    title = re.search(r"<title>(.*?)</title>", r.get_data(as_text=True), re.S).group(1).strip()
    assert title.startswith("Error: You said, we did") and title.count("Error:") == 1, title


def test_a_trade_off_asked_at_the_start_and_the_end_is_told_apart(client, session, analysed):
    """The same trade-off asked twice was offered twice under one name, and the public page had two
    identical chart headings; each now says when it was asked."""
    page = client.get(COMPOSE).get_data(as_text=True)
    labels = dict(re.findall(
        r'name="questions" type="checkbox" value="([^"]+)"[^>]*>\s*<label[^>]*>\s*(.*?)\s*</label>',
        page, re.S))
    before, after = labels["connection-vs-speed-before"], labels["connection-vs-speed-after"]
    assert before.endswith("(at the start)") and after.endswith("(at the end)"), labels
    compose(client, questions=["connection-vs-speed-before", "connection-vs-speed-after"])
    client.post(f"/manage/c/{SLUG}/publication/1/publish")
    headings = re.findall(r"<h4>(.*?)</h4>", client.get(PUBLIC).get_data(as_text=True), re.S)
    assert before in headings and after in headings, headings
