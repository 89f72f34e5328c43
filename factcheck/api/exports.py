"""Exports for editors: verdict tables, ClaimReview, W3C Web Annotation."""

import os
import tempfile

from flask import Response, current_app, g, request, send_file, stream_with_context

from annotations import claimreview, exports, webannotation
from annotations.models import NotFound

from ..auth import has_role
from ..db import get_store
from ..errors import json_error
from ..schemas import ExportArgs, schema
from . import bp
from .helpers import ApiError, actor, require_role

ANNOTATION_IMPORT_MAX_BODY = 50 * 1024 * 1024
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_filters(args: dict) -> exports.ExportFilters:
    """Filters from validated query arguments; unknown values are 422s."""
    filters = exports.ExportFilters(**{k: v for k, v in args.items() if k != "bom"})
    store = get_store()
    if filters.article_id is not None:
        store.article(filters.article_id)
    if filters.annotator and store.user_by_username(filters.annotator) is None:
        raise ApiError(422, f"no user named {filters.annotator!r}", "annotator", "invalid")
    filters.check()
    return filters


def base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")


@bp.get("/exports/claims.<fmt>")
@require_role("editor")
def export_claims(fmt: str):
    """The verdict table, one row per claim, streamed.
    ---
    get:
      summary: Verdict table as CSV, JSON or XLSX (editor)
      parameters:
      - {in: path, name: fmt, schema: {type: string, enum: [csv, json, xlsx]}, required: true}
      - in: query
        schema: ExportArgs
      responses:
        200:
          description: the table, as an attachment
        404:
          content:
            application/json:
              schema: ErrorOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    if fmt not in CONTENT_TYPES:
        raise ApiError(404, "exports come as claims.csv, claims.json or claims.xlsx", "fmt")
    # The exports page's form sends every filter, the unset ones empty:
    # an empty value means no filter, not a bad value.
    args = schema(ExportArgs).load({k: v for k, v in request.args.to_dict().items()
                                    if v != ""})
    filters = export_filters(args)
    filename = f"claims.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        exports.write_xlsx(exports.table_rows(get_store().db, filters), path)
        response = send_file(path, mimetype=CONTENT_TYPES["xlsx"], as_attachment=True,
                             download_name=filename)
        # The file is open by now: removing its name frees it once sent.
        os.unlink(path)
        return response

    def stream():
        # Runs after the view has returned and its database handle was
        # closed: get_store() opens the streaming request's own.
        db = get_store().db
        chunks = exports.csv_chunks(exports.table_rows(db, filters), bom=args["bom"]) \
            if fmt == "csv" else exports.json_chunks(exports.iter_rows(db, filters))
        for chunk in chunks:
            yield chunk.encode("utf-8")

    return Response(stream_with_context(stream()), content_type=CONTENT_TYPES[fmt],
                    headers=disposition)


def _organisation() -> dict:
    return {"name": current_app.config["ORGANISATION_NAME"],
            "url": current_app.config["ORGANISATION_URL"]}


def _review(claim: dict) -> dict:
    store = get_store()
    article = store.article(claim["article_id"])
    review_url = f"{base_url()}/articles/{article['id']}"
    return claimreview.claim_review(claim, article, review_url, _organisation())


def _published(claim_id: int) -> dict:
    claim = get_store().claim(claim_id)
    if claim["status"] != "published":
        raise NotFound("claim", claim_id)  # drafts never appear
    return claim


@bp.get("/claims/<int:claim_id>/claimreview")
def claim_review(claim_id: int):
    """schema.org ClaimReview of a published claim.
    ---
    get:
      summary: ClaimReview JSON-LD of one published claim (public)
      parameters:
      - {in: path, name: claim_id, schema: {type: integer}, required: true}
      - {in: query, name: format, schema: {type: string, enum: [json, snippet]}}
      responses:
        200:
          description: JSON-LD, or with format=snippet an embeddable script element
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    item = _review(_published(claim_id))
    if request.args.get("format") == "snippet":
        return Response(claimreview.script_snippet(item), mimetype="text/plain; charset=utf-8")
    return Response(current_app.json.dumps(item), mimetype="application/ld+json")


@bp.get("/claimreview")
def claim_review_feed():
    """Every published claim as ClaimReview, in a schema.org DataFeed.
    ---
    get:
      summary: ClaimReview feed of all published claims (public)
      responses:
        200:
          description: a DataFeed of ClaimReview items
    """
    store = get_store()
    articles = {}
    items = []
    rows = store.db.query("SELECT id FROM claims WHERE status = 'published' ORDER BY id")
    for row in rows:
        claim = store.claim(row["id"])
        if claim["article_id"] not in articles:
            articles[claim["article_id"]] = store.article(claim["article_id"])
        article = articles[claim["article_id"]]
        items.append(claimreview.claim_review(
            claim, article, f"{base_url()}/articles/{article['id']}", _organisation()))
    feed = {"@context": "https://schema.org", "@type": "DataFeed",
            "name": f"{current_app.config['ORGANISATION_NAME']} fact checks",
            "dataFeedElement": items}
    return Response(current_app.json.dumps(feed), mimetype="application/ld+json")


@bp.get("/annotations")
@require_role("editor")
def export_annotations():
    """All claims as a W3C Web Annotation collection.
    ---
    get:
      summary: W3C Web Annotation AnnotationCollection (editor)
      parameters:
      - {in: query, name: article_id, schema: {type: integer}}
      - {in: query, name: published, schema: {type: boolean}}
      responses:
        200:
          description: JSON-LD AnnotationCollection with embedded AnnotationPages
    """
    article_id = request.args.get("article_id", type=int)
    if article_id is not None:
        get_store().article(article_id)
    published_only = request.args.get("published") in ("1", "true")
    document = webannotation.export_collection(get_store(), base_url(), published_only, article_id)
    return Response(current_app.json.dumps(document),
                    mimetype='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"')


@bp.post("/annotations/import")
@require_role("editor")
def import_annotations():
    """Import a Web Annotation document whole, or refuse it whole.
    ---
    post:
      summary: Import W3C Web Annotation JSON-LD (editor; up to 50 MB)
      responses:
        201:
          description: counts of articles and claims imported
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    request.max_content_length = ANNOTATION_IMPORT_MAX_BODY
    if not (request.is_json or request.mimetype == "application/ld+json"):
        return json_error(415, "send the document as application/json or application/ld+json",
                          field="Content-Type")
    document = request.get_json(silent=True, force=True)
    if document is None:
        return json_error(400, "the body is not valid JSON", "malformed_json", field="body")
    result = webannotation.import_collection(get_store(), document, actor())
    return {"articles": result["articles"], "claims": result["claims"],
            "claim_ids": result["claim_ids"]}, 201
