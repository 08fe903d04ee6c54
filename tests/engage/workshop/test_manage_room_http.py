"""Workshop management and the room display through HTTP: access rules, closing, aggregates."""

import re

import pytest
from sqlmodel import select

from surveys import workshops
from surveys.models import AuditEvent, Workshop

from ...factories import demo_consultation, user
from .helpers import PIN, all_answers, post_response, sign_in


def test_facilitator_opens_a_workshop_and_gets_codes_and_qr_per_table(client, session, demo):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    page = client.get(f"/workshop/manage/c/{demo.slug}/")
    assert page.status_code == 200
    response = client.post(f"/workshop/manage/c/{demo.slug}/", data={
        "name": "Leeds staff workshop", "tables": "4", "pin": "2468", "pin_again": "2468"})
    assert response.status_code == 302
    workshop = session.exec(select(Workshop)).one()
    assert workshop.tables == 4 and workshop.status == "open" and len(workshop.join_code) == 6
    assert "2468" not in workshop.pin_hash and workshop.pin_hash.startswith("$argon2")
    html = client.get(response.headers["Location"]).data.decode()
    assert workshop.join_code in html
    assert html.count('src="data:image/svg+xml') == 4
    for table in range(1, 5):
        assert f"/workshop/k/{workshop.join_code}/{table}" in html
    assert f"/workshop/room/{workshop.join_code}" in html
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "workshop.create")).one()


def test_tablets_set_up_from_the_welsh_page_open_in_welsh(client, session, demo):
    """A tablet keeps the language it is set up in, from its address (the kiosk keeps no choice in
    a cookie): the table links and QR codes carry the language the facilitator's page is shown in."""
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    created = client.post(f"/workshop/manage/c/{demo.slug}/", data={
        "name": "Gweithdy Caerdydd", "tables": "2", "pin": "2468", "pin_again": "2468"})
    workshop = session.exec(select(Workshop)).one()
    english = client.get(f"{created.headers['Location']}?lang=en").data.decode()
    assert f"/workshop/k/{workshop.join_code}/1\"" in english and "open in English" in english
    welsh = client.get(f"{created.headers['Location']}?lang=cy").data.decode()
    link = re.search(rf'href="([^"]*/workshop/k/{workshop.join_code}/1[^"]*)"', welsh).group(1)
    assert link.endswith("/1?lang=cy"), link
    tablet = client.application.test_client()  # a tablet: no cookie of the facilitator's
    assert 'lang="cy"' in tablet.get(link.split("localhost", 1)[-1]).data.decode()
    assert "/workshop/?lang=cy" in welsh  # the join page's address, typed on a tablet


@pytest.mark.parametrize("data, message", [
    ({"name": "", "tables": "2", "pin": "2468", "pin_again": "2468"}, "Enter a name for the workshop"),
    ({"name": "W", "tables": "0", "pin": "2468", "pin_again": "2468"}, "from 1 to 100"),
    ({"name": "W", "tables": "2", "pin": "12", "pin_again": "12"}, "4 to 8 digits"),
    ({"name": "W", "tables": "2", "pin": "2468", "pin_again": "2469"}, "The two PINs are different"),
])
def test_workshop_form_errors(client, session, demo, data, message):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    response = client.post(f"/workshop/manage/c/{demo.slug}/", data=data)
    assert response.status_code == 400
    assert message in response.data.decode()
    assert session.exec(select(Workshop)).first() is None


def test_the_error_summary_lists_the_problems_in_the_forms_order(client, session, demo):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    page = client.post(f"/workshop/manage/c/{demo.slug}/", data={}).data.decode()
    summary = page[page.index("nhsuk-error-summary"):page.index("</ul>", page.index("nhsuk-error-summary"))]
    links = re.findall(r'href="#([\w-]+)"', summary)
    fields = re.findall(r'<input[^>]* id="([\w-]+)"', page[page.index("<form method=\"post\""):])
    assert links == ["name", "tables", "pin", "pin_again"]
    assert [f for f in fields if f in links] == links


