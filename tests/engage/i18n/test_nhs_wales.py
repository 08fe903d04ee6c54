"""NHS Wales services for people in Wales: the urgent help card on the confirmation page points to
NHS 111 Wales on Welsh pages and for a consultation offered in Welsh, NHS 111 (England) otherwise."""

from __future__ import annotations

import re

import pytest

from ...factories import consultation_from
from ...journey_helpers import complete


def short(slug: str, languages: list[str]) -> dict:
    return {"slug": slug, "title": "A short one", "summary": "One question.", "audience": "Anyone",
            "languages": languages, "min_group_size": 1, "retention_days": 30,
            "pages": [{"key": "words", "title": "In your words", "kind": "questions", "questions": [
                {"key": "why", "type": "text", "prompt": "What matters to you?"}]}]}


def urgent_111_link(client, slug: str, lang: str) -> str:
    complete(client, slug=slug, answers={"words": {"q-why": "Kindness"}})
    page = client.get(f"/c/{slug}/done?lang={lang}").get_data(as_text=True)
    card = page.split("engage-urgent-help", 1)[1]
    return re.search(r'<strong>111</strong>[^<]*<a href="([^"]+)">([^<]+)</a>', card).groups()


@pytest.mark.parametrize(("languages", "lang", "site"), [
    (["en"], "en", "111.nhs.uk"),
    (["en"], "cy", "111.wales.nhs.uk"),            # a Welsh page
    (["en", "cy"], "en", "111.wales.nhs.uk"),      # a consultation for NHS Wales, read in English
    (["en", "cy"], "cy", "111.wales.nhs.uk"),
])
def test_urgent_help_points_to_nhs_111_wales_for_people_in_wales(client, session, languages, lang, site):
    consultation_from(session, short("short-one", languages))
    href, shown = urgent_111_link(client, "short-one", lang)
    assert (href, shown) == (f"https://{site}/", site)


def test_the_welsh_card_is_in_welsh(client, session):
    consultation_from(session, short("short-one", ["en", "cy"]))
    complete(client, slug="short-one", answers={"words": {"q-why": "Caredigrwydd"}})
    page = client.get("/c/short-one/done?lang=cy").get_data(as_text=True)
    assert ('Am help meddygol brys, ffoniwch <strong>111</strong> neu ewch i '
            '<a href="https://111.wales.nhs.uk/">111.wales.nhs.uk</a>.') in page
