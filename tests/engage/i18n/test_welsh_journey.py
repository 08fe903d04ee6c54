"""A Welsh-speaking respondent's journey past its edges: the page after hours away, the language
switch on pages shown in answer to a form, the link to carry on elsewhere, the language their
response is recorded in, and Welsh wording where a word is put into a sentence."""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest
from sqlmodel import select

from surveys.models import Respondent

from ...factories import consultation_from, demo_consultation
from ...journey_helpers import SLUG as DEMO
from ...journey_helpers import complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..workshop.helpers import kiosk_token, make_workshop
from .every_type import ANSWERS, DEFINITION, SLUG

WELSH_TITLE = "Technoleg yn y GIG: beth sy'n bwysig i chi?"


@pytest.fixture
def bilingual(session):
    # Every kind of question but the pairs, whose pairs are drawn at random (``complete`` answers
    # each page from fixed answers).
    return consultation_from(session, {**DEFINITION, "pages": [p for p in DEFINITION["pages"]
                                                               if p["key"] != "pairs"]})


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def switch_href(html: str) -> str:
    nav = re.search(r'<nav class="engage-language"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.search(r'href="([^"]+)"', nav).group(1)


def hidden_fields(html: str, form_id: str) -> dict:
    form = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
                + re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', form))


def test_a_welsh_page_sent_after_hours_away_is_answered_in_welsh(app, client, bilingual):
    client.post(f"/c/{SLUG}/consent?lang=cy", data={"agree": "y"})
    page = text(client.get(f"/c/{SLUG}/p/about"))
    assert '<html lang="cy"' in page
    # Hours later the browser has forgotten everything in its session, the language included;
    # the person presses Continue on the page still open in front of them.
    away = app.test_client()
    ended = away.post(f"/c/{SLUG}/p/about", data={**hidden_fields(page, "page-form"), **ANSWERS["about"]})
    assert ended.status_code == 400
    said = text(ended)
    assert '<html lang="cy"' in said and "Nid oeddem yn gallu dod o hyd i'ch atebion" in said
    assert "We could not find your answers" not in said
    # Starting again from there goes on in Welsh.
    assert "Beth sy'n digwydd i'ch atebion" in text(away.get(f"/c/{SLUG}/consent"))


def test_an_english_page_sent_after_hours_away_stays_english(app, client, bilingual):
    client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    page = text(client.get(f"/c/{SLUG}/p/about"))
    ended = app.test_client().post(f"/c/{SLUG}/p/about", data={**hidden_fields(page, "page-form"),
                                                               **ANSWERS["about"]})
    assert '<html lang="en"' in text(ended) and "We could not find your answers" in text(ended)


def test_the_switch_after_taking_answers_back_opens_a_page(client, bilingual):
    client.get(f"/c/{SLUG}/?lang=cy")
    reference = complete(client, slug=SLUG, answers=ANSWERS)
    confirm = text(client.post(f"/c/{SLUG}/withdraw", data={"reference": reference}))
    assert "Sut y gwnaethoch ateb" in confirm and "Wedi rhoi" not in confirm
    gone = client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert gone.status_code == 200 and "Mae eich atebion wedi'u dileu" in text(gone)
    english = client.get(switch_href(text(gone)))
    assert english.status_code == 200 and '<html lang="en"' in text(english)


