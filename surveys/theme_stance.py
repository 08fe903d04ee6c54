"""Where a theme's people stand on the consultation's trade-offs, in words.

"Most of the 312 people in this theme who answered “Human connection or faster diagnosis” favoured
faster diagnosis (61%); 30% favoured human connection and 9% said both equally."

The people counted are those in the theme who answered that trade-off, which may be fewer than the
theme's people: the sentence names the question so that the two counts are not read as one.

A theme's people are everyone with an answer placed in it. The trade-offs related to a theme are
those whose reasons its answers are; for a theme of other answers, every trade-off asked first
(not its repeat at the end). The theme's main stance is the related trade-off on which its people
differ most from everyone who took part.

Sides tied at the top are "evenly divided"; sides whose shares would read the same (101 and 100 of
201 are both "50%") are "almost evenly divided", in counts. "Most" is said only beside a share shown
as 51% or more.

The minimum group size holds: a theme with fewer people than the minimum who answered is not
broken down, and no side chosen by 1 to minimum - 1 people can be counted from what is said (it is
"fewer than N", or folded into "the rest").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from .models import AnalysisRun, Consultation, Question
from .theme_tally import LEFT, MIDDLE, RIGHT, Tallies, tallies, tradeoffs
from .translations import SOURCE, localise_question
from .wording import N_, gettext, lower_first


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
        return (gettext("said %(side)s", side=name.lower()) if side == MIDDLE
                else gettext("favoured %(side)s", side=lower_first(name)))

    @property
    def says_how_they_divide(self) -> bool:
        """Enough people on the main side to say how the theme's people divide (else the sentence
        says they are too few)."""
        return self.people >= self.minimum and max(self.counts.values(), default=0) >= self.minimum

    @property
    def sentence(self) -> str:
        """The stance in words, in the language being served (English outside a request)."""
        n, minimum = self.people, self.minimum
        if n < minimum:
            return gettext("Fewer than %(minimum)s people in this theme answered “%(question)s”, too few "
                           "to say where they stand.", minimum=minimum, question=self.question)
        ranked = _ranked(self.counts)
        top = ranked[0]
        tied = [s for s in ranked if self.counts[s] == self.counts[top]]
        others = [s for s in ranked[len(tied):] if self.counts[s]]
        people = f"{n:,}"
        if self.counts[top] < minimum:
            return gettext("The %(people)s people in this theme who answered “%(question)s” are too few "
                           "on each side to say how they divide.", people=people, question=self.question)
        small = [s for s in others if self.counts[s] < minimum]
        asked = {"people": people, "question": self.question}
        if len(tied) > 1:
            return self._divided(tied, others, small, asked)
        if len(small) == 1 and len(others) == 1:
            # The main side's share would give the one small side away: say it without numbers.
            # "Most": the main side has at least ``minimum`` and the other fewer, so more than half.
            return gettext("Most of the %(people)s people in this theme who answered “%(question)s” "
                           "%(top)s; fewer than %(minimum)s %(other)s.", **asked,
                           top=self._favoured(top), minimum=minimum, other=self._favoured(small[0]))
        share = self.counts[top] / n
        if others and not small and _percent(self.counts[others[0]] / n) == _percent(share):
            # 101 and 100 of 201 are both "50%": say the counts (every side has at least the minimum).
            sides = _and([f"{self.counts[s]:,} {self._favoured(s)}" for s in [top, *others]])
            return gettext("The %(people)s people in this theme who answered “%(question)s” are almost "
                           "evenly divided: %(sides)s.", **asked, sides=sides)
        said = {**asked, "top": self._favoured(top), "share": _percent(share)}
        # "Most" only beside a share shown as 51% or more: a majority shown as "50%" (50.2%, 101 of
        # 201 beside a third side) would read as half, so it is "more … than anything else".
        if share > 0.5 and round(100 * share) > 50:
            main = gettext("Most of the %(people)s people in this theme who answered “%(question)s” "
                           "%(top)s (%(share)s)", **said)
        else:
            main = gettext("More of the %(people)s people in this theme who answered “%(question)s” "
                           "%(top)s (%(share)s) than anything else", **said)
        if not others:
            return main + "."
        if small:  # a small side among two: only what the two add up to can be worked out
            rest = f" {gettext(OR)} ".join(self._favoured(s) for s in others)
            return gettext("%(main)s; the rest %(rest)s.", main=main, rest=rest)
        rest = _and([f"{_percent(self.counts[s] / n)} {self._favoured(s)}" for s in others])
        return main + "; " + rest + "."

    def _divided(self, tied: list[str], others: list[str], small: list[str], asked: dict) -> str:
        """Two or three sides tied at the top (each with at least the minimum)."""
        if small:
            # Two tied sides and a small third: "evenly" with the number who answered would tell how
            # many the small side has (12 people, at least 5 on each tied side: 5, 5 and 2), so it is
            # said without numbers, as a small side always is.
            return gettext("The %(people)s people in this theme who answered “%(question)s” are divided "
                           "between those who %(first)s and those who %(second)s; fewer than %(minimum)s "
                           "%(other)s.", **asked, first=self._favoured(tied[0]),
                           second=self._favoured(tied[1]), minimum=self.minimum,
                           other=self._favoured(small[0]))
        n = self.people
        sides = _and([f"{_percent(self.counts[s] / n)} {self._favoured(s)}" for s in tied])
        main = gettext("The %(people)s people in this theme who answered “%(question)s” are evenly "
                       "divided: %(sides)s", **asked, sides=sides)
        if not others:
            return main + "."
        return main + "; " + _and([f"{_percent(self.counts[s] / n)} {self._favoured(s)}"
                                   for s in others]) + "."


#: The sides in the order a trade-off asks them: the order of sides with as many people.
SIDES = (LEFT, RIGHT, MIDDLE)


def _ranked(counts: dict[str, int]) -> list[str]:
    """The sides, most people first; sides with as many people in the question's order (never
    the order the counts were kept in)."""
    return sorted(counts, key=lambda k: (-counts[k], SIDES.index(k) if k in SIDES else len(SIDES)))


def _and(items: list[str]) -> str:
    """"a and b", "a, b and c"."""
    return f" {gettext(AND)} ".join([", ".join(items[:-1]), items[-1]] if len(items) > 2 else items)


OR, AND, BOTH = N_("or"), N_("and"), N_("Both equally")
FIRST, SECOND = N_("the first"), N_("the second")


def tradeoff_name(q: Question, repeated: set[int] = frozenset()) -> str:
    """"Human connection or faster diagnosis", told apart where the same trade-off is asked at the
    start and again at the end (``repeated``: the ids of questions asked again)."""
    name = gettext("%(left)s or %(right)s", left=q.config.get("left", ""),
                   right=lower_first(q.config.get("right", "")))
    if q.repeat_of_id:
        return gettext("%(name)s (at the end)", name=name)
    return gettext("%(name)s (at the start)", name=name) if q.id in repeated else name


def theme_stances(session: Session, run: AnalysisRun, minimum: int, language: str = SOURCE,
                  tally: Tallies | None = None) -> dict[int, list[Stance]]:
    """Each top-level theme's stances on its related trade-offs, main stance first (by theme id).
    Empty when the consultation asks no trade-off. The trade-offs' sides are named in ``language``
    where the consultation gives them; the sentences are in the language being served. Counted
    from the run's kept ``tally`` (read here when not given)."""
    minimum = max(1, int(minimum))
    asked = tradeoffs(session, run.consultation_id)
    if not asked:
        return {}
    if language != SOURCE:
        consultation = session.get(Consultation, run.consultation_id)
        asked = {i: localise_question(q, consultation, language) for i, q in asked.items()}
    tally = tally or tallies(session, run)
    everyone = tally.run["everyone"]
    first_asked = [q for q in asked.values() if q.repeat_of_id is None]
    repeated = {q.repeat_of_id for q in asked.values() if q.repeat_of_id}

    out: dict[int, list[Stance]] = {}
    for theme_id, counted in tally.themes.items():
        if not counted["people"]:
            continue
        related = [asked[q] for q in counted["reasons"] if q in asked] or first_asked
        stances = []
        for q in related:
            counts = dict(counted["sides"].get(str(q.id)) or {LEFT: 0, RIGHT: 0, MIDDLE: 0})
            n = sum(counts.values())
            all_sides = everyone.get(str(q.id), {})
            all_n = sum(all_sides.values())
            # On a tie at the top, the tied side furthest from everyone (whatever the counts' order).
            most = max(counts.values())
            difference = (max(abs(counts[k] / n - all_sides.get(k, 0) / all_n)
                              for k in counts if counts[k] == most) if n and all_n else 0.0)
            names = {LEFT: q.config.get("left", gettext(FIRST)),
                     RIGHT: q.config.get("right", gettext(SECOND)),
                     MIDDLE: q.config.get("middle", gettext(BOTH))}
            stances.append(Stance(q.id, tradeoff_name(q, repeated), names, n, counts, minimum,
                                  difference if n >= minimum else -1.0))
        out[theme_id] = sorted(stances, key=lambda s: -s.difference)
    return out
