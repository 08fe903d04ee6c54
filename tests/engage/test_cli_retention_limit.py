"""A retention period is at most MAX_RETENTION_DAYS wherever it is set: an imported definition
(command line or web) and the builder's settings form agree, and say so clearly."""

from __future__ import annotations

import io

import pytest
from sqlmodel import func, select

from engage.cli import main
from surveys.definitions import DEMO
from surveys.groups import MAX_GROUP_MINIMUM
from surveys.models import Consultation
from surveys.retention import MAX_RETENTION_DAYS

from .auth.conftest import sign_in, staff  # noqa: F401  (fixture re-exported)


def definition(days) -> bytes:
    text = DEMO.read_bytes().replace(b"slug: technology-in-the-nhs", b"slug: kept-long")
    assert b"\nretention_days: 365\n" in text
    return text.replace(b"\nretention_days: 365\n", f"\nretention_days: {days}\n".encode())


def consultations(session) -> int:
    return session.exec(select(func.count()).select_from(Consultation)).one()


@pytest.mark.parametrize("days", [MAX_RETENTION_DAYS + 1, 10_000_000_000, 10**30])
def test_the_command_line_refuses_a_retention_period_over_the_maximum(runner, session, tmp_path, days):
    path = tmp_path / "long.yaml"
    path.write_bytes(definition(days))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"retention_days must be a whole number from 1 to {MAX_RETENTION_DAYS}" in result.output
    assert consultations(session) == 0
    path.write_bytes(definition(MAX_RETENTION_DAYS))  # the maximum itself is fine
    assert runner.invoke(main, ["consultations", "import", str(path)]).exit_code == 0
    assert session.exec(select(Consultation.retention_days)).one() == MAX_RETENTION_DAYS


def test_the_web_import_and_the_settings_form_refuse_it_too(client, session, staff):  # noqa: F811
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    r = client.post("/manage/import", data={"file": (io.BytesIO(definition(10_000_000_000)), "long.yaml")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    assert f"retention_days must be a whole number from 1 to {MAX_RETENTION_DAYS}" in r.get_data(as_text=True)
    assert consultations(session) == 0
    # The builder's form has the same maximum, and its message names it.
    r = client.post("/manage/new", data={"slug": "e", "title": "E", "retention_days": MAX_RETENTION_DAYS + 1,
                                         "min_group_size": 5})
    assert f"Enter a number from 1 to {MAX_RETENTION_DAYS}" in r.get_data(as_text=True)
    assert consultations(session) == 0


@pytest.mark.parametrize("size", [MAX_GROUP_MINIMUM + 1, 10**30])
def test_the_smallest_group_has_a_maximum_too(runner, session, tmp_path, size):
    """``min_group_size: 10**30`` in a definition gave a traceback, as a huge retention period did."""
    path = tmp_path / "big.yaml"
    assert b"\nmin_group_size: 5\n" in definition(365)
    big = f"\nmin_group_size: {size}\n".encode()
    path.write_bytes(definition(365).replace(b"\nmin_group_size: 5\n", big))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"min_group_size must be a whole number from 1 to {MAX_GROUP_MINIMUM}" in result.output
    assert consultations(session) == 0


def test_an_imported_definition_with_two_options_that_say_the_same_is_refused(client, session, staff):  # noqa: F811
    """The builder refuses "Patient" twice; a definition file with two such options was taken."""
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    text = DEMO.read_bytes().replace(b"slug: technology-in-the-nhs", b"slug: said-twice")
    public = b'{key: public, label: "I am a member of the public"'
    assert public in text
    text = text.replace(public, b'{key: public, label: "I am a PATIENT  or have been one recently"')
    r = client.post("/manage/import", data={"file": (io.BytesIO(text), "twice.yaml")},
                    content_type="multipart/form-data")
    page = " ".join(r.get_data(as_text=True).split())
    assert r.status_code == 400 and "options 1 and 3 say the same" in page, page[:3000]
    assert consultations(session) == 0
