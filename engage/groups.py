"""The smallest group shown, for this service: ``surveys.groups.minimum`` with its ``MIN_GROUP_SIZE``."""

from __future__ import annotations

from flask import current_app

from surveys import groups


def smallest_group(consultation) -> int:
    """The smallest group shown for a consultation, here (its setting, or the service's if larger)."""
    return groups.minimum(consultation, current_app.config["MIN_GROUP_SIZE"])
