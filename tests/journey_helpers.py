"""Answers to the demo consultation, page by page, and a helper that completes it over HTTP."""

from __future__ import annotations

import re

SLUG = "technology-in-the-nhs"

DEMO_ANSWERS = {
    "about-you": {"q-role": "patient", "q-age-band": "45-to-64"},
    "first-view": {"q-connection-vs-speed-before": "-2",
                   "q-connection-vs-speed-before-why": "I want a person to talk to"},
    "technology-vs-implementation": {"q-new-vs-existing": "2"},
    "technology-budget": {"q-technology-budget-share-fix-existing-systems": "40",
                          "q-technology-budget-share-staff-training": "30",
                          "q-technology-budget-share-proven-new-technology": "20",
                          "q-technology-budget-share-new-pilots": "10",
                          "q-fix-one-thing": "Call me on 07700 900123 about the booking system"},
    "infrastructure-vs-visible-change": {"q-foundations-vs-quick-wins": "0"},
    "priorities-and-nhs-app": {"q-technology-priorities-shared-records": "1",
                               "q-technology-priorities-reliable-computers": "2",
                               "q-technology-priorities-better-nhs-app": "4",
                               "q-technology-priorities-ai-scribes": "3",
                               "q-nhs-app-use": "every-month"},
    "commitment-vs-evaluation": {"q-commit-vs-evaluate": "3"},
    "judging-success": {"q-success-measures": ["safer-care", "other"],
                        "q-success-measures-other": "Fewer letters lost",
                        "q-open-about-failure": "2"},
    "possible-vs-desirable": {"q-connection-vs-speed-after": "1"},
    "people-and-ai": {"q-person-makes-final-decision": "0", "q-preferred-contact": "phone-call",
                      "q-what-matters-most": "Being listened to"},
    "staff-experience": {"q-staff-systems-help-care": "4", "q-staff-ai-scribe": "2",
                         "q-staff-one-change": "Single sign-on"},
    "anything-else": {"q-anything-else-text": ""},
}


#: The CSRF token a page's form carries (with CSRF checks on, as served).
# A form's own CSRF token; a form with a prefix names it so ("updates-csrf_token" on /done).
CSRF_TOKEN = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')


def consented(app, slug: str = SLUG):
    """A new person who has agreed to take part, with CSRF checks on: their test client, and the
    address of the first question page."""
    person = app.test_client()
    consent = person.get(f"/c/{slug}/consent").get_data(as_text=True)
    r = person.post(f"/c/{slug}/consent", data={"agree": "y", "csrf_token": CSRF_TOKEN.search(consent)[1]})
    assert r.status_code == 302
    return person, r.headers["Location"]


def begin(client, slug: str = SLUG):
    response = client.post(f"/c/{slug}/consent", data={"agree": "y"})
    assert response.status_code == 302, response.data[:500]
    return response.headers["Location"]


def complete(client, role: str = "patient", slug: str = SLUG, answers=None) -> str:
    """Walk every page the person is shown; returns the reference code from the confirmation."""
    answers = answers or DEMO_ANSWERS
    location = begin(client, slug)
    seen = []
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        seen.append(key)
        data = dict(answers.get(key, {}))
        if key == "about-you":
            data["q-role"] = role
        response = client.post(location, data=data)
        assert response.status_code == 302, (key, response.data.decode()[:2000])
        location = response.headers["Location"]
    assert location.endswith("/check")
    assert client.get(location).status_code == 200
    response = client.post(f"/c/{slug}/submit")
    assert response.headers["Location"].endswith("/done")
    page = client.get(f"/c/{slug}/done").data.decode()
    reference = page.split('id="reference">')[1].split("<")[0]
    complete.pages_seen = seen
    return reference
