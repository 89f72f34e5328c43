"""Articles: import, list, read, delete."""

from flask import g, request

from annotations.importer import parse_article

from ..auth import sees_drafts
from ..db import get_store
from ..schemas import (ArticleImportIn, ArticleListArgs, ArticleOut, ArticlePageOut, ImportOut,
                       schema)
from . import bp
from .helpers import actor, json_body, require_role


def _published_only() -> bool:
    return not sees_drafts(g.get("user"))


def article_payload(article_id: int) -> dict:
    store = get_store()
    published_only = _published_only()
    article = store.article(article_id)
    claims = store.claims_for_article(article_id, published_only=published_only)
    counts = {f"{v}_count": sum(c["verdict"] == v for c in claims)
              for v in ("verified", "denied", "unverified")}
    return {**article, **counts, "passages": store.passages(article_id), "claims": claims,
            "claim_count": len(claims),
            "published_count": sum(c["status"] == "published" for c in claims)}


@bp.get("/articles")
def list_articles():
    """List articles, newest first.
    ---
    get:
      summary: List articles with claim counts; filter by verdict, status, text
      parameters:
      - in: query
        schema: ArticleListArgs
      responses:
        200:
          content:
            application/json:
              schema: ArticlePageOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    args = schema(ArticleListArgs).load(request.args.to_dict())
    page = {k: args.pop(k) for k in ("limit", "offset")}
    store = get_store()
    filters = {**args, "published_only": _published_only()}
    items = store.list_articles(**page, **filters)
    total = store.count_articles(**filters)
    return schema(ArticlePageOut).dump({"items": items, "total": total, **page})


@bp.post("/articles")
@require_role("factchecker")
def import_article():
    """Import an article from text or HTML; re-importing a URL updates it.
    ---
    post:
      summary: Import an article (text or html); re-import keeps claims
      requestBody:
        content:
          application/json:
            schema: ArticleImportIn
      responses:
        201:
          description: created
          content:
            application/json:
              schema: ImportOut
        200:
          description: an article with this URL existed and was updated
          content:
            application/json:
              schema: ImportOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    data = json_body(schema(ArticleImportIn))
    if "html" in data:
        parsed = parse_article(data.pop("html"), "html", "html")
    else:
        parsed = parse_article(data.pop("text"), "text", "text")
    if data.get("published_date"):
        data["published_date"] = data["published_date"].isoformat()
    result = get_store().import_article(data.pop("url"), parsed, actor(), **data)
    body = schema(ImportOut).dump({
        "created": result.created, "passage_count": result.passage_count,
        "claims_kept": result.claims_kept, "claims_orphaned": result.claims_orphaned,
        "article": article_payload(result.article_id)})
    headers = {"Location": f"/api/v1/articles/{result.article_id}"}
    return body, (201 if result.created else 200), headers


@bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    """One article with its passages and the claims the caller may see.
    ---
    get:
      summary: An article with passages and claims (published only for readers)
      parameters:
      - in: path
        name: article_id
        schema: {type: integer}
        required: true
      responses:
        200:
          content:
            application/json:
              schema: ArticleOut
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    return schema(ArticleOut).dump(article_payload(article_id))


@bp.delete("/articles/<int:article_id>")
@require_role("editor")
def delete_article(article_id: int):
    """Delete an article, its passages, claims and citations (history stays).
    ---
    delete:
      summary: Delete an article (editor)
      parameters:
      - in: path
        name: article_id
        schema: {type: integer}
        required: true
      responses:
        204:
          description: deleted
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    get_store().delete_article(article_id, actor())
    return "", 204
