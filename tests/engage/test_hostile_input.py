"""Hostile values never give a server error and never leave anything half saved.

Regression tests for the values the security review used (superscript digits, a 5,000-digit
number, YAML nested 5,000 deep), then hypothesis posting arbitrary payloads to the journey's
forms, the kiosk's JSON endpoints, withdrawal and import.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from engage.cli import main
from surveys.models import Answer, Consultation, Respondent, Workshop

from ..factories import consultation_from, demo_consultation
from ..journey_helpers import SLUG, begin
from .auth.conftest import sign_in, staff  # noqa: F401  (fixture)
from .participate.test_types import SLUG as TYPES
from .participate.test_types import definition
from .workshop.helpers import kiosk_token, make_workshop

HOSTILE_NUMBERS = ["²", "³", "9" * 5000, "١٢", "1e3", "0x10", "-0", " 12 ", "+5", "5.0", "\x00"]
FIELDS = [("p-allocate", "q-allocate-a"), ("p-rank", "q-rank-a"), ("p-likert", "q-likert"),
          ("p-tradeoff", "q-tradeoff")]
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def count(session, model):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("value", ["²", "³", "9" * 5000])
@pytest.mark.parametrize("page, field", FIELDS)
def test_number_fields_refuse_odd_digits_with_a_message(client, session, page, field, value):
    consultation_from(session, definition(required=True))
    begin(client, TYPES)
    response = client.post(f"/c/{TYPES}/p/{page}", data={field: value})
    assert response.status_code == 400
    assert 'class="nhsuk-error-summary' in response.get_data(as_text=True)
    assert count(session, Answer) == 0


@pytest.fixture
def kiosk(app, session):
    consultation = consultation_from(session, definition(required=True))
    consultation.status = "open"
    session.add(consultation)
    session.commit()
    workshop = make_workshop(session, consultation, tables=2)
    headers = {"X-Kiosk-Token": kiosk_token(app, workshop, 1)}
    return f"/workshop/k/{workshop.join_code}/1", headers


@pytest.mark.parametrize("value", ["²", "³", "9" * 5000])
@pytest.mark.parametrize("page, field", FIELDS)
def test_kiosk_refuses_odd_digits_with_a_message(client, session, kiosk, page, field, value):
    base, headers = kiosk
    check = client.post(f"{base}/check/{page}", json={"answers": {field: value}}, headers=headers)
    assert check.status_code == 422 and check.get_json()["errors"]
    sent = client.post(f"{base}/responses", json={"idempotency_key": "k" * 20, "answers": {field: value}},
                       headers=headers)
    assert sent.status_code == 422 and sent.get_json()["errors"]
    assert count(session, Respondent) == 0 and count(session, Answer) == 0


def deep_yaml(depth: int) -> bytes:
    return ("slug: deep\ntitle: Deep\npages: " + "[" * depth + "]" * depth).encode()


def laughs(levels: int) -> bytes:
    """Each line four aliases of the line before: a few hundred bytes that stand for 4**levels values."""
    lines = [b"a0: &a0 [x, x]"] + [b"a%d: &a%d [*a%d, *a%d, *a%d, *a%d]" % (i, i, *[i - 1] * 4)
                                    for i in range(1, levels)]
    return b"\n".join(lines)


@pytest.mark.parametrize("body", [deep_yaml(5000), laughs(12),
                                  b'{"slug": "x", "pages": ' + b"[" * 5000 + b"]" * 5000 + b"}"])
def test_deep_or_aliased_imports_are_refused_with_a_message(client, session, staff, body):  # noqa: F811
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    response = client.post("/manage/import", data={"file": (io.BytesIO(body), "deep.yaml")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nested more than 20 levels deep" in page or "more than 50,000 values" in page
    assert count(session, Consultation) == 0


def test_deep_import_from_the_command_line_is_refused(runner, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_bytes(deep_yaml(5000))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code != 0 and "nested more than 20 levels deep" in result.output
    assert not isinstance(result.exception, RecursionError)


DOUBLED = b"""slug: doubled
title: Our first title
title: Our second title
pages:
  - key: ask
    title: Ask
    kind: questions
    questions:
      - key: why
        type: text
        prompt: Tell us why
        prompt: Or this
