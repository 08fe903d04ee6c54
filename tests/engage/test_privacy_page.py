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


def test_privacy_page_promises_no_more_than_the_team_can_do_with_a_code(client, session):
    """It said the team would delete answers for anyone who gave them the code, but staff never see
    codes (the demo's consent text says so): only the code, on the take-back page, finds answers."""
    from surveys.definitions import DEMO

    from ..factories import demo_consultation
    from ..journey_helpers import SLUG

    page = words(client.get("/privacy"))
    assert "give the code to the team" not in page and "delete your answers for you" not in page
    assert ("The team running the consultation never sees reference codes, so they cannot use your code to "
            "find your answers. They can help you use the page, but only someone who has the code can take "
            "the answers back.") in page
    # The page it names is the one each consultation's first page links to, by the same words.
    demo_consultation(session)
    start = words(client.get(f"/c/{SLUG}/"))
    assert '"Take back answers you have already sent"' in page
    assert f'href="/c/{SLUG}/withdraw">Take back answers you have already sent</a>' in start
    # And it agrees with what the demo's consent text tells people.
    assert "cannot see reference codes, so they cannot look up your answers for you" in DEMO.read_text()
    welsh = words(client.get("/privacy?lang=cy"))
    assert "Gallwch hefyd roi'r cod i'r tîm" not in welsh
    assert ("Nid yw'r tîm sy'n cynnal yr ymgynghoriad byth yn gweld codau cyfeirnod, felly ni allant "
            "ddefnyddio eich cod i ddod o hyd i'ch atebion.") in welsh
    assert "dim ond rhywun sydd â'r cod all dynnu'r atebion yn ôl" in welsh
