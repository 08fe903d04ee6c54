"""The consultation's title on the workspace's pages, read in Welsh: in Welsh where the consultation
gives one, else as written, marked as English, never unmarked English on a Welsh page.

Every workspace page (the overview, responses, summaries, themes, workshops…) captioned itself
with the English title on a Welsh page, unmarked, and named itself so in the browser's tab."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ...factories import signed_in_lead_with_answers

#: Lists that name the consultation (not in the tab's title), then its own pages.
LISTS = ("/manage/", "/workshop/manage/")
PAGES = ("/manage/c/{slug}/", "/manage/c/{slug}/responses", "/manage/c/{slug}/responses/text",
         "/manage/c/{slug}/entry/", "/manage/c/{slug}/publication/",
         "/manage/{slug}/themes/", "/workshop/manage/c/{slug}/")


@pytest.fixture
def consultation(app, session, client):
    return signed_in_lead_with_answers(app, session, client, 10)


def _read(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    page = re.sub(r"\s+", " ", response.get_data(as_text=True))
    return page, unescape(re.search(r"<title>(.*?)</title>", page).group(1))


def test_a_welsh_title_given_is_read_in_welsh(client, consultation):
    welsh = consultation.translations["cy"]["title"]
    client.get("/?lang=cy")
    for url in LISTS + PAGES:
        page, title = _read(client, url.format(slug=consultation.slug))
        assert welsh in unescape(page) and (url in LISTS or welsh in title), url
        assert consultation.title not in unescape(page), url
    # The overview's other words of the consultation's own follow the same rule.
    overview = unescape(_read(client, PAGES[0].format(slug=consultation.slug))[0])
    assert consultation.translations["cy"]["audience"] in overview and consultation.audience not in overview
    client.get("/?lang=en")
    page, title = _read(client, PAGES[0].format(slug=consultation.slug))
    assert consultation.title in title and welsh not in unescape(page)


def test_a_title_not_given_in_welsh_is_english_and_marked(client, session, consultation):
    consultation.translations = {"cy": {k: v for k, v in consultation.translations["cy"].items()
                                        if k != "title"}}
    session.add(consultation)
    session.commit()
    client.get("/?lang=cy")
    for url in LISTS + PAGES:
        page, title = _read(client, url.format(slug=consultation.slug))
        marked = f'<span lang="en">{consultation.title}</span>'
        assert marked in unescape(page), url
        # The tab's name is the words alone: no markup inside <title>.
        assert url in LISTS or (consultation.title in title and "<span" not in title), url
    client.get("/?lang=en")


def test_the_home_page_lists_open_consultations_in_the_readers_language(client, consultation):
    """A Welsh reader of the public home page read the English title and summary of a consultation
    offered in Welsh, unmarked."""
    cy = consultation.translations["cy"]
    client.get("/?lang=cy")
    page = unescape(_read(client, "/")[0])
    assert cy["title"] in page and cy["summary"].split("\n")[0].strip()[:40] in page
    assert consultation.title not in page
    client.get("/?lang=en")
    page = unescape(_read(client, "/")[0])
    assert consultation.title in page and cy["title"] not in page


def test_the_message_after_creating_or_copying_names_the_title_as_read(facilitator_client):
    """The banner after creating or copying a consultation gave its English title unmarked on a
    Welsh page; a title ending in a question mark got a full stop after it as well."""
    client = facilitator_client
    client.get("/?lang=cy")
    new = {"slug": "eye-clinic", "title": "Eye clinic: <what> matters?", "retention_days": 30,
           "min_group_size": 5}
    page = client.post("/manage/new", data=new, follow_redirects=True).get_data(as_text=True)
    assert 'Wedi creu <span lang="en">Eye clinic: &lt;what&gt; matters?</span> Ychwanegwch' in page
    page = client.post("/manage/c/eye-clinic/copy", data={"slug": "eye-clinic-2", "title": "Eye clinic 2"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'Wedi\'i gopïo fel <span lang="en">Eye clinic 2</span>, drafft.' in unescape(page)
    client.get("/?lang=en")
    new = {**new, "slug": "ear-clinic", "title": "Ear clinic?"}
    page = client.post("/manage/new", data=new, follow_redirects=True).get_data(as_text=True)
    assert "Created Ear clinic? Add its pages next." in page and "lang=" not in page.split("<body")[1]


def test_the_message_after_importing_names_the_title_as_read(facilitator_client):
    """The banner after an import names the consultation as the page reads it: its Welsh title
    where the file gives one, else its English title marked as English."""
    import io

    import yaml

    from surveys.definitions import DEMO

    demo = yaml.safe_load(DEMO.read_text())
    client = facilitator_client
    client.get("/?lang=cy")

    def imported(slug: str, definition: dict) -> str:
        data = yaml.safe_dump({**definition, "slug": slug}, allow_unicode=True).encode()
        response = client.post("/manage/import", data={"file": (io.BytesIO(data), "c.yaml")},
                               content_type="multipart/form-data", follow_redirects=True)
        assert response.status_code == 200
        return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))

    page = imported("in-welsh", demo)
    assert f"Wedi mewnforio {demo['cy']['title']} fel drafft." in page
    english_only = {**demo, "title": "Eye clinic?", "cy": {k: v for k, v in demo["cy"].items()
                                                         if k != "title"}}
    page = imported("eye-clinic", english_only)
    assert 'Wedi mewnforio <span lang="en">Eye clinic?</span> fel drafft.' in page
    client.get("/?lang=en")
