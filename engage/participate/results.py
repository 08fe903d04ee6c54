"""'What others have said so far': aggregates of submitted answers, never for small groups.

Each question becomes a short summary sentence and a few rows (label, figure, share for the bar),
in plain words for the public: the facilitators' summary engine counts, and each question's type
says the result readably (``QuestionType.readable``): options no one chose left out, a trade-off
read as three leanings rather than seven points.
"""

from __future__ import annotations

from sqlmodel import Session

from surveys import publication, summaries, translations
from surveys.groups import hide_small
from surveys.journey import Structure
from surveys.models import Consultation
from surveys.types import get_type
from surveys.wording import gettext, ngettext

from .. import db


def results_for(session: Session, consultation: Consultation, minimum: int,
                language: str = "en") -> list[dict]:
    """Everyone's summary of each question (not the segment question), from submitted responses,
    in ``language`` where offered, for questions at least ``minimum`` people answered:
    ``question``, ``people``, ``summary`` (one sentence), ``rows`` for the chart and its data
    table, and ``figure`` (the figures' heading)."""
    structure = translations.localise(Structure.load(session, consultation), language)
    questions = [q for q in structure.questions if not q.is_segment]
    found = summaries.question_summaries(session, questions, [], summaries.Filters(completed_only=True))
    out = []
    for q in questions:
        if q.id not in found:
            continue
        readable = get_type(q.type).readable(q, found[q.id]["groups"][0])
        if readable["people"] >= minimum:
            out.append({"question": q, **_private(readable, minimum)})
    return out


def _private(readable: dict, minimum: int) -> dict:
    """``readable`` with each share of people that could single someone out "Not shown": a share
    of a known total gives its count away (``hide_small``: one of 1 to ``minimum - 1`` people, or
    one that would let it be worked out). The sentence about the commonest answer goes with its
    share. Rows of averages (no ``people``) are as they were."""
    rows = readable["rows"]
    if not rows or any(row.get("people") is None for row in rows):
        return readable
    shown = hide_small({i: row["people"] for i, row in enumerate(rows)}, minimum)
    if None not in shown.values():
        return readable
    people = readable["people"]
    return {**readable, "hidden": True,
            "rows": [row if shown[i] is not None else {**row, "figure": gettext("Not shown"), "bar": 0}
                     for i, row in enumerate(rows)],
            "summary": readable["summary"] if shown[0] is not None else
            ngettext("%(num)s person answered.", "%(num)s people answered.", people)}


def has_outcome(consultation: Consultation) -> bool:
    """Whether the consultation has a published results page (for links to it)."""
    return publication.has_published(db.session(), consultation)
