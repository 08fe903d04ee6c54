"""Response headers: a strict Content-Security-Policy with a per-request nonce, and friends.

No inline script is allowed except the NHS.UK template's one-line ``js-enabled`` switch, which
carries the request's nonce. Nothing Engage makes is kept in a cache (pages and downloads may
hold people's answers); only static files set their own caching. Production adds HSTS.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g

HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.before_request(_make_nonce)
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = lambda: g.get("csp_nonce", "")


def _make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


_FIXED = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
          ("X-Frame-Options", "DENY"), ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))


def _headers(response):
    nonce = g.get("csp_nonce", "")
    # Each header unless the view set its own (looked up once, not once per header).
    present = {name.lower() for name, _value in response.headers}
    wanted = [
        ("Content-Security-Policy",
         "default-src 'self'; "
         f"script-src 'self' 'nonce-{nonce}'; "
         "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
         "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
        *_FIXED,
    ]
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        # A download (CSV, XLSX, JSON, DOCX, PDF, YAML) may hold people's answers: never cached.
        response.headers["Cache-Control"] = "no-store"
    else:
        # Pages and data may too; static files (which set their own) are the only exception.
        wanted.append(("Cache-Control", "no-store"))
    if current_app.config.get("ENGAGE_ENV") == "production":
        wanted.append(("Strict-Transport-Security", HSTS))
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response
