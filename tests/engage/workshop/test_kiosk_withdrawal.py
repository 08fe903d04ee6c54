"""A kiosk response taken back stays taken back, even if the tablet sends it again."""

import re

from sqlmodel import func, select

from surveys.models import Answer, Respondent

from ...factories import user
from .helpers import all_answers, post_response, sign_in
from .test_kiosk_http import signed


def test_a_response_sent_again_after_its_person_took_it_back_is_not_stored_again(client, app, session,
                                                                                 demo, workshop):
    # The tablet's first send arrived but its reply was lost (hospital Wi-Fi): it keeps the
    # response queued with its key, and sends it again later.
    reference_body = signed(app, workshop, "ABCD-EF23")
    first = post_response(client, app, workshop, key="queued-key-123456", **reference_body)
    assert first.status_code == 201 and first.json["reference"] == "ABCD-EF23"
    # Meanwhile the person, home with the code from the tablet, takes their answers back.
    phone = app.test_client()
    done = phone.post(f"/c/{demo.slug}/withdraw/confirm", data={"reference": "ABCD-EF23"})
    assert "Your answers have been deleted" in done.get_data(as_text=True)
    again = post_response(client, app, workshop, key="queued-key-123456", **reference_body)
    assert again.status_code in (200, 201)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0
    # The withdrawn code is not given to anyone else either: it stays unusable.
    other = post_response(client, app, workshop, key="another-key-123456", **reference_body)
    assert other.status_code == 409 and other.json["status"] == "reference-taken"
    queued = post_response(client, app, workshop, key="another-key-123456", lenient=True, **reference_body)
    assert queued.status_code == 201 and queued.json["reference"] != "ABCD-EF23"


def test_answers_taken_back_before_the_tablet_sends_them_are_deleted_as_they_arrive(client, app, session,
                                                                                  demo, workshop):
    """The tablet showed the code at once but had no Wi-Fi; the person, home, takes their answers
    back before they have reached us. "We could not find that code" left them to arrive and stay."""
    from surveys.models import AuditEvent, HeldDisclosure

    from .helpers import all_answers

    phone = app.test_client()
    page = phone.post(f"/c/{demo.slug}/withdraw", data={"reference": "abcd ef23"})
    said = page.get_data(as_text=True)
    assert page.status_code == 400 and "We could not find that reference code" in said
    assert "Did you answer on a tablet at a workshop?" in said and 'value="ABCD-EF23"' in said
    done = phone.post(f"/c/{demo.slug}/withdraw/pending", data={"reference": "ABCD-EF23"})
    assert "Your answers will be deleted when they arrive" in done.get_data(as_text=True)
    # Asking again says so, rather than "not found".
    again = phone.post(f"/c/{demo.slug}/withdraw", data={"reference": "ABCD-EF23"})
    assert "Your answers will be deleted when they arrive" in again.get_data(as_text=True)

    # The tablet gets its Wi-Fi back. Among the answers, one the safeguarding leads must still read.
    answers = {**all_answers(), "q-what-matters-most": "My husband hits me when I try to book online"}
    sent = post_response(client, app, workshop, key="late-key-123456", answers=answers,
                         **signed(app, workshop, "ABCD-EF23"))
    assert sent.status_code == 200 and sent.json["status"] == "withdrawn"  # the tablet drops it
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0
    assert session.exec(select(func.count()).select_from(HeldDisclosure)).one() == 1
    # Sent again (its reply was lost): still nothing stored.
    post_response(client, app, workshop, key="late-key-123456", answers=answers,
                  **signed(app, workshop, "ABCD-EF23"))
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0
    event = session.exec(select(AuditEvent)
                         .where(AuditEvent.action == "response.withdrawn_before_arrival")).one()
    assert "ABCD" not in str(event.detail)


def test_a_code_not_found_where_no_workshop_ran_is_not_offered_for_later(client, session):
    from ...factories import demo_consultation

    consultation = demo_consultation(session)
    page = client.post(f"/c/{consultation.slug}/withdraw", data={"reference": "ABCD-EF23"})
    assert page.status_code == 400 and "Did you answer on a tablet" not in page.get_data(as_text=True)


def _offered(phone, slug: str) -> bool:
    page = phone.post(f"/c/{slug}/withdraw", data={"reference": "ABCD-EF23"})
    said = page.get_data(as_text=True)
    assert page.status_code == 400 and "We could not find that reference code" in said
    return "Did you answer on a tablet at a workshop?" in said and "Delete them when they arrive" in said


