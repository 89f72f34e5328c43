"""Exports for editors: verdict tables, ClaimReview, W3C Web Annotation."""

import functools
import os
import tempfile

from flask import Response, current_app, request, send_file, stream_with_context, url_for
from werkzeug.sansio.utils import host_is_trusted

from annotations import claimreview, exports, webannotation
from annotations.importer import ImportLimits
from annotations.models import NotFound
from annotations.webannotation.exporting import Collection
from annotations.webannotation.vocabulary import MEDIA_TYPE

from ..db import get_store
from ..schemas import (AnnotationCollectionOut, AnnotationContainerArgs, AnnotationDocumentIn,
                       AnnotationExportArgs, AnnotationOut, ClaimReviewArgs,
                       ClaimReviewFeedArgs, ClaimReviewFeedOut, ClaimReviewOut, ExportArgs,
                       ExportCountOut, ImportAnnotationsOut)
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
    missing = store.missing_claims(filters.claim_ids)
    if missing:
        listed = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
        raise ApiError(422, f"no claim has the id {listed}", "claim", "invalid")
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
    base = base_url()  # refused (400) before anything is streamed
    filename = f"claims.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        exports.write_xlsx(exports.table_rows(get_store().export_table_cursor(filters, base)),
                           path)
        response = send_file(path, mimetype=CONTENT_TYPES["xlsx"], as_attachment=True,
                             download_name=filename)
        # The file is open by now: removing its name frees it once sent.
        os.unlink(path)
        return response

    def stream():
        # Runs after the view has returned and its database handle was
        # closed: get_store() opens the streaming request's own.
        store = get_store()
        chunks = exports.csv_text_chunks(store.export_csv_cursor(filters, base),
                                         bom=args["bom"]) if fmt == "csv" \
            else exports.json_chunks(exports.iter_rows(store.export_row_cursor(filters, base)))
        for chunk in chunks:
            yield chunk.encode("utf-8")

    return Response(stream_with_context(stream()), content_type=CONTENT_TYPES[fmt],
                    headers=disposition)


@bp.get("/exports/claims/count")
@require_role("editor")
@bp.arguments(ExportArgs, location="query")
@bp.response(200, ExportCountOut)
@errors(401, 403, 404, 422)
def count_export_rows(args):
    """How many rows the verdict table has with these filters (editor): the
    exports page asks before a download, so a refused filter is explained in
    the page."""
    return {"rows": get_store().count_export_rows(export_filters(args))}


def _organisation() -> dict:
    return {"name": current_app.config["ORGANISATION_NAME"],
            "url": current_app.config["ORGANISATION_URL"]}


def review_item(claim: dict, article: dict, appearances: list | None = None) -> dict:
    """A claim's ClaimReview; its url is the claim's public review page
    (the page embeds this same item). ``appearances``: the articles of the
    claims linked to it, read here when not given."""
    if appearances is None:
        appearances = get_store().linked_appearances([claim["id"]])[claim["id"]]
    return claimreview.claim_review(claim, article,
                                    f"{base_url()}/{claimreview.review_path(claim['id'])}",
                                    _organisation(), appearances)


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


FEED_PAGE_SIZE = 500  # as the feed's description says
# Search engines and aggregators poll the feed: five minutes of caching,
# then a revalidation the ETag usually answers with 304.
FEED_CACHE_CONTROL = "public, max-age=300"


def _conditional(response: Response, cache_control: str) -> Response:
    """An ETag from the body, and 304 when the client holds it already."""
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


def _page_link(endpoint: str, rel: str, **query) -> str:
    return f"<{base_url()}{url_for(endpoint, **query)}>; rel=\"{rel}\""


