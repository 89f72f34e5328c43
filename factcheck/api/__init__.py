"""JSON API under /api/v1.

Views validate the body with a schema, hand clean values to the store, and
dump the result with a schema. Authentication: a Bearer token (scripts) or
the UI's session cookie, which must come with an X-CSRFToken header on every
state-changing request.
"""

from flask import Blueprint, current_app, g, request
from flask_wtf.csrf import CSRFError

from ..auth import hash_api_token
from ..db import get_store
from ..errors import json_error
from ..security import csrf

API_MAX_BODY = 1024 * 1024
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _is_public() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "public", False)


@bp.before_request
def authenticate_request():
    # Bodies over 1 MB are refused (413) before anything reads them.
    request.max_content_length = API_MAX_BODY
    g.auth = None
    if _is_public():
        # Readers' endpoints answer everyone alike: credentials, good or
        # bad, are not looked at.
        return None
    header = request.headers.get("Authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return json_error(401, "Authorization must be 'Bearer <token>'",
                              field="Authorization")
        user = get_store().user_for_token(hash_api_token(token.strip()))
        if user is None:
            return json_error(401, "unknown or revoked API token", field="Authorization")
        g.user, g.auth = user, "token"
    elif g.get("user"):
        g.auth = "session"
        if request.method not in SAFE_METHODS:
            try:
                csrf.protect()
            except CSRFError as error:
                return json_error(403, f"CSRF check failed: {error.description}", "csrf",
                                  field="X-CSRFToken")


@bp.after_request
def cors_for_public_errors(response):
    """Public endpoints' errors (a 422 for a missing url) carry the same CORS
    headers as their answers, so a page's script can read the reason."""
    if _is_public() and "Access-Control-Allow-Origin" not in response.headers:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# Unknown paths and methods under /api get JSON 404/405 from the app's
# error handler (factcheck/errors.py).
from . import accounts, articles, claims, docs, exports, reader  # noqa: E402,F401  (register routes)
