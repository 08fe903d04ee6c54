"""The consultation row kept per process for the respondent's pages (engage/participate/structures.py
``consultation``) is never stale: an edit, a Welsh text change or closing shows on the very next
request of every page, and each part of its key (id, version, edit time, status; the closing date
in test_journey) is checked on its own by changing only that part, straight in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from surveys.models import Consultation

from ...factories import consultation_from
from ..auth.conftest import staff  # noqa: F401  (fixture)
from ..facilitate.conftest import build_through_forms, facilitator_client  # noqa: F401
from .test_render_cache import SMALL, _text

ONE_PAGE = {"slug": "one", "title": "First title", "pages": [
    {"key": "p", "kind": "questions", "title": "Only page", "questions": [
        {"key": "pick", "type": "choice", "prompt": "Which one?",
         "config": {"options": [{"key": "tea", "label": "Tea"}, {"key": "coffee", "label": "Coffee"}]}}]}]}


def _pages(person, slug: str, page: str) -> dict[str, str]:
    """The start, question and check pages as ``person`` sees them now (each asked twice, so the
    second comes from what is kept)."""
    urls = {"start": f"/c/{slug}/", "question": page, "check": f"/c/{slug}/check"}
    for url in urls.values():
        person.get(url)
    return {name: _text(person.get(url)) for name, url in urls.items()}


def test_a_settings_edit_a_welsh_title_and_closing_show_at_once_on_every_page(
        app, facilitator_client, session):  # noqa: F811
    lead = facilitator_client
    build_through_forms(lead, SMALL)
    assert lead.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    person = app.test_client()
    page = person.post("/c/small/consent", data={"agree": "y"}).headers["Location"]
    assert all("Small" in html for html in _pages(person, "small", page).values())
    settings = {"title": "Drinks", "summary": "", "audience": "", "consent_text": "",
                "retention_days": 365, "min_group_size": 5}
    assert lead.post("/manage/c/small/settings", data=settings).status_code == 302
    for name, html in _pages(person, "small", page).items():
        assert "Drinks" in html and "Small" not in html, name
    welsh_title = f"consultation-{_as_stored(session, 'small').id}-title"
    assert lead.post("/manage/c/small/welsh", data={"offer": "cy", welsh_title: "Diodydd"}).status_code == 302
    person.get("/c/small/?lang=cy")
    for name, html in _pages(person, "small", page).items():
        assert "Diodydd" in html, name
    person.get("/c/small/?lang=en")
    for name, html in _pages(person, "small", page).items():
        assert "Drinks" in html and "Diodydd" not in html, name
    assert lead.post("/manage/c/small/status", data={"status": "closed"}).status_code == 302
    assert "This consultation has closed" in _text(person.get("/c/small/"))
    for url in (page, "/c/small/check"):
        assert person.get(url).status_code == 410, url


def _as_stored(session, slug: str) -> Consultation:
    session.expire_all()
    return session.exec(select(Consultation).where(Consultation.slug == slug)).one()


def _change_only(session, slug: str, **values) -> None:
    """Set columns straight in the database, leaving every other one (the edit time too) alone."""
    row = _as_stored(session, slug)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()


# The closing date alone: test_journey's resume-link test moves it straight in the database and
# reads the save page's expiry date.
@pytest.mark.parametrize("part", ["version", "updated_at"])
def test_a_change_to_one_part_of_the_stamp_alone_shows_at_once(app, session, part):
    consultation_from(session, ONE_PAGE)
    person = app.test_client()
    page = person.post("/c/one/consent", data={"agree": "y"}).headers["Location"]
    assert "First title" in _pages(person, "one", page)["start"]
    row = _as_stored(session, "one")
    moved = {"version": row.version + 1, "updated_at": row.updated_at + timedelta(seconds=1)}[part]
    _change_only(session, "one", title="Second title", **{part: moved})
    for name, html in _pages(person, "one", page).items():
        assert "Second title" in html and "First title" not in html, name


def test_a_status_set_alone_shows_at_once(app, session):
    consultation_from(session, ONE_PAGE)
    person = app.test_client()
    page = person.post("/c/one/consent", data={"agree": "y"}).headers["Location"]
    newcomer = app.test_client()
    _pages(person, "one", page)
    assert "Start now" in _text(newcomer.get("/c/one/"))
    _change_only(session, "one", status="closed")
    assert "This consultation has closed" in _text(person.get("/c/one/"))
    html = _text(newcomer.get("/c/one/"))
    assert "This consultation has closed" in html and "Start now" not in html
    assert person.get(page).status_code == 410
    _change_only(session, "one", status="open")
    assert _text(person.get(page)).count("Which one?") == 1
    _change_only(session, "one", status="archived")
    assert person.get("/c/one/").status_code == 404


def test_two_consultations_with_the_same_stamp_never_share_a_kept_copy(app, session):
    consultation_from(session, ONE_PAGE)
    consultation_from(session, {**ONE_PAGE, "slug": "two", "title": "Other title"})
    first = _as_stored(session, "one")
    _change_only(session, "two", version=first.version, updated_at=first.updated_at)
    assert "First title" in _text(app.test_client().get("/c/one/"))
    html = _text(app.test_client().get("/c/two/"))
    assert "Other title" in html and "First title" not in html


def test_the_kept_copy_belongs_to_no_session_and_is_read_again_when_the_cache_is_off(app, session):
    from engage.participate import structures

    consultation_from(session, ONE_PAGE)
    with app.test_request_context():
        from engage import db

        kept = structures.consultation(db.session(), "one")
        assert kept is structures.consultation(db.session(), "one")
        assert kept not in db.session() and kept.title == "First title"
        assert structures.consultation(db.session(), "none-such") is None
        app.extensions[structures.EXTENSION].size = 0
        row = structures.consultation(db.session(), "one")
        assert row is not kept and row in db.session()


def test_a_question_page_shows_each_persons_own_answers_and_no_one_elses(app, session):
    """The respondent and their answers come in one query (surveys.responses.by_public_id_with_answers)."""
    from .test_render_cache import _checked

    consultation_from(session, ONE_PAGE)
    consultation_from(session, {**ONE_PAGE, "slug": "two"})
    tea, coffee, nothing, elsewhere = (app.test_client() for _ in range(4))
    page = tea.post("/c/one/consent", data={"agree": "y"}).headers["Location"]
    for person, choice in ((tea, "tea"), (coffee, "coffee")):
        if person is not tea:
            person.post("/c/one/consent", data={"agree": "y"})
        assert person.post(page, data={"q-pick": choice}).status_code == 302
    nothing.post("/c/one/consent", data={"agree": "y"})
    assert _checked(_text(tea.get(page)), "q-pick") == ["tea"]
    assert _checked(_text(coffee.get(page)), "q-pick") == ["coffee"]
    assert _checked(_text(nothing.get(page)), "q-pick") == []
    # A browser working on another consultation's response has none here.
    elsewhere.post("/c/two/consent", data={"agree": "y"})
    assert elsewhere.get(page).status_code == 400
