"""Non-answer and duplicate detection.

A non-answer says nothing about the question: empty text, punctuation only, or a stock phrase
such as "nothing", "n/a", "no comment", "don't know" (and in Welsh "dim byd", "dim sylw",
"ddim yn gwybod").  These get no theme (id -1) rather than
forming a large, meaningless "nothing" theme.  Answers that merely start with such a phrase
("Nothing, the staff were great") are real answers and are kept.
"""

from __future__ import annotations

import re

import numpy as np

from .normalise import match_key

# Phrases that are whole non-answers once reduced by ``match_key`` (lower case, no punctuation).
_CORE = (
    r"nothing|none|nowt|nil|na|n a|no|nope|nah|not applicable|no comments?|no answer|"
    r"no idea|idk|dont know|do not know|not sure|unsure|dunno|no opinion|pass|skip|"
    r"no response|nothing comes to mind|cant think of anything|cannot think of anything|"
    r"cant think|nothing to (?:add|say|report|comment|declare|mention)|not really|"
    r"no thanks?|no thank you|nothing i can think of|nothing else|x|xx+|test|blank|"
    r"no further comments?|no other comments?|none at all|nothing at all|nothing really|"
    r"nothing more|nothing further|not at this time|not at the moment|no not really|"
    r"absolutely nothing|not a thing|theres nothing|there is nothing|not much|not a lot|"
    r"very little|did not answer|not answered|no reply|as above|see above|same as above|"
    # Welsh (accents are off in the key: "siŵr" is "siwr"): nothing, no comment(s), no idea, no
    # answer, don't know, not sure, not applicable, nothing else, nothing to say, as above.
    r"dim|dim byd|dim sylw|dim sylwadau|dim syniad|dim ateb|dim arall|dim byd arall|dim llawer|"
    r"(?:dw i |dwi |dwi i )?ddim yn gwybod|(?:dw i |dwi )?ddim yn siwr|dim yn siwr|amherthnasol|"
    r"dim iw ddweud|dim byd iw ddweud|fel uchod|na"
)
_FILLER = r"(?:\s(?:really|thanks?|thank you|sorry|at all|at this time|so far|ok|okay|diolch|wir))*"
_NON_ANSWER = re.compile(rf"^(?:{_CORE})(?:\s(?:{_CORE}))*{_FILLER}$")


def is_non_answer(text: str | None) -> bool:
    """Return True if ``text`` is empty, has no letters, or is a stock non-answer phrase."""
    key = match_key(text)
    if not key or not any(c.isalpha() for c in key):
        return True
    return bool(_NON_ANSWER.match(key))


def non_answer_mask(texts) -> np.ndarray:
    """Boolean array, True where the text is a non-answer."""
    return np.fromiter((is_non_answer(t) for t in texts), dtype=bool)


def duplicate_groups(keys) -> tuple[np.ndarray, np.ndarray]:
    """Group equal keys.

    Returns ``(first, inverse)``: ``first[j]`` is the index of the first text with the j-th
    distinct key (in order of first appearance) and ``inverse[i]`` is the group of text ``i``,
    so ``keys[first[inverse[i]]] == keys[i]``.
    """
    seen: dict[str, int] = {}
    first: list[int] = []
    inverse = np.empty(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        group = seen.get(key)
        if group is None:
            group = seen[key] = len(first)
            first.append(i)
        inverse[i] = group
    return np.asarray(first, dtype=np.int64), inverse
