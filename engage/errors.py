"""Error pages in the NHS.UK style, with messages a person understands."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("There is a problem with your request", "Go back and try again."),
    403: ("You do not have access to this page", "If you think you should, ask your administrator."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("There is a problem with your request", "Go back and try again."),
    409: ("This has already been done", "Your earlier request was saved. Nothing was counted twice."),
    410: ("This is no longer available", "It has closed."),
    413: ("What you sent is too big", "Send something smaller and try again."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: ("Sorry, there is a problem with the service",
          "Try again later. Nothing you sent was half-saved."),
}
CSRF_ADVICE = ("This page was open too long or was sent twice. Go back, reload the page and try "
               "again. Your saved answers are safe.")


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, lambda e: render(400, CSRF_ADVICE))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, lambda e: render(500))


def _http_error(e: HTTPException):
    # abort(code, "message") carries our own words; Werkzeug's stock text is replaced by ours.
    own = e.description if e.description != type(e).description else None
    return render(e.code or 500, own)


def render(code: int, advice: str | None = None):
    title, default_advice = MESSAGES.get(code, MESSAGES[500])
    headers = {"Retry-After": "60"} if code == 429 else {}
    return render_template("error.html", title=title, advice=advice or default_advice,
                           code=code), code, headers
