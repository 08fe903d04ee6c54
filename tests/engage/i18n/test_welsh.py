"""The interface in Welsh: the switcher (where it shows, that it keeps the person's place and
answers), Welsh pages, errors and answer messages, plurals, NHS.UK texts for the script, kiosk
messages, and the emails a person asks for."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlmodel import func, select

from engage.mail.outcome import tell_subscribers
from surveys import wording
from surveys.models import Answer, Consultation, OutboxMessage, OutcomeSubscription, Respondent

from ...factories import consultation_from, demo_consultation
from ...journey_helpers import SLUG as DEMO
from ...journey_helpers import complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..workshop.helpers import kiosk_token, make_workshop
from .every_type import ANSWERS, DEFINITION, SLUG


@pytest.fixture
def bilingual(session):
    return consultation_from(session, DEFINITION)


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def switcher(html: str) -> str | None:
    found = re.search(r'<nav class="engage-language"[^>]*>(.*?)</nav>', html, re.S)
    return found.group(1) if found else None


def answers_stored(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Answer)).one()


def test_pages_in_welsh_with_a_switch_back_to_english(client, bilingual):
    page = text(client.get(f"/c/{SLUG}/?lang=cy"))
    assert '<html lang="cy"' in page
    assert "Dechrau nawr" in page and "Neidio i'r prif gynnwys" in page and "Start now" not in page
    link = switcher(page)
    assert 'lang="en"' in link and 'hreflang="en"' in link and ">English<" in link
    assert f'href="/c/{SLUG}/?lang=en"' in link
    # The choice is kept: the next page is in Welsh without asking again.
    consent = text(client.get(f"/c/{SLUG}/consent"))
    assert "Beth sy'n digwydd i'ch atebion" in consent and 'lang="en">English<' in switcher(consent)
    english = text(client.get(f"/c/{SLUG}/consent?lang=en"))
    assert '<html lang="en"' in english and "What happens to your answers" in english
    assert 'lang="cy">Cymraeg<' in switcher(english)


def test_switch_shows_on_consultation_pages_only_when_it_offers_welsh(client, session):
    english_only = demo_consultation(session)
    english_only.languages = ["en"]
    session.add(english_only)
    session.commit()
    assert switcher(text(client.get(f"/c/{DEMO}/"))) is None
    assert switcher(text(client.get(f"/c/{DEMO}/?lang=cy"))) is not None  # a way back to English
    for general in ("/", "/privacy", "/accessibility", "/c/no-such-thing/"):
        assert ">Cymraeg<" in switcher(text(client.get(general + "?lang=en"))), general


def test_switching_mid_page_keeps_what_was_typed_without_saving_it(client, session, bilingual):
    first = client.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    client.post(first, data=ANSWERS["about"])
    url = f"/c/{SLUG}/p/scale"
    html = text(client.get(url))
    # On a page of questions the switch is a button that sends the form, so nothing is lost.
    assert 'form="page-form"' in switcher(html) and f'formaction="{url}?lang=cy"' in switcher(html)
    before = answers_stored(session)
    response = client.post(f"{url}?lang=cy", data={"q-connection": "-1", "q-connection-why": "Pobl",
                                                   "switch-language": "cy"})
    page = text(response)
    assert response.status_code == 200 and '<html lang="cy"' in page
    assert 'value="-1" checked' in page and "Pobl</textarea>" in page
    assert "Mae problem wedi codi" not in page  # not checked yet: Continue was not pressed
    assert answers_stored(session) == before
    # Continue in Welsh saves it; switching back by link keeps the saved answers.
    assert client.post(url, data=ANSWERS["scale"]).status_code == 302
    again = text(client.get(f"{url}?lang=en"))
    assert '<html lang="en"' in again and 'value="-1" checked' in again and "I like people" in again


def test_switching_on_the_consent_page_keeps_the_tick_without_starting(client, session, bilingual):
    url = f"/c/{SLUG}/consent"
    # The switch sends the consent form, so a ticked box is still ticked in the other language.
    assert 'form="consent-form"' in switcher(text(client.get(url)))
    response = client.post(f"{url}?lang=cy", data={"agree": "y", "switch-language": "cy"})
    page = text(response)
    assert response.status_code == 200 and '<html lang="cy"' in page
    assert re.search(r'<input[^>]*name="agree"[^>]*value="y"[^>]*checked', page)
    # Nothing started yet (Continue was not pressed), and nothing said is wrong with an empty box.
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0
    unticked = text(client.post(f"{url}?lang=en", data={"switch-language": "en"}))
    assert '<html lang="en"' in unticked and "There is a problem" not in unticked
    assert not re.search(r'<input[^>]*name="agree"[^>]*checked', unticked)
    # Continue, in the language now shown, starts as before.
    assert client.post(url, data={"agree": "y"}).status_code == 302


def test_errors_and_answer_messages_in_welsh(client, bilingual):
    client.post(f"/c/{SLUG}/consent?lang=cy", data={})
    first = client.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    client.post(first, data=ANSWERS["about"])
    page = text(client.post(f"/c/{SLUG}/p/lists", data={"q-several": ["waits", "kindness", "records"],
                                                         "q-budget-waits": "7"}))
    assert "<title>Gwall:" in page and "Mae problem wedi codi" in page
    assert '<span class="nhsuk-u-visually-hidden">Gwall:' in page
    assert "Dewiswch hyd at 2 ateb" in page
    assert "Mae cyfanswm eich atebion yn 7 pwynt. Rhaid iddo fod yn union 100 pwynt" in page
    assert "Rhowch y dewisiadau mewn trefn, gan ddechrau gydag 1" in page
    assert "Heb ddod o hyd i'r dudalen" in text(client.get("/c/nothing-here/"))


def test_welsh_plurals_follow_the_welsh_rule(app):
    with app.test_request_context("/?lang=cy"):
        said = [wording.ngettext("%(num)s person answered.", "%(num)s people answered.", n)
                for n in (0, 1, 2, 3, 6, 11)]
    assert said == ["Atebodd 0 o bobl.", "Atebodd 1 person.", "Atebodd 2 o bobl.", "Atebodd 3 o bobl.",
                    "Atebodd 6 o bobl.", "Atebodd 11 o bobl."]
    with app.test_request_context("/?lang=en"):
        said = wording.ngettext("%(num)s person answered.", "%(num)s people answered.", 1)
    assert said == "1 person answered."
    # Outside a request (a job, the command line) the domain's words are English.
    assert wording.gettext("Not answered") == "Not answered"


def test_character_count_texts_for_every_welsh_plural_form(client, bilingual):
    client.post(f"/c/{SLUG}/consent?lang=cy", data={"agree": "y"})
    client.post(f"/c/{SLUG}/p/about", data=ANSWERS["about"])
    page = client.get(f"/c/{SLUG}/p/words").get_data(as_text=True)
    for form in ("zero", "one", "two", "few", "many", "other"):
        assert f"data-i18n.characters-under-limit.{form}=" in page
    assert "Mae gennych %{count} nod ar ôl" in unescape(page)
    assert "Gallwch roi hyd at 2000 nod" in unescape(page)


def test_kiosk_in_welsh_with_its_script_words_and_server_messages(app, client, session, bilingual):
    workshop = make_workshop(session, bilingual)
    raw = client.get(f"/workshop/k/{workshop.join_code}/1?lang=cy").get_data(as_text=True)
    page = unescape(raw)
    assert "Dechrau" in page and ">English<" in switcher(page)
    messages = json.loads(unescape(re.search(r'data-messages="([^"]*)"', raw).group(1)))
    assert messages["page"] == "Tudalen {page} o {pages}" and set(messages["waiting"]) == {
        "zero", "one", "two", "few", "many", "other"}
    # The tablet sends no cookie: the language comes with the address.
    checked = app.test_client().post(
        f"/workshop/k/{workshop.join_code}/1/check/scale?lang=cy", json={"answers": {}},
        headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
    assert "Mae problem wedi codi" in unescape(checked.get_json()["html"])
    refused = app.test_client().post(f"/workshop/k/{workshop.join_code}/1/exit?lang=cy", json={"pin": "0"},
                                     headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
    assert refused.get_json()["message"] == "Nid yw'r PIN hwnnw'n gywir. Gofynnwch i'r hwylusydd."


def test_emails_a_person_asks_for_come_in_their_language(app, client, session, bilingual,
                                                       smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    client.post(f"/c/{SLUG}/consent?lang=cy", data={"agree": "y"})
    client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    [resume] = smtp_server.to("person@example.com")
    assert resume["subject"].startswith("Eich dolen i barhau:")
    assert "I barhau, agorwch y ddolen hon" in resume["body"]


def test_a_welsh_journey_receipt_is_in_welsh_with_the_welsh_title(app, client, session,
                                                                 smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    demo_consultation(session)
    client.get(f"/c/{DEMO}/?lang=cy")
    reference = complete(client, slug=DEMO)
    assert client.post(f"/c/{DEMO}/done/email", data={"email": "person@example.com"}).status_code == 200
    [receipt] = smtp_server.to("person@example.com")
    welsh_title = "Technoleg yn y GIG: beth sy'n bwysig i chi?"
    assert receipt["subject"] == f"Mae eich atebion wedi'u hanfon: {welsh_title}"
    assert f'Diolch am ateb "{welsh_title}".' in receipt["body"]
    assert f"Eich cod cyfeirnod yw {reference}" in receipt["body"]
    assert f"/c/{DEMO}/withdraw?lang=cy" in receipt["body"]  # taking part back opens in Welsh
    assert "Thank you" not in receipt["body"] and "Technology in the NHS" not in receipt["body"]
    # An address left in Welsh to hear the outcome is kept with its language.
    left = client.post(f"/c/{DEMO}/updates", data={"updates-email": "hear@example.com", "updates-agree": "y"})
    assert left.status_code == 200
    assert session.exec(select(OutcomeSubscription.language)).all() == ["cy"]
    # A resume link asked for in Welsh (by the next person to start here) carries the Welsh title too.
    client.post(f"/c/{DEMO}/consent", data={"agree": "y"})
    client.post(f"/c/{DEMO}/save/email", data={"email": "again@example.com"})
    [resume] = smtp_server.to("again@example.com")
    assert resume["subject"] == f"Eich dolen i barhau: {welsh_title}"


def _outcome_email(app, session, consultation_id: int, language: str | None) -> tuple[str, str]:
    """The subject and body of the outcome email one subscriber would get (nothing is sent).
    ``language`` None is an address kept before languages were."""
    app.config.update(SMTP_HOST="mail.invalid", MAIL_FROM="engage@example.nhs.uk")
    with app.app_context():
        consultation = session.get(Consultation, consultation_id)
        session.add(OutcomeSubscription(consultation_id=consultation.id, email="person@example.com",
                                        language=language))
        assert tell_subscribers(session, consultation) == 1
        session.flush()
        [(subject, body)] = session.exec(select(OutboxMessage.subject, OutboxMessage.body)).all()
        session.rollback()  # nothing sent
    return subject, body


def test_outcome_email_is_in_the_language_the_address_was_left_in(app, session, bilingual):
    subject, body = _outcome_email(app, session, bilingual.id, "cy")
    assert subject == f"Beth a glywsom: {bilingual.title}"
    assert "Rydym wedi cyhoeddi'r hyn a glywsom" in body and f"/c/{SLUG}/outcome?lang=cy\n" in body
    assert "We have published" not in body
    subject, body = _outcome_email(app, session, bilingual.id, "en")
    assert subject == f"What we heard: {bilingual.title}"
    assert "We have published what we heard" in body and "Rydym" not in body


def test_an_address_kept_without_a_language_hears_in_every_language_offered(app, session, bilingual):
    subject, body = _outcome_email(app, session, bilingual.id, None)
    assert subject == f"What we heard: {bilingual.title} / Beth a glywsom: {bilingual.title}"
    assert "We have published what we heard" in body
    assert "Rydym wedi cyhoeddi'r hyn a glywsom" in body


def test_outcome_email_gives_each_language_its_own_title_and_link(app, session):
    demo = demo_consultation(session)
    subject, body = _outcome_email(app, session, demo.id, None)
    assert subject == ("What we heard: Technology in the NHS: what matters to you? / "
                       "Beth a glywsom: Technoleg yn y GIG: beth sy'n bwysig i chi?")
    english, welsh = body.split("\n----\n")
    assert f"/c/{DEMO}/outcome\n" in english and f"/c/{DEMO}/outcome?lang=cy\n" in welsh
    subject, body = _outcome_email(app, session, demo.id, "cy")  # one language: its own title
    assert subject == "Beth a glywsom: Technoleg yn y GIG: beth sy'n bwysig i chi?"
