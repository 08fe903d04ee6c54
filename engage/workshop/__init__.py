"""Workshop mode: shared-tablet kiosks, the live room display, and their management pages."""

from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/workshop")

from . import views  # noqa: E402,F401
