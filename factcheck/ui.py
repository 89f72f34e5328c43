"""Server-rendered pages: the article list and an article with its claims."""

from flask import Blueprint, current_app, g, render_template, request

from annotations.models import VERDICTS

from .auth import has_role
from .db import get_store
from .presenters import passage_segments

bp = Blueprint("ui", __name__)


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.route("/")
def index():
    store = get_store()
    page_size = current_app.config["PAGE_SIZE"]
    page = _page_number()
    articles = store.list_articles(limit=page_size, offset=(page - 1) * page_size)
    total = store.count_articles()
    return render_template("index.html", articles=articles, page=page,
                           has_next=page * page_size < total, total=total)


@bp.route("/articles/<int:article_id>")
def article(article_id: int):
    store = get_store()
    article = store.article(article_id)
    # Readers, logged in or not, see published claims only.
    published_only = not has_role(g.user, "factchecker")
    claims = store.claims_for_article(article_id, published_only=published_only)
    by_passage: dict[int, list] = {}
    for claim in claims:
        by_passage.setdefault(claim["passage_id"], []).append(claim)
    passages = [
        {**p, "segments": passage_segments(p["text"], by_passage.get(p["id"], []))}
        for p in store.passages(article_id)
    ]
    orphaned = [c for c in claims if c["anchor_state"] == "orphaned"]
    return render_template("article.html", article=article, passages=passages,
                           claims=claims, orphaned=orphaned, verdicts=VERDICTS)
