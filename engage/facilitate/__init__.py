"""The facilitator workspace: builder, responses, definitions as files, accounts and audit."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/manage")

from . import (  # noqa: E402,F401
    admin,
    copying,
    entry,
    mail_outbox,
    pages,
    paper,
    publication,
    questions,
    response_export,
    responses,
    safeguarding,
    views,
    welsh,
)
from .common import template_globals  # noqa: E402

bp.context_processor(template_globals)
