"""Articles: import (from text, HTML or by URL), list, read, correct, delete."""

import contextlib

from flask import current_app, g

from annotations.fetching import FetchPolicy, FetchRefused
from annotations.importer import ImportLimits, parse_article
from annotations.url_import import import_from_url

from ..auth import sees_drafts
from ..db import get_store
from ..errors import ApiError
from ..presenters import require_showable
from ..schemas import (ArticleImportIn, ArticleListArgs, ArticleMetadataPatch, ArticleOut,
                       ArticlePageOut, ImportOut)
from . import bp
from .helpers import actor, errors, no_content, require_role


def _published_only() -> bool:
    return not sees_drafts(g.get("user"))


def article_payload(article_id: int) -> dict:
    store = get_store()
    published_only = _published_only()
    article = store.article(article_id)
    claims = store.claims_for_article(article_id, published_only=published_only)
    counts = {f"{v}_count": sum(c["verdict"] == v for c in claims)
              for v in ("verified", "denied", "unverified")}
    # What needs the desk (as in the article list): not for readers.
    desk = (dict.fromkeys(("in_review_count", "orphaned_count")) if published_only
            else store.desk_counts(article_id))
    return {**article, **counts, **desk, "passages": store.passages(article_id),
            "claims": claims,
            "claim_count": len(claims),
            # Claims readers see as published (a claim under revision too).
            "published_count": store.published_count(article_id)}


@bp.get("/articles")
@bp.arguments(ArticleListArgs, location="query")
@bp.response(200, ArticlePageOut)
@errors(401, 422)
def list_articles(args):
    """List articles with claim counts, newest first; filter by verdict, status, text."""
    page = {k: args.pop(k) for k in ("limit", "offset")}
    store = get_store()
    filters = {**args, "published_only": _published_only()}
    items = store.list_articles(**page, **filters)
    total = store.count_articles(**filters)
    return {"items": items, "total": total, **page}


@bp.post("/articles")
@require_role("factchecker")
@bp.arguments(ArticleImportIn)
@bp.response(201, ImportOut, description="created")
@bp.alt_response(200, schema=ImportOut, success=True,
                 description="an article with this URL existed and was updated")
@errors(400, 401, 403, 413, 415, 422)
def import_article(data):
    """Import an article from text or HTML, or with only ``url`` fetch the page and import
    its main text and metadata; re-importing a URL updates it and keeps its claims."""
    limits = ImportLimits.from_settings(current_app.config)
    if data.get("published_date"):
        data["published_date"] = data["published_date"].isoformat()
    url = data.pop("url")
    if "html" in data:
        parsed = parse_article(data.pop("html"), "html", "html", limits, page_url=url)
        result = get_store().import_article(url, parsed, actor(), **data)
    elif "text" in data:
        parsed = parse_article(data.pop("text"), "text", "text", limits)
        result = get_store().import_article(url, parsed, actor(), **data)
    else:
        with fetch_errors():
            result = import_from_url(get_store(), url, actor(),
                                     FetchPolicy.from_settings(current_app.config), limits,
                                     **data)
    body = {"created": result.created, "passage_count": result.passage_count,
            "claims_kept": result.claims_kept, "claims_orphaned": result.claims_orphaned,
            "unchanged": result.unchanged, "aliases_added": result.aliases_added,
            "warnings": result.warnings, "article": article_payload(result.article_id)}
    headers = {"Location": f"/api/v1/articles/{result.article_id}"}
    return body, (201 if result.created else 200), headers


@bp.get("/articles/<int:article_id>")
@bp.response(200, ArticleOut)
@errors(401, 404, 409)
def get_article(article_id: int):
    """An article with its passages and the claims the caller may see (readers: published)."""
    require_showable(get_store(), article_id, current_app.config)
    return article_payload(article_id)


@contextlib.contextmanager
def fetch_errors():
    """A page that could not be fetched: its own status (413 too large, 415
    not HTML, else 422) and a code naming the reason, under ``url``."""
    try:
        yield
    except FetchRefused as error:
        raise ApiError(error.status, error.message, "url", error.code) from None


@bp.patch("/articles/<int:article_id>")
@require_role("factchecker")
@bp.arguments(ArticleMetadataPatch)
@bp.response(200, ArticleOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def update_article(data, article_id: int):
    """Correct an article's metadata (title, publisher, author, published_date, language);
    audited. An empty value clears a field."""
    if data.get("published_date"):
        data["published_date"] = data["published_date"].isoformat()
    get_store().update_article_metadata(article_id, data, actor())
    return article_payload(article_id)


@bp.delete("/articles/<int:article_id>")
@require_role("editor")
@bp.response(204)
@errors(401, 403, 404)
def delete_article(article_id: int):
    """Delete an article, its passages, claims and citations (editor; history stays)."""
    get_store().delete_article(article_id, actor())
    return no_content()
