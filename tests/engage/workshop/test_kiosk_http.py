"""The kiosk's server side through HTTP: joining, whole responses, idempotency, grace period, PIN."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from surveys import builder, workshops
from surveys.models import Answer, Consultation, Question, Respondent, Workshop, utcnow

from .helpers import PIN, all_answers, kiosk_token, make_workshop, post_response


def count(session, model=Respondent):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_join_by_code_and_table_leads_to_the_kiosk(client, workshop):
    response = client.get(f"/workshop/?code={workshop.join_code.lower()}&table=2")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/workshop/k/{workshop.join_code}/2")


@pytest.mark.parametrize("query, message", [
    ("code=NOPE99&table=1", "Enter the join code"),
    ("code=&table=", "Enter the join code"),  # Join pressed with both boxes empty
    ("code=+&table=", "Enter the join code"),
    ("code={code}&table=4", "Enter a table number from 1 to 3"),
    ("code={code}&table=x", "Enter a table number from 1 to 3"),
])
def test_join_errors_are_explained(client, workshop, query, message):
    response = client.get("/workshop/?" + query.format(code=workshop.join_code))
    assert response.status_code == 400
    html = response.data.decode()
    assert message in html
    assert "<title>Error:" in html and "nhsuk-error-summary" in html


def test_kiosk_page_holds_every_page_and_sets_no_cookie(client, session, workshop, demo):
    response = client.get(f"/workshop/k/{workshop.join_code}/2")
    assert response.status_code == 200
    html = response.data.decode()
    assert 'data-key="about-you"' in html and 'data-key="staff-experience"' in html
    assert 'data-show-if="{&#34;in&#34;: [&#34;staff&#34;], &#34;question&#34;: &#34;role&#34;}"' in html \
        or "staff" in html.split('data-key="staff-experience"')[1][:200]
    assert kiosk_token(client.application, workshop, 2) in html
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/workshop/k/{workshop.join_code}/4").status_code == 404
    assert client.get("/workshop/k/NOPE99/1").status_code == 404


def test_service_worker_is_served_with_a_scope_covering_the_kiosk(client):
    response = client.get("/workshop/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/workshop/"
    assert b"engage-kiosk" in response.data


def test_whole_response_is_stored_once_tagged_with_workshop_and_table(client, app, session, workshop):
    first = post_response(client, app, workshop, table=2, key="key-0001-abcdef")
    assert first.status_code == 201, first.json
    assert first.json["status"] == "stored"
    respondent = session.exec(select(Respondent)).one()
    tagged = (respondent.channel, respondent.workshop_id, respondent.table_number)
    assert tagged == ("workshop", workshop.id, 2)
    assert respondent.submitted_at is not None and respondent.segment == "patient"
    assert respondent.resume_token_hash is None
    assert respondent.reference == first.json["reference"]
    answers = dict(session.exec(select(Question.key, Answer.value).join(Answer)).all())
    assert answers["connection-vs-speed-before"] == -2
    assert answers["technology-priorities"] == ["shared-records", "reliable-computers", "ai-scribes",
                                                "better-nhs-app"]
    assert answers["success-measures"] == ["safer-care", "other"]
    assert "staff-one-change" not in answers  # routed past: a patient never sees the staff page
    stored = count(session, Answer)

    again = post_response(client, app, workshop, table=2, key="key-0001-abcdef")
    assert again.status_code == 200
    assert again.json == {"status": "duplicate", "reference": first.json["reference"], "skipped": []}
    assert count(session) == 1 and count(session, Answer) == stored


def signed(app, workshop, reference):
    from engage.workshop.views.kiosk import reference_signature

    with app.test_request_context():
        return {"reference": reference, "reference_signature": reference_signature(workshop, reference)}


def test_a_reference_the_server_made_for_the_kiosk_is_kept_unless_already_taken(client, app, session,
                                                                                  workshop):
    # Queued offline, the person left with a code from the kiosk's signed pool: it must be stored.
    page = client.get(f"/workshop/k/{workshop.join_code}/1").get_data(as_text=True)
    assert 'data-references="{' in page and page.count('&#34;sig&#34;') == 30
    first = post_response(client, app, workshop, **signed(app, workshop, "ABCD-EF23"))
    assert first.status_code == 201 and first.json["reference"] == "ABCD-EF23"
    assert session.exec(select(Respondent.reference)).one() == "ABCD-EF23"
    # Another person at the screen with the same code (a tablet offline handed it out twice): not
    # stored under a code they never saw; the tablet is told, to give them another.
    clash = post_response(client, app, workshop, key="clash-key-123456", **signed(app, workshop, "ABCD-EF23"))
    assert clash.status_code == 409 and clash.json["status"] == "reference-taken"
    assert count(session) == 1
    other = post_response(client, app, workshop, key="clash-key-123456", **signed(app, workshop, "BCDE-FG34"))
    assert other.status_code == 201 and other.json["reference"] == "BCDE-FG34"
    for bad in ("abcd-ef23", "ABCD-EF20", "ABCDEF23", 12345678, "ABCD-EF23; DROP"):
        response = post_response(client, app, workshop, reference=bad)
        assert response.status_code == 400 and "reference" in response.json["message"]
    assert count(session) == 2


@pytest.mark.parametrize("extra", [{"reference": "ZZZZ-ZZZ2"},
                                   {"reference": "ZZZZ-ZZZ2", "reference_signature": "0" * 32},
                                   {"reference": "ZZZZ-ZZZ2", "reference_signature": None}])
def test_a_reference_the_tablet_chose_itself_is_replaced(client, app, session, workshop, demo, extra):
    response = post_response(client, app, workshop, **extra)
    assert response.status_code == 201 and response.json["reference"] != "ZZZZ-ZZZ2"
    assert session.exec(select(Respondent.reference)).one() == response.json["reference"]
    other = make_workshop(session, demo, name="York")
    elsewhere = post_response(client, app, other, **signed(app, workshop, "ABCD-EF23"))
    assert elsewhere.json["reference"] != "ABCD-EF23"  # signed for another workshop


def test_idempotency_keys_are_scoped_to_their_workshop(client, app, session, workshop, demo):
    first = post_response(client, app, workshop, key="key-shared-123456")
    assert first.status_code == 201
    other = make_workshop(session, demo, name="York")
    replay = post_response(client, app, other, key="key-shared-123456")
    assert replay.status_code == 409 and replay.json["status"] == "refused"
    assert first.json["reference"] not in replay.get_data(as_text=True)
    assert count(session) == 1
    again = post_response(client, app, workshop, key="key-shared-123456")
    assert again.status_code == 200 and again.json["reference"] == first.json["reference"]


def test_staff_answers_follow_routing(client, app, session, workshop):
    assert post_response(client, app, workshop, answers=all_answers("staff")).status_code == 201
    keys = session.exec(select(Question.key).join(Answer)).all()
    assert "staff-one-change" in keys


def test_invalid_answers_store_nothing_and_come_back_with_the_page(client, app, session, workshop):
    answers = all_answers()
    answers["q-new-vs-existing"] = "9"
    del answers["q-role"]
    response = post_response(client, app, workshop, answers=answers)
    assert response.status_code == 422
    assert response.json["page"] == "about-you"
    assert set(response.json["errors"]) == {"about-you", "technology-vs-implementation"}
    assert "nhsuk-error-summary" in response.json["html"]
    assert count(session) == 0


def test_lenient_response_from_the_queue_keeps_the_good_pages(client, app, session, workshop):
    answers = all_answers()
    answers["q-new-vs-existing"] = "9"
    response = post_response(client, app, workshop, answers=answers, lenient=True)
    assert response.status_code == 201
    assert response.json["skipped"] == ["technology-vs-implementation"]
    keys = session.exec(select(Question.key).join(Answer)).all()
    assert "new-vs-existing" not in keys and "connection-vs-speed-after" in keys


@pytest.mark.parametrize("body", [
    [], {"answers": {}}, {"idempotency_key": "short", "answers": {}},
    {"idempotency_key": "has spaces in it", "answers": {}},
    {"idempotency_key": "abcdefgh-1234", "answers": []},
    {"idempotency_key": "abcdefgh-1234", "answers": {"role": "patient"}},
    {"idempotency_key": "abcdefgh-1234", "answers": {"q-role": {"x": 1}}},
    {"idempotency_key": "abcdefgh-1234", "answers": {"q-role": True}},
    {"idempotency_key": "abcdefgh-1234", "answers": {f"q-{i}": "x" for i in range(401)}},
])
def test_malformed_payloads_are_refused(client, app, session, workshop, body):
    response = client.post(f"/workshop/k/{workshop.join_code}/1/responses", json=body,
                           headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
    assert response.status_code == 400
    assert count(session) == 0


def test_oversized_payload_is_refused(client, app, session, workshop):
    answers = all_answers()
    answers["q-anything-else-text"] = "x" * 300_000
    response = post_response(client, app, workshop, answers=answers)
    assert response.status_code == 413
    assert count(session) == 0


def test_token_must_match_workshop_and_table(client, app, session, demo, workshop):
    other = make_workshop(session, demo, name="Other")
    for token in (kiosk_token(app, workshop, 2), kiosk_token(app, other, 1)):
        assert post_response(client, app, workshop, table=1, token=token).status_code == 403
    assert post_response(client, app, workshop, table=1, token="forged.token").status_code == 403
    response = client.post(f"/workshop/k/{workshop.join_code}/1/responses",
                           json={"idempotency_key": "abcdefgh-1", "answers": all_answers()})
    assert response.status_code == 403
    assert count(session) == 0


def test_late_answers_accepted_during_grace_then_refused(client, app, session, workshop):
    workshops.close_workshop(session, workshop)
    session.commit()
    assert client.get(f"/workshop/k/{workshop.join_code}/1").status_code == 410
    within = post_response(client, app, workshop, key="late-but-in-grace")
    assert within.status_code == 201
    w = session.get(Workshop, workshop.id)
    w.closed_at = utcnow() - timedelta(minutes=app.config["WORKSHOP_GRACE_MINUTES"] + 1)
    session.add(w)
    session.commit()
    refused = post_response(client, app, workshop, key="too-late-for-grace")
    assert refused.status_code == 410
    assert "stopped taking answers at" in refused.json["message"]
    assert "were not saved" in refused.json["message"]
    # A retry of a response already stored is still recognised, never refused or doubled.
    assert post_response(client, app, workshop, key="late-but-in-grace").status_code == 200
    assert count(session) == 1


def test_answers_kept_offline_are_taken_for_the_grace_period_after_the_consultation_closes(
        client, app, session, workshop):
    """The tablet told the person "your answers are saved"; the facilitator then closed the whole
    consultation before the tablet was back online, and the answers were refused and lost."""
    consultation = session.get(Consultation, workshop.consultation_id)
    builder.set_status(session, consultation, "closed")
    session.commit()
    assert post_response(client, app, workshop, key="kept-while-offline").status_code == 201
    consultation = session.get(Consultation, workshop.consultation_id)
    consultation.closes_at = utcnow() - timedelta(minutes=app.config["WORKSHOP_GRACE_MINUTES"] + 1)
    session.add(consultation)
    session.commit()
    refused = post_response(client, app, workshop, key="sent-far-too-late")
    assert refused.status_code == 410 and "This consultation has closed" in refused.json["message"]
    assert post_response(client, app, workshop, key="kept-while-offline").status_code == 200
    assert count(session) == 1


def test_page_check_returns_errors_rendered_with_nhs_markup(client, app, workshop):
    url = f"/workshop/k/{workshop.join_code}/1/check/first-view"
    headers = {"X-Kiosk-Token": kiosk_token(app, workshop, 1)}
    bad = client.post(url, json={"answers": {"q-connection-vs-speed-before": ""}}, headers=headers)
    assert bad.status_code == 422
    assert "q-connection-vs-speed-before" in bad.json["errors"]
    assert "nhsuk-error-summary" in bad.json["html"] and "nhsuk-error-message" in bad.json["html"]
    good = client.post(url, json={"answers": {"q-connection-vs-speed-before": "1"}}, headers=headers)
    assert good.status_code == 200 and good.json == {"status": "ok"}
    assert client.post(url, json={"answers": {}}).status_code == 403


def test_exit_needs_the_facilitator_pin(client, app, workshop):
    url = f"/workshop/k/{workshop.join_code}/3/exit"
    headers = {"X-Kiosk-Token": kiosk_token(app, workshop, 3)}
    assert client.post(url, json={"pin": "0000"}, headers=headers).status_code == 403
    assert client.post(url, json={"pin": PIN}).status_code == 403  # no kiosk token
    ok = client.post(url, json={"pin": PIN}, headers=headers)
    assert ok.status_code == 200 and ok.json["href"] == "/workshop/"
    assert PIN not in workshop.pin_hash


def test_each_load_of_the_kept_kiosk_page_has_its_own_signed_pool_of_codes(client, app, session, workshop,
                                                                            demo):
    import html
    import json
    import re

    from engage.workshop.views.kiosk import reference_signature

    def load(table=1):
        page = client.get(f"/workshop/k/{workshop.join_code}/{table}").get_data(as_text=True)
        pool = json.loads(html.unescape(re.search(r'data-references="([^"]+)"', page)[1]))
        bare = re.sub(r'data-references="[^"]+"', "", re.sub(r'nonce="[^"]+"', "", page))
        return pool, bare

    (first, page), (second, again) = load(), load()
    assert page == again and "engage-references-" not in page  # the rest is the kept page
    assert first["id"] != second["id"] and len(first["codes"]) == len(second["codes"]) == 30
    assert not {c["code"] for c in first["codes"]} & {c["code"] for c in second["codes"]}
    with app.test_request_context():
        for code in first["codes"] + second["codes"]:
            assert code["sig"] == reference_signature(workshop, code["code"])
    assert "Leeds, table 2" in load(table=2)[1] and "Leeds, table 1" in page
    workshop.name = "Bradford"
    session.add(workshop)
    session.commit()
    assert "Bradford, table 1" in load()[1]


def test_a_lone_surrogate_in_a_written_answer_is_cleaned_as_online(client, app, session, workshop):
    """A tablet's JSON can carry half of a character pair ("\\ud800"): it passed the check and the
    submit failed with a server error. It is replaced, as a broken character posted online is."""
    answers = {**all_answers(), "q-what-matters-most": "Kind staff \ud800 and \udfff quick help"}
    token = {"X-Kiosk-Token": kiosk_token(app, workshop, 1)}
    checked = client.post(f"/workshop/k/{workshop.join_code}/1/check/people-and-ai",
                          json={"answers": {"q-what-matters-most": answers["q-what-matters-most"]}},
                          headers=token)
    assert checked.status_code in (200, 422), checked.get_data(as_text=True)[:300]
    response = post_response(client, app, workshop, answers=answers)
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    session.expire_all()
    texts = session.exec(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert "Kind staff \ufffd and \ufffd quick help" in texts
