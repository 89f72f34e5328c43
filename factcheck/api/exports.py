"""Exports for editors: verdict tables, ClaimReview, W3C Web Annotation."""

import functools
import os
import tempfile

from flask import Response, current_app, request, send_file, stream_with_context
from werkzeug.sansio.utils import host_is_trusted

from annotations import claimreview, exports, webannotation
from annotations.importer import ImportLimits
from annotations.models import NotFound

from ..db import get_store
from ..schemas import (AnnotationCollectionOut, AnnotationDocumentIn, AnnotationExportArgs,
                       ClaimReviewArgs, ClaimReviewFeedOut, ClaimReviewOut, ExportArgs,
                       ImportAnnotationsOut)
from . import bp
from .helpers import ApiError, actor, errors, require_role

ANNOTATION_IMPORT_MAX_BODY = 50 * 1024 * 1024
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_filters(args: dict) -> exports.ExportFilters:
    """Filters from validated query arguments; unknown values are 422s."""
    filters = exports.ExportFilters(**{k: v for k, v in args.items() if k != "bom"})
    store = get_store()
    if filters.article_id is not None:
        store.article(filters.article_id)
    if filters.annotator and store.find_user(filters.annotator) is None:
        raise ApiError(422, f"no user named {filters.annotator!r}", "annotator", "invalid")
    filters.check()
    return filters


