"""Rules written once: the smallest group shown, opinion change and the segments' order.

Each has one home (``surveys.groups``, ``surveys.summaries.opinion_change``); a second copy would
drift from it, so this scans the code and templates for one.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("engage", "surveys", "templates") for p in (ROOT / d).rglob("*")
           if p.suffix in (".py", ".html") and "migrations" not in p.parts]


def _found(pattern: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    regex = re.compile(pattern)
    return [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in SOURCES
            if str(p.relative_to(ROOT)) not in allowed
            for n, line in enumerate(p.read_text().splitlines(), 1) if regex.search(line)]


def test_the_smallest_group_shown_is_worked_out_in_one_place():
    assert _found(r"MIN_GROUP_SIZE", allowed=("engage/groups.py", "surveys/groups.py")) == []
    assert _found(r"max\(.*min_group_size|min_group_size.*\|\s*max", allowed=("surveys/groups.py",)) == []


def test_opinion_change_is_computed_in_one_place():
    assert _found(r"before_sum|\"left\" if va", allowed=("surveys/summaries.py",)) == []


def test_segments_are_ordered_in_one_place():
    assert _found(r"^\s*SEGMENTS\s*=") == []
    assert _found(r"\"patient\", \"carer\", \"public\", \"staff\"", allowed=("surveys/groups.py",)) == []
