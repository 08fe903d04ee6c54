"""The facilitator workspace: builder, responses, themes, exports."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/manage")

from . import views  # noqa: E402,F401
