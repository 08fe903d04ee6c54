"""Languages: which one a person sees (English or Welsh), and how they choose it.

A person picks a language with ``?lang=cy`` on any page (the switcher's links); the choice is kept
in their session so it follows them through the journey. Without a choice the page is in English:
NHS Wales services offer Welsh by a visible switch rather than guessing from the browser.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, get_locale

#: Languages the interface is written in, by locale code, each named in its own language.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"

babel = Babel()


def select_language() -> str:
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def current_language() -> str:
    """The active language's code ("en" or "cy")."""
    return str(get_locale() or DEFAULT)


def _remember_choice() -> None:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and session.get("lang") != chosen:
        session["lang"] = chosen


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language, default_translation_directories="translations")
    app.before_request(_remember_choice)
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES)
