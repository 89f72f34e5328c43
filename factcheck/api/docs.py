"""OpenAPI 3 document built by apispec from the views' docstrings and the
marshmallow schemas, and a readable page rendered from it (no JavaScript)."""

from http import HTTPStatus

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import current_app, render_template

from .. import schemas
from . import bp

SCHEMA_NAMES = [
    "ArticleListArgs", "ArticleImportIn", "CitationIn", "CitationPatch", "QuoteSelectorIn",
    "ClaimIn", "ClaimPatch", "LoginIn", "TokenIn", "UserIn", "UserPatch", "CitationOut",
    "ClaimOut", "PassageOut", "ArticleSummaryOut", "ArticleOut", "ArticlePageOut", "ImportOut",
    "AuditEntryOut", "HistoryOut", "UserOut", "SessionOut", "TokenOut", "NewTokenOut",
    "ErrorDetail", "ErrorOut", "HighlightsArgs", "HighlightOut", "HighlightsOut",
    "AliasIn", "AliasOut", "ExportArgs",
]


def build_spec(app) -> dict:
    spec = APISpec(
        title="Fact desk API",
        version="1",
        openapi_version="3.0.3",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": (
            "Claims on news articles with verdicts and sources. Authenticate with "
            "`Authorization: Bearer <token>` (create tokens at /api/v1/tokens) or the "
            "UI's session cookie plus an `X-CSRFToken` header on writes. Every error "
            "has the shape `{\"error\": {status, code, message, field, fields}}`. "
            "Offsets count Unicode code points.")},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in SCHEMA_NAMES:
        spec.components.schema(name, schema=getattr(schemas, name))
    with app.test_request_context():
        for endpoint, view in app.view_functions.items():
            if endpoint.startswith("api.") and view.__doc__ and "---" in view.__doc__:
                spec.path(view=view, app=app)
    document = spec.to_dict()
    # OpenAPI 3 requires a description on every response; the docstrings
    # give only the schema for most, so the status phrase stands in.
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                response.setdefault("description", HTTPStatus(int(status)).phrase)
    return document


def cached_spec() -> dict:
    app = current_app._get_current_object()
    if "openapi" not in app.extensions:
        app.extensions["openapi"] = build_spec(app)
    return app.extensions["openapi"]


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3 description of this API."""
    return cached_spec()


def docs_page():
    """A readable page of the API (registered at /api/docs by the factory)."""
    return render_template("api_docs.html", spec=cached_spec())
