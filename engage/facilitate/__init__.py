"""The facilitator workspace: builder, responses, definitions as files, accounts and audit."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/manage")

from . import views  # noqa: E402,F401
from .common import template_globals  # noqa: E402

bp.context_processor(template_globals)
