"""A kiosk's language comes from its address alone: a person's switch on a shared tablet leaves
nothing in the browser's session for the next person (the tablet returns to its own language)."""

from sqlmodel import select

from surveys.models import Consultation


def _offered_in_welsh(session, demo):
    consultation = session.exec(select(Consultation).where(Consultation.id == demo.id)).one()
    consultation.languages = ["en", "cy"]
    session.add(consultation)
    session.commit()


def test_a_switch_on_the_kiosk_is_not_kept_for_the_next_load(client, session, demo, workshop):
    _offered_in_welsh(session, demo)
    kiosk = f"/workshop/k/{workshop.join_code}/1"
    welsh = client.get(kiosk + "?lang=cy")
    assert welsh.status_code == 200 and '<html lang="cy"' in welsh.data.decode()
    assert "Set-Cookie" not in welsh.headers  # no choice kept in a cookie on the shared tablet
    # The next load with no language in its address is not in the last person's language.
    assert '<html lang="en"' in client.get(kiosk).data.decode()


def test_joining_in_welsh_opens_the_kiosk_in_welsh_by_its_address(client, session, demo, workshop):
    _offered_in_welsh(session, demo)
    client.get("/workshop/?lang=cy")
    joined = client.get(f"/workshop/?code={workshop.join_code}&table=2")
    assert joined.status_code == 302
    assert joined.headers["Location"].endswith(f"/workshop/k/{workshop.join_code}/2?lang=cy")


def test_a_welsh_tablet_gives_the_take_back_address_in_welsh(client, session, demo, workshop):
    """The thank-you screen's address to take answers back opened in English: another browser
    knows no choice of language but the one its address gives."""
    _offered_in_welsh(session, demo)
    html = client.get(f"/workshop/k/{workshop.join_code}/1?lang=cy").data.decode()
    address = f"http://localhost/c/{demo.slug}/withdraw?lang=cy"
    assert f"<strong>{address}</strong>" in html
    assert '<html lang="cy"' in client.get(address.removeprefix("http://localhost")).data.decode()
    english = client.get(f"/workshop/k/{workshop.join_code}/1").data.decode()
    assert f"<strong>http://localhost/c/{demo.slug}/withdraw</strong>" in english
