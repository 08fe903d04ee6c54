"""Theme analysis in the workspace: runs in the background, the theme board, edits and exports."""

from flask import Blueprint

bp = Blueprint("themes", __name__, url_prefix="/manage/<slug>/themes")

from . import views  # noqa: E402,F401
