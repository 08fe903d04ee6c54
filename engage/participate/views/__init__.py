"""The respondent's pages: the journey, emails a person asks for, the published outcome.

Importing this package registers every route on the blueprint."""

from . import email, journey, outcome  # noqa: F401
