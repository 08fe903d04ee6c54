"""The cache of rendered questions (engage/fragments.py) never shows stale or someone else's markup:
an edit in the builder or on the Welsh version page shows at once, English and Welsh pages never
share markup, and one person's answers are never shown to another."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from surveys.models import Question

from ...factories import consultation_from
from ..auth.conftest import staff  # noqa: F401  (fixture)
from ..facilitate.conftest import build_through_forms, facilitator_client, question_data  # noqa: F401
from ..facilitate.test_welsh import BILINGUAL

SMALL = {"slug": "small", "title": "Small", "pages": [
    {"key": "before", "kind": "questions", "title": "Before", "questions": [
        {"key": "pick", "type": "choice", "prompt": "Which one?", "required": True, "segment": True,
         "config": {"options": [{"key": "tea", "label": "Tea"}, {"key": "coffee", "label": "Coffee"}]}},
        {"key": "t1", "type": "tradeoff", "prompt": "Where?",
         "config": {"left": "People", "right": "Speed"}}]},
    {"key": "read", "kind": "briefing", "title": "Read this", "body": "Both sides."},
]}


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _checked(html: str, name: str) -> list[str]:
    """The values of the checked radios named ``name``."""
    return re.findall(rf'name="{name}" type="radio" value="([^"]+)" checked', html)


def test_editing_a_drafts_question_or_briefing_shows_in_the_preview_at_once(facilitator_client):  # noqa: F811
    client = facilitator_client
    build_through_forms(client, SMALL)
    for _ in range(2):  # the second time from the cache
        html = _text(client.get("/manage/c/small/preview/before"))
        assert "Which one?" in html and "Coffee" in html and 'data-left="People"' in html
    # A draft's edits leave its version alone: only its edit time changes.
    pick = question_data({**SMALL["pages"][0]["questions"][0], "prompt": "Which drink?", "config": {
        "options": [{"key": "tea", "label": "Tea"}, {"key": "coffee", "label": "Black coffee"}]}})
    assert client.post("/manage/c/small/questions/pick/edit", data=pick).status_code == 302
    t1 = question_data({**SMALL["pages"][0]["questions"][1],
                        "config": {"left": "Kindness", "right": "Speed"}})
    assert client.post("/manage/c/small/questions/t1/edit", data=t1).status_code == 302
    html = _text(client.get("/manage/c/small/preview/before"))
    assert "Which drink?" in html and "Black coffee" in html and 'data-left="Kindness"' in html
    assert "Which one?" not in html and 'data-left="People"' not in html
    assert "Both sides." in _text(client.get("/manage/c/small/preview/read"))
    r = client.post("/manage/c/small/pages/read/edit", data={"title": "Read this", "body": "Three sides."})
    assert r.status_code == 302
    html = _text(client.get("/manage/c/small/preview/read"))
    assert "Three sides." in html and "Both sides." not in html


def _open_in_welsh(lead, session):
    """Build SMALL through the builder's forms, open it, give its question a Welsh prompt; return
    the question and the Welsh version page's form (to post a wording fix with)."""
    build_through_forms(lead, SMALL)
    assert lead.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    pick = session.exec(select(Question).where(Question.key == "pick")).one()
    welsh_page = {"offer": "cy", f"question-{pick.id}-prompt": "Pa un?"}
    assert lead.post("/manage/c/small/welsh", data=welsh_page).status_code == 302
    return pick, welsh_page


