"""Question types, registered by name (see base.py for what a type owns)."""

from . import allocate, choice, likert, rank, text, tradeoff  # noqa: F401  (registers the types)
from .base import REGISTRY, AnswerError, Parsed, field_name, get_type

__all__ = ["REGISTRY", "AnswerError", "Parsed", "field_name", "get_type"]
