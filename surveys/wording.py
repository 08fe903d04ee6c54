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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any


def _english(msgid: str) -> str:
    return msgid


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_gettext: Callable[[str], str] = _english
_ngettext: Callable[[str, str, int], str] = _english_plural
#: Set while words are made in English whatever the reader's language (:func:`in_english`).
_english_only: ContextVar[bool] = ContextVar("english_only", default=False)


def use_translations(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> None:
    """Translate through these from now on (called once by the web layer as it starts)."""
    global _gettext, _ngettext
    _gettext, _ngettext = gettext, ngettext


@contextmanager
def in_english() -> Iterator[None]:
    """Make the words inside in English, whatever the reader's language: for a sentence built around
    a consultation's words that are given only in English, so that no sentence is half Welsh and
    half English. Per thread and task (a context variable); do not yield from a generator inside it."""
    token = _english_only.set(True)
    try:
        yield
    finally:
        _english_only.reset(token)


def gettext(msgid: str, **params: Any) -> str:
    """``msgid`` in the current language, with ``%(name)s`` parameters filled in."""
    text = msgid if _english_only.get() else _gettext(msgid)
    return text % params if params else text


_ = gettext


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """Words that depend on a count, in the current language (``%(num)s`` is the count)."""
    chosen = _english_plural(singular, plural, n) if _english_only.get() else _ngettext(singular, plural, n)
    return chosen % {"num": n, **params}


def N_(msgid: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a constant for the catalog; translate it where it is shown, with ``gettext(CONSTANT)``."""
    return msgid


def said(msgid: str, **params: Any) -> dict:
    """A sentence kept untranslated, to be shown later in the reader's language (:func:`say`): what
    a background job or a stored record says, made where there is no reader."""
    return {"msgid": msgid, "params": params}


def say(told: Any) -> str:
    """What :func:`said` kept (one sentence or a list of them), in the current language; older
    records kept plain text, which is shown as it is."""
    if isinstance(told, dict) and "msgid" in told:
        return gettext(told["msgid"], **told.get("params", {}))
    if isinstance(told, list):
        return " ".join(say(t) for t in told)
    return "" if told is None else str(told)


def english(told: dict) -> str:
    """What :func:`said` kept, in English whatever the reader's language (for logs and records)."""
    return told["msgid"] % told["params"] if told.get("params") else told["msgid"]


class Refusal(ValueError):
    """Something the domain will not do, saying why in words a person reads: ``msgid`` (marked with
    ``N_``) and its parameters, translated when the message is read (``str(error)``, ``.message``),
    so the reader of the request that asked sees it in their language. Its ``args`` hold the English,
    for logs; :meth:`said` keeps it untranslated for a background job to store."""

    def __init__(self, msgid: str, **params: Any):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        return gettext(self.msgid, **self.params)

    @property
    def message(self) -> str:
        return str(self)

    def said(self) -> dict:
        return said(self.msgid, **self.params)


def lower_first(phrase: str) -> str:
    """A phrase as it reads inside a sentence: 'Human connection' -> 'human connection', 'A quick
    diagnosis' -> 'a quick diagnosis', Welsh 'Y ddau yr un fath' -> 'y ddau yr un fath'; but 'NHS
    App', 'I think' and 'AI' are left alone."""
    first = phrase.split(" ", 1)[0]
    if first == "I" or not first[:1].isupper():
        return phrase
    if len(first) == 1 and len(phrase) > 1 or len(first) > 1 and first[1].islower():
        return phrase[0].lower() + phrase[1:]
    return phrase


def in_a_list(items: list[str]) -> str:
    """Items said as a list in a sentence: 'Apples', 'Apples and Bananas', 'Apples, Bananas and Pears'."""
    if len(items) < 2:
        return "".join(items)
    return gettext("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


def signed(value: float, places: int = 1) -> str:
    """A number on a scale from −3 to +3 as a reader expects it: "+1.2", "−0.4" with a real minus
    sign (not the hyphen "%+.1f" gives), and "0.0" for anything that rounds to nought (not "-0.0")."""
    shown = f"{value:+.{places}f}"
    if float(shown) == 0:
        return f"{0:.{places}f}"
    return shown.replace("-", "\u2212")
