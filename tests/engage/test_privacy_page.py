"""The privacy page tells the truth about email addresses: it said "We do not ask for your email
address" while three forms ask for one. It says what each is used for and how long it is kept, by
the same rules the code keeps them (the outbox's purge, the outcome's deletion), in English and Welsh."""

import html
import re

from surveys import outbox


def words(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def test_privacy_page_says_what_email_addresses_are_used_for_and_how_long_they_are_kept(client):
    page = words(client.get("/privacy"))
    assert "We do not ask for your email address" not in page
    assert "We ask for your email address only if you choose to get an email from us." in page
    for use in ("a receipt with your reference code", "a link to carry on with your answers later",
                "one email to tell you the outcome"):
        assert use in page, use
    days = outbox.KEEP_FAILED.days
    assert ("we keep your address only until the email has been sent. If it cannot be sent, we delete "
            f"your address within {days} days.") in page
    assert ("we keep your address apart from your answers, so it cannot be linked to them. We delete it "
            "once we have sent you the outcome, or when we delete the consultation's answers") in page


def test_the_welsh_privacy_page_says_the_same(client):
    page = words(client.get("/privacy?lang=cy"))
    assert "Rydym yn gofyn am eich cyfeiriad e-bost dim ond os byddwch yn dewis cael e-bost gennym." in page
    assert "derbynneb gyda'ch cod cyfeirnod" in page and "dolen i barhau" in page
    assert f"rydym yn dileu eich cyfeiriad o fewn {outbox.KEEP_FAILED.days} diwrnod" in page
    assert "rydym yn cadw eich cyfeiriad ar wahân i'ch atebion" in page
