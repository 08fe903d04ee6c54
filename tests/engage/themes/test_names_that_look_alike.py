"""Theme names that look the same are the same name: one with a zero-width space in it, or an
accent typed as a separate character (NFD), was accepted beside the theme it looked exactly like."""

import unicodedata
from html import unescape

import pytest
from sqlmodel import select

from surveys.models import Theme

from .helpers import analysed


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def tops(session, run) -> list[Theme]:
    session.expire_all()
    return session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                        .order_by(Theme.position)).all()


def rename(client, run, theme_id: int, label: str):
    return client.post(f"{run.base}/t/{theme_id}", data={"action": "rename", "rename-label": label,
                                                         "rename-description": ""})


def test_a_name_that_only_looks_different_is_refused_as_taken(client, session, run):
    first, second, third = tops(session, run)[:3]
    assert rename(client, run, second.id, "Café").status_code == 302
    for theme_id, label in ((third.id, unicodedata.normalize("NFD", "Café")),
                            (third.id, first.label + "\u200b"),
                            (third.id, "\u200b" + first.label.upper()),
                            (first.id, "Ca\u200bfé")):
        before = {t.id: t.label for t in tops(session, run)}
        response = rename(client, run, theme_id, label)
        assert response.status_code == 400, label
        assert "Another theme is already called" in unescape(response.get_data(as_text=True))
        assert {t.id: t.label for t in tops(session, run)} == before


def test_a_name_is_kept_composed_and_without_invisible_characters(client, session, run):
    theme = tops(session, run)[0]
    assert rename(client, run, theme.id, "Cafe\u0301 \u200bnear\u2060 the ward").status_code == 302
    session.expire_all()
    assert session.get(Theme, theme.id).label == "Café near the ward"


def test_the_blind_check_tells_apart_names_kept_before_that_only_look_alike(client, session, run):
    first, second = tops(session, run)[:2]
    first.label, second.label = "Café", unicodedata.normalize("NFD", "Café")  # as kept before the fix
    session.add_all([first, second])
    session.commit()
    client.post(f"{run.base}/check", data={"action": "start", "size": "20"})
    page = unescape(client.get(f"{run.base}/check").get_data(as_text=True))
    assert f"Café ({', '.join(first.keywords[:3])})" in page
