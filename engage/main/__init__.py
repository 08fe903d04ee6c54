"""Public pages that belong to no journey: the home page, health check, static NHS assets."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import views  # noqa: E402,F401
