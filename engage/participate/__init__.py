"""The public respondent journey (online)."""

from flask import Blueprint

bp = Blueprint("participate", __name__, url_prefix="/c")



@bp.record_once
def _register_wording(state) -> None:
    from ..wording import FILTERS
    from .render import plain

    state.app.jinja_env.filters.update(FILTERS, plain=plain)


@bp.record_once
def _keep_structures(state) -> None:
    from . import structures

    structures.init_app(state.app)


from . import views  # noqa: E402,F401

bp.app_context_processor(views.outcome.template_globals)