def test_the_switch_after_asking_for_an_email_opens_a_page(app, client, bilingual, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    client.get(f"/c/{SLUG}/?lang=cy")
    client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    saved = client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    assert saved.status_code == 200
    english = client.get(switch_href(text(saved)))
    assert english.status_code == 200 and "Your answers are saved" in text(english)
    sender = app.test_client()
    sender.get(f"/c/{SLUG}/?lang=cy")
    complete(sender, slug=SLUG, answers=ANSWERS)
    for sent in (sender.post(f"/c/{SLUG}/done/email", data={"email": "person@example.com"}),
                 sender.post(f"/c/{SLUG}/updates",
                             data={"updates-email": "hear@example.com", "updates-agree": "y"})):
        assert sent.status_code == 200 and '<html lang="cy"' in text(sent)
        english = sender.get(switch_href(text(sent)))
        assert english.status_code == 200 and "Thank you, your answers have been sent" in text(english)


def test_the_link_to_carry_on_elsewhere_opens_in_welsh(app, client, bilingual, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    client.post(f"/c/{SLUG}/consent?lang=cy", data={"agree": "y"})
    client.post(f"/c/{SLUG}/p/about", data=ANSWERS["about"])
    page = text(client.get(f"/c/{SLUG}/save"))
    link = re.search(r'(http://localhost/c/[^"<\s]+/resume/[^"<\s]+)', page).group(1)
    client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    [email] = smtp_server.to("person@example.com")
    assert link in email["body"]
    # Another phone, which has never been told a language: the link carries it.
    other = app.test_client()
    carried_on = other.get(link.removeprefix("http://localhost"), follow_redirects=True)
    assert carried_on.status_code == 200 and '<html lang="cy"' in text(carried_on)


def test_a_response_records_the_language_it_was_given_in(app, client, session, bilingual):
    client.get(f"/c/{SLUG}/?lang=cy")
    complete(client, slug=SLUG, answers=ANSWERS)
    app.test_client().get(f"/c/{SLUG}/?lang=en")
    complete(app.test_client(), slug=SLUG, answers=ANSWERS)
    workshop = make_workshop(session, bilingual)
    answers = {k: v for page in ANSWERS.values() for k, v in page.items()}
    # The tablet sends no cookie: its language comes in the address, as on every kiosk request.
    sent = app.test_client().post(f"/workshop/k/{workshop.join_code}/1/responses?lang=cy",
                                  json={"idempotency_key": str(uuid.uuid4()), "answers": answers},
                                  headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
    assert sent.status_code in (200, 201), sent.get_data(as_text=True)
    session.expire_all()
    assert sorted(session.exec(select(Respondent.channel, Respondent.locale)).all()) == [
        ("online", "cy"), ("online", "en"), ("workshop", "cy")]


def test_welsh_words_put_into_sentences_read_as_welsh(app, client, session):
    demo_consultation(session)
    for _other in range(4):  # results are shown once 5 people have answered
        other = app.test_client()
        other.get(f"/c/{DEMO}/?lang=cy")
        complete(other, slug=DEMO)
    consent = text(client.get(f"/c/{DEMO}/consent?lang=cy"))
    assert "GIG 111 Cymru" in consent
    reference = complete(client, slug=DEMO)
    results = text(client.get(f"/c/{DEMO}/results"))
    # "tuag at" would change the word after it (tuag at gysylltiad); "i gyfeiriad" does not.
    assert "Yn pwyso i gyfeiriad cysylltiad dynol" in results and "tuag at" not in results
    asked = text(client.post(f"/c/{DEMO}/withdraw", data={"reference": reference}))
    assert f"pan anfonoch eich atebion ar gyfer {WELSH_TITLE}" in text(client.get(f"/c/{DEMO}/withdraw"))
    assert "Sut y gwnaethoch ateb" in asked
    gone = text(client.post(f"/c/{DEMO}/withdraw/confirm", data={"reference": reference}))
    assert f"Rydym wedi dileu eich atebion ar gyfer {WELSH_TITLE}" in gone


def test_switching_on_the_withdrawal_page_keeps_the_code_typed(client, session, bilingual):
    client.get(f"/c/{SLUG}/?lang=cy")
    reference = complete(client, slug=SLUG, answers=ANSWERS)
    page = client.get(f"/c/{SLUG}/withdraw").get_data(as_text=True)
    nav = re.search(r'<nav class="engage-language"[^>]*>(.*?)</nav>', page, re.S).group(1)
    # The switch is a button that sends the form, so the code typed goes with it.
    assert 'form="withdraw-form"' in nav and f'formaction="/c/{SLUG}/withdraw?lang=en"' in unescape(nav)
    typed = reference.lower().replace("-", " ")
    english = client.post(f"/c/{SLUG}/withdraw?lang=en", data={"reference": typed, "switch-language": "en"})
    page = text(english)
    assert english.status_code == 200 and '<html lang="en"' in page and "Take back your answers" in page
    assert f'value="{typed}"' in page and "There is a problem" not in page
    assert "Are you sure" not in page  # not looked up: Continue was not pressed
    # Continue, in the language now shown, goes on as before.
    assert "Are you sure you want to delete your answers?" in text(
        client.post(f"/c/{SLUG}/withdraw", data={"reference": typed}))
