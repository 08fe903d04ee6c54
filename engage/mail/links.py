"""Full web addresses for emails, also from jobs that have no request to take the host from."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """PUBLIC_URL when set (the address people use), else the current request's host.

    Built from the URL map alone: a request context of its own would, on leaving, run the
    app's teardown and close the database session of the request that is sending the email.
    """
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context() and not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
