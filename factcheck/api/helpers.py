"""What every API view needs: roles, documented errors, ETags for claims,
domain field names mapped to the request's."""

import contextlib
import functools
import re

from flask import Response, g, request

from annotations.models import DomainError
from annotations.store import Actor
from annotations.workflow import available_actions

from ..auth import has_role
from ..db import get_store
from ..errors import ApiError
from ..schemas import ErrorOut
from . import bp

__all__ = ["ApiError", "ETAG_HEADER", "actor", "api_fields", "claim_etag",
           "claim_response", "errors", "expected_version", "keyset_page", "no_content",
           "require_role"]

# What each error status means on this API (the responses' descriptions).
ERROR_DESCRIPTIONS = {
    304: "unchanged since the ETag sent in If-None-Match",
    400: "the body is not valid JSON, or the Host is not a trusted one",
    401: "no credentials, a malformed Authorization header or an unknown token",
    403: "the role does not allow this, or a session write without a valid X-CSRFToken",
    404: "no such record (or not visible to the caller)",
    409: "the claim's workflow state does not allow this (`current` holds the claim as it "
         "is), or the article holds more than one page may show",
    412: "If-Match names an older version; `current` holds the claim as it is now",
    413: "the body is too large",
    415: "the body is not sent as JSON",
    422: "invalid input; `field` and `fields` name each offending input",
    428: "If-Match is required: send the ETag you last saw",
    429: "too many failed logins; wait for Retry-After seconds",
}

ETAG_HEADER = {"ETag": {"description": "the claim's version, for If-Match",
                        "schema": {"type": "string"}}}


def errors(*statuses: int):
    """Document the error statuses a view can answer, all in our ErrorOut
    shape (a 304 has no body)."""
    def decorator(view):
        for status in sorted(statuses, reverse=True):
            view = bp.alt_response(status, schema=None if status == 304 else ErrorOut,
                                   description=ERROR_DESCRIPTIONS[status])(view)
        return view
    return decorator


def require_role(role: str):
    """401 without credentials, 403 with too small a role."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                raise ApiError(401, "log in or send an API token", "Authorization")
            if not has_role(g.user, role):
                raise ApiError(403, f"this needs the {role} role")
            return view(*args, **kwargs)
        wrapped.required_role = role
        return wrapped
    return decorator


@contextlib.contextmanager
def api_fields(names: dict[str, str]):
    """Re-raise the domain's errors under the request's field names:
    ``with api_fields({"exact": "selector.exact"}): ...``. Names not in
    ``names`` pass unchanged."""
    try:
        yield
    except DomainError as error:
        if error.field not in names:
            raise
        raise DomainError(names[error.field], error.message) from error


def keyset_page(rows: list[dict], limit: int) -> tuple[list[dict], int | None]:
    """A page from ``limit + 1`` rows read after a cursor: the first
    ``limit``, and the ``next`` cursor (the last one's id) when the extra row
    says another page follows, else None."""
    page = rows[:limit]
    return page, (page[-1]["id"] if len(rows) > limit else None)


def actor() -> Actor:
    return Actor(g.user["id"], g.user["username"])


def no_content() -> Response:
    return Response(status=204)


def claim_etag(claim: dict) -> str:
    return f'"claim-{claim["id"]}-v{claim["version"]}"'


# At most 19 digits: SQLite's integers, and Python refuses int() of a
# string of thousands of digits (a 500 from one header).
_ETAG = re.compile(r'^(?:W/)?"claim-(\d{1,19})-v(\d{1,19})"$')


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
    """The claim (dumped by the view's ClaimOut response) with its ETag; a
    working copy comes with its publication and the actions its state allows."""
    if "publication" not in claim and "last_edited_by" in claim:
        publication = get_store().publication(claim["id"])
        live = publication is not None and publication["status"] == "published"
        claim = {**claim, "publication": publication,
                 "actions": available_actions(claim["status"], live),
                 "change_request": get_store().change_request(claim["id"])
                 if claim["status"] == "changes_requested" else None}
    return claim, status, {"ETag": claim_etag(claim)}
