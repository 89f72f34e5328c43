"""JSON API under /api/v1, declared with flask-smorest.

Each view declares its query arguments and body (``@bp.arguments``), its
answer (``@bp.response``) and its error statuses (``@errors``) from the
marshmallow schemas in factcheck/schemas/; the OpenAPI document is built
from those declarations. Authentication: a Bearer token (scripts) or the
UI's session cookie, which must come with an X-CSRFToken header on every
state-changing request. Every error is raised and answered in the one shape
of factcheck/errors.py.
"""

from flask import current_app, g, request
from flask_smorest import Api, Blueprint
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser

from annotations.text import LONE_SURROGATE_MESSAGE, lone_surrogate_path

from ..auth import hash_api_token
from ..db import get_store
from ..errors import ApiError
from ..schemas import ErrorOut, WholeJson
from ..security import csrf

API_MAX_BODY = 1024 * 1024
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiParser(FlaskParser):
    """webargs' parser with our rules: each schema's own ``unknown`` (RAISE)
    applies in every location, query included; bodies must be JSON objects
    (or any JSON for a WholeJson schema);
    validation errors reach factcheck/errors.py as marshmallow's."""

    def __init__(self):
        super().__init__(unknown=None)

    def load_json(self, req, schema):
        if not req.is_json:
            raise ApiError(415, "send the body as application/json", "Content-Type")
        try:
            data = req.get_json(silent=True)
        except RecursionError:
            # silent= covers what json.loads calls invalid, not arrays or
            # objects nested past the interpreter's recursion limit.
            data = None
        if data is None:
            raise ApiError(400, "the body is not valid JSON", "body", "malformed_json")
        if not isinstance(data, dict) and not isinstance(schema, WholeJson):
            raise ApiError(422, "the body must be a JSON object", "body", "invalid")
        # Checked here, once for every body and schema: a lone surrogate
        # would otherwise fail deep in a write (UTF-8 encoding), as a 500.
        broken = lone_surrogate_path(data)
        if broken is not None:
            raise ValidationError({broken: [LONE_SURROGATE_MESSAGE]})
        return data

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        # webargs files the messages under the location ({"query": {...}});
        # clients see the fields' own names.
        (error.messages,) = error.messages.values()
        raise error


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ApiParser()
    # A CORS preflight (OPTIONS) is not an operation of its own.
    HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    def _prepare_arguments_doc(self, doc, doc_info, **kwargs):
        # Error responses are documented by @errors on each view, in our shape.
        doc_info.get("arguments", {}).pop("responses", None)
        return super()._prepare_arguments_doc(doc, doc_info, **kwargs)


class FactcheckApi(Api):
    ERROR_SCHEMA = ErrorOut
    DEFAULT_ERROR_RESPONSE_NAME = None
    _undocumented: tuple = ()  # blueprints registered but not yet described

    def _register_error_handlers(self):
        """Keep factcheck/errors.py's handlers: one error shape for everything."""

    def _register_pagination_header(self):
        """No flask-smorest pagination here: no component for it either."""

    def register_blueprint(self, blp, **options):
        """Routes now, documentation when it is first asked for: describing
        every view costs more than the rest of create_app, which the test
        suite calls a thousand times and production once per worker."""
        self._app.extensions["flask-smorest"]["blp_name_to_api"][blp.name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented = (*self._undocumented, blp)

    def document(self) -> dict:
        """The OpenAPI document, every registered blueprint described."""
        for blp in self._undocumented:
            blp.register_views_in_doc(self, self._app, self.spec, name=blp.name, parameters=None)
            self.spec.tag({"name": blp.name, "description": blp.description})
        self._undocumented = ()
        return self.spec.to_dict()


SPEC = {
    "title": "Fact desk API",
    "version": "1",
    "openapi_version": "3.0.3",
    "info": {"description": (
        "Claims on news articles with verdicts and sources. Authenticate with "
        "`Authorization: Bearer <token>` (create tokens at /api/v1/tokens) or the "
        "UI's session cookie plus an `X-CSRFToken` header on writes. Every error "
        "has the shape `{\"error\": {status, code, message, field, fields}}`. "
        "Offsets count Unicode code points.")},
}

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
                  description="Articles, claims, citations, exports and accounts")


def init_app(app) -> None:
    """Register the API blueprint and its OpenAPI document (no UI of
    flask-smorest's own: /api/docs is ours, without a CDN)."""
    api = FactcheckApi(app, spec_kwargs=SPEC)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    app.extensions["factcheck_api"] = api


def _is_public() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "public", False)


@bp.before_request
def authenticate_request():
    # Bodies over 1 MB are refused (413) before anything reads them (a
    # view marked with a larger max_body, a page's HTML: up to that).
    view = current_app.view_functions.get(request.endpoint)
    request.max_content_length = getattr(view, "max_body", API_MAX_BODY)
    g.auth = None
    if _is_public():
        # Readers' endpoints answer everyone alike: credentials, good or
        # bad, are not looked at.
        return
    header = request.headers.get("Authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Authorization must be 'Bearer <token>'", "Authorization")
        token_hash = hash_api_token(token.strip())
        user = get_store().find_user_by_token(token_hash)
        if user is None:
            raise ApiError(401, "unknown or revoked API token", "Authorization")
        g.user, g.auth, g.token_hash = user, "token", token_hash
    elif g.get("user"):
        g.auth = "session"
        if request.method not in SAFE_METHODS:
            try:
                csrf.protect()
            except CSRFError as error:
                raise ApiError(403, f"CSRF check failed: {error.description}", "X-CSRFToken",
                               "csrf") from error


@bp.after_request
def cors_for_public_errors(response):
    """Public endpoints' errors (a 422 for a missing url) carry the same CORS
    headers as their answers, so a page's script can read the reason."""
    if _is_public() and "Access-Control-Allow-Origin" not in response.headers:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# Unknown paths and methods under /api get JSON 404/405 from the app's
# error handler (factcheck/errors.py).
from . import (accounts, articles, assignments, claims, comments, docs, exports,  # noqa: E402,F401
               claim_bulk, claim_list, link_preview, links, lookup, page_claims, rationale,
               reader)  # (register routes)
