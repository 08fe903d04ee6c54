"""Copying a consultation as a new draft: same structure and wording, no responses."""

from sqlmodel import func, select

from engage.sample_responses import add_sample_responses
from surveys.definitions import export_definition
from surveys.models import AuditEvent, Consultation, Question, Respondent

from ...factories import demo_consultation
from ..auth.conftest import sign_in


def _structure(session, consultation):
    definition = export_definition(session, consultation)
    definition.pop("slug")
    definition.pop("title")
    definition.get("cy", {}).pop("title", None)  # the copy's title is its own, in every language
    return definition


def test_copy_keeps_pages_questions_routing_and_no_responses(client, session, staff):
    source = demo_consultation(session)
    add_sample_responses(session, source, 12)
    session.commit()
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [source]).email)

    form = client.get(f"/manage/c/{source.slug}/copy").get_data(as_text=True)
    assert f'value="{source.slug}-copy"' in form
    r = client.post(f"/manage/c/{source.slug}/copy", data={"slug": "next-year", "title": "Next year"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/manage/c/next-year/")

    session.expire_all()
    copy = session.exec(select(Consultation).where(Consultation.slug == "next-year")).one()
    assert (copy.title, copy.status, copy.version) == ("Next year", "draft", 1)
    assert _structure(session, copy) == _structure(session, source)
    assert any(p.get("show_if") for p in export_definition(session, copy)["pages"])  # routing came too
    repeats = session.exec(select(Question).where(Question.consultation_id == copy.id,
                                                  Question.repeat_of_id.is_not(None))).all()
    assert repeats and all(session.get(Question, q.repeat_of_id).consultation_id == copy.id for q in repeats)
    assert session.exec(select(func.count()).select_from(Respondent)
                        .where(Respondent.consultation_id == copy.id)).one() == 0
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "consultation.copy")).one()
    assert event.detail == {"slug": "next-year", "from": source.slug}
    # The copy is the facilitator's to build on.
    assert client.get("/manage/c/next-year/").status_code == 200


def test_copy_refuses_a_taken_name_and_viewers(client, session, staff):
    source = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [source]).email)
    r = client.post(f"/manage/c/{source.slug}/copy", data={"slug": source.slug, "title": "Again"})
    assert r.status_code == 400
    assert "already exists" in r.get_data(as_text=True)
    r = client.post(f"/manage/c/{source.slug}/copy", data={"slug": "Not A Key", "title": ""})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "Enter a title" in page and "lowercase letters" in page
    assert session.exec(select(func.count()).select_from(Consultation)).one() == 1

    client.post("/account/sign-out")
    sign_in(client, staff("viewer@example.nhs.uk", "viewer", [source]).email)
    assert client.post(f"/manage/c/{source.slug}/copy", data={"slug": "x", "title": "X"}).status_code == 403