@pytest.mark.parametrize("markup_kept", [True, False], ids=["all-kept", "structure-kept"])
def test_a_wording_fix_shows_to_respondents_in_english_and_in_welsh_at_once(
        app, facilitator_client, session, markup_kept):  # noqa: F811
    if not markup_kept:  # the kept pages and questions alone (engage/participate/structures.py)
        app.extensions["engage.fragments"].size = 0
        app.extensions["engage.fragments.pages"].size = 0
    lead = facilitator_client
    pick, welsh_page = _open_in_welsh(lead, session)
    person = app.test_client()
    page = person.post("/c/small/consent", data={"agree": "y"}).headers["Location"]
    for _ in range(2):  # the second time from the cache
        english = _text(person.get(page + "?lang=en"))
        assert "Which one?" in english and "Pa un?" not in english
        welsh = _text(person.get(page + "?lang=cy"))
        assert "Pa un?" in welsh and "Which one?" not in welsh
    # Once open, a wording fix bumps the version as well as the edit time.
    data = question_data({**SMALL["pages"][0]["questions"][0], "prompt": "Which drink?"})
    data.pop("key")
    r = lead.post("/manage/c/small/questions/pick/edit", data=data)
    assert r.status_code == 302, re.findall(r"error-summary__list.*?</ul>", r.get_data(as_text=True), re.S)
    english = _text(person.get(page + "?lang=en"))
    assert "Which drink?" in english and "Which one?" not in english
    welsh_page[f"question-{pick.id}-prompt"] = "Pa ddiod?"
    assert lead.post("/manage/c/small/welsh", data=welsh_page).status_code == 302
    welsh = _text(person.get(page + "?lang=cy"))
    assert "Pa ddiod?" in welsh and "Pa un?" not in welsh
    english = _text(person.get(page + "?lang=en"))
    assert "Which drink?" in english and "Pa ddiod?" not in english


def test_the_start_page_shows_a_changed_summary_and_closing_at_once_and_each_persons_button(
        app, facilitator_client):  # noqa: F811
    lead = facilitator_client
    build_through_forms(lead, {**SMALL, "summary": "Tell us about drinks."})
    assert lead.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    person, newcomer = app.test_client(), app.test_client()
    for _ in range(2):
        html = _text(person.get("/c/small/"))
        assert "Tell us about drinks." in html and "Start now" in html
    person.post("/c/small/consent", data={"agree": "y"})
    assert "Carry on where you stopped" in _text(person.get("/c/small/"))
    assert "Start now" in _text(newcomer.get("/c/small/"))
    settings = {"title": "Small", "summary": "Tell us about hot drinks.", "audience": "",
                "consent_text": "", "retention_days": 365, "min_group_size": 5}
    assert lead.post("/manage/c/small/settings", data=settings).status_code == 302
    html = _text(newcomer.get("/c/small/"))
    assert "Tell us about hot drinks." in html and "Tell us about drinks." not in html
    assert lead.post("/manage/c/small/status", data={"status": "closed"}).status_code == 302
    html = _text(newcomer.get("/c/small/"))
    assert "This consultation has closed" in html and "Start now" not in html


def test_welsh_first_then_english_never_share_a_questions_markup(app, session):
    consultation_from(session, BILINGUAL, status="open")
    welsh_person, english_person = app.test_client(), app.test_client()
    welsh_person.get("/c/dwyieithog/?lang=cy")
    page = welsh_person.post("/c/dwyieithog/consent", data={"agree": "y"}).headers["Location"]
    assert "Pwy ydych chi?" in _text(welsh_person.get(page))
    english_person.post("/c/dwyieithog/consent", data={"agree": "y"})
    english = _text(english_person.get(page))
    assert "Who are you?" in english and "Pwy ydych chi?" not in english and "Claf" not in english


def test_one_persons_answer_is_never_shown_to_another(app, session):
    consultation_from(session, BILINGUAL, status="open")
    first, second = app.test_client(), app.test_client()
    page = first.post("/c/dwyieithog/consent", data={"agree": "y"}).headers["Location"]
    second.post("/c/dwyieithog/consent", data={"agree": "y"})
    assert _checked(_text(first.get(page)), "q-who") == []
    assert first.post(page, data={"q-who": "staff", "q-trade": "1", "q-scale": "1"}).status_code == 302
    assert _checked(_text(first.get(page)), "q-who") == ["staff"]
    assert _checked(_text(second.get(page)), "q-who") == []
    assert second.post(page, data={"q-who": "patient", "q-trade": "1", "q-scale": "1"}).status_code == 302
    assert _checked(_text(second.get(page)), "q-who") == ["patient"]
    assert _checked(_text(first.get(page)), "q-who") == ["staff"]


