"""The readers' endpoint: published claims for the page a reader is on.

Public: no cookies, any origin (CORS without credentials), cacheable for a
minute, with an ETag so an unchanged answer costs a 304.
"""

import functools
import hashlib
import json
from urllib.parse import parse_qsl

from flask import Response, current_app, request
from werkzeug.http import parse_etags, quote_etag

from annotations.claimreview import review_path
from annotations.models import DomainError
from annotations.urls import MAX_URL_LENGTH, is_local_url, url_key

from ..db import data_version, database_version, get_store
from ..security import SECURITY_HEADERS
from ..schemas import AliasIn, AliasOut, HighlightsArgs, HighlightsOut, schema
from . import bp
from .helpers import actor, errors, no_content, require_role
from .response_cache import CachedAnswer, ResponseCache

CACHE_CONTROL = "public, max-age=60"


def public(view):
    """Mark a view as public: no session is read, so no Vary: Cookie."""
    view.public = True
    return view


def answers_preflight(view):
    """A CORS preflight (OPTIONS) is answered before any argument is parsed."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.method == "OPTIONS":
            return _answer(204)
        return view(*args, **kwargs)
    return wrapped


CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, OPTIONS"),
    ("Access-Control-Allow-Headers", "If-None-Match"),
    ("Access-Control-Expose-Headers", "ETag"),
    ("Access-Control-Max-Age", "86400"),
]


def answer_headers(etag: str | None, body: bytes = b"",
                   cache_control: str = CACHE_CONTROL) -> list[tuple[str, str]]:
    """Every header of a readers' answer (highlights, lookup buckets), built
    in one go: these are the hot paths, and werkzeug's one-by-one header
    updates show in their profile."""
    headers = [*CORS_HEADERS, *SECURITY_HEADERS, ("Cache-Control", cache_control)]
    if etag:
        headers.append(("ETag", quote_etag(etag)))
    if body:
        headers.append(("Content-Type", "application/json"))
    return headers


def _answer(status: int, body: bytes = b"", etag: str | None = None) -> Response:
    return Response(body, status=status, headers=answer_headers(etag, body))


class CachedAnswers:
    """WSGI fast path in front of Flask: a repeated readers' request whose
    answer is already cached (and the database unchanged since) is answered
    here, without a request context, hooks or routing. Anything else, a
    first request included, goes to Flask, whose view fills the cache."""

    PATH = "/api/v1/highlights"

    def __init__(self, flask_app, wsgi_app):
        self.flask_app = flask_app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == self.PATH and environ.get("REQUEST_METHOD") == "GET":
            answered = self._from_cache(environ, start_response)
            if answered is not None:
                return answered
        return self.wsgi_app(environ, start_response)

    def _from_cache(self, environ, start_response):
        cache = self.flask_app.extensions.get("reader_cache")
        url = _only_url_argument(environ.get("QUERY_STRING", ""))
        # Anything the view would refuse (422) is the view's to answer.
        if cache is None or url is None or not 0 < len(url) <= MAX_URL_LENGTH:
            return None
        answer = cache.get(database_version(self.flask_app.config["DATABASE"]), cache_key(url))
        if answer is None:
            return None
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(answer.etag):
            start_response("304 NOT MODIFIED", answer_headers(answer.etag))
            return [b""]
        if answer.body is None:
            return None
        body = with_url(url, answer.body)
        headers = answer_headers(answer.etag, body)
        headers.append(("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        return [body]


def _only_url_argument(query_string: str) -> str | None:
    """The ``url`` argument when it is the only one, decoded as werkzeug
    decodes request.args (so both paths see the same URL), else None."""
    try:
        args = parse_qsl(query_string.encode("latin-1").decode(), keep_blank_values=True,
                         errors="werkzeug.url_quote")
    except UnicodeError:
        return None
    if len(args) != 1 or args[0][0] != "url":
        return None
    return args[0][1]


def cache_key(url: str) -> str:
    """The answer cache's key for a page: its URL key, so that the variants of
    one URL (tracking parameters, case, fragment) share one entry. Malformed
    URLs, which are no article's, all share the key ""."""
    try:
        return url_key(url)
    except DomainError:
        return ""


