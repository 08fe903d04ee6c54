"""The theme pages: the board, edits, the blind check, exports and split.

Importing this package registers every route on the blueprint."""

from . import board, edits, evaluation, exports, split  # noqa: F401
