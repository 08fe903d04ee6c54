"""Groups of people in results: the smallest group shown, and the order segments are shown in.

One home for both rules, so every count, chart, quote, matrix, report and export agrees on them.
"""

from __future__ import annotations

#: The segments of the standard "which describes you" question, in the order results show them
#: (other segments seen in answers follow, sorted).
SEGMENT_ORDER = ("patient", "carer", "public", "staff")


def minimum(consultation, service_minimum: int) -> int:
    """The smallest group whose count, chart or quotes are shown: the consultation's own setting,
    never below the service's ``MIN_GROUP_SIZE`` (a facilitator can raise the bar, not lower it)."""
    return max(consultation.min_group_size, service_minimum)
