"""The responses view: totals, funnel, channel and segment, closed-question summaries with charts,
before/after, written answers (redacted only) with search and paging, one respondent."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import func, select

from surveys import summaries, written_answers
from surveys.builder import pages_of, questions_of
from surveys.models import Answer, Respondent

from ...factories import demo_consultation
from ..auth.conftest import sign_in
from .fill import fill

N = 60


@pytest.fixture
def filled(session, staff):
    consultation = demo_consultation(session)
    fill(session, consultation, N, seed=3, batch=25)
    u = staff("viewer@example.nhs.uk", "viewer", [consultation])
    return consultation, u


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_totals_funnel_channel_and_segment_match_the_data(client, session, filled):
    consultation, u = filled
    sign_in(client, u.email)
    page = text(client.get(f"/manage/c/{consultation.slug}/responses"))
    completed = session.exec(select(func.count()).select_from(Respondent)
                             .where(Respondent.submitted_at.is_not(None))).one()
    assert f"<strong>{N}</strong> started, <strong>{completed}</strong> completed" in page
    staff_n = session.exec(select(func.count()).select_from(Respondent)
                           .where(Respondent.segment == "staff")).one()
    cell = r"\s*<td[^>]*>\s*(<span[^>]*>[^<]*</span>)?\s*"
    assert re.search(rf"I work for the NHS\s*</th>{cell}{staff_n}\s*<", page)
    # The funnel starts with everyone and, over the pages everyone is shown, never grows; a routed
    # page counts only the people routed to it, so it holds no more than the page before it.
    pages = pages_of(session, consultation)
    t = summaries.totals(session, consultation, pages, summaries.Filters())
    reached = [n for _, n in t["funnel"]]
    shown_to_all = [n for p, n in t["funnel"] if not p.show_if]
    assert reached[0] == N and shown_to_all == sorted(shown_to_all, reverse=True)
    assert reached[-1] >= completed
    routed = [(before, n) for before, (p, n) in zip(reached[:-1], t["funnel"][1:], strict=True) if p.show_if]
    assert routed and all(n <= before for before, n in routed)
    assert any(n < before for before, n in routed)  # not everyone is routed to the staff page
    online = summaries.totals(session, consultation, pages, summaries.Filters(channel="online"))
    assert online["started"] == t["channels"]["online"]["started"]
    # Filtering by segment through the page.
    page = text(client.get(f"/manage/c/{consultation.slug}/responses?segment=staff"))
    assert f"<strong>{staff_n}</strong> started" in page


def test_tradeoff_summary_by_segment_and_before_after(client, session, filled):
    consultation, u = filled
    sign_in(client, u.email)
    qs = {q.key: q for q in questions_of(session, consultation)}
    repeat = next(q for q in qs.values() if q.repeat_of_id)
    original = session.get(type(repeat), repeat.repeat_of_id)
    page_key = next(p.key for p in pages_of(session, consultation) if p.id == repeat.page_id)
    html = text(client.get(f"/manage/c/{consultation.slug}/responses/questions/{page_key}"))
    assert "<svg" in html and "engage-fill-" in html and "style=" not in html
    assert "Before and after" in html
    # Numbers agree with a count done in Python.
    res = summaries.question_summaries(session, [repeat], ["patient", "staff"],
                                       summaries.Filters())[repeat.id]
    staff_group = next(g for g in res["groups"] if g["segment"] == "staff")
    rows = session.exec(select(Answer.value).join(Respondent).where(
        Answer.question_id == repeat.id, Respondent.segment == "staff")).all()
    assert staff_group["answered"] == len(rows)
    assert [c for _, c, _, _ in staff_group["rows"]] == [rows.count(p) for p in range(-3, 4)]
    change = summaries.opinion_change(session, repeat, summaries.Filters())
    pairs = session.exec(select(Answer.respondent_id, Answer.value).where(
        Answer.question_id.in_([original.id, repeat.id]))).all()
    by = {}
    for rid, v in pairs:
        by.setdefault(rid, []).append(v)
    assert change["both"] == sum(len(v) == 2 for v in by.values())
    # Every closed-question page renders a summary for each of its questions.
    for p in pages_of(session, consultation):
        closed = [q for q in qs.values() if q.page_id == p.id and q.type != "text"]
        if closed:
            html = text(client.get(f"/manage/c/{consultation.slug}/responses/questions/{p.key}"))
            assert all(f'id="summary-{q.key}"' in html for q in closed), p.key


def test_rank_multi_allocate_summaries_agree_with_python(session, filled):
    consultation, _ = filled
    qs = [q for q in questions_of(session, consultation) if q.type in ("rank", "multi", "allocate")]
    res = summaries.question_summaries(session, qs, [], summaries.Filters())
    for q in qs:
        values = [v for v in session.exec(select(Answer.value).where(Answer.question_id == q.id)).all()
                  if v is not None]
        group = res[q.id]["groups"][0]
        assert group["answered"] == len(values)
        first = q.config["options"][0]
        row = next(r for r in group["rows"] if r[0] == first["label"])
        if q.type == "multi":
            assert row[1] == sum(first["key"] in v for v in values)
        elif q.type == "rank":
            assert row[1] == sum(v[0] == first["key"] for v in values)
        else:
            assert row[1] == round(sum(v[first["key"]] for v in values) / len(values), 1)


def test_written_answers_are_redacted_searchable_and_paged(client, session, filled):
    consultation, u = filled
    sign_in(client, u.email)
    base = f"/manage/c/{consultation.slug}/responses/text"
    html = text(client.get(base))
    assert "07700 900123" not in html  # the raw text is never shown
    total = session.exec(select(func.count()).select_from(Answer)
                         .where(Answer.text_redacted.is_not(None))).one()
    assert f"{total} answers." in html and html.count('class="engage-text"') == written_answers.PAGE_SIZE
    phone = session.exec(select(func.count()).select_from(Answer)
                         .where(Answer.text_redacted.contains("[phone number]"))).one()
    html = text(client.get(base + "?q=%5BPHONE"))
    assert f"{phone} answers containing" in html and "[phone number]" in html
    oldest = session.exec(select(func.min(Answer.id)).where(Answer.text_redacted.is_not(None))).one()
    html = text(client.get(base + f"?before={oldest + 1}"))  # the oldest answer alone, by its cursor
    assert html.count('class="engage-text"') == 1 and f'data-answer="{oldest}"' in html
    assert 'rel="next"' not in html and 'rel="prev"' in html
    html = text(client.get(base + "?q=100%25"))  # LIKE wildcards are searched for literally
    assert "0 answers" in html and "No written answers match." in html
    # One respondent's answers, redacted.
    ref = re.search(r"/responses/r/(\d+)", text(client.get(base + "?q=phone"))).group(1)
    html = text(client.get(f"/manage/c/{consultation.slug}/responses/r/{ref}"))
    assert f"Response {ref}" in html and "[phone number]" in html and "07700" not in html
    assert client.get(f"/manage/c/{consultation.slug}/responses/r/999999999").status_code == 404


ROUTED = {
    "slug": "routed", "title": "Routed", "summary": "A short survey.", "consent_text": "We keep it.",
    "pages": [
        {"key": "about-you", "kind": "questions", "title": "About you", "questions": [
            {"key": "role", "type": "choice", "prompt": "Which best describes you?", "required": True,
             "segment": True, "config": {"options": [{"key": "patient", "label": "Patient"},
                                                     {"key": "carer", "label": "Carer"}]}}]},
        {"key": "carers", "kind": "questions", "title": "Caring",
         "show_if": {"question": "role", "in": ["carer"]},
         "questions": [{"key": "caring", "type": "text", "prompt": "What helps you care?"}]},
        {"key": "last", "kind": "questions", "title": "Last", "questions": [
            {"key": "thoughts", "type": "text", "prompt": "Anything else?"}]},
    ],
}


def test_a_routed_page_counts_only_the_people_routed_to_it(client, session, staff):
    from ...factories import consultation_from
    from ...journey_helpers import complete

    consultation = consultation_from(session, ROUTED)
    for role in ("carer", "carer", "patient"):
        complete(client, role=role, slug="routed", answers={})
    # One more carer who stopped on the first page counts for that page only.
    fresh = client.application.test_client()
    fresh.post("/c/routed/consent", data={"agree": "y"})
    t = summaries.totals(session, consultation, pages_of(session, consultation), summaries.Filters())
    assert [(p.key, n) for p, n in t["funnel"]] == [("about-you", 4), ("carers", 2), ("last", 3)]
    u = staff("viewer@example.nhs.uk", "viewer", [consultation])
    sign_in(client, u.email)
    page = text(client.get("/manage/c/routed/responses"))
    assert re.search(r"2\. Caring \(shown to some people only\).*?2 \(50\.0%\)", page, re.S)


def test_i_dont_know_on_a_tradeoff_is_counted_apart_from_every_position(client, session, staff):
    """'I don't know' meets a required trade-off but has no position: the summaries, the
    before/after comparison and the averages leave it out instead of failing."""
    from ...journey_helpers import DEMO_ANSWERS, complete

    consultation = demo_consultation(session)
    answers = {**DEMO_ANSWERS, "first-view": {"q-connection-vs-speed-before": "dont-know"}}
    complete(client, answers=answers)
    complete(client)
    u = staff("viewer@example.nhs.uk", "viewer", [consultation])
    sign_in(client, u.email)
    for key in ("first-view", "possible-vs-desirable"):
        text(client.get(f"/manage/c/{consultation.slug}/responses/questions/{key}"))
    qs = {q.key: q for q in questions_of(session, consultation)}
    after = qs["connection-vs-speed-after"]
    change = summaries.opinion_change(session, after, summaries.Filters())
    assert change["both"] == 1
    first = summaries.question_summaries(session, [qs["connection-vs-speed-before"]], [],
                                         summaries.Filters())[qs["connection-vs-speed-before"].id]
    assert first["groups"][0]["answered"] == 1


def test_pages_routed_by_group_are_counted_from_the_totals_as_from_the_answers(session, filled):
    """A page shown by the person's group is counted from the respondents' segments (no answer
    read); it agrees with counting from the routing answers, for everyone and under filters."""
    consultation, _ = filled
    pages = pages_of(session, consultation)
    routed = [i for i, p in enumerate(pages) if p.show_if and p.show_if["question"] == "role"]
    assert routed
    for filters in [summaries.Filters(), summaries.Filters(channel="online", completed_only=False),
                    summaries.Filters(segment="staff")]:
        funnel = summaries.totals(session, consultation, pages, filters)["funnel"]
        for i in routed:
            assert funnel[i][1] == summaries._routed_reach(session, consultation, pages, i, filters)
            assert funnel[i][1] < funnel[i - 1][1] or filters.segment


def test_a_search_finds_an_apostrophe_however_it_was_typed(client, session, filled):
    """"don’t" pasted from a phone or Word found nothing where "don't" found 148; and two spaces
    typed between words found nothing while the page showed the search with one."""
    consultation, u = filled
    answers = session.exec(select(Answer).where(Answer.text_redacted.is_not(None)).order_by(Answer.id)).all()
    answers[0].text_redacted = "I don’t want to wait  so long"  # curly, and two spaces
    answers[1].text_redacted = "I don't like the new app"
    session.add_all(answers[:2])
    session.commit()
    sign_in(client, u.email)
    base = f"/manage/c/{consultation.slug}/responses/text"
    for typed in ("don't", "don’t", "DON’T"):
        html = unescape(text(client.get(base, query_string={"q": typed})))
        assert "2 answers containing" in html, typed
        assert "I don’t want to wait" in html and "I don't like the new app" in html
    html = unescape(text(client.get(base, query_string={"q": "don’t  like"})))
    assert "1 answer containing" in html and "I don't like the new app" in html
    # A search with no apostrophe reads the text as written, curly marks and all.
    html = unescape(text(client.get(base, query_string={"q": "T WANT to"})))
    assert "1 answer containing" in html and "I don’t want to wait" in html


def test_a_count_and_its_share_stay_together_on_a_phone(client, session, filled):
    """"7" and "(16.7%)" fell on two lines of the answers table at 360 px wide."""
    consultation, u = filled
    sign_in(client, u.email)
    html = text(client.get(f"/manage/c/{consultation.slug}/responses/questions/first-view"))
    cells = re.findall(r'<td[^>]*nhsuk-table__cell--numeric[^>]*>.*?</td>', html, re.S)
    # (The "I don't know" row is a count alone: it has no share to wrap.)
    figures = [re.search(r"(\d+)(\s*)\(\d+(?:\.\d+)?%\)", unescape(c)) for c in cells if "%" in c]
    assert figures and all(f and f.group(2) == "\u00a0" for f in figures)


def test_i_dont_know_on_a_tradeoff_is_shown_on_the_summary_page(client, session, staff):
    """Two people who said "I don't know" and one who chose a point: the summary says so per group,
    in the table and in the chart's text, and says what the percentages are of."""
    from ...journey_helpers import DEMO_ANSWERS, complete

    consultation = demo_consultation(session)
    for position in ("dont-know", "dont-know", "2"):
        answers = {**DEMO_ANSWERS, "technology-vs-implementation": {
            **DEMO_ANSWERS["technology-vs-implementation"], "q-new-vs-existing": position}}
        complete(client.application.test_client(), answers=answers)
    u = staff("viewer@example.nhs.uk", "viewer", [consultation])
    sign_in(client, u.email)
    url = f"/manage/c/{consultation.slug}/responses/questions/technology-vs-implementation"
    page = unescape(text(client.get(url)))
    assert re.search(r"I don't know\s*</th>\s*<td[^>]*>\s*(<span[^>]*>[^<]*</span>)?\s*2\s*<", page)
    assert re.search(r'aria-label="Everyone: [^"]*100\.0%[^"]*, I don\'t know: 2"', page)
    assert "Percentages are of the people who chose a point on the scale" in page