def with_url(url: str, rest: bytes) -> bytes:
    """The answer's JSON: the requested URL, echoed first, then the rest
    (cached once per page, without the URL, see render_rest)."""
    return b'{"url":' + json.dumps(url, ensure_ascii=False).encode() + b"," + rest


def render_rest(body: dict) -> bytes:
    """The answer's JSON after its opening ``{"url":…,``."""
    rendered = json.dumps(schema(HighlightsOut).dump(body), ensure_ascii=False,
                          separators=(",", ":")).encode()
    return rendered[1:]  # without "{"


def _article_for(url: str, key: str) -> int | None:
    # Our own machine's pages are never the published article; whether a
    # page is local depends on its host only, which its key keeps.
    if not key or is_local_url(url):
        return None
    return get_store().find_article_id(key)


def highlights_body(article_id: int | None) -> dict:
    """The answer without the echoed URL, the same for every URL of a page."""
    if article_id is None:
        return {"article": None, "claims": []}
    view = get_store().reader_view(article_id)
    article = view["article"]
    claims = [{
        **claim,
        "selector": claim,
        "passage_position": {"start": claim["start_offset"], "end": claim["end_offset"]},
        # Relative, so one cached answer serves every Host the service has.
        "review_url": review_path(claim["id"]),
    } for claim in view["claims"] if claim["anchor_state"] == "anchored"]
    return {"claims": claims, "article": {
        "id": article["id"], "title": article["title"], "url": article["url"],
        "publisher": article["publisher"], "updated_at": article["updated_at"],
        "text_length": view["text_length"]}}


HIGHLIGHT_HEADERS = {"ETag": {"schema": {"type": "string"}},
                     "Cache-Control": {"schema": {"type": "string"}}}


@bp.route("/highlights", methods=("GET", "OPTIONS"))
@public
@answers_preflight
@bp.arguments(HighlightsArgs, location="query")
@bp.response(200, HighlightsOut, headers=HIGHLIGHT_HEADERS)
@errors(304, 422)
def highlights(args):
    """Published claims for the page at `url`, [] when unknown (public, CORS, cacheable)."""
    cache = _cache()
    version = data_version()
    url = args["url"]
    key = cache_key(url)
    answer = cache.get(version, key)
    if answer is None:
        article_id = _article_for(url, key)
        # The ETag comes from a small query, so an unchanged page costs no more.
        fingerprint = get_store().published_fingerprint(article_id) if article_id else ()
        # The setting too: a restart that hides retracted claims changes the answer.
        shown = (article_id, fingerprint, current_app.config["RETRACTED_CLAIMS"])
        etag = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
        answer = CachedAnswer(etag, article_id)
        cache.put(version, key, answer)
    # Weak comparison, as RFC 9110 asks for If-None-Match: a proxy that
    # compresses the answer turns the ETag into W/"…".
    if request.if_none_match.contains_weak(answer.etag):
        return _answer(304, etag=answer.etag)
    if answer.body is None:
        answer = CachedAnswer(answer.etag, answer.article_id,
                              render_rest(highlights_body(answer.article_id)))
        cache.put(version, key, answer)
    return _answer(200, with_url(url, answer.body), answer.etag)


def _cache() -> ResponseCache:
    app = current_app
    if "reader_cache" not in app.extensions:
        app.extensions["reader_cache"] = ResponseCache(app.config["READER_CACHE_BYTES"])
    return app.extensions["reader_cache"]


@bp.get("/articles/<int:article_id>/aliases")
@require_role("factchecker")
@bp.response(200, schema(AliasOut, many=True))
@errors(401, 403, 404)
def list_aliases(article_id: int):
    """Other URLs under which an article is published."""
    return get_store().aliases(article_id)


@bp.post("/articles/<int:article_id>/aliases")
@require_role("editor")
@bp.arguments(AliasIn)
@bp.response(201, AliasOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def add_alias(data, article_id: int):
    """Add a URL under which the article is also published (editor)."""
    return get_store().add_alias(article_id, data["url"], actor()), 201


@bp.delete("/articles/<int:article_id>/aliases/<int:alias_id>")
@require_role("editor")
@bp.response(204)
@errors(401, 403, 404)
def remove_alias(article_id: int, alias_id: int):
    """Remove an alias URL (editor)."""
    get_store().remove_alias(article_id, alias_id, actor())
    return no_content()
