"""The readers' private lookup: GET /api/v1/lookup/{prefix}.

A bucket of published articles by the first hex digits of their URL keys'
SHA-256 (annotations/lookup.py, docs/lookup.md): the extension asks for the
bucket its page hashes into, and the service never learns the page. A
bucket depends only on published data, so any HTTP cache may keep it: a
strong ETag from its bytes, public, a short max-age and
stale-while-revalidate (nginx in deploy/ serves it from its cache).

Each bucket is rendered once and kept in the database (store.buckets) until
an article in it changes; a kept bucket is answered by ``BucketAnswers``
below, in front of Flask, with one indexed read.
"""

import functools
import gzip
import hashlib
import json
import sqlite3

from flask import current_app, request
from werkzeug.http import parse_accept_header, parse_etags

from annotations.lookup import PREFIX_HEX_DIGITS, is_bucket_prefix
from annotations.store import Store
from annotations.store.buckets import RenderedBucket

from ..db import get_store, read_kept
from ..errors import ApiError
from ..schemas import LookupOut, schema
from . import bp
from .helpers import errors
from .reader import answer_headers, answers_preflight, highlights_body, public

PATH = "/api/v1/lookup/"
GZIP_ETAG_SUFFIX = "-gz"
LOOKUP_HEADERS = {"ETag": {"schema": {"type": "string"}},
                  "Cache-Control": {"schema": {"type": "string"}}}


def cache_control(config) -> str:
    return (f"public, max-age={config['LOOKUP_MAX_AGE']},"
            f" stale-while-revalidate={config['LOOKUP_STALE_WHILE_REVALIDATE']}")


def lookup_headers(config, etag: str, body: bytes = b"", gzipped: bool = False
                   ) -> list[tuple[str, str]]:
    # Vary on every answer: a cache must not give the gzipped copy to a
    # client that did not ask for it.
    headers = [*answer_headers(etag, body, cache_control(config)), ("Vary", "Accept-Encoding")]
    if body:
        headers.append(("Content-Length", str(len(body))))
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
    return headers


def _fields(declared) -> tuple:
    """A schema's field names, nested ones included: the answer's shape."""
    shape = []
    for name, field in sorted(declared.fields.items()):
        inner = getattr(field, "inner", field)
        nested = getattr(inner, "schema", None)
        shape.append((name, _fields(nested) if nested is not None else ()))
    return tuple(shape)


def bucket_variant(config) -> str:
    """What a kept rendering depends on besides the data: the settings that
    change it, and the answer's shape (a deploy that adds a field renders
    every bucket again rather than serve the old shape)."""
    made_of = (config["RETRACTED_CLAIMS"], _fields(schema(LookupOut)))
    return hashlib.sha256(repr(made_of).encode()).hexdigest()[:16]


def render_bucket(prefix: str) -> RenderedBucket:
    """The bucket as readers see it now: JSON, its strong ETag, and gzipped
    (a bucket is 15 kB at the median with 1M claims, a tenth of that gzipped;
    browsers always ask for gzip)."""
    entries, bodies = [], {}
    for hashed, article_id in get_store().bucket_members(prefix):
        if article_id not in bodies:
            bodies[article_id] = highlights_body(article_id)
        body = bodies[article_id]
        if body["claims"]:  # every claim retracted and hidden: nothing to show
            entries.append({"hash": hashed, **body})
    rendered = json.dumps(schema(LookupOut).dump({"prefix": prefix, "entries": entries}),
                          ensure_ascii=False, separators=(",", ":")).encode()
    # mtime=0: the same bucket gzips to the same bytes, whenever rendered.
    return RenderedBucket(hashlib.sha256(rendered).hexdigest()[:32], rendered,
                          gzip.compress(rendered, compresslevel=6, mtime=0))


@functools.lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether Accept-Encoding allows gzip (memoised: browsers send one of a
    few strings, and this is the hot path)."""
    return parse_accept_header(accept_encoding)["gzip"] > 0


def _answer(config, bucket: RenderedBucket, if_none_match: str | None,
            accept_encoding: str | None):
    """(status, headers, body) for a kept bucket: gzipped when the client
    accepts it, with an ETag of its own (RFC 9110: a strong ETag names one
    representation)."""
    gzipped = accepts_gzip(accept_encoding)
    etag, body = ((bucket.etag + GZIP_ETAG_SUFFIX, bucket.gzipped) if gzipped
                  else (bucket.etag, bucket.body))
    # Weak comparison, as RFC 9110 asks for If-None-Match.
    if parse_etags(if_none_match).contains_weak(etag):
        return "304 NOT MODIFIED", lookup_headers(config, etag), b""
    return "200 OK", lookup_headers(config, etag, body, gzipped), body


@bp.route("/lookup/<prefix>", methods=("GET", "OPTIONS"))
@public
@answers_preflight
@bp.response(200, LookupOut, headers=LOOKUP_HEADERS)
@errors(304, 422)
def lookup(prefix: str):
    """The bucket of published articles whose URL-key SHA-256 starts with
    `prefix` (4 lower-case hex digits): the private lookup readers use
    (public, CORS, cacheable; see docs/lookup.md)."""
    if not is_bucket_prefix(prefix):
        raise ApiError(422, f"a bucket prefix is {PREFIX_HEX_DIGITS} lower-case hex digits",
                       "prefix", "invalid")
    config = current_app.config
    bucket = get_store().render_bucket(prefix, bucket_variant(config),
                                       lambda: render_bucket(prefix))
    status, headers, payload = _answer(config, bucket, request.headers.get("If-None-Match"),
                                       request.headers.get("Accept-Encoding"))
    return current_app.response_class(payload, status=status, headers=headers)


class BucketAnswers:
    """WSGI fast path: a kept bucket is answered here, without a request
    context, hooks or routing; anything else (a bucket not rendered yet, a
    bad prefix, OPTIONS) goes on to Flask."""

    def __init__(self, flask_app, wsgi_app):
        self.flask_app = flask_app
        self.wsgi_app = wsgi_app
        self.variant = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PATH) and environ.get("REQUEST_METHOD") == "GET":
            prefix = path[len(PATH):]
            if is_bucket_prefix(prefix):
                config = self.flask_app.config
                if self.variant is None:
                    self.variant = bucket_variant(config)
                try:
                    kept = read_kept(config["DATABASE"],
                                     lambda db: Store(db).rendered_bucket(prefix, self.variant))
                except sqlite3.Error:
                    kept = None  # (not migrated yet, say) Flask answers with its error
                if kept is not None:
                    status, headers, body = _answer(config, kept,
                                                    environ.get("HTTP_IF_NONE_MATCH"),
                                                    environ.get("HTTP_ACCEPT_ENCODING"))
                    start_response(status, headers)
                    return [body]
        return self.wsgi_app(environ, start_response)
