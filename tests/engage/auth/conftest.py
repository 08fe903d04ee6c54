"""Signing staff in through the real sign-in form."""

from __future__ import annotations

import pytest

from ...factories import PASSWORD, user


def sign_in(client, email: str, password: str = PASSWORD):
    response = client.post("/account/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def staff(session):
    """Make a staff account (committed) and return it."""
    def make(email="fac@example.nhs.uk", role="facilitator", consultations=()):
        return user(session, email, role, tuple(consultations))
    return make
