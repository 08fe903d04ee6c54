"""One rule for a staff account's email address: `engage users create` refuses what the sign-in
form refuses, so no account is made that could never sign in, and the form refuses the same."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from engage.cli import main
from surveys.models import User

from ..factories import PASSWORD

NOT_ADDRESSES = ["@example.com", "x@@y.com", "a@b", "x@example.com;drop", "a@example.com\nBcc: b@example.com",
                 "first last@example.com", "x@example.com@example.com", "x@", "x@example..com"]
FORMAT = "Enter an email address in the correct format, like name@nhs.net"


@pytest.mark.parametrize("address", NOT_ADDRESSES)
def test_the_command_line_and_the_sign_in_form_refuse_the_same_addresses(runner, client, session, address):
    result = runner.invoke(main, ["users", "create", address, "--generate"])
    assert result.exit_code == 1 and "Enter a valid email address." in result.output, result.output
    assert session.exec(select(func.count()).select_from(User)).one() == 0
    r = client.post("/account/sign-in", data={"email": address, "password": PASSWORD})
    assert FORMAT in r.get_data(as_text=True)


def test_an_address_the_command_line_accepts_can_sign_in(runner, client, session):
    for address in ("  O'Brien-Smith+consult@Example.NHS.uk ", "x@example.com;drop"):
        runner.invoke(main, ["users", "create", address, "--password", PASSWORD])
    assert session.exec(select(User.email)).all() == ["o'brien-smith+consult@example.nhs.uk"]
    r = client.post("/account/sign-in", data={"email": "O'Brien-Smith+consult@example.nhs.uk",
                                              "password": PASSWORD})
    assert r.status_code == 302