# Without PUBLIC_BASE_URL, links are built from the request's Host header,
# which the client chooses: only a trusted host may appear in them.
# TRUSTED_HOSTS (when set, Flask refuses other hosts on every request) or
# else the loopback names `make run` serves on.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def base_url() -> str:
    """The scheme and host in front of every link in ClaimReview and Web
    Annotation documents; 400 when it would come from an untrusted Host."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    trusted = current_app.config.get("TRUSTED_HOSTS") or LOOPBACK_HOSTS
    if not host_is_trusted(request.host, trusted):
        raise ApiError(400, f"links cannot name the host {request.host!r}: set PUBLIC_BASE_URL"
                       " (or TRUSTED_HOSTS) to the address readers use", "Host")
    return request.url_root.rstrip("/")


FORMAT = {"in": "path", "name": "fmt", "schema": {"type": "string", "enum": list(CONTENT_TYPES)}}
ROWS = {"type": "array", "items": {"type": "object"}}
BINARY = {"type": "string", "format": "binary"}
TABLE = "the table as an attachment, in the format the path names"


@bp.get("/exports/claims.<fmt>", parameters=[FORMAT])
@require_role("editor")
@bp.arguments(ExportArgs, location="query")
@bp.response(200, BINARY, content_type="text/csv", description=TABLE)
@bp.alt_response(200, schema=ROWS, content_type="application/json", description=TABLE,
                 success=True)
@bp.alt_response(200, schema=BINARY, content_type=CONTENT_TYPES["xlsx"], description=TABLE,
                 success=True)
@errors(401, 403, 404, 422)
def export_claims(args, fmt: str):
    """The verdict table as CSV, JSON or XLSX, one row per claim, streamed (editor)."""
    if fmt not in CONTENT_TYPES:
        raise ApiError(404, "exports come as claims.csv, claims.json or claims.xlsx", "fmt")
    filters = export_filters(args)
    filename = f"claims.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        exports.write_xlsx(exports.table_rows(get_store().export_table_cursor(filters)), path)
        response = send_file(path, mimetype=CONTENT_TYPES["xlsx"], as_attachment=True,
                             download_name=filename)
        # The file is open by now: removing its name frees it once sent.
        os.unlink(path)
        return response

    def stream():
        # Runs after the view has returned and its database handle was
        # closed: get_store() opens the streaming request's own.
        store = get_store()
        chunks = exports.csv_chunks(exports.table_rows(store.export_table_cursor(filters)),
                                    bom=args["bom"]) if fmt == "csv" \
            else exports.json_chunks(exports.iter_rows(store.export_row_cursor(filters)))
        for chunk in chunks:
            yield chunk.encode("utf-8")

    return Response(stream_with_context(stream()), content_type=CONTENT_TYPES[fmt],
                    headers=disposition)


def _organisation() -> dict:
    return {"name": current_app.config["ORGANISATION_NAME"],
            "url": current_app.config["ORGANISATION_URL"]}


def review_item(claim: dict, article: dict) -> dict:
    """A claim's ClaimReview; its url is the claim's public review page
    (the page embeds this same item)."""
    return claimreview.claim_review(claim, article,
                                    f"{base_url()}/{claimreview.review_path(claim['id'])}",
                                    _organisation())


def _reviewed(claim_id: int) -> dict:
    """The claim as readers see it, when it has a ClaimReview: never for a
    draft (not even while a published claim's revision is open, which keeps
    the published item), nor once retracted or orphaned, as in the feed."""
    claim = get_store().public_claim(claim_id)
    if not claimreview.has_claim_review(claim):
        raise NotFound("claim", claim_id)
    return claim


REVIEW = "JSON-LD, or with format=snippet an embeddable script element"


@bp.get("/claims/<int:claim_id>/claimreview")
@bp.arguments(ClaimReviewArgs, location="query")
@bp.response(200, ClaimReviewOut, content_type="application/ld+json", description=REVIEW)
@bp.alt_response(200, schema={"type": "string"}, content_type="text/plain", description=REVIEW,
                 success=True)
@errors(400, 401, 404, 422)
def claim_review(args, claim_id: int):
    """schema.org ClaimReview JSON-LD of one published claim as readers see it
    (public); 404 for a claim never published, retracted, or orphaned by a
    re-import until its re-attachment is approved."""
    claim = _reviewed(claim_id)
    item = review_item(claim, get_store().article(claim["article_id"]))
    if args["format"] == "snippet":
        # mimetype= would get a second "; charset=utf-8" added by Flask.
        return Response(claimreview.script_snippet(item),
                        content_type="text/plain; charset=utf-8")
    return Response(current_app.json.dumps(item), mimetype="application/ld+json")


@bp.get("/claimreview")
@bp.response(200, ClaimReviewFeedOut, content_type="application/ld+json")
@errors(400, 401)
def claim_review_feed():
    """Every published claim as ClaimReview, in a schema.org DataFeed (public):
    the published versions, without retracted or orphaned claims."""
    items = [review_item(claim, article)
             for claim, article in get_store().published_claims_with_articles()]
    feed = {"@context": "https://schema.org", "@type": "DataFeed",
            "name": f"{current_app.config['ORGANISATION_NAME']} fact checks",
            "dataFeedElement": items}
    return Response(current_app.json.dumps(feed), mimetype="application/ld+json")


ANNOTATION_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@bp.get("/annotations")
@require_role("editor")
@bp.arguments(AnnotationExportArgs, location="query")
@bp.response(200, AnnotationCollectionOut, content_type="application/ld+json")
@errors(400, 401, 403, 404, 422)
def export_annotations(args):
    """All claims as a W3C Web Annotation AnnotationCollection (editor): the
    desk's working copies, or with published=1 what readers see (each
    publication with its dates, corrections and retraction)."""
    article_id = args.get("article_id")
    if article_id is not None:
        get_store().article(article_id)
    document = webannotation.export_collection(get_store(), base_url(), args["published"],
                                               article_id)
    return Response(current_app.json.dumps(document), mimetype=ANNOTATION_MEDIA_TYPE)


def annotation_body_limit(view):
    """Web Annotation documents may be up to 50 MB: the limit is raised
    before the body is read."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request.max_content_length = ANNOTATION_IMPORT_MAX_BODY
        return view(*args, **kwargs)
    return wrapped


@bp.post("/annotations/import")
@require_role("editor")
@annotation_body_limit
@bp.arguments(AnnotationDocumentIn, content_type="application/ld+json")
@bp.doc(requestBody={"content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/AnnotationDocumentIn"}}}})
@bp.response(201, ImportAnnotationsOut)
@errors(400, 401, 403, 413, 415, 422)
def import_annotations(document):
    """Import a W3C Web Annotation document (JSON-LD, up to 50 MB) whole, or refuse it whole."""
    limits = ImportLimits.from_settings(current_app.config)
    return webannotation.import_collection(get_store(), document, actor(), limits), 201
