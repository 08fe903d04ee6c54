"""The respondent's pages in Welsh: the consultation's own words in Welsh where it is offered and
translated, and any words left in English marked lang="en" (journey, errors, check answers, results,
kiosk)."""

from __future__ import annotations

from surveys.definitions import DEMO, parse_definition

from ...factories import consultation_from, demo_consultation
from ...journey_helpers import SLUG, complete
from ..facilitate.test_welsh import BILINGUAL
from ..workshop.helpers import make_workshop


def test_a_respondent_on_welsh_sees_welsh_and_english_marked_as_english(client, session):
    consultation_from(session, BILINGUAL)
    client.get("/c/dwyieithog/?lang=cy")
    r = client.post("/c/dwyieithog/consent", data={"agree": "y"})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Amdanoch chi" in page and "Pwy ydych chi?" in page and "Claf" in page
    assert "Cysylltiad dynol" in page and "Cytuno" in page
    # No Welsh given: shown in English, marked so that a screen reader reads it as English.
    assert '<span lang="en">NHS staff</span>' in page
    assert '<span lang="en">Choose one</span>' in page
    assert '<span lang="en">Unsure</span>' in page
    assert "<title>" in page and '<span lang="en">' not in page.split("<title>")[1].split("</title>")[0]
    assert 'data-right="Speed"' in page  # attributes hold plain words
    # In English nothing is marked, and no Welsh shows.
    english = client.get(r.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Pwy ydych chi?" not in english and 'lang="en">' not in english.split("<body")[1]


def test_welsh_is_not_shown_where_the_consultation_does_not_offer_it(client, session):
    consultation_from(session, {**BILINGUAL, "languages": ["en"]})
    start = client.get("/c/dwyieithog/?lang=cy").get_data(as_text=True)
    assert "Eich gofal" not in start and '<span lang="en">Your care</span>' in start



def test_an_optional_prompt_left_in_english_is_marked_and_errors_quote_the_welsh(client, session):
    required = {**BILINGUAL, "pages": [{**BILINGUAL["pages"][0], "questions": [
        {**q, "required": q["key"] == "trade"} for q in BILINGUAL["pages"][0]["questions"]]}]}
    consultation_from(session, required)
    client.get("/c/dwyieithog/?lang=cy")
    location = client.post("/c/dwyieithog/consent", data={"agree": "y"}).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert '<span lang="en">Agree?</span> (dewisol)' in page  # the interface's words in Welsh
    r = client.post(location, data={"q-who": "staff"})
    assert r.status_code == 400
    summary = r.get_data(as_text=True).split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert "Cysylltiad dynol" in summary and "Human connection" not in summary  # the pole, in Welsh


def test_check_answers_in_welsh(client, session):
    consultation_from(session, BILINGUAL)
    client.get("/c/dwyieithog/?lang=cy")
    location = client.post("/c/dwyieithog/consent", data={"agree": "y"}).headers["Location"]
    assert client.post(location, data={"q-who": "patient", "q-trade": "-3"}).status_code == 302
    check = client.get("/c/dwyieithog/check").get_data(as_text=True)
    assert "Pwy ydych chi?" in check and "Claf" in check and "A patient" not in check
    assert "cysylltiad dynol" in check  # the answer says the Welsh pole


def test_results_for_respondents_in_welsh(app, client, session):
    demo_consultation(session)
    client.get(f"/c/{SLUG}/?lang=cy")
    complete(client)
    for _ in range(5):
        complete(app.test_client())
    page = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    assert "Faint yw eich oed chi?" in page and "45 i 64" in page
    english = app.test_client()
    complete(english)
    assert "45 i 64" not in english.get(f"/c/{SLUG}/results?lang=en").get_data(as_text=True)


def test_the_kiosk_in_welsh(client, session):
    workshop = make_workshop(session, demo_consultation(session))
    page = client.get(f"/workshop/k/{workshop.join_code}/2?lang=cy").get_data(as_text=True)
    assert "Amdanoch chi" in page and "Rwy&#39;n glaf" in page and "Technoleg yn y GIG" in page
    assert "Dim ond hyn a hyn o arian" in page and "only has so much money" not in page  # a briefing


def test_a_briefing_without_welsh_is_shown_in_english_marked_on_the_kiosk(client, session):
    definition = parse_definition(DEMO.read_bytes())
    briefing = next(p for p in definition["pages"] if p["kind"] == "briefing")
    del briefing["cy"]["body"]
    workshop = make_workshop(session, consultation_from(session, definition))
    page = client.get(f"/workshop/k/{workshop.join_code}/2?lang=cy").get_data(as_text=True)
    assert '<div class="engage-briefing"><div lang="en">' in page and "only has so much money" in page


def test_the_demo_gives_every_word_a_respondent_reads_in_welsh(session):
    """What a facilitator first shows a Welsh speaker: nothing of the demo is left in English."""
    from surveys.journey import Structure
    from surveys.translation_edits import to_translate
    from surveys.translations import given

    rows = to_translate(Structure.load(session, demo_consultation(session)))
    missing = [(getattr(row, "key", "consultation"), path) for row, texts in rows
               for path in texts if path not in given(row, "cy")]
    assert len(rows) > 30 and missing == []


def test_the_room_display_in_welsh(client, app, session):
    from ...factories import user
    from ..workshop.helpers import all_answers, post_response, sign_in

    demo = demo_consultation(session)
    workshop = make_workshop(session, demo)
    user(session, consultations=(demo,))
    for _ in range(5):
        tablet = app.test_client()
        assert post_response(tablet, app, workshop, table=1, answers=all_answers()).status_code == 201
    sign_in(client, "fac@example.nhs.uk")
    welsh = client.get(f"/workshop/room/{workshop.join_code}/data.json?lang=cy").json
    pair = next(t for t in welsh["data"]["tradeoffs"] if t["key"] == "connection-vs-speed-before")
    assert (pair["left"], pair["right"]) == ("Cysylltiad dynol", "Diagnosis cyflymach")
    assert "Cysylltiad dynol" in welsh["html"]
    english = client.get(f"/workshop/room/{workshop.join_code}/data.json?lang=en").json
    assert "Cysylltiad dynol" not in english["html"] and "Human connection" in english["html"]


def test_options_whose_keys_are_numbers_are_translated_by_key(client, session):
    numbered = {"slug": "rhifau", "title": "Numbers", "languages": ["en", "cy"], "pages": [{
        "key": "p", "kind": "questions", "title": "Page", "questions": [{
            "key": "how-many", "type": "choice", "prompt": "How many?",
            "config": {"options": [{"key": "0", "label": "None"},
                                   {"key": "1", "label": "One", "cy": "Un"}]}}]}]}
    consultation_from(session, numbered)
    client.get("/c/rhifau/?lang=cy")
    page = client.get(client.post("/c/rhifau/consent", data={"agree": "y"}).headers["Location"])
    html = page.get_data(as_text=True)
    assert 'value="1"' in html and "Un</label>" in html.replace("\n", "").replace("  ", "")
    assert '<span lang="en">None</span>' in html and 'value="0"' in html
