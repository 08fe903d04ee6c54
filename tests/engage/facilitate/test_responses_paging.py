"""Written answers at scale, through the page: keyset pages (older/newer links, never a page
number) show every matching answer exactly once, whether searched, filtered or neither, also when
a search stops early to stay quick; counts are exact, or estimated and said to be."""

from __future__ import annotations

import html as markup
import re

import pytest
from sqlmodel import func, select

from surveys import written_answers
from surveys.models import Answer, Question, Respondent
from surveys.summaries import Filters

from ...factories import demo_consultation
from ...query_plans import query_plan, statements_run
from ..auth.conftest import sign_in
from .fill import fill

ANSWER = re.compile(r'data-answer="(\d+)"')


@pytest.fixture
def filled(client, session, staff):
    consultation = demo_consultation(session)
    fill(session, consultation, 40, seed=4, batch=20)
    u = staff("paging@example.nhs.uk", "viewer", [consultation])
    sign_in(client, u.email)
    return consultation


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return markup.unescape(found.group(1)) if found else None


def walk(client, url: str, rel: str) -> tuple[list[list[int]], list[str]]:
    """Every page from ``url`` on, following the ``rel`` link: the answers each one shows, and
    each page's address."""
    pages, urls = [], []
    while url and len(pages) < 500:
        page = get(client, url)
        pages.append([int(i) for i in ANSWER.findall(page)])
        urls.append(url)
        url = link(page, rel)
    return pages, urls


def expected(session, consultation, search: str = "", segment: str | None = None,
             question_key: str | None = None) -> list[int]:
    query = (select(Answer.id).join(Respondent, Respondent.id == Answer.respondent_id)
             .join(Question, Question.id == Answer.question_id)
             .where(Respondent.consultation_id == consultation.id, Answer.text_redacted.is_not(None)))
    if search:
        query = query.where(Answer.text_redacted.icontains(search))
    if segment:
        query = query.where(Respondent.segment == segment)
    if question_key:
        query = query.where(Question.key == question_key)
    return list(session.exec(query.order_by(Answer.id.desc())).all())


def check_every_answer_once(client, url: str, want: list[int]) -> list[list[int]]:
    """Older links from ``url`` show ``want`` in order, each once; newer links lead back from the
    oldest page to the newest, showing each answer once on the way (the newest page, shown whole
    when reached, may repeat some of the page before it)."""
    pages, urls = walk(client, url, "next")
    assert [i for p in pages for i in p] == want
    assert all(len(p) <= written_answers.PAGE_SIZE for p in pages)
    assert link(get(client, url), "prev") is None  # the newest page has no newer one
    back, _ = walk(client, urls[-1], "prev")
    assert back[-1] == pages[0]
    assert sorted({i for p in back for i in p}) == sorted(want)
    on_the_way = [i for p in reversed(back[:-1]) for i in p]
    assert on_the_way == sorted(on_the_way, reverse=True) and len(set(on_the_way)) == len(on_the_way)
    return pages


def test_keyset_pages_show_every_answer_once_each_way(client, session, filled):
    base = f"/manage/c/{filled.slug}/responses/text"
    want = expected(session, filled)
    assert len(want) > 3 * written_answers.PAGE_SIZE
    pages = check_every_answer_once(client, base, want)
    assert [len(p) for p in pages[:-1]] == [written_answers.PAGE_SIZE] * (len(pages) - 1)
    first = get(client, base)
    assert f"{len(want)} answers." in first and "estimated" not in first
    # Answers sent after a facilitator opened the list do not move the pages they are reading.
    second = link(first, "next")
    before = ANSWER.findall(get(client, second))
    fill(session, filled, 3, seed=9, batch=3)
    assert ANSWER.findall(get(client, second)) == before


def test_search_finds_matches_across_pages_and_early_stops(client, session, filled, monkeypatch):
    base = f"/manage/c/{filled.slug}/responses/text"
    want = expected(session, filled, search="RECORD")
    assert len(want) > written_answers.PAGE_SIZE
    check_every_answer_once(client, base + "?q=RECORD", want)
    # Each page may look at only a few answer ids: pages stop early, say so, and still, taken
    # together, show every match once.
    monkeypatch.setattr(written_answers, "SCAN_WINDOW", 40)
    pages = check_every_answer_once(client, base + "?q=record", want)
    assert any(len(p) < written_answers.PAGE_SIZE for p in pages[:-1])
    stopped = get(client, base + "?q=record")
    assert "the search stopped before the page was full" in stopped or \
        len(ANSWER.findall(stopped)) == written_answers.PAGE_SIZE


def test_filters_and_question_keep_working(client, session, filled, monkeypatch):
    base = f"/manage/c/{filled.slug}/responses/text"
    key = session.exec(select(Question.key).join(Answer, Answer.question_id == Question.id)
                       .where(Question.consultation_id == filled.id, Answer.text_redacted.is_not(None))
                       .order_by(Answer.id)).first()
    monkeypatch.setattr(written_answers, "PAGE_SIZE", 7)
    for url, want in [
        (base + "?segment=staff", expected(session, filled, segment="staff")),
        (base + f"?question={key}", expected(session, filled, question_key=key)),
        (base + f"?question={key}&segment=staff&q=the", expected(session, filled, "the", "staff", key)),
    ]:
        assert want, url
        check_every_answer_once(client, url, want)
    shown = [int(i) for i in ANSWER.findall(get(client, base + "?segment=patient"))]
    segments = session.exec(select(Respondent.segment).join(Answer).where(Answer.id.in_(shown))).all()
    assert shown and set(segments) == {"patient"}


