"""CoordApp: coordination between an election body and its stakeholders, stage by stage."""

import importlib
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coordapp import celery_app, cli, database, i18n, security, templating
from coordapp.config import build_config, testing_overrides
from coordapp.extensions import csrf, db, limiter, mail, migrate

FEATURES = (
    "core",
    "auth",
    "elections",
    "stakeholders",
    "meetings",
    "issues",
    "rollups",
    "commitments",
    "files",
    "reminders",
    "mailin",
    "dashboard",
    "audit",
    "reports",
    "public",
    "notifications",
    "ops",
)


def create_app(config: dict | None = None, testing: bool = False) -> Flask:
    """Build the application: configuration, extensions, blueprints, Celery."""
    app = Flask(
        __name__,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
        instance_relative_config=True,
        instance_path=os.environ.get("COORDAPP_INSTANCE") or None,
    )
    app.config.from_mapping(build_config(app.instance_path))
    if testing:
        app.config.from_mapping(testing_overrides(app.instance_path))
    app.config.from_mapping(config or {})

    database.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    celery_app.celery_init_app(app)

    for feature in FEATURES:
        module = importlib.import_module(f"coordapp.{feature}")
        module.init_app(app)

    cli.init_app(app)
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
