"""What every API view needs: roles, JSON bodies, ETags for claims."""

import functools
import re

from flask import g, request
from werkzeug.exceptions import HTTPException

from annotations.store import Actor

from ..auth import has_role, sees_drafts
from ..errors import json_error
from ..schemas import ClaimOut, schema


class ApiError(HTTPException):
    """An error with a field, raised from deep in a view, answered as JSON."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.code = status
        self.field = field
        self.error_code = code

    def get_response(self, environ=None, scope=None):
        return json_error(self.code, self.description, self.error_code, field=self.field)


def require_role(role: str):
    """401 without credentials, 403 with too small a role."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                return json_error(401, "log in or send an API token", field="Authorization")
            if not has_role(g.user, role):
                return json_error(403, f"this needs the {role} role")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def actor() -> Actor:
    return Actor(g.user["id"], g.user["username"])


def json_body(schema):
    """The request body loaded through ``schema``; 415/400 for non-JSON."""
    if not request.is_json:
        raise ApiError(415, "send the body as application/json", "Content-Type")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "the body is not valid JSON", "body", "malformed_json")
    if not isinstance(data, dict):
        raise ApiError(422, "the body must be a JSON object", "body", "invalid")
    return schema.load(data)


def claim_etag(claim: dict) -> str:
    return f'"claim-{claim["id"]}-v{claim["version"]}"'


_ETAG = re.compile(r'^(?:W/)?"claim-(\d+)-v(\d+)"$')


def expected_version(claim_id: int, required: bool) -> int | None:
    """The version the client last saw, from If-Match.

    Missing header: 428 when required, else None (no check). "*" means any
    version. A tag for another claim or not ours counts as stale (412).
    """
    header = request.headers.get("If-Match")
    if not header:
        if required:
            raise ApiError(428, "send If-Match with the ETag you last saw", "If-Match")
        return None
    if header.strip() == "*":
        return None
    for tag in header.split(","):
        match = _ETAG.match(tag.strip())
        if match and int(match.group(1)) == claim_id:
            return int(match.group(2))
    return -1


def claim_response(claim: dict, status: int = 200):
    headers = {"ETag": claim_etag(claim)}
    return schema(ClaimOut).dump(claim), status, headers


def can_see(claim: dict) -> bool:
    return claim["status"] == "published" or sees_drafts(g.get("user"))
