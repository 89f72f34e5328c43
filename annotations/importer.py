"""Turning an uploaded file or pasted text into an article's passages."""

from dataclasses import dataclass, field

from .models import DomainError, Passage
from .splitting import looks_like_html, split_html, split_text
from .text import normalize_text

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_TEXT_CONTROL_CHARS = {"\t", "\n", "\r", "\f"}


@dataclass
class ParsedArticle:
    passages: list[Passage]
    title: str = ""
    format: str = "text"
    warnings: list[str] = field(default_factory=list)


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


def parse_article(content: str, content_format: str = "auto", field_name: str = "text") -> ParsedArticle:
    """Split text or HTML into passages; refuses content with no text."""
    if not isinstance(content, str):
        raise DomainError(field_name, "content must be a string")
    if "\x00" in content:
        raise DomainError(field_name, "content is binary, not text")
    if len(content.encode("utf-8", "surrogatepass")) > MAX_IMPORT_BYTES:
        raise DomainError(field_name, "content is larger than 5 MB")
    if content_format == "auto":
        content_format = "html" if looks_like_html(content) else "text"
    if content_format == "html":
        passages, title = split_html(content)
    elif content_format == "text":
        passages, title = split_text(content), ""
    else:
        raise DomainError("format", "format must be text, html or auto")
    if not passages:
        raise DomainError(field_name, "no text found to import")
    return ParsedArticle(passages=passages, title=normalize_text(title), format=content_format)
