"""Theme analysis for Engage: free-text answers in, themes out.

No Flask and no database here: the package works on plain Python and NumPy data, so it can be
used from the web app, a notebook or the command line (``python -m analysis themes ...``).

Redaction and safeguarding (plain Python) load at once; the rest loads on first use (PEP 562),
so a web worker that imports ``analysis.redact`` or ``analysis.safeguarding`` never loads NumPy,
scikit-learn, scipy or nltk.
"""

from __future__ import annotations

from importlib import import_module

# Imported here, not lazily: ``analysis.redact`` is also the submodule's name, and the function
# must be what the package attribute holds once the submodule has been imported.
from .redact import Redactor, redact
from .safeguarding import mentions_safeguarding, safeguarding_concerns

#: Public name -> the module that defines it, loaded on first use.
_LAZY = {
    "is_non_answer": ".nonanswers",
    "sentiment_scores": ".sentiment",
    "Theme": ".theme",
    "ThemeModel": ".model",
}

__all__ = [
    "Redactor",
    "Theme",
    "ThemeModel",
    "is_non_answer",
    "mentions_safeguarding",
    "redact",
    "safeguarding_concerns",
    "sentiment_scores",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
