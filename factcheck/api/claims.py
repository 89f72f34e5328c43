"""Claims and their citations: create, read, edit, delete, publish, history.

Edits and deletes of a claim need If-Match with the ETag last seen (428
without, 412 with a stale one). Citation edits and publishing check it when
it is sent.
"""

from annotations.models import NotFound, VersionConflict
from annotations.sanitize import clean_rationale

from ..db import get_store
from ..errors import json_error
from ..schemas import (schema, CitationIn, CitationOut, CitationPatch, ClaimIn, ClaimOut, ClaimPatch,
                       HistoryOut)
from . import bp
from .helpers import (ApiError, actor, can_see, claim_etag, claim_response, expected_version,
                      json_body, require_role)



@bp.errorhandler(VersionConflict)
def version_conflict(error: VersionConflict):
    response = json_error(412, "the claim changed since you loaded it; reload or re-apply",
                          field="If-Match")
    body = response.get_json()
    body["current"] = schema(ClaimOut).dump(error.current)
    response.set_data(response.json_module.dumps(body))
    response.headers["ETag"] = claim_etag(error.current)
    return response


def _visible_claim(claim_id: int) -> dict:
    claim = get_store().claim(claim_id)
    if not can_see(claim):
        raise NotFound("claim", claim_id)
    return claim


@bp.post("/claims")
@require_role("factchecker")
def create_claim():
    """Create a claim on a passage span, by offsets or by quote.
    ---
    post:
      summary: Create a claim by start/end code-point offsets or a TextQuoteSelector
      requestBody:
        content:
          application/json:
            schema: ClaimIn
      responses:
        201:
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: ClaimOut
        404:
          content:
            application/json:
              schema: ErrorOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    data = json_body(schema(ClaimIn))
    store = get_store()
    fields = {"label": data["label"], "rationale": clean_rationale(data["rationale"]),
              "citations": tuple(data["citations"])}
    for citation in fields["citations"]:
        if citation.get("accessed_date"):
            citation["accessed_date"] = citation["accessed_date"].isoformat()
    if "selector" in data:
        selector = data["selector"]
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
def get_claim(claim_id: int):
    """A claim; its ETag is what PATCH and DELETE send back as If-Match.
    ---
    get:
      summary: A claim (drafts only for factcheckers and up)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      responses:
        200:
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: ClaimOut
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    return claim_response(_visible_claim(claim_id))


@bp.patch("/claims/<int:claim_id>")
@require_role("factchecker")
def patch_claim(claim_id: int):
    """Change verdict, label or rationale.
    ---
    patch:
      summary: Edit a claim (If-Match required)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      - {in: header, name: If-Match, schema: {type: string}, required: true}
      requestBody:
        content:
          application/json:
            schema: ClaimPatch
      responses:
        200:
          content:
            application/json:
              schema: ClaimOut
        412:
          description: stale If-Match; the body carries the current claim
          content:
            application/json:
              schema: ErrorOut
        428:
          content:
            application/json:
              schema: ErrorOut
    """
    data = json_body(schema(ClaimPatch))
    version = expected_version(claim_id, required=True)
    if "rationale" in data:
        data["rationale"] = clean_rationale(data["rationale"])
    return claim_response(get_store().update_claim(claim_id, data, actor(), version))


@bp.delete("/claims/<int:claim_id>")
@require_role("editor")
def delete_claim(claim_id: int):
    """Delete a claim; its history stays readable.
    ---
    delete:
      summary: Delete a claim (editor, If-Match required)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      - {in: header, name: If-Match, schema: {type: string}, required: true}
      responses:
        204:
          description: deleted
        412:
          content:
            application/json:
              schema: ErrorOut
        428:
          content:
            application/json:
              schema: ErrorOut
    """
    get_store().claim(claim_id)  # 404 before 428 for a claim that does not exist
    version = expected_version(claim_id, required=True)
    get_store().delete_claim(claim_id, actor(), version)
    return "", 204


def _set_status(claim_id: int, status: str):
    version = expected_version(claim_id, required=False)
    return claim_response(get_store().set_claim_status(claim_id, status, actor(), version))


@bp.post("/claims/<int:claim_id>/publish")
@require_role("editor")
def publish_claim(claim_id: int):
    """Publish a claim; verified or denied claims need a citation first.
    ---
    post:
      summary: Publish (editor)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema: ClaimOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    return _set_status(claim_id, "published")


@bp.post("/claims/<int:claim_id>/unpublish")
@require_role("editor")
def unpublish_claim(claim_id: int):
    """Return a claim to draft.
    ---
    post:
      summary: Unpublish (editor)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema: ClaimOut
    """
    return _set_status(claim_id, "draft")


@bp.get("/claims/<int:claim_id>/history")
@require_role("factchecker")
def claim_history(claim_id: int):
    """Every change to a claim, oldest first, kept after deletion too.
    ---
    get:
      summary: Audit trail of a claim
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema: HistoryOut
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    entries = get_store().history("claim", claim_id)
    if not entries:
        raise NotFound("claim", claim_id)
    return schema(HistoryOut).dump({"claim_id": claim_id, "entries": entries})


def _with_dates(data: dict) -> dict:
    if data.get("accessed_date"):
        data["accessed_date"] = data["accessed_date"].isoformat()
    return data


@bp.post("/claims/<int:claim_id>/citations")
@require_role("factchecker")
def add_citation(claim_id: int):
    """Add a source to a claim.
    ---
    post:
      summary: Add a citation (http and https URLs only)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      requestBody:
        content:
          application/json:
            schema: CitationIn
      responses:
        201:
          headers:
            ETag: {description: the claim's new ETag, schema: {type: string}}
          content:
            application/json:
              schema: CitationOut
    """
    data = _with_dates(json_body(schema(CitationIn)))
    store = get_store()
    store.claim(claim_id)
    citation = store.add_citation(claim_id, data, actor(), expected_version(claim_id, False))
    return schema(CitationOut).dump(citation), 201, {"ETag": claim_etag(store.claim(claim_id))}


def _claim_of_citation(citation_id: int) -> int:
    return get_store().citation(citation_id)["claim_id"]


@bp.patch("/citations/<int:citation_id>")
@require_role("factchecker")
def patch_citation(citation_id: int):
    """Edit a citation.
    ---
    patch:
      summary: Edit a citation
      parameters:
      - {in: path, name: citation_id, schema: {type: integer}, required: true}
      requestBody:
        content:
          application/json:
            schema: CitationPatch
      responses:
        200:
          content:
            application/json:
              schema: CitationOut
    """
    data = _with_dates(json_body(schema(CitationPatch)))
    claim_id = _claim_of_citation(citation_id)
    store = get_store()
    citation = store.update_citation(citation_id, data, actor(),
                                     expected_version(claim_id, False))
    return schema(CitationOut).dump(citation), 200, {"ETag": claim_etag(store.claim(claim_id))}


@bp.delete("/citations/<int:citation_id>")
@require_role("factchecker")
def delete_citation(citation_id: int):
    """Remove a citation; answers with the claim as it now is.
    ---
    delete:
      summary: Remove a citation
      parameters:
      - {in: path, name: citation_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema: ClaimOut
    """
    claim_id = _claim_of_citation(citation_id)
    claim = get_store().delete_citation(citation_id, actor(), expected_version(claim_id, False))
    return claim_response(claim)
