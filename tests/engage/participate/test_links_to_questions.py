"""Every link to a question (the Change links on "check your answers", the error summary's) leads
to a control on its page: an element with that id which is an input, a select or a textarea (the
first of a group). Whether it can be seen and takes focus with JavaScript (a trade-off's slider) is
tested in the browser: tests/browser/test_links_to_questions.py."""

import re

import pytest

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin

CONTROL = r'<(input|select|textarea)\b[^>]*\bid="{id}"'
FIRST_CONTROL = re.compile(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"')


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def complete_to_check(client, role: str = "patient") -> str:
    """Answer every page shown; the check-your-answers page."""
    location = begin(client)
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        data = {**DEMO_ANSWERS.get(key, {}), **({"q-role": role} if key == "about-you" else {})}
        location = client.post(location, data=data).headers["Location"]
    return client.get(location).get_data(as_text=True)


def change_links(check_html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*change=1[^"]*)"', check_html)]


def test_every_change_link_leads_to_a_control_of_its_question(client, demo):
    check = complete_to_check(client, role="staff")
    links = change_links(check)
    assert len(links) == 20  # every question the person was asked
    fragments = {link.split("#")[1] for link in links}
    # The budget and the ranking lead to their first option's box, not to an id no element has.
    assert {"q-technology-budget-share-fix-existing-systems", "q-technology-priorities-shared-records",
            "q-connection-vs-speed-before"} <= fragments
    for link in links:
        path, fragment = link.split("#")
        page = client.get(path).get_data(as_text=True)
        assert re.search(CONTROL.format(id=re.escape(fragment)), page), link
        # The first control of its question (the first radio, box or amount of a group).
        questions = page.split('<div class="engage-question" id="question-')[1:]
        firsts = [FIRST_CONTROL.search(q).group(1) for q in questions]
        assert fragment in firsts, (link, firsts)


def test_every_error_summary_link_leads_to_a_control(client, demo):
    complete_to_check(client)
    wrong = {
        "first-view": {"q-connection-vs-speed-before": "", "q-connection-vs-speed-before-why": "x" * 1001},
        "technology-budget": {"q-technology-budget-share-staff-training": "7"},
        "priorities-and-nhs-app": {"q-technology-priorities-ai-scribes": "1"},
        "about-you": {},
    }
    for key, data in wrong.items():
        page = client.post(f"/c/{SLUG}/p/{key}?change=1", data=data).get_data(as_text=True)
        summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
        hrefs = re.findall(r'href="#([^"]+)"', summary)
        assert hrefs, key
        for fragment in hrefs:
            assert re.search(CONTROL.format(id=re.escape(fragment)), page), (key, fragment)


def test_the_change_link_of_a_pairwise_question_leads_to_its_first_pair(client, session):
    from ...factories import consultation_from
    from .test_pairwise import DEFINITION
    from .test_pairwise import SLUG as PAIRS

    consultation_from(session, DEFINITION)
    client.post(f"/c/{PAIRS}/consent", data={"agree": "y"})
    location = client.post(f"/c/{PAIRS}/p/about", data={"q-role": "patient"}).headers["Location"]
    while location.endswith("/p/pairs"):
        page = client.get(location).get_data(as_text=True)
        pair = re.search(r'name="q-matters-pair-0" value="([^"]+)"', page).group(1)
        location = client.post(location, data={"q-matters-pair-0": pair,
                                               "q-matters-pick-0": pair.split(":")[0]}).headers["Location"]
    client.post(location, data={})
    links = change_links(client.get(f"/c/{PAIRS}/check").get_data(as_text=True))
    link = next(link for link in links if "/p/pairs" in link)
    assert link.endswith("#q-matters-pick-0")
    page = client.get(link.split("#")[0]).get_data(as_text=True)
    assert re.search(CONTROL.format(id="q-matters-pick-0"), page)
