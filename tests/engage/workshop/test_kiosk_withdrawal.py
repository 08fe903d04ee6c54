"""A kiosk response taken back stays taken back, even if the tablet sends it again."""

from sqlmodel import func, select

from surveys.models import Answer, Respondent

from .helpers import post_response
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
    assert other.status_code == 201 and other.json["reference"] != "ABCD-EF23"