"""


def test_a_key_given_twice_is_refused_with_its_line_on_the_web_and_the_command_line(
        client, session, staff, runner, tmp_path):  # noqa: F811
    # The last value quietly won: the file's first title was lost, and nobody was told.
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    response = client.post("/manage/import", data={"file": (io.BytesIO(DOUBLED), "doubled.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "line 3" in response.get_data(as_text=True).lower()
    assert "the key &#39;title&#39; is given twice" in response.get_data(as_text=True) \
        or "the key 'title' is given twice" in response.get_data(as_text=True)
    assert count(session, Consultation) == 0
    path = tmp_path / "doubled.yaml"
    path.write_bytes(DOUBLED.replace(b"title: Our second title\n", b""))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code != 0 and "the key 'prompt' is given twice" in result.output
    assert "line 11" in result.output.lower()  # the second "prompt:", a title line taken out
    assert count(session, Consultation) == 0


hostile_text = st.one_of(st.sampled_from(HOSTILE_NUMBERS), st.text(max_size=50),
                         st.text(alphabet="0123456789²³-", max_size=20))
form_data = st.dictionaries(st.sampled_from([f for _, f in FIELDS] + ["q-allocate-b", "q-rank-b",
                                                                       "q-tradeoff-why", "q-choice",
                                                                       "q-multi", "q-text", "other"]),
                            st.one_of(hostile_text, st.lists(hostile_text, max_size=3)), max_size=6)


@FUZZ
@given(page=st.sampled_from([p for p, _ in FIELDS] + ["p-choice", "p-multi", "p-text"]), data=form_data)
def test_journey_pages_never_fail_and_save_all_or_nothing(client, session, page, data):
    if not session.exec(select(Consultation).where(Consultation.slug == TYPES)).first():
        consultation_from(session, definition(required=False))
        begin(client, TYPES)
    before = count(session, Answer)
    response = client.post(f"/c/{TYPES}/p/{page}", data=data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert count(session, Answer) == before


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | hostile_text, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=10)
kiosk_body = st.one_of(
    json_values,
    st.fixed_dictionaries({"idempotency_key": st.one_of(st.text(max_size=70), st.just("k" * 20)),
                           "answers": st.dictionaries(st.sampled_from([f for _, f in FIELDS] + ["x"]),
                                                      json_values, max_size=5),
                           "reference": st.one_of(st.none(), st.text(max_size=12), st.just("ZZZZ-ZZZ2")),
                           "lenient": st.booleans()}))


@FUZZ
@given(body=kiosk_body, endpoint=st.sampled_from(["responses", "check/p-allocate", "check/p-rank", "exit"]))
def test_kiosk_json_endpoints_never_fail(client, session, kiosk, body, endpoint):
    base, headers = kiosk
    before = count(session, Respondent)
    response = client.post(f"{base}/{endpoint}", data=json.dumps(body), headers=headers,
                           content_type="application/json")
    assert response.status_code < 500
    if response.status_code >= 400:
        assert count(session, Respondent) == before


@FUZZ
@given(reference=st.one_of(hostile_text, st.text(max_size=60)),
       step=st.sampled_from(["withdraw", "withdraw/confirm"]))
def test_withdrawal_never_fails(client, session, reference, step):
    if not session.exec(select(Consultation).where(Consultation.slug == SLUG)).first():
        demo_consultation(session)
    response = client.post(f"/c/{SLUG}/{step}", data={"reference": reference})
    assert response.status_code in (200, 400)


def _field_names() -> list[str]:
    """Every field name a form in the app declares (participate, workspace, accounts)."""
    from flask_wtf import FlaskForm

    import engage.auth.forms
    import engage.facilitate.forms
    import engage.participate.forms

    names = {"q-role", "q-age-band", "q-technology-budget-share-new-pilots", "file", "outcome", "pin"}
    for module in (engage.auth.forms, engage.facilitate.forms, engage.participate.forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm):
                names |= {k for k, f in vars(value).items() if hasattr(f, "field_class")}
    return sorted(names)


FIELD_NAMES = _field_names()
HOSTILE = st.one_of(st.sampled_from(HOSTILE_NUMBERS + ["x" * 20_000, "<script>", "../..", "\U0001f642" * 40,
                                                      "99999999999999999999999", "-1", "y"]),
                    st.text(max_size=30))


def post_routes(app) -> list:
    """Every route that takes a POST, except signing out and changing passwords (they would end
    the session the test needs)."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and "sign-out" not in rule.rule and "password" not in rule.rule),
                  key=lambda rule: rule.rule)


def _post_endpoints() -> list[str]:
    from engage import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "k" * 40})
    return [rule.endpoint for rule in post_routes(app)]


#: Each route is fuzzed on its own, so every route gets its share of examples in every run.
PER_ROUTE = settings(max_examples=6, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("endpoint", _post_endpoints())
@PER_ROUTE
@given(data=st.data())
def test_every_form_takes_hostile_values_without_a_server_error(app, session, staff, endpoint, data):  # noqa: F811
    if not session.exec(select(Consultation)).first():
        consultation = demo_consultation(session)
        make_workshop(session, consultation)
        staff("admin@example.nhs.uk", "admin")
    code = session.exec(select(Workshop.join_code)).first()
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint and "POST" in r.methods]
    values = {"slug": SLUG, "key": "about-you", "code": code, "table": 1}
    with app.test_request_context():
        from flask import url_for

        path = url_for(rule.endpoint, **{a: values.get(a, 1) for a in rule.arguments})
    client = app.extensions.setdefault("fuzz-client", app.test_client())
    if not app.extensions.get("fuzz-signed-in"):  # once per route: signing in hashes a password
        sign_in(client, "admin@example.nhs.uk")
        app.extensions["fuzz-signed-in"] = True
    form = data.draw(st.dictionaries(st.sampled_from(FIELD_NAMES), HOSTILE, max_size=8), label="form")
    response = client.post(path.removeprefix("http://localhost"), data=form)
    assert response.status_code < 500, (rule.rule, form)


def test_a_title_that_closes_the_tab_title_stays_words(client, session):
    """The tab's title drops the marks of words left in English (striptags), which unescapes what
    it keeps: a consultation titled "</title><script>…" ran its script on its own start page."""
    hostile = '</title><script>alert("title")</script>'
    consultation = demo_consultation(session, slug="hostile-title")
    consultation.title = hostile
    welsh = consultation.translations["cy"]
    consultation.translations = {"cy": {k: v for k, v in welsh.items() if k != "title"}}
    session.add(consultation)
    session.commit()
    for lang in ("en", "cy"):  # in Welsh the English title is marked, then stripped of the mark
        page = client.get(f"/c/hostile-title/?lang={lang}").get_data(as_text=True)
        assert "<script>alert(" not in page
        tab = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "&lt;/title&gt;&lt;script&gt;alert(" in tab
