"""The same paper form typed in twice: asked about before anything is saved, and saved again only
with a deliberate "Save it anyway" (two people can give the same answers)."""

from html.parser import HTMLParser

from sqlmodel import select

from surveys.models import AuditEvent, Respondent

from ...factories import demo_consultation
from ..auth.conftest import sign_in
from .test_entry import ENTRY, paper_form


class _HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields.append((attrs["name"], attrs.get("value") or ""))


def hidden_fields(html: str) -> dict:
    parser = _HiddenFields()
    parser.feed(html)
    sent: dict[str, list[str]] = {}
    for name, value in parser.fields:
        sent.setdefault(name, []).append(value)
    return sent


def people(session) -> list[Respondent]:
    session.expire_all()
    return session.exec(select(Respondent).order_by(Respondent.id)).all()


def test_the_same_form_typed_in_again_is_asked_about_and_saved_only_when_confirmed(client, session, staff):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    assert client.post(ENTRY + "new", data=paper_form()).status_code == 302
    [first] = people(session)

    again = client.post(ENTRY + "new", data=paper_form())
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "These answers have been typed in before" in page
    assert f"They are exactly the same as response {first.id}, typed in at " in page
    assert "This response has not been saved yet." in page
    assert f'href="{ENTRY}"' in page  # "Do not save it" leaves, saving nothing
    assert len(people(session)) == 1
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "response.enter")).all()) == 1

    # "Save it anyway" sends everything typed again, naming the response it was warned about.
    sent = hidden_fields(page)
    assert sent["same-as"] == [str(first.id)]
    assert sent["q-fix-one-thing"] == [paper_form()["q-fix-one-thing"]]  # the words as typed
    saved = client.post(ENTRY + "new", data=sent)
    assert saved.status_code == 302
    assert len(people(session)) == 2
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "response.enter")
                          .order_by(AuditEvent.id)).all()
    assert events[-1].detail["same_answers_as"] == first.id


def test_a_confirmation_for_another_response_is_asked_again(client, session, staff):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    client.post(ENTRY + "new", data=paper_form())
    client.post(ENTRY + "new", data={**paper_form(), "same-as": str(people(session)[0].id)})
    [_first, second] = people(session)
    # A third copy confirmed against the first, though the second is now the latest like it.
    again = client.post(ENTRY + "new", data={**paper_form(), "same-as": str(_first.id)})
    assert again.status_code == 200
    assert f"the same as response {second.id}," in again.get_data(as_text=True)
    assert len(people(session)) == 2


def test_other_answers_or_another_channel_are_saved_without_asking(client, session, staff):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    assert client.post(ENTRY + "new", data=paper_form()).status_code == 302
    assert client.post(ENTRY + "new", data=paper_form(**{"q-new-vs-existing": "-1"})).status_code == 302
    other_words = paper_form(**{"q-fix-one-thing": "Something else"})
    assert client.post(ENTRY + "new", data=other_words).status_code == 302
    assert client.post(ENTRY + "new", data=paper_form(channel="phone")).status_code == 302
    assert len(people(session)) == 4
