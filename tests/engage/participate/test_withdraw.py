"""Taking answers back: codes however typed, a confirmation first, audited without content."""

import re
from html import unescape

import pytest
from sqlmodel import func, select

from surveys.models import Answer, AuditEvent, Respondent

from ...factories import demo_consultation
from ...journey_helpers import SLUG, complete


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("typed", ["{lower}", " {spaced} ", "{bare}", "{dashed}", "{lower_spaced}"])
def test_codes_typed_any_way_reach_the_confirmation_and_nothing_is_deleted_yet(client, session, demo, typed):
    reference = complete(client)
    code = reference.replace("-", "")
    shown = typed.format(lower=reference.lower(), spaced=f"{code[:4]} {code[4:]}", bare=code,
                         dashed=f"{code[:4]}\u2013{code[4:]}",
                         lower_spaced=" ".join(code.lower()))
    response = client.post(f"/c/{SLUG}/withdraw", data={"reference": shown})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Are you sure you want to delete your answers?" in page
    assert f'<strong class="engage-reference">{reference}</strong>' in page
    assert "Yes, delete my answers" in page
    assert count(session, Respondent) == 1 and count(session, Answer) > 0


def test_confirming_deletes_everything_and_audits_without_content(client, session, demo):
    reference = complete(client)
    other = complete(client.application.test_client())
    response = client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference.lower()})
    assert "Your answers have been deleted" in response.get_data(as_text=True)
    assert session.exec(select(Respondent.reference)).all() == [other]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdrawn")).one()
    assert event.detail == {"summary": "1 response withdrawn by its reference code", "responses": 1}
    assert event.user_id is None and reference not in str(event.detail)
    # A second click (or the back button) deletes nothing more and says so.
    again = client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert again.status_code == 200 and "There are no answers to delete" in again.get_data(as_text=True)
    assert count(session, Respondent) == 1


@pytest.mark.parametrize("typed, message", [
    ("ZZZZ-9999", "could not find that reference code"),
    ("ABC0-1234", "never use the letters O, I or L or the numbers 0 or 1"),
    ("abcd", "8 letters and numbers"),
    ("", "Enter your reference code"),
])
def test_codes_that_cannot_be_found_say_why(client, session, demo, typed, message):
    complete(client)
    response = client.post(f"/c/{SLUG}/withdraw", data={"reference": typed})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count(session, Respondent) == 1


def test_the_done_page_explains_taking_part_back_and_signposts_urgent_help(client, session, demo):
    complete(client)
    page = client.get(f"/c/{SLUG}/done").get_data(as_text=True)
    assert f'href="/c/{SLUG}/withdraw"' in page and "If you change your mind" in page
    for number in ("999", "111", "116 123"):
        assert f"<strong>{number}</strong>" in page


def test_withdrawal_pages_end_a_question_title_without_an_extra_full_stop(client, session, demo):
    """The demo's title ends with '?': the pages say '…what matters to you?' then the next sentence."""
    reference = complete(client)
    asked = " ".join(client.get(f"/c/{SLUG}/withdraw").get_data(as_text=True).split())
    assert "what matters to you? We will show you" in asked and "?." not in asked
    done = " ".join(client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
                    .get_data(as_text=True).split())
    assert "what matters to you? They will not be used" in done and "?." not in done


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_consent_text_names_the_way_back_that_the_start_page_gives(client, demo, lang):
    """It told people to give their code to the team, who never see codes, and did not mention the
    page where people take their answers back themselves."""
    consent = client.get(f"/c/{SLUG}/consent?lang={lang}").get_data(as_text=True)
    start = client.get(f"/c/{SLUG}/").get_data(as_text=True)
    link = re.search(r'<a href="(/c/[^"]+/withdraw)">([^<]+)</a>', start)
    assert link and f"“{unescape(link.group(2))}”" in unescape(consent)
    assert "give them your code" not in consent and "rhowch eich cod" not in consent
    assert client.get(link.group(1)).status_code == 200


@pytest.mark.parametrize("lang, heading", [("en", "Your answers have already been deleted"),
                                           ("cy", "Mae eich atebion eisoes wedi'u dileu")])
def test_a_code_already_used_to_take_answers_back_says_so_not_that_it_was_never_found(
        client, session, demo, lang, heading):
    """It said "We could not find that reference code… check it", as if the answers were still
    kept under a code the person had mistyped."""
    reference = complete(client)
    client.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    again = client.post(f"/c/{SLUG}/withdraw?lang={lang}", data={"reference": reference.lower()})
    page = unescape(again.get_data(as_text=True))
    assert again.status_code == 200 and heading in page
    assert "could not find that reference code" not in page
    assert count(session, Respondent) == 0


@pytest.mark.parametrize("lang, lead, kept", [
    ("en", "our safeguarding lead will still read it before it is deleted",
     "we have kept that answer, and only that answer, for our safeguarding lead to read"),
    ("cy", "bydd ein harweinydd diogelu yn dal i'w ddarllen cyn iddo gael ei ddileu",
     "rydym wedi cadw'r ateb hwnnw, a dim ond yr ateb hwnnw, i'n harweinydd diogelu ei ddarllen"),
])
def test_consent_and_both_withdrawal_pages_say_the_safeguarding_lead_still_reads_a_disclosure(
        client, session, demo, lang, lead, kept):
    """A flagged answer no lead has dealt with is kept for the lead (see surveys.safeguarding): the
    pages said "Nobody will be able to see them again", which was no longer true. Once the answers
    are deleted, the page says what was kept; it said the lead "will still read it before it is
    deleted" under "We have deleted your answers"."""
    reference = complete(client)
    consent = unescape(client.get(f"/c/{SLUG}/consent?lang={lang}").get_data(as_text=True))
    assert lead in consent
    asked = unescape(client.post(f"/c/{SLUG}/withdraw?lang={lang}", data={"reference": reference})
                     .get_data(as_text=True))
    assert lead in asked and "Nobody will be able to see them again" not in asked
    assert "Ni fydd neb yn gallu eu gweld eto" not in asked
    done = unescape(client.post(f"/c/{SLUG}/withdraw/confirm?lang={lang}", data={"reference": reference})
                    .get_data(as_text=True))
    assert kept in done and lead not in done
