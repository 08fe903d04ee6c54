"""Respondent pages kept whole (engage/fragments.py ``whole_page``): everyone with the same answers on
a page is shown the same kept markup, but each response carries its own CSP nonce and CSRF token,
each person sees their own answers, and nothing is kept for a signed-in person or a waiting message.
Run on SQLite and PostgreSQL, with CSRF checks on as served."""

from __future__ import annotations

import re

import pytest

from surveys import consultations
from tests.factories import PASSWORD, demo_consultation, user
from tests.journey_helpers import DEMO_ANSWERS

SLUG = "technology-in-the-nhs"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NONCE = re.compile(r'<script nonce="([^"]+)"')


@pytest.fixture
def demo(app, session):
    demo_consultation(session)
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _consented(app):
    person = app.test_client()
    consent = person.get(f"/c/{SLUG}/consent").get_data(as_text=True)
    r = person.post(f"/c/{SLUG}/consent", data={"agree": "y", "csrf_token": TOKEN.search(consent)[1]})
    assert r.status_code == 302
    return person, r.headers["Location"]


def _nonce_of(response) -> str:
    header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    html = response.get_data(as_text=True)
    assert set(NONCE.findall(html)) == {header}, "every script carries this response's nonce"
    return header


def test_each_response_of_a_kept_page_has_its_own_nonce_and_its_persons_token(demo):
    ann, page = _consented(demo)
    bob, same_page = _consented(demo)
    assert page == same_page
    first, second, again = ann.get(page), bob.get(page), ann.get(page)
    for r in (first, second, again):
        assert r.status_code == 200 and "engage-nonce-" not in r.text and "engage-token-" not in r.text
    nonces = [_nonce_of(r) for r in (first, second, again)]
    assert len(set(nonces)) == 3
    # The same page apart from the nonce and token: Bob's came from the kept copy of Ann's.
    def bare(r):
        return TOKEN.sub("", r.get_data(as_text=True)).replace(_nonce_of(r), "")
    assert bare(first) == bare(second) == bare(again)
    ann_token, bob_token = TOKEN.search(first.text)[1], TOKEN.search(second.text)[1]
    assert ann_token != bob_token
    answers = {"q-role": "patient", "q-age-band": "45-to-64"}
    assert bob.post(page, data={**answers, "csrf_token": ann_token}).status_code == 400
    assert bob.post(page, data={**answers, "csrf_token": bob_token}).status_code == 302


def test_each_person_sees_their_own_answers_on_a_kept_page(demo):
    pages = {}
    for role in ("patient", "carer", "patient"):
        person, about = _consented(demo)
        token = TOKEN.search(person.get(about).text)[1]
        person.post(about, data={"q-role": role, "q-age-band": "45-to-64", "csrf_token": token})
        pages.setdefault(role, []).append(person.get(about).get_data(as_text=True))
    for role, htmls in pages.items():
        for html in htmls:
            checked = re.findall(r'value="([a-z-]+)"\s+checked', html)
            assert role in checked and ({"patient", "carer"} - {role}).isdisjoint(checked)
    # The two patients' pages are the same kept page, less their nonce and token.
    first, second = (NONCE.sub("", TOKEN.sub("", h)) for h in pages["patient"])
    assert first == second


def test_a_kept_page_is_not_shown_to_someone_signed_in_nor_theirs_to_anyone(demo, session):
    ann, _ = _consented(demo)
    ann.get(f"/c/{SLUG}/")
    user(session, "lead@example.nhs.uk", "facilitator")
    staff = demo.test_client()
    sign_in = staff.get("/account/sign-in").text
    staff.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD,
                                         "csrf_token": TOKEN.search(sign_in)[1]})
    assert "lead@example.nhs.uk" in staff.get(f"/c/{SLUG}/").text
    # Then someone not signed in, from the same process: no one's email in their header.
    assert "lead@example.nhs.uk" not in demo.test_client().get(f"/c/{SLUG}/").text


def test_the_start_page_follows_the_persons_progress_and_the_consultation(demo, session):
    visitor = demo.test_client()
    assert "Start now" in visitor.get(f"/c/{SLUG}/").text
    person, _ = _consented(demo)
    assert "Carry on where you stopped" in person.get(f"/c/{SLUG}/").text
    assert "Start now" in visitor.get(f"/c/{SLUG}/").text
    consultation = consultations.by_slug(session, SLUG)
    consultation.title = "A new title for the start page"
    consultation.version += 1
    session.add(consultation)
    session.commit()
    assert "A new title for the start page" in visitor.get(f"/c/{SLUG}/").text


def test_a_message_shown_once_is_not_kept_with_the_page(demo):
    person, about = _consented(demo)
    token = TOKEN.search(person.get(about).text)[1]
    r = person.post(f"/c/{SLUG}/submit", data={"csrf_token": token})
    assert r.status_code == 302
    message = "Answer the questions on this page before you send your answers."
    assert message in person.get(r.headers["Location"]).text
    assert message not in person.get(r.headers["Location"]).text
    other, _ = _consented(demo)
    assert message not in other.get(r.headers["Location"]).text


def test_words_a_person_typed_are_never_kept(demo):
    person, about = _consented(demo)
    typed = "Call Priya about the parking at Ward 9"
    answers = {**DEMO_ANSWERS["first-view"], "q-connection-vs-speed-before-why": typed}
    page = about.replace("about-you", "first-view")
    for url, data in ((about, DEMO_ANSWERS["about-you"]), (page, answers)):
        token = TOKEN.search(person.get(url).text)[1]
        assert person.post(url, data={**data, "csrf_token": token}).status_code == 302
    assert typed in person.get(page).text
    check = person.get(f"/c/{SLUG}/check").text
    assert typed in check and "About you" in check
    fragments, pages = (demo.extensions[f"engage.fragments{part}"]._entries for part in ("", ".pages"))
    assert fragments and pages
    assert not [value for value in [*fragments.values(), *pages.values()] if typed in str(value)]
    # The sections without typed words were kept, and are shown again.
    assert any(key[1][0] == "check section" for key in fragments)


def test_made_up_address_arguments_do_not_fill_the_cache_with_copies(demo):
    person, about = _consented(demo)
    pages = demo.extensions["engage.fragments.pages"]
    before = len(pages)
    for url in (about, about + "?lang=cy", about + "?lang=en&change=1"):
        assert person.get(url).status_code == 200
    assert len(pages) == before + 3
    for n in range(20):
        html = person.get(f"{about}?utm_source={n}").text
        assert f"utm_source={n}" in html  # the language switch links back with it
    assert len(pages) == before + 3
