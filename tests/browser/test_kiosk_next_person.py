"""The kiosk between people: what one person leaves on the tablet, the next person never sees."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import test_workshop_kiosk as k
from .test_workshop_kiosk import FIRST_REASON, choose_point, cont

# The kiosk tests' fixtures: the same app settings, tablet, live server and workshop.
kiosk_config, browser_app, service_workers, context, db, network, live_server, workshop, kiosk = (
    k.kiosk_config, k.browser_app, k.service_workers, k.context, k.db, k.network, k.live_server,
    k.workshop, k.kiosk)

pytestmark = pytest.mark.browser


def heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_back_to_the_welcome_screen_then_start_begins_a_new_person(kiosk):
    page = kiosk
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
    page.get_by_label("NHS staff", exact=True).check()
    cont(page)
    heading(page, "Your first thoughts")
    choose_point(page, "Prefer human connection")
    page.get_by_label("Why did you choose this? (optional)").fill(FIRST_REASON)
    cont(page)
    heading(page, "Both sides")

    # They give up and go back to the start; the next person picks the tablet up and presses Start.
    for title in ("Your first thoughts", "About you", "Technology and care"):
        page.get_by_role("button", name="Back").click()
        heading(page, title)
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
    expect(page.get_by_label("NHS staff", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Patient", exact=True)).not_to_be_checked()
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    heading(page, "Your first thoughts")
    expect(page.get_by_label("Why did you choose this? (optional)")).to_have_value("")
    expect(page.get_by_label("Prefer human connection", exact=True)).not_to_be_checked()
    assert FIRST_REASON not in page.content()


def kept_copies(page, base: str) -> dict:
    """The kiosk page in English and in Welsh as a tablet keeps them to reload offline: each copy
    with its own reference codes, the same codes every time it is loaded again."""
    copies = {}
    for lang in ("en", "cy"):
        response = page.request.get(f"{base}?lang={lang}")
        assert response.ok
        copies[lang] = {"status": response.status, "headers": response.headers, "body": response.body()}
    return copies


def answer_in_welsh(page) -> None:
    """The test consultation's own words are not translated: its titles stay in English."""
    def parhau(then: str) -> None:
        page.get_by_role("button", name="Parhau", exact=True).click()
        heading(page, then)

    page.get_by_role("button", name="Dechrau", exact=True).click()
    heading(page, "About you")
    page.locator("#kiosk-screen input[name='q-role'][value='patient']").check()
    parhau("Your first thoughts")
    page.locator("#kiosk-screen .engage-slider__point").first.click()
    parhau("Both sides")
    parhau("After the discussion")
    page.locator("#kiosk-screen .engage-slider__point").last.click()
    parhau("Anything else")
    page.get_by_role("button", name="Parhau", exact=True).click()
    expect(page.get_by_role("button", name="Anfon", exact=True)).to_be_visible()


def shown_code(page) -> str:
    code = page.locator("[data-kiosk-reference-code]")
    expect(code).to_be_visible()
    return code.inner_text()


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_offline_each_person_is_shown_a_code_nobody_else_was_shown(live_server, page, db, network):
    """Offline, the tablet reloads its kept copy after each person, and a person's language switch
    opens the other language's copy. Each copy brought its own codes and counted them itself, so
    the third person was shown the first person's code (and the server stored them under another)."""
    from ..engage.workshop.helpers import make_workshop
    from ..factories import consultation_from
    from .test_workshop_kiosk import DEFINITION, answer_everything, stored

    workshop = make_workshop(db, consultation_from(db, {**DEFINITION, "languages": ["en", "cy"]}), tables=2)
    base = f"{live_server.url}/workshop/k/{workshop.join_code}/1"
    copies = kept_copies(page, base)

    def kept_copy(route):
        if route.request.resource_type != "document":
            route.continue_()
        else:
            route.fulfill(**copies["cy" if "lang=cy" in route.request.url else "en"])

    page.route(re.compile(re.escape(base) + r"(\?.*)?$"), kept_copy)
    network.offline = True  # no answer reaches the server: each person leaves with a code from the tablet
    page.goto(f"{base}?lang=en")
    shown = []

    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    shown.append(shown_code(page))
    page.get_by_role("button", name="Start for the next person").click()

    page.get_by_role("link", name="Cymraeg").click()
    answer_in_welsh(page)
    page.get_by_role("button", name="Anfon", exact=True).click()
    shown.append(shown_code(page))
    page.get_by_role("button", name="Dechrau ar gyfer y person nesaf").click()

    heading(page, "Technology and care")
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    shown.append(shown_code(page))
    assert len(set(shown)) == 3, shown

    # Back online, each person's answers are stored under the code they were shown.
    network.offline = False
    page.wait_for_function("() => !localStorage.getItem('engage-kiosk-outbox')", timeout=30_000)
    people, _answers = stored(db)
    assert sorted(p.reference for p in people) == sorted(shown)


