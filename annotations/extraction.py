"""The main text and metadata of a full HTML page (a saved or fetched news
page), before the splitter turns the text into passages.

trafilatura finds the article's container and drops what is not the story
inside and around it (navigation, ad slots, "Read more" boxes, share bars,
newsletter forms, paywall boxes, comments, footers), and reads the headline
without the site's suffix, authors, date, site name and canonical URL from
the page's meta tags, JSON-LD and markup. Compared with readability-lxml and
jusText on the pages in tests/fixtures/pages/ it was the only one that
dropped all of those boxes while keeping every paragraph, and the only one
that reads authors, dates, site names and canonical URLs (README,
"Importing").

Its output is HTML again: the splitter (splitting.split_html, through bleach)
still decides the passages, so a page and a fragment are split alike.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import build_html_output
from trafilatura.settings import use_config

from .models import DomainError
from .splitting import looks_like_html
from .text import normalize_text
from .urls import validate_http_url

# A whole document rather than a fragment: only a page has a <head>, meta
# tags and boilerplate around the story worth extracting from. It starts as
# one (after an XML declaration and comments, skipped by _document_start: a
# regular expression for them backtracks badly).
_DOCUMENT_START = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
# lxml refuses a str that declares an encoding (XHTML served as such).
_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*>")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Subscription gates ("Subscribe to keep reading") sit inside the article
# container, and trafilatura's default mode keeps them; its precision mode
# drops them but also drops short lists of the story. Matched on class or
# id, case-insensitively.
_GATE_WORDS = ("paywall", "subscribe", "subscription", "regwall")
_LOWER = "translate(concat(@class, ' ', @id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', " \
         "'abcdefghijklmnopqrstuvwxyz')"
PRUNED_XPATHS = [f"//*[self::div or self::section or self::aside or self::form]"
                 f"[contains({_LOWER}, '{word}')]" for word in _GATE_WORDS]
# trafilatura falls back to a dump of the whole page's text when its
# extraction is shorter than MIN_EXTRACTED_SIZE (250 characters): a short
# story came out as one passage with its inline words on lines of their own.
# Never: a page it finds no story in goes to the splitter whole instead.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
# Field sizes the API accepts for the same metadata (schemas ArticleImportIn).
_MAX_TITLE, _MAX_NAME, _MAX_URL = 500, 200, 2048


@dataclass
class PageMetadata:
    title: str = ""
    author: str = ""
    published_date: str | None = None
    publisher: str = ""
    language: str = ""
    canonical_url: str | None = None

    def article_fields(self) -> dict:
        """The fields the store keeps on the article (not the canonical URL,
        which becomes an alias)."""
        return {k: v for k, v in (("title", self.title), ("author", self.author),
                                  ("published_date", self.published_date),
                                  ("publisher", self.publisher), ("language", self.language))
                if v}


@dataclass
class ExtractedPage:
    """The story's HTML (for split_html) and what the page says about it."""
    html: str
    metadata: PageMetadata = field(default_factory=PageMetadata)


def is_full_document(content: str) -> bool:
    head = content[:20000]
    return bool(_DOCUMENT_START.match(head, _document_start(head))) and looks_like_html(content)


def _document_start(text: str) -> int:
    """Where the markup starts, past a BOM, an XML declaration, comments
    and white space."""
    position = 0
    while True:
        while position < len(text) and (text[position].isspace() or text[position] == "\ufeff"):
            position += 1
        if text.startswith("<?xml", position):
            end = text.find(">", position)
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
            end = end + 2 if end >= 0 else -1
        else:
            return position
        if end < 0:
            return position
        position = end + 1


def extract_page(html: str, page_url: str | None = None) -> ExtractedPage | None:
    """The main text and metadata of a full page, or None when the extractor
    finds no story in it (the caller then splits the whole page)."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None
    # Read before trafilatura, which prunes the tree it is given.
    language = _page_language(tree)
    canonical = _declared_canonical(tree)
    document = trafilatura.bare_extraction(
        tree, url=page_url, with_metadata=True, include_comments=False, include_tables=True,
        include_formatting=True, prune_xpath=PRUNED_XPATHS, config=_CONFIG,
        # The page's own dates only; guessing from running text finds
        # "last week"'s date as often as the story's.
        date_extraction_params={"extensive_search": False, "original_date": True})
    if document is None or document.body is None or not len(document.body):
        return None
    metadata = PageMetadata(
        title=_clip(document.title, _MAX_TITLE),
        # Several authors come as "A; B".
        author=_clip(", ".join(a.strip() for a in (document.author or "").split(";")
                               if a.strip()), _MAX_NAME),
        published_date=document.date if _DATE.match(document.date or "") else None,
        publisher=_clip(document.sitename, _MAX_NAME),
        language=language,
        canonical_url=_canonical_url(canonical or document.url, page_url))
    return ExtractedPage(build_html_output(document), metadata)


def link_metadata(html: str, page_url: str | None = None) -> PageMetadata:
    """What any page says about itself (title, site name), for a source's
    link preview: unlike extract_page it needs no story, so a data table or
    a report's landing page has its title read too."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return PageMetadata()
    # extensive=False: dates are not wanted here, and their search is the slow part.
    document = trafilatura.extract_metadata(tree, default_url=page_url, extensive=False)
    return PageMetadata(title=_clip(document.title, _MAX_TITLE),
                        publisher=_clip(document.sitename, _MAX_NAME))


def _clip(value: str | None, limit: int) -> str:
    text = normalize_text(value or "")
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _page_language(tree) -> str:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta"):
        name = (meta.get("http-equiv") or meta.get("property") or "").lower()
        if name in ("content-language", "og:locale"):
            candidates.append(meta.get("content"))
    for value in candidates:
        value = (value or "").strip().replace("_", "-")
        if _LANGUAGE_TAG.match(value) and len(value) <= 35:
            return value
    return ""


def _declared_canonical(tree) -> str | None:
    """<link rel=canonical>, else og:url. trafilatura reads them too, but
    puts the page's own URL first when it is given one."""
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    for meta in tree.iterfind(".//meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return meta.get("content")
    return None


def _canonical_url(found: str | None, page_url: str | None) -> str | None:
    """The page's canonical (or og:) URL made absolute, if it is http(s)."""
    if not found:
        return None
    url = urljoin(page_url or "", found.strip())
    if len(url) > _MAX_URL:
        return None
    try:
        return validate_http_url(url)
    except DomainError:
        return None
