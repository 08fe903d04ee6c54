"""The public respondent journey (online)."""

from flask import Blueprint

bp = Blueprint("participate", __name__, url_prefix="/c")

from . import email, views  # noqa: E402,F401