@bp.get("/claimreview")
@bp.arguments(ClaimReviewFeedArgs, location="query")
@bp.response(200, ClaimReviewFeedOut, content_type="application/ld+json")
@errors(400, 401, 404, 422)
def claim_review_feed(args):
    """Every published claim as ClaimReview, in a schema.org DataFeed (public),
    500 a page, oldest first: the published versions, without retracted or
    orphaned claims. Link headers name the first, previous, next and last
    pages; ETag and Cache-Control let pollers revalidate cheaply."""
    store = get_store()
    number, total = args["page"], store.claim_review_count()
    last = max(1, -(-total // FEED_PAGE_SIZE))
    if number > last:
        raise ApiError(404, f"the feed has {last} pages", "page", "not_found")
    rows = store.claim_review_rows(FEED_PAGE_SIZE, (number - 1) * FEED_PAGE_SIZE)
    appearances = store.linked_appearances(claim["id"] for claim, _ in rows)
    items = [review_item(claim, article, appearances[claim["id"]]) for claim, article in rows]
    feed = {"@context": "https://schema.org", "@type": "DataFeed",
            "name": f"{current_app.config['ORGANISATION_NAME']} fact checks",
            "url": f"{base_url()}{url_for('api.claim_review_feed', page=number)}",
            "dataFeedElement": items}
    if items:
        feed["dateModified"] = max(item["dateModified"] for item in items)
    response = Response(current_app.json.dumps(feed), mimetype="application/ld+json")
    links = [_page_link("api.claim_review_feed", "first", page=1),
             _page_link("api.claim_review_feed", "last", page=last)]
    if number > 1:
        links.append(_page_link("api.claim_review_feed", "prev", page=number - 1))
    if number < last:
        links.append(_page_link("api.claim_review_feed", "next", page=number + 1))
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)
    return _conditional(response, FEED_CACHE_CONTROL)


# The Web Annotation Protocol's headers (section 4): what the resource is,
# the rules the container follows, what may be done with it.
CONTAINER_LINKS = ('<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
                   '<http://www.w3.org/TR/annotation-protocol/>; '
                   'rel="http://www.w3.org/ns/ldp#constrainedBy"')
RESOURCE_LINK = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
MINIMAL_CONTAINER = "http://www.w3.org/ns/ldp#PreferMinimalContainer"


def _annotation_response(document: dict, link: str, cache_control: str) -> Response:
    response = Response(current_app.json.dumps(document), content_type=MEDIA_TYPE)
    response.headers["Link"] = link
    response.headers["Allow"] = "GET, HEAD, OPTIONS"
    response.headers["Vary"] = "Accept, Prefer, Authorization, Cookie"
    return _conditional(response, cache_control)


@bp.get("/annotations")
@require_role("editor")
@bp.arguments(AnnotationContainerArgs, location="query")
@bp.response(200, AnnotationCollectionOut, content_type="application/ld+json")
@errors(400, 401, 403, 404, 422)
def annotation_container(args):
    """The claims as a Web Annotation Protocol container (editor): an
    AnnotationCollection with its first page embedded (or, with
    Prefer: return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer",
    named only); page=N answers page N, linked to the others by next/prev. The
    desk's working copies, or with published=1 what readers see. The whole
    collection in one file, for another desk to import, is
    /api/v1/exports/annotations.jsonld."""
    article_id = args.get("article_id")
    if article_id is not None:
        get_store().article(article_id)
    collection = Collection(get_store(), base_url(), args["published"], article_id)
    if "page" in args:
        document = collection.page_document(args["page"])
        if document is None:
            raise ApiError(404, f"the collection has {collection.page_count} pages"
                           " (numbered from 0)", "page", "not_found")
        return _annotation_response(document, RESOURCE_LINK, "private, no-cache")
    minimal = MINIMAL_CONTAINER in request.headers.get("Prefer", "")
    response = _annotation_response(collection.container(embed_first=not minimal),
                                    CONTAINER_LINKS, "private, no-cache")
    if minimal:
        response.headers["Preference-Applied"] = "return=representation"
    return response


@bp.get("/annotations/<int:claim_id>")
@bp.response(200, AnnotationOut, content_type="application/ld+json")
@errors(400, 401, 404)
def annotation(claim_id: int):
    """One claim as a W3C Web Annotation, at its id (public): what readers see
    (published, or retracted with when and why); 404 for a claim never
    published."""
    document = webannotation.annotation_document(get_store(), claim_id, base_url())
    return _annotation_response(document, RESOURCE_LINK, "public, max-age=60")


@bp.get("/exports/annotations.jsonld")
@require_role("editor")
@bp.arguments(AnnotationExportArgs, location="query")
@bp.response(200, AnnotationCollectionOut, content_type="application/ld+json")
@errors(400, 401, 403, 404, 422)
def export_annotations(args):
    """All claims as one W3C Web Annotation document (editor), for another desk
    to import: the collection with every page (the first embedded, the others
    under factdesk:pages, linked by IRIs) and the articles' text. The desk's
    working copies, or with published=1 what readers see (each publication
    with its dates, corrections and retraction)."""
    article_id = args.get("article_id")
    if article_id is not None:
        get_store().article(article_id)
    document = webannotation.export_collection(get_store(), base_url(), args["published"],
                                               article_id)
    name = "annotations-published.jsonld" if args["published"] else "annotations.jsonld"
    return Response(current_app.json.dumps(document), content_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
