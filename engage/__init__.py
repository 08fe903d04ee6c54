"""Engage: deliberative public engagement for the NHS (the Flask web app)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import config as settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, then the ``config`` override (tests)."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_mapping(settings.load(instance_path=app.instance_path))
    if config:
        app.config.from_mapping(config)

    from . import cookies, db, extensions, i18n, jobs, mail, nhsuk, routing, security

    nhsuk.init_app(app, str(ROOT / "templates"))
    from surveys.types import get_type

    # Templates ask a question's type what it can do, never which type it is.
    app.jinja_env.globals["question_type"] = get_type
    security.init_app(app)
    cookies.init_app(app)
    db.init_app(app)
    jobs.listen()
    from .themes import jobs as theme_jobs

    theme_jobs.listen()
    extensions.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)

    from .auth import bp as auth_bp
    from .errors import register as register_errors
    from .facilitate import bp as facilitate_bp
    from .main import bp as main_bp
    from .participate import bp as participate_bp
    from .themes import bp as themes_bp
    from .workshop import bp as workshop_bp

    routing.init_app(app)  # before the blueprints, whose addresses name rows with it
    for bp in (main_bp, participate_bp, auth_bp, facilitate_bp, themes_bp, workshop_bp):
        app.register_blueprint(bp)
    register_errors(app)
    return app
