"""Workshop mode: shared-tablet kiosks and the live room display."""

from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/workshop")
