"""Linking a claim to an earlier fact-check, and unlinking it
(annotations.links): PUT and DELETE /api/v1/claims/<id>/link.

Both need If-Match with the claim's ETag (428 without, 412 with a stale
one), as claim edits do; both are audited. A link the rules refuse answers
422 naming ``origin_id``; one the claim's state or link refuses answers 409
with the claim as it is, naming the field (edits of a linked claim's
verdict, label, rationale or sources answer so too: "unlink first").
"""

from annotations.links import LinkConflict

from ..db import get_store
from ..errors import json_error
from ..schemas import ClaimOut, LinkIn
from . import bp
from .claims import IF_MATCH, _with_current
from .helpers import ETAG_HEADER, actor, claim_response, errors, expected_version, require_role


@bp.errorhandler(LinkConflict)
def link_conflict(error: LinkConflict):
    return _with_current(json_error(409, error.message, "conflict", field=error.field),
                         error.current)


@bp.put("/claims/<int:claim_id>/link")
@require_role("factchecker")
@bp.arguments(LinkIn)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[{**IF_MATCH, "required": True}])
@errors(400, 401, 403, 404, 409, 412, 413, 415, 422, 428)
def link_claim(data, claim_id: int):
    """Link a claim to an earlier fact-check of another article instead of checking it
    again: it shows that one's current verdict, label, rationale, sources and corrections.
    On a published claim the link is a revision, shown to readers once approved."""
    store = get_store()
    store.claim(claim_id)  # 404 before 428 for a claim that does not exist
    version = expected_version(claim_id, required=True)
    return claim_response(store.link_claim(claim_id, data["origin_id"], actor(), version))


@bp.delete("/claims/<int:claim_id>/link")
@require_role("factchecker")
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[{**IF_MATCH, "required": True}])
@errors(401, 403, 404, 409, 412, 428)
def unlink_claim(claim_id: int):
    """Make a linked claim independent: it keeps, as its own, the verdict, label,
    rationale and sources it shows now (readers' copy too), and can be edited again."""
    store = get_store()
    store.claim(claim_id)
    version = expected_version(claim_id, required=True)
    return claim_response(store.unlink_claim(claim_id, actor(), version))