def test_a_person_is_never_shown_a_code_the_server_has_given_someone_else(kiosk, browser_app, workshop, db):
    """A code already stored for another response (handed out by a tablet before it kept one
    stock) is refused while its person waits; they are shown another, and stored under it."""
    from ..engage.workshop.helpers import post_response
    from .test_workshop_kiosk import answer_everything, stored

    page = kiosk
    taken = page.evaluate("""() => {
        const key = Object.keys(localStorage).find(k => k.startsWith('engage-kiosk-references:'))
        return JSON.parse(localStorage.getItem(key)).codes[0]
    }""")
    earlier = post_response(browser_app.test_client(), browser_app, workshop, answers={"q-role": "staff"},
                            lenient=True, reference=taken["code"], reference_signature=taken["sig"])
    assert earlier.status_code == 201 and earlier.json["reference"] == taken["code"]

    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    code = shown_code(page)
    assert code != taken["code"]
    people, _answers = stored(db)
    assert sorted(p.reference for p in people) == sorted([taken["code"], code])


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_while_answers_are_sent_the_screen_says_so_and_nothing_can_be_changed(kiosk, db):
    """On slow Wi-Fi a person pressed Back or Change while their answers were on their way: what
    they changed then was not in what was sent."""
    from .test_workshop_kiosk import answer_everything, stored

    page = kiosk
    held = []
    page.route("**/responses", lambda route: held.append(route))
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").filter(has_text="Sending your answers. Please wait.")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    expect(page.get_by_role("button", name="Back")).to_be_disabled()
    changes = page.locator("#kiosk-screen [data-kiosk-change]")
    assert changes.count() > 0
    for n in range(changes.count()):
        expect(changes.nth(n)).to_have_attribute("aria-disabled", "true")
    changes.first.click(force=True)
    page.get_by_role("button", name="Back").click(force=True)
    heading(page, "Check your answers before sending them")
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    assert len(stored(db)[0]) == 1


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_sending_again_after_a_reply_that_said_not_saved_stores_one_response(kiosk, db):
    """The answers reached the server, but what came back was an error (a proxy between them on
    hospital Wi-Fi): the person pressed Send again, and the tablet sent them under a new key, so
    they were stored twice. Each person's answers now go with one key, however often sent."""
    from .test_workshop_kiosk import answer_everything, stored

    page = kiosk
    sent = []

    def through_a_proxy(route):
        sent.append(route.request.post_data_json["idempotency_key"])
        reply = route.fetch()  # the server has them
        if len(sent) == 1:
            route.fulfill(status=500, json={"status": "error", "message": "The proxy lost the reply."})
        else:
            route.fulfill(response=reply)

    page.route("**/responses", through_a_proxy)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("The proxy lost the reply.")).to_be_visible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    assert len(sent) == 2 and sent[0] == sent[1]
    people, _answers = stored(db)
    assert len(people) == 1
    assert page.locator("[data-kiosk-reference-code]").inner_text() == people[0].reference


def test_the_browsers_back_acts_as_the_kiosks_back_and_never_leaves_it(live_server, page, workshop):
    """The browser's Back (or Android's back gesture) left the kiosk for the page before it: on a
    facilitator's tablet, their signed-in workshop page, past the exit PIN."""
    page.goto(f"{live_server.url}/")  # the page the tablet was on before the kiosk
    kiosk_address = f"{live_server.url}/workshop/k/{workshop.join_code}/1"
    page.goto(kiosk_address)
    heading(page, "Technology and care")
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    heading(page, "Your first thoughts")

    page.go_back()
    heading(page, "About you")
    expect(page.get_by_label("Patient", exact=True)).to_be_checked()  # as the kiosk's own Back keeps it
    page.go_back()
    heading(page, "Technology and care")
    for _n in range(2):
        page.go_back()
        page.wait_for_timeout(300)
        heading(page, "Technology and care")
        assert page.url.startswith(kiosk_address)
    # And the kiosk still works as before.
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
