"""The theme pages read in Welsh follow the workspace's rule: each question in one language.

The matrix's "How views changed" wrapped the consultation's English ends in Welsh ("Symudodd 12
tuag at human connection"), and the board listed English prompts with Welsh words after them.
A question the consultation gives in Welsh in full is shown wholly in Welsh; any other wholly as
written, in English, marked so (``surveys.response_export.as_read``)."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import select

from surveys.models import Question

from ..facilitate.test_answers_in_one_language import _untranslate_an_end
from .test_stance import run  # noqa: F401 - the fixture: an analysed demo consultation, signed in


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def _change_section(page: str, key: str) -> str:
    return page[page.index(f'aria-labelledby="change-{key}"'):].split("</section>", 1)[0]


def test_a_trade_off_given_in_welsh_moves_in_welsh(client, session, run):  # noqa: F811
    again = session.exec(select(Question).where(Question.repeat_of_id.is_not(None),
                                                Question.type == "tradeoff")).first()
    client.get("/?lang=cy")
    page = _page(client, f"{run.base}/matrix")
    section = _change_section(page, again.key)
    cy = again.translations["cy"]
    assert cy["prompt"] in section and "lang=" not in section.split(">", 1)[0]
    assert f"tuag at {cy['left'].lower()}" in section
    assert "human connection" not in section.lower() and "moved towards" not in section
    client.get("/?lang=en")


def test_a_trade_off_not_given_in_welsh_is_wholly_english_and_marked(client, session, run):  # noqa: F811
    again = session.exec(select(Question).where(Question.repeat_of_id.is_not(None),
                                                Question.type == "tradeoff")).first()
    _untranslate_an_end(session, session.get(Question, again.repeat_of_id))
    written = session.exec(select(Question).where(Question.type == "text")).first()
    written.translations = {}  # one analysed question not given in Welsh (the demo gives them all)
    session.add(written)
    session.commit()
    client.get("/?lang=cy")
    page = _page(client, f"{run.base}/matrix")
    section = _change_section(page, again.key)
    assert 'lang="en"' in section.split(">", 1)[0] and again.prompt in section
    assert f"moved towards {again.config['left'].lower()}" in section and "tuag at" not in section
    assert "Symudodd" not in section and "Atebodd" not in section
    # The board lists the analysed questions the same way: those not given in Welsh in full as
    # written, marked as English; the others in Welsh.
    board = _page(client, run.base)
    analysed = session.exec(select(Question).where(Question.type == "text")).all()
    welsh = [q for q in analysed if (q.translations or {}).get("cy", {}).get("prompt")]
    english = [q for q in analysed if q not in welsh]
    assert welsh and english
    assert all(f'<li lang="en">{q.prompt}</li>' in board for q in english)
    assert all(f"<li>{q.translations['cy']['prompt']}</li>" in board for q in welsh)
    client.get("/?lang=en")


def test_the_start_analysis_form_names_each_question_in_one_language(client, session, run):  # noqa: F811
    """Its checkboxes give a trade-off offered in Welsh in full in Welsh ("... (rhesymau)"), and one
    that is not wholly in English, marked so: never an English prompt with "(rhesymau)" after it."""
    trade_offs = session.exec(select(Question).where(Question.type == "tradeoff",
                                                     Question.repeat_of_id.is_(None))).all()
    english, welsh = trade_offs[0], trade_offs[1]
    _untranslate_an_end(session, english)
    client.get("/?lang=cy")
    page = _page(client, run.base.rsplit("/", 1)[0] + "/")
    client.get("/?lang=en")
    labels = {text.strip(): 'lang="en"' in attributes
              for attributes, text in re.findall(r"<label([^>]*)>([^<]*)</label>", page)
              if "nhsuk-checkboxes__label" in attributes}
    # (A trade-off asked again at the end says "(reasons given at the start)", in the same language.)
    assert {marked for text, marked in labels.items()
            if text.startswith(f"{english.prompt} (reasons")} == {True}
    assert {marked for text, marked in labels.items()
            if text.startswith(f"{welsh.translations['cy']['prompt']} (rhesymau")} == {False}
    assert not any("(rhesymau" in text and english_text in text
                   for text in labels for english_text in (english.prompt, welsh.prompt))
