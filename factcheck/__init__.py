"""The Flask app: translates HTTP into calls on the ``annotations`` core."""

import os

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError


class SQLiteIntConverter(IntegerConverter):
    """Ids in URLs are SQLite integers. Digits beyond SQLite's range name no
    row: a 404 at once. Refusing them as a non-match (werkzeug's
    ValidationError) would let the router report another rule's method
    mismatch, a 405, for DELETE /api/v1/articles/9223372036854775808."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


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
    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    # The readers' fast paths go first: their answers depend on neither the
    # client's address nor the scheme, so they skip ProxyFix too.
    from .api.lookup import BucketAnswers
    from .api.reader import CachedAnswers
    app.wsgi_app = CachedAnswers(app, BucketAnswers(app, app.wsgi_app))
    from .api.docs import docs_page
    app.add_url_rule("/api/docs", "api_docs", docs_page)
    return app
