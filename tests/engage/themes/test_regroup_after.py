"""After fewer, broader themes: a page of a theme that has since become a sub-theme says its edit
was not made (it was dropped without a word), and more, narrower themes give the themes back
their own names (they came back as "Name (2)" with no "Name")."""

import re
from html import unescape

import pytest
from sqlmodel import select

from surveys.models import Theme

from .helpers import analysed
from .test_moved_answers_subthemes import broaden


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_an_edit_from_a_page_of_a_theme_now_a_sub_theme_says_nothing_was_changed(client, session, run):
    tops = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    stale = {t: client.get(f"{run.base}/t/{t}") for t in tops}  # pages open in another tab
    broaden(client, session, run)
    session.expire_all()
    subs = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_not(None))).all()
    sub = next(t for t in subs if t.id in stale)
    label, parent = sub.label, session.get(Theme, sub.parent_id)
    response = client.post(f"{run.base}/t/{sub.id}", data={"action": "rename", "rename-label": "Renamed",
                                                          "rename-description": ""}, follow_redirects=True)
    text = page_text(response)
    assert response.request.path == f"{run.base}/t/{parent.id}"
    assert f"“{label}” is now part of the theme “{parent.label}”, so nothing was changed." in text
    assert "Theme renamed" not in text
    session.expire_all()
    assert session.get(Theme, sub.id).label == label


def test_broader_then_narrower_themes_give_the_themes_back_their_own_names(client, session, run):
    session.expire_all()
    names = set(session.exec(select(Theme.label).where(Theme.run_id == run.id, Theme.parent_id.is_(None))))
    broaden(client, session, run)
    response = client.post(f"{run.base}/edit", data={"action": "narrow"}, follow_redirects=True)
    assert response.status_code == 200 and "Sub-themes are now themes of their own" in page_text(response)
    session.expire_all()
    now = set(session.exec(select(Theme.label).where(Theme.run_id == run.id, Theme.parent_id.is_(None))))
    assert now == names  # every answer was in a sub-theme: the broad themes went, names came back
    board = client.get(run.base).get_data(as_text=True)
    cards = {unescape(c) for c in re.findall(r'class="nhsuk-card__link"[^>]*>\s*([^<]*?)\s*</a>', board)}
    assert cards == names