def test_deleting_answers_when_they_arrive_is_offered_only_while_a_tablet_can_send(app, session, demo,
                                                                                 workshop):
    """Offered for any consultation that ever ran a workshop, it promised to delete answers that
    could never come: a tablet's answers are taken only while its workshop and the consultation
    take answers (open, or closed within WORKSHOP_GRACE_MINUTES)."""
    from datetime import timedelta

    from surveys import workshops
    from surveys.models import utcnow

    phone = app.test_client()
    grace = app.config["WORKSHOP_GRACE_MINUTES"]
    assert _offered(phone, demo.slug)  # the workshop is open
    workshops.close_workshop(session, workshop, now=utcnow() - timedelta(minutes=grace - 5))
    session.commit()
    assert _offered(phone, demo.slug)  # closed, but its tablets may still be sending
    workshop.closed_at = utcnow() - timedelta(minutes=grace + 5)
    session.add(workshop)
    session.commit()
    assert not _offered(phone, demo.slug)  # closed for longer: no tablet can send
    # A page left open from before is not taken up either: nothing waits to be deleted.
    stale = phone.post(f"/c/{demo.slug}/withdraw/pending", data={"reference": "ABCD-EF23"})
    assert stale.status_code == 302 and stale.headers["Location"].endswith(f"/c/{demo.slug}/withdraw")
    assert "will be deleted when they arrive" not in phone.post(
        f"/c/{demo.slug}/withdraw", data={"reference": "ABCD-EF23"}).get_data(as_text=True)


def test_not_offered_once_the_consultation_has_stopped_taking_answers(app, session, demo, workshop):
    from datetime import timedelta

    from surveys.models import utcnow

    grace = app.config["WORKSHOP_GRACE_MINUTES"]
    demo.status, demo.closes_at = "closed", utcnow() - timedelta(minutes=grace + 5)
    session.add(demo)
    session.commit()
    assert workshop.status == "open"
    assert not _offered(app.test_client(), demo.slug)


def test_a_code_shown_to_two_people_takes_back_nobodys_answers(client, app, session, demo, workshop):
    """A tablet offline showed the same code to two people. The second's answers, queued until
    their person had gone, are kept under a new code; the shared code must not then take back the
    first person's answers (it did: it withdrew whoever had it on the server)."""
    shared = signed(app, workshop, "ABCD-EF23")
    first = post_response(client, app, workshop, key="first-key-123456", **shared)
    assert first.status_code == 201 and first.json["reference"] == "ABCD-EF23"
    second = post_response(client, app, workshop, key="second-key-123456", lenient=True, **shared)
    assert second.status_code == 201 and second.json["reference"] not in {"ABCD-EF23", None}
    session.expire_all()
    assert sorted(session.exec(select(Respondent.reference)).all()) == sorted(
        ["ABCD-EF23", second.json["reference"]])

    phone = app.test_client()
    page = phone.post(f"/c/{demo.slug}/withdraw", data={"reference": "ABCD-EF23"})
    said = page.get_data(as_text=True)
    assert page.status_code == 400 and "given to more than one person" in said
    # What it asks for is what staff can find a response by (they never see codes): words in it.
    assert "if you tell them some words you wrote in them" in said
    assert "Did you answer on a tablet at a workshop?" not in said
    phone.post(f"/c/{demo.slug}/withdraw/confirm", data={"reference": "ABCD-EF23"})
    phone.post(f"/c/{demo.slug}/withdraw/pending", data={"reference": "ABCD-EF23"})
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 2
    assert session.exec(select(func.count()).select_from(Answer)).one() > 0
    # Sent again (a lost reply): still the one response, under its new code.
    again = post_response(client, app, workshop, key="second-key-123456", lenient=True, **shared)
    assert again.status_code == 200 and again.json["reference"] == second.json["reference"]


def test_staff_find_a_shared_codes_answers_by_the_words_the_person_tells_them(client, app, session, demo,
                                                                             workshop):
    """The withdraw page sends someone whose code was shared to the team with words they wrote:
    an administrator finds the response by those words, and deletes it."""
    shared = signed(app, workshop, "ABCD-EF23")
    mine = {**all_answers(), "q-what-matters-most": "Seeing the same nurse at the Tuesday clinic"}
    first = post_response(client, app, workshop, key="first-key-123456", answers=mine, **shared)
    second = post_response(client, app, workshop, key="second-key-123456", lenient=True, **shared)
    assert first.status_code == second.status_code == 201
    said = app.test_client().post(f"/c/{demo.slug}/withdraw?lang=cy", data={"reference": "ABCD-EF23"})
    assert said.status_code == 400 and "os byddwch yn dweud wrthynt" in said.get_data(as_text=True)

    team = app.test_client()
    sign_in(team, user(session, "admin@example.nhs.uk", "admin").email)
    found = team.get(f"/manage/c/{demo.slug}/responses/text", query_string={"q": "Tuesday clinic"})
    links = re.findall(rf'href="/manage/c/{demo.slug}/responses/r/(\d+)"', found.get_data(as_text=True))
    theirs = session.exec(select(Respondent.id).where(Respondent.reference == "ABCD-EF23")).one()
    assert set(links) == {str(theirs)}
    deleted = team.post(f"/manage/c/{demo.slug}/responses/r/{theirs}/withdraw",
                        data={"reason": "Asked by phone"})
    assert deleted.status_code == 302
    session.expire_all()
    assert session.exec(select(Respondent.reference)).all() == [second.json["reference"]]
