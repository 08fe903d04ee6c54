"""Words the domain shows people (answer errors, "Not answered", scale labels), translatable
without Flask.

``gettext("Select up to %(limit)s answers", limit=3)`` returns the text in the language of the request
being served: the web layer plugs its translations in once with :func:`use_translations`
(engage.i18n does, through Flask-Babel). Without them, or outside a request (a background job, the
command line), the words are English. Everything that shows these words is made while a request is
served, so translating when the text is made is translating when it is shown, and the results stay
plain strings (JSON, comparisons and exports keep working).

Constants are marked with ``N_`` and translated where they are used, ``gettext(CONSTANT)``. The
names ``gettext`` (or ``_``), ``ngettext`` and ``N_`` are the ones ``pybabel extract`` looks for,
so these words land in the catalog with the web layer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _english(msgid: str) -> str:
    return msgid


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_gettext: Callable[[str], str] = _english
_ngettext: Callable[[str, str, int], str] = _english_plural


def use_translations(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> None:
    """Translate through these from now on (called once by the web layer as it starts)."""
    global _gettext, _ngettext
    _gettext, _ngettext = gettext, ngettext


def gettext(msgid: str, **params: Any) -> str:
    """``msgid`` in the current language, with ``%(name)s`` parameters filled in."""
    text = _gettext(msgid)
    return text % params if params else text


_ = gettext


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """Words that depend on a count, in the current language (``%(num)s`` is the count)."""
    return _ngettext(singular, plural, n) % {"num": n, **params}


def N_(msgid: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a constant for the catalog; translate it where it is shown, with ``gettext(CONSTANT)``."""
    return msgid
