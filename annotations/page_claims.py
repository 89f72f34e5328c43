"""A claim recorded on a live news page (the extension's fact-checker mode).

The fact-checker selects text on the publisher's page; the extension sends
the selection as a TextQuoteSelector taken from the page's visible text, the
page's URL and canonical URL and, for a page the desk does not know yet, the
page's HTML. An unknown page is imported from that HTML by the importer that
uploads use (main-text extraction included); the selection is then placed by
the anchoring rules every re-import and the readers' extension use
(ArticleText.locate, docs/anchoring.md). A selection that does not anchor
exactly, once, is refused: a claim is never saved on other text, and the
refusal leaves nothing written (no article either).
"""

from .anchoring import Anchor, ArticleText
from .importer import DEFAULT_LIMITS, ImportLimits, parse_article
from .models import Actor, DomainError
from .urls import url_key, validate_http_url

NOT_FOUND = ("the selected text is not in the article as the desk has it (outside the "
             "story's main text, across two paragraphs, too short to tell where it is, or "
             "the page changed since it was imported); nothing was saved")
CHANGED = ("the selected text differs from the article's text as the desk has it (the page "
           "changed since it was imported); nothing was saved")


def page_urls(url: str, canonical_url: str | None) -> list[str]:
    """The page's URL and its canonical URL, checked (http(s), bounded)."""
    urls = [validate_http_url(url, "url")]
    if canonical_url:
        urls.append(validate_http_url(canonical_url, "canonical_url"))
    return urls


def find_page_article(store, urls: list[str]) -> int | None:
    """The article a page is, by its own URL first, then its canonical URL
    (each the article's URL or one of its aliases, by URL key: tracking
    parameters and the like do not count)."""
    for url in urls:
        try:
            article_id = store.find_article_id(url_key(url))
        except DomainError:
            continue
        if article_id is not None:
            return article_id
    return None


def place_selection(text: ArticleText, exact: str, prefix: str, suffix: str) -> Anchor:
    """Where the selection stands in the article: exactly the selected words
    (whitespace aside), in one passage, told apart from any other occurrence
    by its context; DomainError under ``selector.exact`` otherwise."""
    if not exact.strip():
        raise DomainError("selector.exact", "the selection is empty")
    anchor = text.locate(exact, prefix, suffix)
    if anchor is None:
        raise DomainError("selector.exact", NOT_FOUND)
    if anchor.changed:
        raise DomainError("selector.exact", CHANGED)
    return anchor


def record_page_claim(store, actor: Actor, url: str, canonical_url: str | None,
                      html: str | None, selector: dict, verdict: str,
                      limits: ImportLimits = DEFAULT_LIMITS, **fields) -> tuple[dict, bool]:
    """The new draft claim on the selection, and whether its page was imported
    now. ``fields``: create_claim's (label, sanitised rationale, summary,
    citations)."""
    urls = page_urls(url, canonical_url)
    parsed = None
    if find_page_article(store, urls) is None:
        if html is None:
            raise DomainError("html", "the desk does not know this page yet: send its html")
        # Parsed before the write lock is taken: extraction is the slow part.
        parsed = parse_article(html, "html", "html", limits, page_url=urls[0])
    with store.transaction():
        article_id = find_page_article(store, urls)
        imported = article_id is None
        if imported:
            if parsed is None:  # the article was deleted in between
                raise DomainError("html", "the desk does not know this page yet: send its html")
            article_id = store.import_article(urls[0], parsed, actor,
                                              other_urls=urls[1:]).article_id
        passages = store.passages(article_id)
        anchor = place_selection(ArticleText([p["text"] for p in passages]), selector["exact"],
                                 selector.get("prefix") or "", selector.get("suffix") or "")
        claim = store.create_claim(passages[anchor.passage_index]["id"], anchor.start, anchor.end, verdict, actor,
                                   **fields)
    return claim, imported
