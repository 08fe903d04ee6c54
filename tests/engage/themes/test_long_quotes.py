"""A long answer is quoted short enough to read at a glance, cut at a sentence's end (or a word's,
with "…"), never mid-word, in the same way on the board, on the theme's page and in the report;
the theme's list of answers keeps it whole."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import select

from surveys.models import Answer, Theme

from ...factories import signed_in_lead_with_answers
from ..reports.test_reports import docx_text, start
from .helpers import card_fact

#: About 300 words in sentences; the first sentence's words are unusual, to find it by.
SENTENCES = ("Zebrafinch appointments were moved three times without anyone telling me why. "
             + "The letters arrived after the date of the appointment, so I missed two of them. " * 12
             + "In the end I gave up and went to the walk-in centre instead, which took all day. " * 8)
#: One long sentence with no stop at all.
RAMBLE = "quokka " + " ".join(f"waiting{n} and phoning" for n in range(120))


def _quoted(session, run, text: str, nth: int) -> Theme:
    """The ``nth`` biggest theme's first quote, now ``text``."""
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    theme = [t for t in themes if t.quote_ids][nth]
    answer = session.get(Answer, int(theme.quote_ids[0]))
    answer.text_redacted = text
    session.add(answer)
    session.commit()
    return theme


def _cut_from(shown: str, whole: str) -> None:
    """``shown`` is ``whole`` cut short: at most 60 words, its start, ending at a whole word."""
    words = shown.rstrip("…").split()
    assert 20 <= len(words) <= 60, shown
    assert " ".join(whole.split()).startswith(" ".join(words)), shown
    assert shown.endswith((".", "…")), shown
    assert " ".join(whole.split()[:len(words)]) == " ".join(words)  # never mid-word


def test_a_long_answer_is_quoted_short_everywhere_and_read_whole_in_the_theme(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    run = start(client, session, consultation)
    sentences, ramble = _quoted(session, run, SENTENCES, 0), _quoted(session, run, RAMBLE, 1)
    base = f"/manage/{consultation.slug}/themes/{run.id}"

    board = unescape(client.get(base).get_data(as_text=True))
    for theme, whole in ((sentences, SENTENCES), (ramble, RAMBLE)):
        card = board[board.index(f"/t/{theme.id}\""):].split("</li>")[0]
        _cut_from(card_fact(card, "Typical answer"), whole)
    assert "Zebrafinch appointments" in board and "walk-in centre" not in board
    assert re.search(r"quokka[^<]*…</q>", board)

    page = unescape(client.get(f"{base}/t/{sentences.id}").get_data(as_text=True))
    quoted = page.split("Representative quotes")[1].split("</h2>")[1]
    first = re.search(r"<p>(Zebrafinch[^<]*)</p>", quoted).group(1)
    _cut_from(first, SENTENCES)
    assert first.endswith("them.")  # at the last sentence's end in the first 50 words
    assert "Read the whole answer" in quoted and SENTENCES.strip() in quoted
    # The theme's own list of answers keeps the answer whole.
    found = unescape(client.get(f"{base}/t/{sentences.id}?q=Zebrafinch").get_data(as_text=True))
    listed = found.split('class="engage-answers"')[1]
    assert SENTENCES.strip() in listed

    report = docx_text(client.get(f"{base}/report.docx").data)
    assert SENTENCES.strip() not in report and "walk-in centre" not in report
    quote = next(line for line in report.splitlines() if "Zebrafinch" in line)
    _cut_from(quote.strip("“”"), SENTENCES)
