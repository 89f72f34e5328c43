"""The Flask app: translates HTTP into calls on the ``annotations`` core."""

import os

from flask import Flask
from werkzeug.routing import IntegerConverter


class SQLiteIntConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("FACTCHECK_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)

    from .config import load_config
    load_config(app, test_config)

    # Ids in URLs are SQLite integers: a larger number is a 404 like any
    # other unknown id, not an OverflowError (500) from the database.
    app.url_map.converters["int"] = SQLiteIntConverter

    from .sessions import LeanSessionInterface
    app.session_interface = LeanSessionInterface()

    from . import api, auth, cli, db, errors, security, ui
    db.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(ui.bp)
    api.init_app(app)  # the API blueprint and its OpenAPI document (flask-smorest)
    # The JSON API authenticates scripts by token; its session-backed writes
    # check CSRF themselves (see factcheck/api/__init__.py).
    security.csrf.exempt(api.bp)
    from .api.reader import CachedAnswers
    app.wsgi_app = CachedAnswers(app, app.wsgi_app)
    from .api.docs import docs_page
    app.add_url_rule("/api/docs", "api_docs", docs_page)
    return app
