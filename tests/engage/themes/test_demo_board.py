"""The demo's board, as a new facilitator first sees it after ``make run``: its themes are what the
sample people asked for, not the asides the sample answers are padded with."""

import html
import re

from analysis.text import STOP_WORDS
from engage.sample_responses import EXTRAS, IDEAS

from ...factories import signed_in_lead_with_answers


def _words(text: str) -> set[str]:
    """Its content words: "Mum struggled with this last year" and "time with the nurse" share none."""
    return set(re.findall(r"[a-z]+", text.lower())) - STOP_WORDS


def test_the_demo_boards_themes_are_the_ideas_people_gave_not_their_asides(app, session, client):
    """The first demo closed three answers in four with one of six asides, word for word, and its
    board had a theme "Mum struggled with this last year": each aside was said by one answer in
    eight, more than most ideas. An aside is now rare and varied, so no theme is named by one."""
    # As `make run` loads the demo, and as a facilitator starts: every question offered, ticked.
    consultation = signed_in_lead_with_answers(app, session, client, 300)
    start = f"/manage/{consultation.slug}/themes/"
    form = client.get(start).get_data(as_text=True)
    offered = re.findall(r'name="questions" type="checkbox" value="(\d+)"', form)
    assert len(offered) >= 5, offered
    board = client.get(client.post(start, data={"questions": offered}).headers["Location"],
                       follow_redirects=True).get_data(as_text=True)
    labels = [html.unescape(m) for m in re.findall(r'class="nhsuk-card__link"[^>]*>([^<]+)</a>', board)]
    assert len(labels) >= 12, labels
    ideas = [_words(i) for group in IDEAS.values() for i in group]
    asides = [_words(e) for e in EXTRAS]
    for label in labels:
        words = _words(label)
        named_by_aside = any(len(words & aside) >= 2 and not any(words & idea for idea in ideas)
                             for aside in asides)
        assert not named_by_aside, f"theme named by an aside: {label!r} of {labels}"
        assert any(len(words & idea) >= min(2, len(words)) for idea in ideas), (label, labels)
