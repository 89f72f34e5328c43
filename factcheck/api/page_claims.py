"""The extension's fact-checker mode: record a claim on a selection of a
live news page, importing the page first when the desk does not know it
(annotations/page_claims.py), and list a page's claims for the checker.

Only the extension's service worker calls these, with the checker's API
token; the page's URL is sent here, never to the readers' lookup.
"""

from flask import current_app, url_for

from annotations.importer import MAX_IMPORT_BYTES, ImportLimits
from annotations.page_claims import find_page_article, page_urls, record_page_claim

from ..db import get_store
from ..schemas import PageArgsIn, PageClaimCreatedOut, PageClaimIn, PageClaimsOut
from . import API_MAX_BODY, bp
from .claims import new_claim_fields
from .helpers import actor, api_fields, claim_response, errors, require_role

# A page's HTML may be as large as an upload; the rest of the body is small.
PAGE_CLAIM_MAX_BODY = MAX_IMPORT_BYTES + API_MAX_BODY
SELECTOR_FIELDS = {"exact": "selector.exact", "prefix": "selector.prefix",
                   "suffix": "selector.suffix"}


def _annotator_url(article_id: int, claim_id: int | None = None) -> str:
    url = url_for("ui.article", article_id=article_id)
    return f"{url}#claim-{claim_id}" if claim_id else url


def page_listing(article_id: int | None) -> dict:
    """The page's article and every claim on it (a checker sees drafts)."""
    if article_id is None:
        return {"article": None, "claims": []}
    store = get_store()
    article = store.article(article_id)
    claims = store.claims_for_article(article_id, published_only=False)
    return {
        "article": {"id": article_id, "title": article["title"], "url": article["url"],
                    "annotator_url": _annotator_url(article_id)},
        "claims": [{**claim, "annotator_url": _annotator_url(article_id, claim["id"])}
                   for claim in claims],
    }


@bp.get("/page-claims")
@require_role("factchecker")
@bp.arguments(PageArgsIn, location="query")
@bp.response(200, PageClaimsOut)
@errors(401, 403, 422)
def list_page_claims(args):
    """The claims on a page (by its URL or canonical URL) a fact-checker sees."""
    urls = page_urls(args["url"], args["canonical_url"])
    return page_listing(find_page_article(get_store(), urls))


def body_limit(limit: int):
    """Let a view's body be up to ``limit`` bytes (authenticate_request
    applies it before anything reads the body) instead of API_MAX_BODY."""
    def decorator(view):
        view.max_body = limit
        return view
    return decorator


@bp.post("/page-claims")
@body_limit(PAGE_CLAIM_MAX_BODY)
@require_role("factchecker")
@bp.arguments(PageClaimIn)
@bp.response(201, PageClaimCreatedOut)
@errors(400, 401, 403, 413, 415, 422)
def create_page_claim(data):
    """Record a draft claim on a selection of a live page: the page is imported from
    ``html`` (like an upload) when the desk does not know it; the selection is placed by
    the anchoring rules, and refused (nothing written) when it does not anchor exactly."""
    fields = new_claim_fields(data)
    with api_fields(SELECTOR_FIELDS):
        claim, imported = record_page_claim(
            get_store(), actor(), data["url"], data["canonical_url"], data.get("html"),
            data["selector"], data["verdict"],
            ImportLimits.from_settings(current_app.config), **fields)
    return {**page_listing(claim["article_id"]), "claim": claim_response(claim)[0],
            "imported": imported}, 201
