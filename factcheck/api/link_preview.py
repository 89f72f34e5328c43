"""A source's title and publisher read from the page its URL leads to, for
the claim panel's source rows. The page is fetched by the same safe fetcher
as import by URL (annotations/fetching.py: no private hosts unless the desk
allows them, redirects checked hop by hop, bounded size and time)."""

from dataclasses import replace

from flask import current_app

from annotations.extraction import link_metadata
from annotations.fetching import FetchPolicy, fetch_page

from ..schemas.link_preview import LinkPreviewArgs, LinkPreviewOut
from . import bp
from .articles import fetch_errors
from .helpers import errors, require_role

# Someone is waiting with the form open: a preview gives up sooner, and reads
# less, than an import (a title sits at the top of the page).
PREVIEW_TOTAL_TIMEOUT = 8.0
PREVIEW_MAX_BYTES = 2 * 1024 * 1024


def preview_policy(settings) -> FetchPolicy:
    policy = FetchPolicy.from_settings(settings)
    return replace(policy, total_timeout=min(policy.total_timeout, PREVIEW_TOTAL_TIMEOUT),
                   read_timeout=min(policy.read_timeout, PREVIEW_TOTAL_TIMEOUT),
                   max_bytes=min(policy.max_bytes, PREVIEW_MAX_BYTES))


@bp.get("/link-preview")
@require_role("factchecker")
@bp.arguments(LinkPreviewArgs, location="query")
@bp.response(200, LinkPreviewOut)
@errors(401, 403, 413, 415, 422)
def link_preview(args):
    """Fetch the page at ``url`` and answer its title and publisher (site name). A URL
    that may not be fetched (not http(s), a private or loopback host, not HTML, too
    large, too slow, an HTTP error) answers 4xx naming ``url``; nothing is stored."""
    with fetch_errors():
        page = fetch_page(args["url"], preview_policy(current_app.config))
    metadata = link_metadata(page.html, page.url)
    return {"url": args["url"].strip(), "final_url": page.url, "title": metadata.title,
            "publisher": metadata.publisher}
