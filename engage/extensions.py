"""Flask extensions, created once and bound to each app with ``init_app``."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()
login_manager = LoginManager()


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Take the client's address and scheme from exactly this many proxies' headers; a
        # client cannot choose its own address by sending X-Forwarded-For itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from .auth.sessions import load_user

    login_manager.user_loader(load_user)
