"""The readers' endpoint: published claims for the page a reader is on.

Public: no cookies, any origin (CORS without credentials), cacheable for a
minute, with an ETag so an unchanged answer costs a 304.
"""

import hashlib

from flask import Response, jsonify, request

from annotations.models import DomainError
from annotations.urls import is_local_url, url_key

from ..db import get_store
from ..schemas import AliasIn, AliasOut, HighlightsArgs, HighlightsOut, schema
from . import bp
from .helpers import actor, json_body, require_role

CACHE_CONTROL = "public, max-age=60"


def public(view):
    """Mark a view as public: no session is read, so no Vary: Cookie."""
    view.public = True
    return view


def _cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _article_for(url: str) -> int | None:
    # Our own machine's pages are never the published article.
    if is_local_url(url):
        return None
    try:
        key = url_key(url)
    except DomainError:
        return None
    return get_store().article_id_for_key(key)


def _highlights_body(url: str, article_id: int | None) -> dict:
    if article_id is None:
        return {"url": url, "article": None, "claims": []}
    view = get_store().reader_view(article_id)
    article = view["article"]
    claims = [{
        **claim,
        "selector": claim,
        "passage_position": {"start": claim["start_offset"], "end": claim["end_offset"]},
    } for claim in view["claims"] if claim["anchor_state"] == "anchored"]
    return {"url": url, "claims": claims, "article": {
        "id": article["id"], "title": article["title"], "url": article["url"],
        "publisher": article["publisher"], "updated_at": article["updated_at"],
        "text_length": view["text_length"]}}


@bp.route("/highlights", methods=("GET", "OPTIONS"))
@public
def highlights():
    """Published claims for a page URL; an unknown URL gets an empty list.
    ---
    get:
      summary: Published claims for the page at `url` (public, CORS, cacheable)
      parameters:
      - in: query
        schema: HighlightsArgs
      responses:
        200:
          headers:
            ETag: {schema: {type: string}}
            Cache-Control: {schema: {type: string}}
          content:
            application/json:
              schema: HighlightsOut
        304:
          description: unchanged since the ETag sent in If-None-Match
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    args = schema(HighlightsArgs).load(request.args.to_dict())
    url = args["url"]
    article_id = _article_for(url)
    # The ETag comes from a small query, so an unchanged page costs no more.
    fingerprint = get_store().published_fingerprint(article_id) if article_id else ()
    etag = hashlib.sha256(repr((article_id, fingerprint)).encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(schema(HighlightsOut).dump(_highlights_body(url, article_id)))
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return _cors(response)


@bp.get("/articles/<int:article_id>/aliases")
@require_role("factchecker")
def list_aliases(article_id: int):
    """Other URLs of an article.
    ---
    get:
      summary: List an article's alias URLs
      parameters:
      - {in: path, name: article_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: AliasOut
    """
    return schema(AliasOut, many=True).dump(get_store().aliases(article_id))


@bp.post("/articles/<int:article_id>/aliases")
@require_role("editor")
def add_alias(article_id: int):
    """Add a URL under which the article is also published.
    ---
    post:
      summary: Add an alias URL (editor)
      parameters:
      - {in: path, name: article_id, schema: {type: integer}, required: true}
      requestBody:
        content:
          application/json:
            schema: AliasIn
      responses:
        201:
          content:
            application/json:
              schema: AliasOut
        422:
          content:
            application/json:
              schema: ErrorOut
    """
    data = json_body(schema(AliasIn))
    return schema(AliasOut).dump(get_store().add_alias(article_id, data["url"], actor())), 201


@bp.delete("/articles/<int:article_id>/aliases/<int:alias_id>")
@require_role("editor")
def remove_alias(article_id: int, alias_id: int):
    """Remove an alias URL.
    ---
    delete:
      summary: Remove an alias URL (editor)
      parameters:
      - {in: path, name: article_id, schema: {type: integer}, required: true}
      - {in: path, name: alias_id, schema: {type: integer}, required: true}
      responses:
        204:
          description: removed
    """
    get_store().remove_alias(article_id, alias_id, actor())
    return "", 204