def test_access_rules(client, session, demo, workshop):
    other = demo_consultation(session, slug="another-one")
    user(session, "stranger@example.nhs.uk", consultations=(other,))
    user(session, "viewer@example.nhs.uk", role="viewer", consultations=(demo,))
    user(session, "admin@example.nhs.uk", role="admin")
    urls = [f"/workshop/manage/c/{demo.slug}/", f"/workshop/manage/w/{workshop.id}/"]
    room = f"/workshop/room/{workshop.join_code}"

    for url in [*urls, room, room + "/data.json"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    sign_in(client, "stranger@example.nhs.uk")
    for url in [*urls, room, room + "/data.json"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/workshop/manage/w/{workshop.id}/close").status_code == 403
    client.get("/account/sign-out")
    sign_in(client, "viewer@example.nhs.uk")
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.get(room).status_code == 200  # aggregates only: viewers may watch
    client.get("/account/sign-out")
    sign_in(client, "admin@example.nhs.uk")
    for url in [*urls, room]:
        assert client.get(url).status_code == 200, url
    session.expire_all()
    assert session.get(Workshop, workshop.id).status == "open"


def test_facilitator_closes_the_workshop(client, app, session, demo, workshop):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    assert "workshop-qr" in client.get(f"/workshop/manage/w/{workshop.id}/").data.decode()
    response = client.post(f"/workshop/manage/w/{workshop.id}/close")
    assert response.status_code == 302
    session.expire_all()
    closed = session.get(Workshop, workshop.id)
    assert closed.status == "closed" and closed.closed_at is not None
    page = client.get(response.headers["Location"]).data.decode()
    assert "Closed at" in page and "Close workshop" not in page
    # No tablet codes to scan any more: they would only lead a tablet to "closed".
    assert "workshop-qr" not in page and "scan the table" not in page
    # Still within the grace period: a tablet's queued response is taken.
    assert post_response(client, app, workshop).status_code == 201


def room_data(client, workshop):
    response = client.get(f"/workshop/room/{workshop.join_code}/data.json")
    assert response.status_code == 200
    return response.json


def test_room_aggregates_hide_small_groups_and_never_show_a_person(client, app, session, demo, workshop):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    for i in range(4):
        answers = all_answers()
        answers["q-connection-vs-speed-before"] = "-3"
        answers["q-connection-vs-speed-after"] = str(i - 1)
        assert post_response(client, app, workshop, table=1, answers=answers).status_code == 201
    data = room_data(client, workshop)["data"]
    assert data["total"] is None and data["shown"] is False and data["tradeoffs"] == []
    assert all(not t["shown"] and t["count"] is None for t in data["tables"])

    assert post_response(client, app, workshop, table=2, answers=all_answers()).status_code == 201
    reply = room_data(client, workshop)
    data = reply["data"]
    assert data["total"] == 5 and data["shown"] is True
    assert [(t["table"], t["shown"]) for t in data["tables"]] == [(1, False), (2, False), (3, True)]
    pair = next(t for t in data["tradeoffs"] if t["key"] == "connection-vs-speed-before")
    before, after = pair["before"], pair["after"]
    assert before["answered"] == 5 and after["answered"] == 5
    assert {p["point"]: p["count"] for p in before["points"]}[-3] == 4
    assert {p["point"]: p["count"] for p in before["points"]}[-2] == 1
    assert after["mean"] == pytest.approx((-1 + 0 + 1 + 2 + 1) / 5)
    # The repeated question is shown with the one it repeats, not on its own.
    assert "connection-vs-speed-after" not in [t["key"] for t in data["tradeoffs"]]
    assert "Before the discussion" in reply["html"] and "After the discussion" in reply["html"]
    # Free text never reaches the room.
    assert "07700" not in reply["html"] and "listened" not in reply["html"]
    page = client.get(f"/workshop/room/{workshop.join_code}").data.decode()
    assert "Results from 5 people" in page and "Table 1:\n    <strong>not shown" in page

    # 4 at table 1 and 6 at table 2 of 10: table 2 shown would give table 1 as 10 - 6. Both are
    # hidden until a second small count hides table 1 with it.
    for _ in range(5):
        assert post_response(client, app, workshop, table=2, answers=all_answers()).status_code == 201
    tables = room_data(client, workshop)["data"]["tables"]
    assert [(t["table"], t["count"]) for t in tables] == [(1, None), (2, None), (3, 0)]
    # One more at table 3 changes nothing shown (the display moves in whole groups); 5 more do.
    assert post_response(client, app, workshop, table=3, answers=all_answers()).status_code == 201
    tables = room_data(client, workshop)["data"]["tables"]
    assert [(t["table"], t["count"]) for t in tables] == [(1, None), (2, None), (3, 0)]
    for _ in range(4):
        assert post_response(client, app, workshop, table=3, answers=all_answers()).status_code == 201
    tables = room_data(client, workshop)["data"]["tables"]
    assert [(t["table"], t["count"]) for t in tables] == [(1, None), (2, 6), (3, None)]


def test_room_minimum_follows_the_larger_setting(client, app, session, demo, workshop):
    app.config["MIN_GROUP_SIZE"] = 2
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    for _ in range(2):
        post_response(client, app, workshop)
    assert room_data(client, workshop)["data"]["minimum"] == 5  # the consultation's own minimum
    workshops.close_workshop(session, session.get(Workshop, workshop.id))
    session.commit()
    assert PIN  # the workshop's PIN is not needed to watch the room


def test_a_closed_workshop_without_a_closing_time_still_shows(client, session, demo, workshop):
    """Workshops closed before closing times were kept (and the demo's sample one) have none."""
    workshop.status, workshop.closed_at = "closed", None
    session.add(workshop)
    session.commit()
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    response = client.get(f"/workshop/manage/w/{workshop.id}/")
    assert response.status_code == 200
    assert "Closed" in response.data.decode()


def test_the_sample_workshop_is_closed_with_a_time(client, session, demo):
    from engage.sample_responses import add_sample_responses

    add_sample_responses(session, demo, 3)
    session.commit()
    sample = session.exec(select(Workshop)).one()
    assert sample.status == "closed" and sample.closed_at is not None
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    assert "Closed at " in client.get(f"/workshop/manage/w/{sample.id}/").data.decode()
