"""Theme analysis in the workspace: runs in the background, the theme board, edits and exports."""

from flask import Blueprint

from surveys.quotes import short_quote
from surveys.wording import signed

bp = Blueprint("themes", __name__, url_prefix="/manage/<slug>/themes")
#: ``{{ text | quote }}``: a long answer cut short to quote, as the reports cut it.
bp.add_app_template_filter(short_quote, "quote")
#: ``{{ mean | signed }}``: "+1.2", "−0.4", "0.0".
bp.add_app_template_filter(signed, "signed")

from . import views  # noqa: E402,F401