def test_questions_to_choose_from_read_as_their_prompts(client, session, filled):
    """The question list said each question's internal key before its prompt, cut at 90
    characters mid-word ("q-tradeoff-1: When you need care, which matters more to you…")."""
    page = get(client, f"/manage/c/{filled.slug}/responses/text")
    chooser = page.split('name="question"', 1)[1].split("</select>", 1)[0]
    options = [markup.unescape(t).strip() for t in re.findall(r"<option[^>]*>([^<]*)</option>", chooser)]
    questions = session.exec(select(Question).where(Question.consultation_id == filled.id,
                                                    Question.type.in_(("text", "tradeoff")))).all()
    assert len(questions) >= 3
    for question in questions:
        prompt = " ".join(question.prompt.split())
        shown = next(o for o in options if prompt.startswith(o.rstrip("…")))
        assert shown == prompt or (shown.endswith("…") and len(shown) <= 91), shown
        assert question.key not in shown


def test_estimated_counts_say_so(client, session, filled, monkeypatch):
    base = f"/manage/c/{filled.slug}/responses/text"
    everyone = len(expected(session, filled))
    staff = len(expected(session, filled, segment="staff"))
    assert f"{staff} answers." in get(client, base + "?segment=staff")  # a small sample: exact
    # Estimated from the written answers among the newest 200 answer ids: so many, and the page says so.
    monkeypatch.setattr(written_answers, "SAMPLE_IDS", 200)
    newest = session.exec(select(func.max(Answer.id))).one()
    sampled = len([i for i in expected(session, filled) if i > newest - 200])
    in_sample = len([i for i in expected(session, filled, segment="staff") if i > newest - 200])
    page = get(client, base + "?segment=staff")
    about = int(re.search(r"About (\d+) answers\.", page).group(1))
    assert about == written_answers._about(in_sample * everyone / sampled) and 0 < about < everyone
    assert f"estimated from the newest {sampled} written answers" in page
    assert f"{everyone} answers." in get(client, base)  # no filter or search: always exact


def test_cursors_that_are_not_ids_show_the_newest_page(client, session, filled):
    base = f"/manage/c/{filled.slug}/responses/text"
    newest = ANSWER.findall(get(client, base))
    for bad in ["before=abc", "after=-4", "before=" + "9" * 40, "after=²"]:
        assert ANSWER.findall(get(client, f"{base}?{bad}")) == newest, bad
    # Past either end: nothing older; newer than the newest is the newest page.
    assert ANSWER.findall(get(client, f"{base}?before=1")) == []
    assert ANSWER.findall(get(client, f"{base}?after={10**12}")) == newest


def test_written_answers_are_read_through_their_index(session, filled):
    """A page without a search or filter reads each question's written answers through
    ix_answer_written in id order (no sort of every written answer to find the newest, as one
    query over several questions made SQLite do); a searched or filtered page reads a window of ids
    from an index, starting from the answers (never from every respondent in a group), on
    SQLite once it has statistics and on PostgreSQL."""
    with statements_run(session, keep=lambda s: "answer.text_redacted IS NOT NULL" in s) as statements:
        for search, filters in [("", Filters()), ("record", Filters(segment="staff", channel="online"))]:
            written_answers.page(session, filled, filters, None, search)
            written_answers.page(session, filled, filters, None, search, before=10**6)
    assert len(statements) > 10
    conn = session.connection()
    conn.exec_driver_sql("ANALYZE")
    for statement, parameters in statements:
        plan = query_plan(conn, statement, parameters, avoid=("seqscan", "bitmapscan", "sort"))
        if "ILIKE" not in statement.upper() and "respondent" not in statement and "ORDER BY" in statement:
            assert "ix_answer_written" in plan and "TEMP B-TREE" not in plan and "Sort" not in plan, plan
        assert "SCAN answer" not in plan and "SCAN respondent" not in plan, plan  # SQLite: no full scan
        assert "Seq Scan" not in plan, plan


def test_an_older_consultation_is_searched_and_estimated_from_its_own_newest_answers(
        client, session, filled, monkeypatch):
    """Answers to a newer consultation came after all of this one's: a search still starts at this
    consultation's newest answer, and the estimate is taken from its own answers."""
    later = demo_consultation(session, slug="later-one")
    fill(session, later, 40, seed=6, batch=20)
    monkeypatch.setattr(written_answers, "SAMPLE_IDS", 300)
    monkeypatch.setattr(written_answers, "SCAN_WINDOW", 300)
    base = f"/manage/c/{filled.slug}/responses/text"
    page = get(client, base + "?segment=staff")
    shown = [int(i) for i in ANSWER.findall(page)]
    assert shown and shown == expected(session, filled, segment="staff")[:len(shown)]
    assert re.search(r"About \d+ answers\.", page)
    check_every_answer_once(client, base + "?q=record", expected(session, filled, search="record"))
