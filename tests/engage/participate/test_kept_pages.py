"""Respondent pages kept whole (engage/fragments.py ``whole_page``): everyone with the same answers on
a page is shown the same kept markup, but each response carries its own CSP nonce and CSRF token,
each person sees their own answers, and nothing is kept for a signed-in person or a waiting message.
Run on SQLite and PostgreSQL, with CSRF checks on as served."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from surveys import consultations
from surveys.models import Respondent
from tests.factories import PASSWORD, demo_consultation, user
from tests.journey_helpers import CSRF_TOKEN, DEMO_ANSWERS, consented

SLUG = "technology-in-the-nhs"
NONCE = re.compile(r'<script nonce="([^"]+)"')


@pytest.fixture
def demo(app, session):
    demo_consultation(session)
    app.config["WTF_CSRF_ENABLED"] = True
    return app




def _nonce_of(response) -> str:
    header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    html = response.get_data(as_text=True)
    assert set(NONCE.findall(html)) == {header}, "every script carries this response's nonce"
    return header


def test_each_response_of_a_kept_page_has_its_own_nonce_and_its_persons_token(demo):
    ann, page = consented(demo)
    bob, same_page = consented(demo)
    assert page == same_page
    first, second, again = ann.get(page), bob.get(page), ann.get(page)
    for r in (first, second, again):
        assert r.status_code == 200 and "engage-nonce-" not in r.text and "engage-token-" not in r.text
    nonces = [_nonce_of(r) for r in (first, second, again)]
    assert len(set(nonces)) == 3
    # The same page apart from the nonce and token: Bob's came from the kept copy of Ann's.
    def bare(r):
        return CSRF_TOKEN.sub("", r.get_data(as_text=True)).replace(_nonce_of(r), "")
    assert bare(first) == bare(second) == bare(again)
    ann_token, bob_token = CSRF_TOKEN.search(first.text)[1], CSRF_TOKEN.search(second.text)[1]
    assert ann_token != bob_token
    answers = {"q-role": "patient", "q-age-band": "45-to-64"}
    assert bob.post(page, data={**answers, "csrf_token": ann_token}).status_code == 400
    assert bob.post(page, data={**answers, "csrf_token": bob_token}).status_code == 302


def test_each_person_sees_their_own_answers_on_a_kept_page(demo):
    pages = {}
    for role in ("patient", "carer", "patient"):
        person, about = consented(demo)
        token = CSRF_TOKEN.search(person.get(about).text)[1]
        person.post(about, data={"q-role": role, "q-age-band": "45-to-64", "csrf_token": token})
        pages.setdefault(role, []).append(person.get(about).get_data(as_text=True))
    for role, htmls in pages.items():
        for html in htmls:
            checked = re.findall(r'value="([a-z-]+)"\s+checked', html)
            assert role in checked and ({"patient", "carer"} - {role}).isdisjoint(checked)
    # The two patients' pages are the same kept page, less their nonce and token.
    first, second = (NONCE.sub("", CSRF_TOKEN.sub("", h)) for h in pages["patient"])
    assert first == second


def test_a_kept_page_is_not_shown_to_someone_signed_in_nor_theirs_to_anyone(demo, session):
    ann, _ = consented(demo)
    ann.get(f"/c/{SLUG}/")
    user(session, "lead@example.nhs.uk", "facilitator")
    staff = demo.test_client()
    sign_in = staff.get("/account/sign-in").text
    staff.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD,
                                         "csrf_token": CSRF_TOKEN.search(sign_in)[1]})
    assert "lead@example.nhs.uk" in staff.get(f"/c/{SLUG}/").text
    # Then someone not signed in, from the same process: no one's email in their header.
    assert "lead@example.nhs.uk" not in demo.test_client().get(f"/c/{SLUG}/").text


def test_the_start_page_follows_the_persons_progress_and_the_consultation(demo, session):
    visitor = demo.test_client()
    assert "Start now" in visitor.get(f"/c/{SLUG}/").text
    person, _ = consented(demo)
    assert "Carry on where you stopped" in person.get(f"/c/{SLUG}/").text
    assert "Start now" in visitor.get(f"/c/{SLUG}/").text
    consultation = consultations.by_slug(session, SLUG)
    consultation.title = "A new title for the start page"
    consultation.version += 1
    session.add(consultation)
    session.commit()
    assert "A new title for the start page" in visitor.get(f"/c/{SLUG}/").text


def test_a_message_shown_once_is_not_kept_with_the_page(demo):
    person, about = consented(demo)
    token = CSRF_TOKEN.search(person.get(about).text)[1]
    r = person.post(f"/c/{SLUG}/submit", data={"csrf_token": token})
    assert r.status_code == 302
    message = "Answer the questions on this page before you send your answers."
    assert message in person.get(r.headers["Location"]).text
    assert message not in person.get(r.headers["Location"]).text
    other, _ = consented(demo)
    assert message not in other.get(r.headers["Location"]).text


def test_words_a_person_typed_are_never_kept(demo):
    person, about = consented(demo)
    typed = "Call Priya about the parking at Ward 9"
    answers = {**DEMO_ANSWERS["first-view"], "q-connection-vs-speed-before-why": typed}
    page = about.replace("about-you", "first-view")
    for url, data in ((about, DEMO_ANSWERS["about-you"]), (page, answers)):
        token = CSRF_TOKEN.search(person.get(url).text)[1]
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
    person, about = consented(demo)
    pages = demo.extensions["engage.fragments.pages"]
    before = len(pages)
    for url in (about, about + "?lang=cy", about + "?lang=en&change=1"):
        assert person.get(url).status_code == 200
    assert len(pages) == before + 3
    for n in range(20):
        html = person.get(f"{about}?utm_source={n}").text
        assert f"utm_source={n}" in html  # the language switch links back with it
    assert len(pages) == before + 3


def _answer_first_pages(demo, typed: str):
    person, about = consented(demo)
    page = about.replace("about-you", "first-view")
    answers = {**DEMO_ANSWERS["first-view"], "q-connection-vs-speed-before-why": typed}
    for url, data in ((about, DEMO_ANSWERS["about-you"]), (page, answers)):
        token = CSRF_TOKEN.search(person.get(url).text)[1]
        assert person.post(url, data={**data, "csrf_token": token}).status_code == 302
    return person


def test_a_check_section_with_typed_words_is_kept_without_them_and_shows_each_persons_own(demo):
    ann_said, bob_said = 'Ann: <b>talk</b> to me & "listen"', "Bob wants\nfaster results"
    ann, bob = _answer_first_pages(demo, ann_said), _answer_first_pages(demo, bob_said)
    ann_check, bob_check = ann.get(f"/c/{SLUG}/check").text, bob.get(f"/c/{SLUG}/check").text
    assert "Ann: &lt;b&gt;talk&lt;/b&gt; to me &amp; &#34;listen&#34;" in ann_check
    assert "<b>talk" not in ann_check
    assert "Bob wants faster results" in bob_check
    assert "Bob" not in ann_check and "Ann:" not in bob_check
    for html in (ann_check, bob_check):
        assert "engage-typed-" not in html
    # The section with the typed words was kept (once, for both of them), without the words.
    fragments = demo.extensions["engage.fragments"]._entries
    typed_sections = [key for key in fragments if key[1][0] == "check section"
                      and any(part == "typed" for _, part in key[1][3])]
    assert len(typed_sections) == 1
    assert not [value for value in fragments.values() if "Bob wants" in str(value) or "Ann:" in str(value)]
    # Ann's words changed: her check page says so at once.
    page = f"/c/{SLUG}/p/first-view"
    token = CSRF_TOKEN.search(ann.get(page).text)[1]
    ann.post(page, data={**DEMO_ANSWERS["first-view"], "q-connection-vs-speed-before-why": "Changed my mind",
                         "csrf_token": token})
    again = ann.get(f"/c/{SLUG}/check").text
    assert "Changed my mind" in again and "listen" not in again


def test_the_answers_sent_page_is_kept_with_each_persons_own_reference_code(demo, session):
    demo.config["SMTP_HOST"] = "127.0.0.1"  # its forms to email the code and hear the outcome
    pages = []
    for _ in range(2):
        person, url = consented(demo)
        while "/p/" in url:
            token = CSRF_TOKEN.search(person.get(url).text)[1]
            r = person.post(url, data={**DEMO_ANSWERS.get(url.rsplit("/", 1)[1], {}), "csrf_token": token})
            assert r.status_code == 302, (url, r.status_code)
            url = r.headers["Location"]
        token = CSRF_TOKEN.search(person.get(f"/c/{SLUG}/check").text)[1]
        r = person.post(f"/c/{SLUG}/submit", data={"csrf_token": token})
        assert r.headers["Location"].endswith("/done")
        pages.append(person.get(f"/c/{SLUG}/done"))
    references = {r.reference for r in session.exec(select(Respondent)).all()}
    shown = [re.search(r'id="reference">([^<]+)<', page.text)[1] for page in pages]
    assert set(shown) == references and len(references) == 2
    for page in pages:
        assert "engage-reference-" not in page.text
    # One kept page for both, holding neither code; each response its own nonce and token.
    kept = [(key, value) for key, value in demo.extensions["engage.fragments.pages"]._entries.items()
            if key[1][-1][0] == "done page"]
    assert len(kept) == 1 and not any(code in kept[0][1] for code in references)
    assert _nonce_of(pages[0]) != _nonce_of(pages[1])
    assert CSRF_TOKEN.search(pages[0].text)[1] != CSRF_TOKEN.search(pages[1].text)[1]
    assert len(CSRF_TOKEN.findall(pages[0].text)) == 2  # both forms carry this person's own

    def bare(page, code):
        return CSRF_TOKEN.sub("", page.text).replace(_nonce_of(page), "").replace(code, "")
    assert bare(pages[0], shown[0]) == bare(pages[1], shown[1])
