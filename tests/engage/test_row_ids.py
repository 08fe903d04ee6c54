"""A number in an address that no database row can have (beyond 2**31 - 1) is not found (404),
on every staff page that looks a row up by it; it used to reach the database, which cannot take
it, and the page failed with a server error (500)."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from engage.routing import IdConverter
from surveys.models import AnalysisRun

from ..factories import PASSWORD, demo_consultation, user

LEAD = "lead@example.nhs.uk"
#: Bigger than any row id: the reviewer's number (too big for SQLite), the first past SQLite's
#: largest integer, and the first past PostgreSQL's INTEGER, which every id column is.
TOO_BIG = ("99999999999999999999", str(2**63), str(2**31))
#: (who, method, address): ``{slug}`` and ``{run}`` are a real consultation and analysis, ``{n}``
#: the number no row can have.
PAGES = [
    ("fac", "GET", "/manage/{slug}/themes/{n}"),
    ("fac", "GET", "/manage/{slug}/themes/{n}/answers.csv"),
    ("fac", "GET", "/manage/{slug}/themes/{n}/status.json"),
    ("fac", "GET", "/manage/{slug}/themes/{n}/check"),
    ("fac", "GET", "/manage/{slug}/themes/{run}/t/{n}"),
    ("fac", "GET", "/manage/{slug}/themes/{run}/t/{n}/split"),
    ("fac", "GET", "/workshop/manage/w/{n}/"),
    ("fac", "GET", "/manage/c/{slug}/responses/r/{n}"),
    ("fac", "GET", "/manage/c/{slug}/entry/{n}/check"),
    ("fac", "GET", "/manage/c/{slug}/publication/{n}/preview"),
    ("admin", "GET", "/manage/admin/users/{n}"),
    ("admin", "GET", "/manage/admin/users/{n}/password"),
    ("admin", "POST", "/manage/admin/mail/{n}/retry"),
    ("lead", "POST", "/manage/safeguarding/{n}"),
]


@pytest.fixture
def staff(app, session):
    """A consultation with a finished analysis, and a signed-in client per kind of account."""
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    consultation = demo_consultation(session)
    run = AnalysisRun(consultation_id=consultation.id, status="done", progress=1.0)
    session.add(run)
    session.commit()
    user(session, "fac@example.nhs.uk", "facilitator", (consultation,))
    user(session, "admin@example.nhs.uk", "admin")
    user(session, LEAD, "viewer")
    clients = {}
    for who, email in (("fac", "fac@example.nhs.uk"), ("admin", "admin@example.nhs.uk"), ("lead", LEAD)):
        clients[who] = app.test_client()
        r = clients[who].post("/account/sign-in", data={"email": email, "password": PASSWORD})
        assert r.status_code == 302
    return clients, {"slug": consultation.slug, "run": run.id}


@pytest.mark.parametrize(("who", "method", "address"), PAGES, ids=[f"{m} {a}" for _w, m, a in PAGES])
def test_a_number_no_row_can_have_is_not_found(staff, who, method, address):
    clients, values = staff
    for number in TOO_BIG:
        url = address.format(n=number, **values)
        r = clients[who].open(url, method=method, data={"outcome": "no-action"} if method == "POST" else None)
        assert r.status_code == 404, (url, r.status_code)
        assert "Page not found" in r.get_data(as_text=True)


def test_the_largest_id_is_still_looked_up(staff):
    """The bound is the database's: 2**31 - 1 is a number a row may have, so it is looked up (and
    here, found missing), not refused by the address."""
    clients, values = staff
    r = clients["fac"].get(f"/manage/{values['slug']}/themes/{2**31 - 1}/status.json")
    assert r.status_code == 404
    r = clients["fac"].get(f"/manage/{values['slug']}/themes/{values['run']}/status.json")
    assert r.status_code == 200 and r.get_json()["status"] == "done"


def test_only_a_table_number_is_a_plain_int_in_an_address(app):
    """Every other number in an address names a row, so it is read by the id converter; a kiosk's
    table number is checked against its workshop's tables instead."""
    plain = sorted((rule.rule, name) for rule in app.url_map.iter_rules()
                   for name, converter in rule._converters.items()
                   if isinstance(converter, IntegerConverter) and not isinstance(converter, IdConverter))
    assert {name for _rule, name in plain} == {"table"}, plain