def test_typed_words_and_random_pairs_are_never_cached_and_the_cache_is_bounded():
    from types import SimpleNamespace

    from engage.fragments import BoundedCache
    from engage.participate.render import question_cache_key

    trade = SimpleNamespace(key="t1", type="tradeoff")
    assert question_cache_key((1,), trade, {"q-t1": "-2", "q-t1-why": "", "q-t10": "x"}, {}) == \
        question_cache_key((1,), trade, {"q-t1": "-2", "q-t1-why": ""}, {})
    assert question_cache_key((1,), trade, {"q-t1": "-2", "q-t1-why": "Because my GP said so"}, {}) is None
    assert question_cache_key((1,), trade, {"q-t1": 1}, {}) != \
        question_cache_key((1,), trade, {"q-t1": "1"}, {})
    assert question_cache_key((1,), SimpleNamespace(key="p", type="pairwise"), {}, {}) is None
    cache = BoundedCache(2)
    for key in "abc":
        assert cache.get_or_make(key, lambda k=key: k.upper()) == key.upper()
    assert len(cache) == 2 and cache.get_or_make("a", lambda: "again") == "again"
    off = BoundedCache(0)
    assert off.get_or_make("a", lambda: "A") == "A" and len(off) == 0


def test_a_key_the_template_was_not_given_is_never_cached(app):
    from jinja2 import ChainableUndefined

    with app.test_request_context("/"):
        cache = app.extensions["engage.fragments"]
        template = app.jinja_env.from_string('{% call cached(("thing", stamp)) %}{{ text }}{% endcall %}')
        assert template.render(text="one") == "one" and template.render(text="two") == "two"
        assert template.render(text="three", stamp=1) == "three"
        assert template.render(text="four", stamp=1) == "three"  # given its key: kept
        assert len(cache) == 1 and ChainableUndefined() == ChainableUndefined()


def _kiosk_pages(html: str) -> dict[str, str]:
    """The kiosk shell's pages (its <template>s) by page key."""
    pages = r'<template class="kiosk-template" data-key="([^"]+)".*?>(.*?)</template>'
    return dict(re.findall(pages, html, re.S))


def test_a_wording_fix_shows_on_the_kiosk_at_once_and_its_languages_never_share_markup(
        app, facilitator_client, session):  # noqa: F811
    from surveys.models import Consultation

    from ..workshop.helpers import make_workshop

    lead = facilitator_client
    pick, welsh_page = _open_in_welsh(lead, session)
    small = session.exec(select(Consultation).where(Consultation.slug == "small")).one()
    workshop = make_workshop(session, small)
    tablet = app.test_client()
    shell = f"/workshop/k/{workshop.join_code}/1"
    for _ in range(2):  # the second time from the cache
        english = _kiosk_pages(_text(tablet.get(shell + "?lang=en")))["before"]
        assert "Which one?" in english and "Coffee" in english and "Pa un?" not in english
        welsh = _kiosk_pages(_text(tablet.get(shell + "?lang=cy")))["before"]
        assert "Pa un?" in welsh and "Which one?" not in welsh
    # The page the kiosk gets back with an error is kept apart from the shell's, in each language.
    token = {"X-Kiosk-Token": _kiosk_token(app, workshop)}
    checked = tablet.post(shell + "/check/before?lang=cy", json={"answers": {"q-t1": "1"}}, headers=token)
    assert checked.status_code == 422 and "Pa un?" in checked.json["html"]
    assert "Which one?" not in checked.json["html"]
    data = question_data({**SMALL["pages"][0]["questions"][0], "prompt": "Which drink?"})
    data.pop("key")
    assert lead.post("/manage/c/small/questions/pick/edit", data=data).status_code == 302
    english = _kiosk_pages(_text(tablet.get(shell + "?lang=en")))["before"]
    assert "Which drink?" in english and "Which one?" not in english
    checked = tablet.post(shell + "/check/before?lang=en", json={"answers": {"q-t1": "1"}}, headers=token)
    assert checked.status_code == 422 and "Which drink?" in checked.json["html"]
    assert "Which one?" not in checked.json["html"] and "Pa un?" not in checked.json["html"]
    welsh_page[f"question-{pick.id}-prompt"] = "Pa ddiod?"
    assert lead.post("/manage/c/small/welsh", data=welsh_page).status_code == 302
    welsh = _kiosk_pages(_text(tablet.get(shell + "?lang=cy")))["before"]
    assert "Pa ddiod?" in welsh and "Pa un?" not in welsh and "Which drink?" not in welsh


def _kiosk_token(app, workshop) -> str:
    from ..workshop.helpers import kiosk_token

    return kiosk_token(app, workshop, 1)
