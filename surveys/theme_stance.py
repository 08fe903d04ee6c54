"""Where a theme's people stand on the consultation's trade-offs, in words.

"Most of the 312 people in this theme favoured faster diagnosis (61%); 30% favoured human
connection and 9% said both equally."

A theme's people are everyone with an answer placed in it. The trade-offs related to a theme are
those whose reasons its answers are; for a theme of other answers, every trade-off asked first
(not its repeat at the end). The theme's main stance is the related trade-off on which its people
differ most from everyone who took part.

The minimum group size holds: a theme with fewer people than the minimum who answered is not
broken down, and no side chosen by 1 to minimum - 1 people can be counted from what is said (it is
"fewer than N", or folded into "the rest").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from .models import AnalysisRun, Answer, Question, Respondent, ThemeAssignment
from .types import types_where

LEFT, MIDDLE, RIGHT = "left", "middle", "right"


def _side(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not -3 <= value <= 3:
        return None
    return LEFT if value < 0 else RIGHT if value > 0 else MIDDLE


def _lower(name: str) -> str:
    """"Faster diagnosis" -> "faster diagnosis", but "NHS app" stays."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[0].isupper() and name[1].islower() else name


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"


@dataclass(frozen=True)
class Stance:
    question_id: int
    #: "Human connection or faster diagnosis"
    question: str
    #: Names of the sides as the question gives them.
    names: dict[str, str]
    #: People in the theme who answered the trade-off.
    people: int
    #: People per side (never shown as such: ``sentence`` applies the minimum group size).
    counts: dict[str, int]
    minimum: int
    #: How far the theme's main side differs from everyone's share on that side (0 to 1).
    difference: float

    def _favoured(self, side: str) -> str:
        name = self.names[side]
        return f"said {name.lower()}" if side == MIDDLE else f"favoured {_lower(name)}"

    @property
    def sentence(self) -> str:
        n, minimum = self.people, self.minimum
        if n < minimum:
            return (f"Fewer than {minimum} people in this theme answered “{self.question}”, "
                    f"too few to say where they stand.")
        top, *others = sorted(self.counts, key=lambda k: (-self.counts[k], k == MIDDLE))
        others = [s for s in others if self.counts[s]]
        if self.counts[top] < minimum:
            return (f"The {n:,} people in this theme who answered “{self.question}” are too few on "
                    f"each side to say how they divide.")
        small = [s for s in others if self.counts[s] < minimum]
        if len(small) == 1 and len(others) == 1:
            # The main side's share would give the one small side away: say it without numbers.
            return (f"Almost all of the {n:,} people in this theme {self._favoured(top)}; fewer than "
                    f"{minimum} {self._favoured(small[0])}.")
        share = self.counts[top] / n
        lead = "Most" if share > 0.5 else "More"
        main = f"{lead} of the {n:,} people in this theme {self._favoured(top)} ({_percent(share)})"
        if lead == "More":
            main += " than anything else"
        if not others:
            return main + "."
        if small:  # a small side among two: only what the two add up to can be worked out
            return main + "; the rest " + " or ".join(self._favoured(s) for s in others) + "."
        return main + "; " + " and ".join(f"{_percent(self.counts[s] / n)} {self._favoured(s)}"
                                          for s in others) + "."


def _name(q: Question) -> str:
    return f"{q.config.get('left', '')} or {_lower(q.config.get('right', ''))}"


def theme_stances(session: Session, run: AnalysisRun, minimum: int) -> dict[int, list[Stance]]:
    """Each top-level theme's stances on its related trade-offs, main stance first (by theme id).
    Empty when the consultation asks no trade-off."""
    minimum = max(1, int(minimum))
    tradeoffs = {q.id: q for q in session.exec(select(Question).where(
        Question.consultation_id == run.consultation_id,
        Question.type.in_(types_where(lambda t: t.between_poles))))}
    if not tradeoffs:
        return {}
    members = session.exec(
        select(ThemeAssignment.theme_id, Answer.respondent_id, Answer.question_id)
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .where(ThemeAssignment.run_id == run.id)).all()
    people: dict[int, set[int]] = defaultdict(set)
    reasons: dict[int, set[int]] = defaultdict(set)
    for theme_id, respondent_id, question_id in members:
        people[theme_id].add(respondent_id)
        if question_id in tradeoffs:
            reasons[theme_id].add(question_id)
    values: dict[int, dict[int, str]] = defaultdict(dict)
    for respondent_id, question_id, value in session.exec(
            select(Answer.respondent_id, Answer.question_id, Answer.value)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .where(Answer.question_id.in_(tradeoffs), Respondent.submitted_at.is_not(None))):
        side = _side(value)
        if side is not None:
            values[question_id][respondent_id] = side
    everyone = {q: Counter(v.values()) for q, v in values.items()}
    first_asked = [q for q in tradeoffs.values() if q.repeat_of_id is None]

    out: dict[int, list[Stance]] = {}
    for theme_id, who in people.items():
        related = [tradeoffs[q] for q in sorted(reasons[theme_id])] or first_asked
        stances = []
        for q in related:
            sides = Counter(values[q.id][r] for r in who if r in values[q.id])
            n = sum(sides.values())
            counts = {s: sides.get(s, 0) for s in (LEFT, RIGHT, MIDDLE)}
            all_n = sum(everyone.get(q.id, Counter()).values())
            top = max(counts, key=lambda k: (counts[k], k != MIDDLE))
            difference = (abs(counts[top] / n - everyone[q.id][top] / all_n) if n and all_n else 0.0)
            names = {LEFT: q.config.get("left", "the first"), RIGHT: q.config.get("right", "the second"),
                     MIDDLE: q.config.get("middle", "Both equally")}
            stances.append(Stance(q.id, _name(q), names, n, counts, minimum,
                                  difference if n >= minimum else -1.0))
        out[theme_id] = sorted(stances, key=lambda s: -s.difference)
    return out
