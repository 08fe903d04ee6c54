"""Theme analysis for Engage: free-text answers in, themes out.

No Flask and no database here: the package works on plain Python and NumPy data, so it can be
used from the web app, a notebook or the command line (``python -m analysis themes ...``).

The names below load on first use (PEP 562), so ``analysis.redact`` and ``analysis.safeguarding``
can be imported by a web worker without loading scikit-learn, scipy or nltk.
"""

from __future__ import annotations

from importlib import import_module

#: Public name -> the module that defines it.
_EXPORTS = {
    "Redactor": ".redact",
    "redact": ".redact",
    "mentions_safeguarding": ".safeguarding",
    "is_non_answer": ".nonanswers",
    "sentiment_scores": ".sentiment",
    "Theme": ".theme",
    "ThemeModel": ".model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
