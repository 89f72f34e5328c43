"""POST /api/v1/claims/bulk: one action on a selection of claims, all or
nothing (annotations/store/bulk.py).

Who may do what is what the single-claim endpoints allow: a factchecker
submits, withdraws and takes claims for themselves; editors also request
changes, approve, retract and assign anyone. A claim that refuses answers as
acting on it alone would (409 its state, 403 the two-person rule or someone
else's claim, 404 no such claim, 422 a missing source), naming it as
``claim_ids.<index>``; nothing is written then.
"""

from flask import g

from annotations.models import DomainError, NotAllowed, NotFound, VersionConflict
from annotations.store.bulk import ASSIGN, BulkRefusal
from annotations.workflow import IllegalTransition, transition

from ..auth import has_role
from ..db import get_store
from ..errors import json_error
from ..schemas import ClaimBulkIn, ClaimBulkOut
from . import bp
from .helpers import ApiError, actor, errors, require_role

# The status each single-claim refusal answers with.
_STATUS = ((IllegalTransition, 409), (NotAllowed, 403), (NotFound, 404),
           (VersionConflict, 412), (DomainError, 422))


@bp.errorhandler(BulkRefusal)
def bulk_refused(refusal: BulkRefusal):
    status = next(code for kind, code in _STATUS if isinstance(refusal.error, kind))
    message = f"claim {refusal.claim_id}: {refusal.reason}"
    return json_error(status, f"{message}; nothing was changed",
                      fields={f"claim_ids.{refusal.index}": [message]})


@bp.post("/claims/bulk")
@require_role("factchecker")
@bp.arguments(ClaimBulkIn)
@bp.response(200, ClaimBulkOut)
@errors(400, 401, 403, 404, 409, 413, 415, 422)
def bulk_claims(data):
    """Assign, submit, withdraw (factchecker); request_changes, approve, retract, assign
    anyone (editor): one action on up to 200 claims in one transaction. Each claim is
    audited as if acted on alone; if one refuses, none changes and the error names it
    (`claim_ids.<index>`) with the status acting on it alone would answer."""
    action = data["action"]
    editor = has_role(g.user, "editor")
    if action != ASSIGN:
        step = transition(action)
        if not has_role(g.user, step.role):
            raise ApiError(403, f"{step.action} needs the {step.role} role", "action")
    claims = get_store().bulk_claim_action(
        data["claim_ids"], action, actor(), assignee_id=data.get("assignee_id"),
        only_self=not editor, note=data.get("note", ""),
        correction_note=data.get("correction_note", ""),
        minor_edit=data.get("minor_edit", False))
    return {"action": action, "claims": claims}
