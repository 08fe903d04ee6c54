"""Rendered markup kept per process, for fragments that depend only on what their key names.

Templates wrap a fragment in a call block; its body is rendered only when the key is not cached:

    {% call cached(key) %} ...markup... {% endcall %}

The key is the caller's promise: everything the body's output depends on (a consultation's id and
edit stamp, a question's key, the person's values and errors for it). The page's language is
always added to it, so English and Welsh never share markup. A key of ``None`` means "do not
cache" (as does a key the template was not given): the body is rendered every time. Each app has
its own bounded cache (least recently used goes first), so nothing outlives a process and tests
with different settings never share one.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from jinja2 import Undefined
from markupsafe import Markup

from .i18n import current_language

EXTENSION = "engage.fragments"
#: Whole pages (``whole_page``), kept apart: each is 6–16 kB where a fragment is about 3 kB.
PAGES = "engage.fragments.pages"


class BoundedCache:
    """Values by key, at most ``size`` of them (0: nothing kept), the least recently used going
    first; safe across threads (two threads may both make a missing value: the last one is kept)."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        if self.size <= 0 or key is None:
            return make()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cached(key, caller) -> Markup:
    """The ``{% call cached(key) %}`` block: the body's markup, from the cache when it is there."""
    cache: BoundedCache = current_app.extensions[EXTENSION]
    if key is None or _undefined(key):  # a template not given its key (or part of it): never cached
        return caller()
    return cache.get_or_make((current_language(), key), lambda: Markup(caller()))  # noqa: S704 - our template


def kept(key, make):
    """What ``make()`` gives, kept under ``key`` and the page's language like a ``cached`` block."""
    return current_app.extensions[EXTENSION].get_or_make((current_language(), key), make)


#: The only address arguments a kept whole page may have (its language switch links back with
#: them all): others, made up, would fill the cache with copies.
_WHOLE_PAGE_ARGS = frozenset({"lang", "change"})

#: Stand-ins, in a kept whole page, for what differs on every response: the CSP nonce and the CSRF
#: token (random per process, so no page's own words can hold them).
_NONCE = f"engage-nonce-{secrets.token_hex(12)}"
_TOKEN = f"engage-token-{secrets.token_hex(12)}"


def whole_page(key, render, form=None, fresh: dict[str, str] | None = None) -> str:
    """A whole response page, kept under ``key`` like a ``cached`` block (with its language and
    its address, which the language switch links back to), for a page that is the same for
    everyone with the same key: a respondent page for the same answers. This response's own CSP
    nonce and CSRF token (the token of ``form``, the page's form) are written into it each time,
    as is anything else that differs on every response: ``fresh`` maps each stand-in the page was
    rendered with (as it appears in the markup) to this response's markup for it.

    Never kept for someone signed in (the header names them) or with a message waiting to be
    shown once (flash), nor with a key of None.
    """
    # (A key made in Python, never by a template: no Undefined to look for in it.)
    if (key is None or not _WHOLE_PAGE_ARGS.issuperset(request.args)
            or session.get("_flashes") or current_user.is_authenticated):
        return fill(render(), fresh or {})
    nonce = g.get("csp_nonce") or None
    csrf_token = getattr(getattr(form, "csrf_token", None), "current_token", None)
    own = {_NONCE: nonce, _TOKEN: csrf_token, **(fresh or {})}
    own = {stand_in: text for stand_in, text in own.items() if text}
    full = ("whole page", request.script_root, request.full_path, tuple(sorted(own)), key)
    pages: BoundedCache = current_app.extensions[PAGES]
    stencil = pages.get_or_make((current_language(), full),
                                lambda: _blanked(render(), {nonce: _NONCE, csrf_token: _TOKEN}))
    return fill(stencil, own)


def _blanked(html: str, stand_ins: dict) -> str:
    for text, stand_in in stand_ins.items():
        if text:
            html = html.replace(text, stand_in)
    return html


def fill(html: str, texts: dict[str, str]) -> str:
    """``html`` with each stand-in (a key of ``texts``) replaced by its text."""
    for stand_in, text in texts.items():
        html = html.replace(stand_in, text)
    return html


def _undefined(key) -> bool:
    # Undefined values are all equal to each other: a key holding one could match another page's.
    if isinstance(key, tuple | list):
        return any(_undefined(part) for part in key)
    return isinstance(key, Undefined)


def init_app(app: Flask) -> None:
    # RENDER_CACHE_SIZE: how many fragments each process keeps (0 turns the cache off). A question
    # is about 3 kB of markup (10 kB at most in the demo): 2,000 entries are a few MB per worker.
    app.config.setdefault("RENDER_CACHE_SIZE", 2000)
    app.extensions[EXTENSION] = BoundedCache(int(app.config["RENDER_CACHE_SIZE"]))
    # A tenth as many whole pages: 200 of them (a consultation's pages in two languages, with the
    # answers people most often have on them) are at most a few MB per worker.
    app.extensions[PAGES] = BoundedCache(int(app.config["RENDER_CACHE_SIZE"]) // 10)
    app.jinja_env.globals["cached"] = cached
