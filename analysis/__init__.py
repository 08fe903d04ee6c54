"""Theme analysis for Engage: free-text answers in, themes out.

No Flask and no database here: the package works on plain Python and NumPy data, so it can be
used from the web app, a notebook or the command line (``python -m analysis themes ...``).
"""

from .model import ThemeModel
from .nonanswers import is_non_answer
from .redact import Redactor, redact
from .safeguarding import mentions_safeguarding
from .sentiment import sentiment_scores
from .theme import Theme

__all__ = [
    "Redactor",
    "Theme",
    "ThemeModel",
    "is_non_answer",
    "mentions_safeguarding",
    "redact",
    "sentiment_scores",
]
