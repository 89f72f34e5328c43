"""Claims and their citations: create, read, edit, delete, move through
review (annotations.workflow), re-attach, history.

Edits and deletes of a claim need If-Match with the ETag last seen (428
without, 412 with a stale one). Citation edits and workflow actions check it
when it is sent. An action the claim's state does not allow answers 409 with
the claim as it is.
"""

from flask import g

from annotations.models import NotFound, VersionConflict
from annotations.sanitize import clean_rationale
from annotations.workflow import IllegalTransition, transition

from ..db import get_store
from ..errors import json_error
from ..auth import has_role, sees_drafts
from ..schemas import (schema, AnchorIn, CitationIn, CitationOut, CitationPatch, ClaimIn, ClaimOut,
                       ClaimPatch, HistoryArgs, HistoryOut, TransitionIn)
from . import bp
from .helpers import (ETAG_HEADER, ApiError, actor, api_fields, claim_etag, claim_response,
                      errors, expected_version, keyset_page, no_content, require_role)

# The store names a quote's parts in its own words; clients sent them inside
# the body's selector. (A citation's fields are named alike on both sides.)
SELECTOR_FIELDS = {"exact": "selector.exact", "prefix": "selector.prefix",
                   "suffix": "selector.suffix"}


def _with_current(response, current: dict):
    """An error answer that carries the claim as it is now, and its ETag."""
    body = response.get_json()
    body["current"] = schema(ClaimOut).dump(claim_response(current)[0])
    response.set_data(response.json_module.dumps(body))
    response.headers["ETag"] = claim_etag(current)
    return response


@bp.errorhandler(VersionConflict)
def version_conflict(error: VersionConflict):
    return _with_current(json_error(
        412, "the claim changed since you loaded it; reload or re-apply", field="If-Match"),
        error.current)


@bp.errorhandler(IllegalTransition)
def illegal_transition(error: IllegalTransition):
    return _with_current(json_error(409, error.message, "conflict", field="status"),
                         error.current)


def _visible_claim(claim_id: int) -> dict:
    """The desk's working copy for factcheckers and up; for anyone else what
    readers see (published or retracted), or 404."""
    if sees_drafts(g.get("user")):
        return get_store().claim(claim_id)
    return get_store().public_claim(claim_id)


def new_claim_fields(data: dict) -> dict:
    """create_claim's keyword arguments from a loaded ClaimContentIn (also
    the extension's page claims, api/page_claims.py): the rationale
    sanitised, the sources' dates as ISO text."""
    fields = {"label": data["label"], "rationale": clean_rationale(data["rationale"]),
              "rationale_markdown": data.get("rationale_markdown"),
              "summary": data["summary"], "citations": tuple(data["citations"])}
    for citation in fields["citations"]:
        if citation.get("accessed_date"):
            citation["accessed_date"] = citation["accessed_date"].isoformat()
    return fields


@bp.post("/claims")
@require_role("factchecker")
@bp.arguments(ClaimIn)
@bp.response(201, ClaimOut, headers=ETAG_HEADER)
@errors(400, 401, 403, 404, 413, 415, 422)
def create_claim(data):
    """Create a claim on a passage span, by start/end code-point offsets or a TextQuoteSelector."""
    store = get_store()
    fields = new_claim_fields(data)
    if "selector" in data:
        selector = data["selector"]
        with api_fields(SELECTOR_FIELDS):
            claim = store.create_claim_from_quote(
                data["passage_id"], selector["exact"], selector["prefix"], selector["suffix"],
                data["verdict"], actor(), **fields)
    else:
        passage = store.passage(data["passage_id"])
        if "exact" in data and passage["text"][data["start"]:data["end"]] != data["exact"]:
            raise ApiError(422, "exact does not match the passage text at start..end",
                           "exact", "invalid")
        claim = store.create_claim(data["passage_id"], data["start"], data["end"],
                                   data["verdict"], actor(), **fields)
    body, status, headers = claim_response(claim, 201)
    headers["Location"] = f"/api/v1/claims/{claim['id']}"
    return body, status, headers


@bp.get("/claims/<int:claim_id>")
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@errors(401, 404)
def get_claim(claim_id: int):
    """A claim: the desk's working copy with its publication for factcheckers and up,
    what readers see for anyone else; PATCH and DELETE send its ETag as If-Match."""
    return claim_response(_visible_claim(claim_id))


def _with_dates(data: dict) -> dict:
    if data.get("accessed_date"):
        data["accessed_date"] = data["accessed_date"].isoformat()
    return data


IF_MATCH = {"in": "header", "name": "If-Match", "schema": {"type": "string"},
            "description": "the ETag last seen"}


@bp.patch("/claims/<int:claim_id>")
@require_role("factchecker")
@bp.arguments(ClaimPatch)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[{**IF_MATCH, "required": True}])
@errors(400, 401, 403, 404, 409, 412, 413, 415, 422, 428)
def patch_claim(data, claim_id: int):
    """Edit a claim's verdict, label, rationale and sources in one version (If-Match
    required). Editing a published claim starts a revision: readers keep the published
    version until an editor approves it."""
    version = expected_version(claim_id, required=True)
    if "rationale" in data:
        data["rationale"] = clean_rationale(data["rationale"])
    citations = data.pop("citations", None)
    if citations is not None:
        citations = [_with_dates(c) for c in citations]
    return claim_response(get_store().update_claim(claim_id, data, actor(), version, citations))


