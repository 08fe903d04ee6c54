"""Written answers at scale: exact counts from the index, limited counts for searches and filters."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from surveys import summaries
from surveys.models import Answer, Respondent

from ...factories import demo_consultation
from ..auth.conftest import sign_in
from .fill import fill


@pytest.fixture
def filled(session, staff):
    consultation = demo_consultation(session)
    fill(session, consultation, 40, seed=4, batch=20)
    return consultation, staff("paging@example.nhs.uk", "viewer", [consultation])


def test_unfiltered_count_is_exact(session, filled):
    consultation, _ = filled
    total = session.exec(select(func.count()).select_from(Answer)
                         .where(Answer.text_redacted.is_not(None))).one()
    found = summaries.text_answers(session, consultation, summaries.Filters(), None, "", 1)
    assert (found.total, found.exact, found.has_next) == (total, True, True)
    assert [r.id for r in found.rows] == sorted((r.id for r in found.rows), reverse=True)


def test_search_and_filters_stop_counting_after_the_limit(client, session, filled, monkeypatch):
    consultation, u = filled
    monkeypatch.setattr(summaries, "COUNT_LIMIT", 5)
    staff_texts = session.exec(select(func.count()).select_from(Answer).join(Respondent).where(
        Answer.text_redacted.is_not(None), Respondent.segment == "staff")).one()
    assert staff_texts > summaries.TEXT_PAGE_SIZE + 5
    found = summaries.text_answers(session, consultation, summaries.Filters(segment="staff"), None, "", 1)
    assert (found.total, found.exact, found.has_next) == (summaries.TEXT_PAGE_SIZE + 5, False, True)
    assert {r.segment for r in found.rows} == {"staff"}
    # The page says so, and still links to the next page.
    sign_in(client, u.email)
    html = client.get(f"/manage/c/{consultation.slug}/responses/text?segment=staff").get_data(as_text=True)
    assert f"More than {summaries.TEXT_PAGE_SIZE + 5} answers. Page 1." in html
    assert "page=2" in html
    # A later page counts on from where it is; the last page is exact again.
    last = -(-staff_texts // summaries.TEXT_PAGE_SIZE)
    found = summaries.text_answers(session, consultation, summaries.Filters(segment="staff"), None, "", last)
    assert (found.total, found.exact, found.has_next) == (staff_texts, True, False)
    assert len(found.rows) == staff_texts - (last - 1) * summaries.TEXT_PAGE_SIZE
