"""Turning an uploaded file or pasted text into an article's passages.

What one import may create is bounded (ImportLimits): every page, fragment
and API answer about an article lists all its passages, so an article of a
million one-word lines would make each of them run for minutes. The limits
are checked as the content is split, stopping at the first one passed, and
refused with a DomainError naming the limit and its value.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from .extraction import PageMetadata, extract_page, is_full_document
from .markup_guard import count_tags
from .models import DomainError, Passage
from .splitting import (MAX_HTML_DEPTH, MAX_HTML_TAGS, TooMuchMarkup, iter_text_passages,
                        looks_like_html, split_html)
from .text import normalize_text

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Long-reads have a few hundred passages and none near 20,000 characters;
# an article page of 20,000 short passages still renders in about a second.
MAX_PASSAGES = 20_000
MAX_PASSAGE_CHARS = 20_000


@dataclass(frozen=True)
class ImportLimits:
    """What one import may be and create; the app's settings of the same
    names (FACTCHECK_MAX_PASSAGES=...) override the defaults."""
    max_import_bytes: int = MAX_IMPORT_BYTES
    max_passages: int = MAX_PASSAGES
    max_passage_chars: int = MAX_PASSAGE_CHARS
    max_html_tags: int = MAX_HTML_TAGS
    max_html_depth: int = MAX_HTML_DEPTH

    @classmethod
    def from_settings(cls, settings) -> "ImportLimits":
        """The limits from a mapping of upper-case setting names (a Flask
        config), defaults for those it lacks."""
        names = cls.__dataclass_fields__
        return cls(**{name: int(settings[name.upper()]) for name in names
                      if settings.get(name.upper()) is not None})


DEFAULT_LIMITS = ImportLimits()
_TEXT_CONTROL_CHARS = {"\t", "\n", "\r", "\f"}


@dataclass
class ParsedArticle:
    passages: list[Passage]
    title: str = ""
    format: str = "text"
    warnings: list[str] = field(default_factory=list)
    # What a full page says about itself (extraction.py); empty otherwise.
    metadata: PageMetadata = field(default_factory=PageMetadata)


def decode_upload(data: bytes, field_name: str = "file", limit: int = MAX_IMPORT_BYTES) -> str:
    """Bytes of an uploaded article to text, refusing what is not a text file."""
    if len(data) > limit:
        raise DomainError(field_name, f"file is larger than {limit // (1024 * 1024)} MB")
    if not data.strip():
        raise DomainError(field_name, "file is empty")
    if b"\x00" in data:
        raise DomainError(field_name, "file is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(
            field_name, f"file is not valid UTF-8 (bad byte at position {error.start})"
        ) from None
    control = sum(1 for c in text[:4096] if ord(c) < 32 and c not in _TEXT_CONTROL_CHARS)
    if control > 8:
        raise DomainError(field_name, "file is binary, not text")
    return text


def parse_article(content: str, content_format: str = "auto", field_name: str = "text",
                  limits: ImportLimits = DEFAULT_LIMITS,
                  page_url: str | None = None) -> ParsedArticle:
    """Split text or HTML into passages; refuses content with no text, and
    content past one of ``limits``.

    A full HTML page (not a fragment) is first reduced to its main text and
    metadata by extraction.py; ``page_url`` resolves its relative links."""
    if not isinstance(content, str):
        raise DomainError(field_name, "content must be a string")
    if "\x00" in content:
        raise DomainError(field_name, "content is binary, not text")
    if len(content.encode("utf-8", "surrogatepass")) > limits.max_import_bytes:
        raise DomainError(field_name, f"content is larger than {_size(limits.max_import_bytes)}")
    if content_format == "auto":
        content_format = "html" if looks_like_html(content) else "text"
    metadata = PageMetadata()
    if content_format == "html":
        try:
            passages, title, metadata = _split_page(content, limits, page_url)
        except TooMuchMarkup as error:
            raise DomainError(field_name, _markup_message(error)) from None
    elif content_format == "text":
        passages, title = iter_text_passages(content), ""
    else:
        raise DomainError("format", "format must be text, html or auto")
    passages = check_passage_limits(passages, limits, field_name)
    if not passages:
        raise DomainError(field_name, "no text found to import")
    return ParsedArticle(passages=passages, title=normalize_text(title), format=content_format,
                         metadata=metadata)


def _split_page(html: str, limits: ImportLimits,
                page_url: str | None) -> tuple[list[Passage], str, PageMetadata]:
    """Passages, title and metadata of HTML: a full page through the
    extractor, then the splitter; a fragment (or a page the extractor finds
    no story in) through the splitter alone."""
    if is_full_document(html):
        # The same bound the splitter puts on markup, before lxml parses it.
        if count_tags(html, limits.max_html_tags) > limits.max_html_tags:
            raise TooMuchMarkup("tags", limits.max_html_tags)
        page = extract_page(html, page_url)
        if page is not None:
            passages, _ = split_html(page.html, limits.max_html_tags, limits.max_html_depth)
            if passages:
                return _with_headline(passages, page.metadata.title), page.metadata.title, \
                    page.metadata
    passages, title = split_html(html, limits.max_html_tags, limits.max_html_depth)
    return passages, title, PageMetadata()


def _with_headline(passages: list[Passage], headline: str) -> list[Passage]:
    """The story's headline as its first passage: the extractor keeps it as
    metadata only, and a headline is often the claim a fact-check is about."""
    if headline and normalize_text(passages[0].text) != headline:
        return [Passage("heading", headline), *passages]
    return passages


def check_passage_limits(passages: Iterable[Passage], limits: ImportLimits,
                   field_name: str) -> list[Passage]:
    """The passages as a list, refused at the first one past a limit (and
    without reading further when they come from a generator)."""
    taken = list(itertools.islice(passages, limits.max_passages + 1))
    if len(taken) > limits.max_passages:
        raise DomainError(field_name, f"the article has more than {limits.max_passages} "
                                      f"passages (the limit, max_passages)")
    for number, passage in enumerate(taken, 1):
        if len(passage.text) > limits.max_passage_chars:
            raise DomainError(field_name, f"passage {number} is longer than "
                                          f"{limits.max_passage_chars} characters "
                                          f"(the limit, max_passage_chars)")
    return taken


def _markup_message(error: TooMuchMarkup) -> str:
    if error.what == "depth":
        return (f"the HTML nests elements more than {error.limit} deep "
                f"(the limit, max_html_depth)")
    return (f"the HTML has more than {error.limit} tags and character references "
            f"(the limit, max_html_tags)")


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"