@bp.put("/claims/<int:claim_id>/anchor")
@require_role("factchecker")
@bp.arguments(AnchorIn)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[{**IF_MATCH, "required": True}])
@errors(400, 401, 403, 404, 409, 412, 413, 415, 422, 428)
def reattach_claim(data, claim_id: int):
    """Place a claim on a new span of its article (re-attach an orphaned claim): a
    revision like any edit, reviewed before readers see it."""
    store = get_store()
    store.claim(claim_id)
    version = expected_version(claim_id, required=True)
    passage = store.passage(data["passage_id"])
    if "exact" in data and passage["text"][data["start"]:data["end"]] != data["exact"]:
        raise ApiError(422, "exact does not match the passage text at start..end",
                       "exact", "invalid")
    return claim_response(store.reattach_claim(claim_id, data["passage_id"], data["start"],
                                               data["end"], actor(), version))


@bp.delete("/claims/<int:claim_id>")
@require_role("editor")
@bp.response(204)
@bp.doc(parameters=[{**IF_MATCH, "required": True}])
@errors(401, 403, 404, 409, 412, 428)
def delete_claim(claim_id: int):
    """Delete a claim readers never saw (editor, If-Match required); its history stays
    readable. A published claim answers 409: retract it instead."""
    get_store().claim(claim_id)  # 404 before 428 for a claim that does not exist
    version = expected_version(claim_id, required=True)
    get_store().delete_claim(claim_id, actor(), version)
    return no_content()


@bp.post("/claims/<int:claim_id>/transitions")
@require_role("factchecker")
@bp.arguments(TransitionIn)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[IF_MATCH])
@errors(400, 401, 403, 404, 409, 412, 413, 415, 422)
def transition_claim(data, claim_id: int):
    """Move a claim through review: submit, withdraw (factchecker); request_changes (with
    a note), approve (publishes; a correction_note when a published verdict, label or
    rationale changes), retract (with a public reason) (editor). 409 with the claim as it
    is when its state does not allow the action; 403 under the two-person rule."""
    step = transition(data["action"])
    store = get_store()
    store.claim(claim_id)
    if not has_role(g.user, step.role):
        raise ApiError(403, f"{step.action} needs the {step.role} role", "action")
    claim = store.transition_claim(
        claim_id, step.action, actor(), expected_version(claim_id, required=False),
        note=data.get("note", ""), correction_note=data.get("correction_note", ""),
        minor_edit=data.get("minor_edit", False))
    return claim_response(claim)


@bp.get("/claims/<int:claim_id>/history")
@require_role("factchecker")
@bp.arguments(HistoryArgs, location="query")
@bp.response(200, HistoryOut)
@errors(401, 403, 404, 422)
def claim_history(args, claim_id: int):
    """Every change to a claim, oldest first, kept after deletion too; paged:
    ``limit`` entries after the audit id ``after`` (the previous page's ``next``)."""
    store = get_store()
    after, limit = args.get("after"), args["limit"]
    # One more than asked tells whether another page follows.
    entries = store.history("claim", claim_id, after=after, limit=limit + 1)
    if not entries and (after is None or not store.history("claim", claim_id, limit=1)):
        raise NotFound("claim", claim_id)
    entries, following = keyset_page(entries, limit)
    return {"claim_id": claim_id, "entries": entries, "next": following}


@bp.post("/claims/<int:claim_id>/citations")
@require_role("factchecker")
@bp.arguments(CitationIn)
@bp.response(201, CitationOut, headers=ETAG_HEADER)
@bp.doc(parameters=[IF_MATCH])
@errors(400, 401, 403, 404, 412, 413, 415, 422)
def add_citation(data, claim_id: int):
    """Add a source to a claim (http and https URLs only)."""
    data = _with_dates(data)
    store = get_store()
    store.claim(claim_id)
    citation = store.add_citation(claim_id, data, actor(), expected_version(claim_id, False))
    return citation, 201, {"ETag": claim_etag(store.claim(claim_id))}


def _claim_of_citation(citation_id: int) -> int:
    return get_store().citation(citation_id)["claim_id"]


@bp.patch("/citations/<int:citation_id>")
@require_role("factchecker")
@bp.arguments(CitationPatch)
@bp.response(200, CitationOut, headers=ETAG_HEADER)
@bp.doc(parameters=[IF_MATCH])
@errors(400, 401, 403, 404, 412, 413, 415, 422)
def patch_citation(data, citation_id: int):
    """Edit a citation."""
    data = _with_dates(data)
    claim_id = _claim_of_citation(citation_id)
    store = get_store()
    citation = store.update_citation(citation_id, data, actor(), expected_version(claim_id, False))
    return citation, 200, {"ETag": claim_etag(store.claim(claim_id))}


@bp.delete("/citations/<int:citation_id>")
@require_role("factchecker")
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@bp.doc(parameters=[IF_MATCH])
@errors(401, 403, 404, 412)
def delete_citation(citation_id: int):
    """Remove a citation; answers with the claim as it now is."""
    claim_id = _claim_of_citation(citation_id)
    claim = get_store().delete_citation(citation_id, actor(), expected_version(claim_id, False))
    return claim_response(claim)
