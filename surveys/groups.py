"""Groups of people in results: the smallest group shown, which counts are hidden, and which groups
there are.

One home for these rules, so every count, chart, quote, matrix, report and export agrees on them.
A person's group is their answer to the consultation's segment question (``Question.is_segment``),
stored as the option's key on ``Respondent.segment``. The groups, their order and their names come
from that question's options, whatever their keys (``patient`` from a file, ``i-am-a-patient``
made by the builder): no key has a meaning of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: An option for NHS staff, told by its label in English or Welsh ("I work for the NHS",
#: "NHS staff", "Rwy'n gweithio i'r GIG", "Staff y GIG"): trade-off results set staff beside
#: everyone else.
_STAFF_LABEL = re.compile(
    r"\bstaff\b|\bwork(?:s|ing)?\s+(?:for|in|at)\s+(?:the\s+|an?\s+)?(?:nhs|health|hospital|gp)"
    r"|\bnhs\s+(?:worker|employee)s?\b|\bhealth\s*care\s+workers?\b"
    r"|\bgweithio\s+(?:i'r|i’r|yn\s+y|yn|mewn|ym\s+maes)\s*(?:gig|iechyd|ysbyty)|\bgweithiwr\s+(?:y\s+)?gig\b",
    re.IGNORECASE)


#: The largest smallest-group a consultation may set (the builder's form and imported definitions).
MAX_GROUP_MINIMUM = 1000


@dataclass(frozen=True)
class Group:
    """One answer to the segment question: its key, its name (the option's label) and whether it
    is NHS staff."""

    key: str
    name: str
    staff: bool = False


def minimum(consultation, service_minimum: int) -> int:
    """The smallest group whose count, chart or quotes are shown: the consultation's own setting,
    never below the service's ``MIN_GROUP_SIZE`` (a facilitator can raise the bar, not lower it)."""
    return max(consultation.min_group_size, service_minimum)


def hidden_cells(cells: Mapping[tuple[Hashable, Hashable], int], minimum: int, *,
                 columns: bool = True) -> set[tuple[Hashable, Hashable]]:
    """The cells of a table of counts of people (``(row, column) -> count``) that could single
    someone out, when each row's total is known (a theme's size) and, with ``columns``, each
    column's too (a group's total): a row or column whose total is from 1 to ``minimum - 1`` is
    hidden whole; any other count from 1 to ``minimum - 1`` is hidden; and wherever a row or column would
    then have only one hidden cell, its next smallest count is hidden too (a 0 if no other count is
    left), so that no hidden count can be worked out by taking the others from the total
    (repeated until none is alone).

    A hidden cell is shown as "not shown", never "fewer than N": a count hidden to protect another
    may be larger."""
    axes = (0, 1) if columns else (0,)
    lines: dict[tuple[int, Hashable], list] = defaultdict(list)
    for cell in cells:  # each line's cells in the order given: the first of equal counts is hidden
        for axis in axes:
            lines[axis, cell[axis]].append(cell)
    # A line of none hides nothing; a small one hides its zeros too (which groups it has at all).
    hidden = {cell for members in lines.values() if 0 < sum(cells[c] for c in members) < minimum
              for cell in members}
    hidden |= {cell for cell, n in cells.items() if 0 < n < minimum}
    # A cell in a line of none is known to be 0 whatever is shown: hiding it protects nothing.
    empty = {cell for members in lines.values() if not sum(cells[c] for c in members) for cell in members}
    alone = True
    while alone:
        alone = False
        for members in lines.values():
            if sum(c in hidden for c in members) == 1:
                shown = [c for c in members if c not in hidden and c not in empty]
                # The next smallest count, or a 0 where nothing else is left to hide with it.
                shown = [c for c in shown if cells[c] > 0] or shown
                if shown:
                    hidden.add(min(shown, key=lambda c: cells[c]))
                    alone = True
    return hidden


def hide_small(counts: Mapping[Hashable, int], minimum: int) -> dict[Hashable, int | None]:
    """``counts`` of people (adding up to a total that is shown) with those that could single
    someone out as None: :func:`hidden_cells` for one row. All are None when the total is from 1
    to ``minimum - 1``: the group is not broken down at all."""
    hidden = hidden_cells({(0, key): n for key, n in counts.items()}, minimum, columns=False)
    return {key: None if (0, key) in hidden else n for key, n in counts.items()}


def coarsened(rows: Mapping[Hashable, Mapping[Hashable, int]], minimum: int,
              levels: Sequence[Mapping[Hashable, Iterable[Hashable]]]) -> tuple[int, dict]:
    """A table of people's answers by group (``row -> answer -> count``), in the finest of
    ``levels`` (each joins the answers into parts: ``part -> answers``, finest first) at which no
    group of ``minimum`` or more has a part :func:`hidden_cells` hides, rows and columns together
    (a column's total is known wherever everyone is one of the rows; pass the people in no group
    shown as a row too, since everyone less the groups gives them away).

    Returns the level's index and ``row -> part -> count``, with None for a row that is not shown:
    fewer than ``minimum`` people, or, at the coarsest level, a part that is still hidden. A
    trade-off's seven points become three sides before any group is left out."""
    for index, level in enumerate(levels):
        table = {row: {part: sum(counts.get(a, 0) for a in answers) for part, answers in level.items()}
                 for row, counts in rows.items()}
        hidden = {row for row, _part in hidden_cells(
            {(row, part): n for row, parts in table.items() for part, n in parts.items()}, minimum)}
        small = {row for row, parts in table.items() if sum(parts.values()) < minimum}
        if hidden <= small or index == len(levels) - 1:
            return index, {row: None if row in hidden | small else parts for row, parts in table.items()}
    raise ValueError("no levels")


def segment_question(questions: Iterable):
    """The consultation's segment question among ``questions``, or None."""
    return next((q for q in questions if q.is_segment), None)


def is_staff(labels: Iterable[str]) -> bool:
    """An option whose label (in any language) says the person is NHS staff."""
    return any(label and _STAFF_LABEL.search(label) for label in labels)


def segment_groups(questions: Iterable) -> list[Group]:
    """The groups, in the segment question's order, named by its options' labels (in the language
    of ``questions``: pass localised copies for another language). Staff is recognised from the
    labels in every language the question has, so a Welsh label alone is enough."""
    question = segment_question(questions)
    if question is None:
        return []
    translations = [t for t in (question.translations or {}).values() if isinstance(t, dict)]
    out = []
    for option in (question.config or {}).get("options", []):
        key = str(option["key"])
        label = str(option.get("label") or key)
        labels = [label, *(str(t.get(f"options.{key}") or "") for t in translations)]
        out.append(Group(key, label, is_staff(labels)))
    return out


def fallback_name(key: str) -> str:
    """A name for a group no option names any more (an option removed after people chose it)."""
    return key.replace("-", " ").capitalize()
