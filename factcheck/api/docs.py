"""The OpenAPI 3 document flask-smorest builds from the views' declarations,
and a readable page rendered from it (no JavaScript, nothing from a CDN)."""

from flask import current_app, jsonify, render_template

from . import bp
from .helpers import errors


def cached_spec() -> dict:
    app = current_app._get_current_object()
    if "openapi" not in app.extensions:
        app.extensions["openapi"] = app.extensions["factcheck_api"].document()
    return app.extensions["openapi"]


@bp.get("/openapi.json")
@bp.response(200, {"type": "object"}, description="this document")
@errors(401)
def openapi_document():
    """The OpenAPI 3 description of this API."""
    return jsonify(cached_spec())


def docs_page():
    """A readable page of the API (registered at /api/docs by the factory)."""
    return render_template("api_docs.html", spec=cached_spec())
