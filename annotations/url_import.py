"""Import by URL: fetch the page (conditionally, when the article was
fetched before), extract and split it, and import it as the URL's article.

The API, the import form and the CLI all come here, so a fetched page is
imported alike whichever way it was asked for.
"""

from .fetching import FetchedPage, FetchPolicy, fetch_page
from .importer import DEFAULT_LIMITS, ImportLimits, ParsedArticle, parse_article
from .models import SYSTEM, Actor
from .store.articles import ImportResult


def fetch_for_import(store, url: str, policy: FetchPolicy = FetchPolicy(),
                     limits: ImportLimits = DEFAULT_LIMITS
                     ) -> tuple[FetchedPage, ParsedArticle | None]:
    """The page at ``url`` and its parsed text, or (page, None) when the
    article at ``url`` was fetched before and the page answers unchanged."""
    existing = store.find_article_by_url(url)
    page = fetch_page(url, policy,
                      etag=existing["http_etag"] if existing else None,
                      last_modified=existing["http_last_modified"] if existing else None)
    if page.unchanged:
        return page, None
    return page, parse_article(page.html, "html", "url", limits, page_url=page.url)


def import_from_url(store, url: str, actor: Actor = SYSTEM, policy: FetchPolicy = FetchPolicy(),
                    limits: ImportLimits = DEFAULT_LIMITS, **metadata) -> ImportResult:
    """Fetch ``url`` and import (or re-import) it; ``metadata`` given by the
    caller wins over what the page says. An unchanged page (HTTP 304) only
    has its fetch time recorded."""
    page, parsed = fetch_for_import(store, url, policy, limits)
    if parsed is None:
        article = store.find_article_by_url(url)
        store.record_unchanged_fetch(article["id"], page.record())
        return ImportResult(article["id"], False, store.article_size(article["id"])["passages"],
                            unchanged=True)
    return store.import_article(url, parsed, actor, fetched=page.record(),
                                other_urls=[page.url], **metadata)
