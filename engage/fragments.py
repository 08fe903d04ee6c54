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

import threading
from collections import OrderedDict

from flask import Flask, current_app
from jinja2 import Undefined
from markupsafe import Markup

from .i18n import current_language

EXTENSION = "engage.fragments"


class FragmentCache:
    """Markup by key, at most ``size`` entries (0: nothing kept); safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key, render) -> Markup:
        if self.size <= 0 or key is None:
            return render()
        with self._lock:
            markup = self._entries.get(key)
            if markup is not None:
                self._entries.move_to_end(key)
                return markup
        markup = Markup(render())  # noqa: S704 - the output of our own template
        with self._lock:
            self._entries[key] = markup
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return markup

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cached(key, caller) -> Markup:
    """The ``{% call cached(key) %}`` block: the body's markup, from the cache when it is there."""
    cache: FragmentCache = current_app.extensions[EXTENSION]
    if key is None or isinstance(key, Undefined):  # a template given no key: never cached
        return caller()
    return cache.get_or_render((current_language(), key), caller)


def init_app(app: Flask) -> None:
    # RENDER_CACHE_SIZE: how many fragments each process keeps (0 turns the cache off).
    app.config.setdefault("RENDER_CACHE_SIZE", 4000)
    app.extensions[EXTENSION] = FragmentCache(int(app.config["RENDER_CACHE_SIZE"]))
    app.jinja_env.globals["cached"] = cached
