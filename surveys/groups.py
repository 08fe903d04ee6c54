"""Groups of people in results: the smallest group shown, and which groups there are.

One home for both rules, so every count, chart, quote, matrix, report and export agrees on them.
A person's group is their answer to the consultation's segment question (``Question.is_segment``),
stored as the option's key on ``Respondent.segment``. The groups, their order and their names come
from that question's options, whatever their keys (``patient`` from a file, ``i-am-a-patient``
made by the builder): no key has a meaning of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: An option for NHS staff, told by its label in English or Welsh ("I work for the NHS",
#: "NHS staff", "Rwy'n gweithio i'r GIG", "Staff y GIG"): trade-off results set staff beside
#: everyone else.
_STAFF_LABEL = re.compile(
    r"\bstaff\b|\bwork(?:s|ing)?\s+(?:for|in|at)\s+(?:the\s+|an?\s+)?(?:nhs|health|hospital|gp)"
    r"|\bnhs\s+(?:worker|employee)s?\b|\bhealth\s*care\s+workers?\b"
    r"|\bgweithio\s+(?:i'r|i’r|yn\s+y|yn|mewn|ym\s+maes)\s*(?:gig|iechyd|ysbyty)|\bgweithiwr\s+(?:y\s+)?gig\b",
    re.IGNORECASE)


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
