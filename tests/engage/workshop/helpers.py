"""Shared set-up for workshop tests: a workshop on the demo consultation, kiosk requests, sign in."""

from __future__ import annotations

import uuid

from surveys import workshops
from surveys.accounts import hash_password
from surveys.models import Consultation, Workshop

from ...factories import PASSWORD
from ...journey_helpers import DEMO_ANSWERS

PIN = "4321"


def make_workshop(session, consultation: Consultation, tables: int = 3, name: str = "Leeds") -> Workshop:
    workshop = workshops.create_workshop(session, consultation, name, tables, hash_password(PIN))
    session.commit()
    return workshop


def all_answers(role: str = "patient") -> dict:
    answers = {}
    for page in DEMO_ANSWERS.values():
        answers.update(page)
    answers["q-role"] = role
    return answers


def kiosk_token(app, workshop: Workshop, table: int) -> str:
    from engage.workshop.views.kiosk import kiosk_token as make

    with app.test_request_context():
        return make(workshop, table)


def post_response(client, app, workshop, table=1, answers=None, key=None, token=None, **extra):
    body = {"idempotency_key": key or str(uuid.uuid4()), "answers": answers or all_answers(), **extra}
    return client.post(f"/workshop/k/{workshop.join_code}/{table}/responses", json=body,
                       headers={"X-Kiosk-Token": token or kiosk_token(app, workshop, table)})


def sign_in(client, email: str) -> None:
    response = client.post("/account/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]
