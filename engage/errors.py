"""Error pages in the NHS.UK style, with messages a person understands."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("There is a problem with your request"), _l("Go back and try again.")),
    403: (_l("You do not have access to this page"), _l("If you think you should, ask your administrator.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("There is a problem with your request"), _l("Go back and try again.")),
    # Said with its reason: answers already sent, a workshop of a consultation not open, themes
    # busy placing answers. ("This has already been done" was wrong for all but the first.)
    409: (_l("This cannot be done now"), _l("Go back and try again later.")),
    410: (_l("This is no longer available"), _l("It has closed.")),
    413: (_l("What you sent is too big"), _l("Send something smaller and try again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes, then try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. Nothing you sent was half-saved.")),
}
CSRF_ADVICE = _l("This page was open too long or was sent twice. Go back, reload the page and try "
                 "again. Your saved answers are safe.")
#: Staff pages: a form sent after signing out (in another tab, or timed out) fails the same check.
STAFF_CSRF_ADVICE = _l("This page was open too long, was sent twice, or you have been signed out. Nothing "
                       "from this form was saved. Go back, reload the page (sign in again if asked) and "
                       "try again.")
#: Where staff work: the workspace, their account and the workshop pages other than the kiosks'.
_STAFF_PATHS = ("/manage/", "/account/")


def _csrf_advice():
    return STAFF_CSRF_ADVICE if request.path.startswith(_STAFF_PATHS) else CSRF_ADVICE


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, lambda e: render(400, _csrf_advice()))
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
