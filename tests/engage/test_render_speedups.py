"""The rendering speed-ups change no byte of the NHS.UK markup: pages rendered with Engage's Jinja
environment, its cache of rendered questions and its kept <body> attributes equal those rendered with
Flask's own, no cache and the port's own attributes macro, with and without errors, the first time
and from the cache, in English and then in Welsh."""

from __future__ import annotations

import re
import shutil

from flask.templating import Environment

import engage.nhsuk
from engage import create_app
from engage.db import unit_of_work
from engage.demo import load_demo

SLUG = "technology-in-the-nhs"


def _pages(tmp_path, sqlite_template, name, cache_size=2000) -> list[str]:
    path = tmp_path / f"{name}.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "k" * 40, "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "RENDER_CACHE_SIZE": cache_size})
    with app.app_context(), unit_of_work() as s:
        load_demo(s)
    client = app.test_client()
    pages = [client.get(url).data for url in ("/", f"/c/{SLUG}/", f"/c/{SLUG}/consent", "/workshop/")]
    about = client.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    pages += [client.get(about).data, client.post(about, data={}).data]
    question = client.post(about, data={"q-role": "carer", "q-age-band": "45-to-64"}).headers["Location"]
    wrong = {"q-connection-vs-speed-before": "9"}
    pages += [client.get(question).data, client.post(question, data=wrong).data]
    # Again: now from the cache.
    pages += [client.get(about).data, client.get(question).data, client.post(question, data=wrong).data]
    pages += [client.get(question + "?lang=cy").data, client.get(question + "?lang=cy").data]
    # Consent with a mistake, "check your answers", and the start page of someone who has started:
    # each twice (the second from the cache), and consent's again for someone new.
    newcomer = app.test_client()
    pages += [newcomer.post(f"/c/{SLUG}/consent", data={}).data for _ in range(2)]
    pages += [client.get(f"/c/{SLUG}/check?lang=en").data for _ in range(2)]
    pages += [client.get(f"/c/{SLUG}/").data for _ in range(2)]
    pages += [app.test_client().get(f"/c/{SLUG}/consent").data]
    app.extensions["engage.db"].dispose()
    # The CSP nonce differs per response; every other byte must match.
    return [re.sub(r'nonce="[^"]*"', "", page.decode()) for page in pages]


def test_engage_environment_renders_the_same_markup_as_flasks(tmp_path, sqlite_template, monkeypatch):
    fast = _pages(tmp_path, sqlite_template, "fast")
    monkeypatch.setattr(engage.nhsuk, "NHSEnvironment", Environment)
    # The <body> attributes through the port's macro loop, as the shell would make them itself.
    monkeypatch.setattr(engage.nhsuk, "shell_attributes", lambda attributes: attributes)
    plain = _pages(tmp_path, sqlite_template, "plain", cache_size=0)
    assert len(fast) == 20 and "nhsuk-error-summary" in fast[7] and "nhsuk-error-summary" in fast[10]
    assert 'lang="cy"' in fast[12] and fast[12] == fast[11]
    assert "nhsuk-error-summary" in fast[13] and fast[13] == fast[14]
    assert "(a carer)" in fast[15] and "nhsuk-summary-list" in fast[15] and fast[15] == fast[16]
    assert "Carry on where you stopped" in fast[17] and fast[17] == fast[18] and fast[19] == fast[2]
    for got, expected in zip(fast, plain, strict=True):
        assert got == expected


def test_the_csrf_field_is_written_as_wtforms_draws_it_and_is_accepted(app, session):
    from engage.nhsuk import csrf_field
    from engage.participate.forms import PageForm
    from tests.factories import consultation_from

    from .participate.test_kept_consultation import ONE_PAGE

    consultation_from(session, ONE_PAGE)
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context("/c/one/p/p"):
        form = PageForm()
        assert str(csrf_field(form)) == str(form.csrf_token) and "csrf_token" in str(form.csrf_token)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context("/c/one/p/p"):
        assert csrf_field(PageForm()) == ""
    app.config["WTF_CSRF_ENABLED"] = True
    person = app.test_client()
    consent = person.get("/c/one/consent").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', consent).group(1)
    page = person.post("/c/one/consent", data={"agree": "y", "csrf_token": token}).headers["Location"]
    html = person.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert person.post(page, data={"q-pick": "tea", "csrf_token": token + "x"}).status_code == 400
    assert person.post(page, data={"q-pick": "tea", "csrf_token": token}).status_code == 302


def test_words_written_into_a_kept_check_section_read_as_the_summary_list_draws_them(app):
    """A kept section of "check your answers" holds a stand-in for typed words; the words written
    in afterwards are byte for byte what the NHS.UK summary list draws for them (escaped, trimmed),
    on one line: the list would indent each further line by its depth, which a browser does not
    show."""
    from types import SimpleNamespace

    from engage.fragments import fill
    from engage.participate.render import check_answer

    section = app.jinja_env.from_string(
        '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}<div>\n'
        '  {% call cached(key) %}{{ summaryList({"rows": [{"key": {"text": "Why?"}, '
        '"value": {"text": answer}}]}) }}{% endcall %}\n</div>')
    question = SimpleNamespace(key="why", type="text")
    for text in ('I want <b>a person</b> & "time" to talk', "Line one\nline two\r\n  indented\u2028after",
                 "  spaced out  ", "'quoted' {{ not a template }} &amp;"):
        with app.test_request_context("/"):
            typed = {}
            answer = check_answer(question, SimpleNamespace(value=None, text=text), typed)
            assert text.split()[0] not in answer and len(typed) == 1
            kept = fill(section.render(key=("test section", text), answer=answer), typed)
            again = fill(section.render(key=("test section", text), answer=answer), typed)
            drawn = section.render(key=None, answer=" ".join(text.split("\n")).replace("\r", "")
                                   .replace("\u2028", " ").strip())
        assert kept == again == drawn
        assert "engage-typed-" not in kept and "<b>" not in kept
    # Each row its own words, even where one question's key starts another's.
    with app.test_request_context("/"):
        typed = {}
        rows = [check_answer(SimpleNamespace(key=key, type="text"), SimpleNamespace(value=None, text=words),
                             typed)
                for key, words in (("why", "first"), ("why-2", "second"), ("why-2-b", "third"))]
        assert fill(" | ".join(rows), typed) == "first | second | third"
    # Nothing typed: the answer itself, no stand-in.
    with app.test_request_context("/"):
        typed = {}
        assert check_answer(question, None, typed) == "Not answered" and typed == {}
