"""Full web addresses for emails, also from jobs that have no request to take the host from."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """PUBLIC_URL when set (the address people use), else the current request's host."""
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context() and not base:
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for(endpoint, _external=True, **values)
