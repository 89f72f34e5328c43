"""JSON API under /api/v1: validate with a schema, call the store, dump with a schema."""

from flask import Blueprint, g, request

from .auth import has_role
from .db import get_store
from .errors import json_error
from .schemas import ArticleOut, ArticlePageOut, PageArgs

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/articles")
def list_articles():
    args = PageArgs().load(request.args.to_dict())
    store = get_store()
    items = store.list_articles(limit=args["limit"], offset=args["offset"])
    return ArticlePageOut().dump({"items": items, "total": store.count_articles(), **args})


@bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    store = get_store()
    article = store.article(article_id)
    published_only = not has_role(g.user, "factchecker")
    claims = store.claims_for_article(article_id, published_only=published_only)
    return ArticleOut().dump({
        **article, "passages": store.passages(article_id), "claims": claims,
        "claim_count": len(claims),
        "published_count": sum(c["status"] == "published" for c in claims),
    })


@bp.route("/<path:unknown>", methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown_endpoint(unknown):
    return json_error(404, f"no API endpoint at /api/v1/{unknown}")
