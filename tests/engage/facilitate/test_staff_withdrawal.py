"""Staff never see reference codes; only an admin deletes a response for a person, with a reason."""

import pytest
from sqlmodel import func, select

from surveys.models import Answer, AuditEvent, Respondent

from ...factories import demo_consultation
from ...journey_helpers import complete
from ..auth.conftest import sign_in


@pytest.fixture
def responded(app, session):
    consultation = demo_consultation(session)
    reference = complete(app.test_client())
    person = session.exec(select(Respondent)).one()
    return consultation, reference, person


@pytest.mark.parametrize("role", ["viewer", "facilitator", "admin"])
def test_staff_pages_show_an_internal_number_never_the_reference_code(client, session, staff, responded,
                                                                      role):
    consultation, reference, person = responded
    u = staff(f"{role}@example.nhs.uk", role, consultations=(consultation,))
    sign_in(client, u.email)
    base = f"/manage/c/{consultation.slug}/responses"
    texts = client.get(f"{base}/text").get_data(as_text=True)
    assert f'href="{base}/r/{person.id}"' in texts and reference not in texts
    page = client.get(f"{base}/r/{person.id}")
    assert page.status_code == 200 and f"Response {person.id}" in page.get_data(as_text=True)
    assert reference not in page.get_data(as_text=True)
    assert client.get(f"{base}/r/{reference}").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_only_admins_may_delete_a_response(client, session, staff, responded, role):
    consultation, _, person = responded
    sign_in(client, staff(f"{role}@example.nhs.uk", role, consultations=(consultation,)).email)
    url = f"/manage/c/{consultation.slug}/responses/r/{person.id}/withdraw"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "They phoned"}).status_code == 403
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 1


def test_an_admin_deletes_a_response_with_a_recorded_reason(client, session, staff, responded):
    consultation, reference, person = responded
    admin = staff("admin@example.nhs.uk", "admin")
    sign_in(client, admin.email)
    url = f"/manage/c/{consultation.slug}/responses/r/{person.id}/withdraw"
    assert "delete this response" in client.get(
        f"/manage/c/{consultation.slug}/responses/r/{person.id}").get_data(as_text=True)
    missing = client.post(url, data={"reason": "  "})
    assert missing.status_code == 400 and "Enter why you are deleting this response" in missing.get_data(
        as_text=True)
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 1
    done = client.post(url, data={"reason": "Phoned on 3 March and asked"})
    assert done.status_code == 302
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdrawn_by_staff")).one()
    assert event.user_id == admin.id and event.detail["reason"] == "Phoned on 3 March and asked"
    assert event.detail["summary"] == "1 response withdrawn by staff at the person's request"
    assert reference not in str(event.detail)
    assert client.get(url).status_code == 404
