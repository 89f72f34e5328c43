"""The OpenAPI 3 document flask-smorest builds from the views' declarations,
and a readable page rendered from it (no JavaScript, nothing from a CDN)."""

import threading

from flask import current_app, jsonify, render_template

from . import bp
from .helpers import errors


_building = threading.Lock()


def cached_spec() -> dict:
    """Built once per app, on first use; two threads of one gthread worker
    asking first must not both describe the views."""
    app = current_app._get_current_object()
    with _building:
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
