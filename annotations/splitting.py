"""Split an article's plain text or HTML into passages.

Plain text: one passage per non-empty line, except that a hard-wrapped
paragraph (lines that break mid-sentence) is joined back into one passage.
Section titles ("I. ...", "1. ...") and short lines without closing
punctuation are headings.

HTML: bleach first reduces the markup to an allow-list of tags with no
attributes and no comments (balancing broken markup on the way); then block
elements become passages and inline markup is flattened to text.

The limits that keep html5lib fast on hostile markup (MAX_HTML_TAGS,
MAX_HTML_DEPTH, TooMuchMarkup) are in markup_guard, with its figures.
"""

import functools
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import bleach

from .markup_guard import (MAX_HTML_DEPTH, MAX_HTML_TAGS, TooMuchMarkup, _DepthBoundTreeBuilder,
                           _ExtractionParser, count_tags)
from .models import Passage
from .text import normalize_text

# "I. Title", "IV. Title", "1. Title", "2) Title", "A. Title".
_NUMBERED_TITLE = re.compile(r"^(?:[IVXLC]+|\d{1,3}|[A-Z])[.)]\s+\S")
_BULLET = re.compile(r"^[-*•‣◦·]\s+")
_QUOTE_MARK = re.compile(r"^>\s?")
# A line ending in one of these reads as a finished sentence or clause.
_CLOSING_PUNCTUATION = tuple(".!?:;,…\"'”’»)]")
_HEADING_MAX_LENGTH = 100
# Wrapped lines of a hard-wrapped paragraph are about this long.
_WRAPPED_LINE_MIN, _WRAPPED_LINE_MAX = 40, 100


# A numbered line ending in a full stop (possibly inside a closing quote or
# bracket) is a list item; "2. Is it neutral?" is still a title.
_ENDS_WITH_FULL_STOP = re.compile(r"[.!…][\"'”’»)\]]*$")


def _ends_sentence(line: str) -> bool:
    return line.endswith(_CLOSING_PUNCTUATION)


def _looks_like_title(line: str) -> bool:
    """Title Case: most longer words start with a capital letter."""
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _is_heading(line: str) -> bool:
    if len(line) > _HEADING_MAX_LENGTH or _ends_sentence(line):
        return False
    return True


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when a blank-line separated block is one paragraph wrapped at a
    fixed width: no line is longer than the width, every line but the last is
    of wrapping length, none starts a section or list, the first is not a
    Title Case heading, and at least one breaks mid-sentence."""
    if len(lines) < 2:
        return False
    if any(_NUMBERED_TITLE.match(l) or _BULLET.match(l) or _QUOTE_MARK.match(l) for l in lines):
        return False
    if any(len(l) > _WRAPPED_LINE_MAX for l in lines) or _looks_like_title(lines[0]):
        return False
    body = lines[:-1]
    if not all(len(l) >= _WRAPPED_LINE_MIN for l in body):
        return False
    return any(not _ends_sentence(l) for l in body)


def _classify_line(line: str) -> Passage | None:
    if _QUOTE_MARK.match(line):
        text = normalize_text(_QUOTE_MARK.sub("", line, count=1))
        return Passage("quote", text) if text else None
    if _BULLET.match(line):
        text = normalize_text(_BULLET.sub("", line, count=1))
        return Passage("list_item", text) if text else None
    if _NUMBERED_TITLE.match(line):
        # A numbered line that reads as a sentence is a list item, otherwise
        # it is a section title.
        kind = "list_item" if _ENDS_WITH_FULL_STOP.search(line) else "heading"
        if kind == "heading" and len(line) > _HEADING_MAX_LENGTH:
            kind = "paragraph"
        return Passage(kind, line)
    return Passage("heading" if _is_heading(line) else "paragraph", line)


def split_text(text: str) -> list[Passage]:
    return list(iter_text_passages(text))


def _breaks_wrapping(block: list[str], line: str) -> bool:
    """Whether adding ``line`` to ``block`` rules out _is_hard_wrapped for
    the block, whatever lines follow (the checks that do not need the end)."""
    if _NUMBERED_TITLE.match(line) or _BULLET.match(line) or _QUOTE_MARK.match(line):
        return True
    if len(line) > _WRAPPED_LINE_MAX:
        return True
    if not block:
        return _looks_like_title(line)
    # The block's last line is now inside the paragraph: it must be of
    # wrapping length.
    return len(block[-1]) < _WRAPPED_LINE_MIN


def iter_text_passages(text: str) -> Iterator[Passage]:
    """The passages of plain text, in order, produced as the lines are read
    so that a caller counting them can stop early: a block that cannot be a
    hard-wrapped paragraph gives its lines out as it goes, without waiting
    for its end. Same result as judging each whole block with
    _is_hard_wrapped."""
    block: list[str] = []  # lines of a block that may still be one wrapped paragraph
    wrappable = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = normalize_text(raw)
        if not line:
            yield from _finished_block(block)
            block, wrappable = [], True
        elif not wrappable:
            yield from _classified([line])
        elif _breaks_wrapping(block, line):
            yield from _classified([*block, line])
            block, wrappable = [], False
        else:
            block.append(line)
    yield from _finished_block(block)


def _finished_block(lines: list[str]) -> Iterator[Passage]:
    if _is_hard_wrapped(lines):
        yield Passage("paragraph", normalize_text(" ".join(lines)))
    else:
        yield from _classified(lines)


def _classified(lines: list[str]) -> Iterator[Passage]:
    for line in lines:
        passage = _classify_line(line)
        if passage:
            yield passage


_BLOCK_KINDS = {
    "h1": "heading", "h2": "heading", "h3": "heading",
    "h4": "heading", "h5": "heading", "h6": "heading",
    "p": "paragraph", "li": "list_item", "blockquote": "quote",
    # Containers whose loose text still deserves a passage.
    "div": "paragraph", "article": "paragraph", "section": "paragraph",
    "main": "paragraph", "body": "paragraph", "td": "paragraph",
    "th": "paragraph", "dd": "paragraph", "dt": "paragraph",
    "figcaption": "paragraph", "pre": "paragraph",
    "ul": "paragraph", "ol": "paragraph", "table": "paragraph", "tr": "paragraph",
}
_DROPPED = {"script", "style", "nav", "header", "footer", "aside", "form",
            "noscript", "template", "iframe", "object", "svg", "button", "select",
            "textarea", "head"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em",
           "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
           "sub", "sup", "time", "u", "var", "del", "ins", "font", "br", "wbr"}
_ALLOWED_FOR_EXTRACTION = set(_BLOCK_KINDS) | _DROPPED | _INLINE | {"title", "html"}


class _BlockExtractor(HTMLParser):
    """Collects the text of block elements from markup bleach has balanced."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.passages: list[Passage] = []
        self.title_parts: list[str] = []
        # Stack of (tag, kind, text parts) for open blocks; loose text goes to
        # the innermost open block.
        self._blocks: list[tuple[str, str, list[str]]] = [("root", "paragraph", [])]
        self._dropped_depth = 0
        self._in_title = False
        # A blockquote holding <p>s: its paragraphs are quotes.
        self._quote_depth = 0

    def _flush(self, kind: str, parts: list[str]):
        text = normalize_text("".join(parts))
        parts.clear()
        if text:
            if self._quote_depth and kind == "paragraph":
                kind = "quote"
            self.passages.append(Passage(kind, text))

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self._dropped_depth += 1
            return
        if self._dropped_depth:
            return
        if tag == "title":
            self._in_title = True
        elif tag == "br":
            self._blocks[-1][2].append(" ")
        elif tag in _BLOCK_KINDS:
            # Text written before a nested block is its own passage.
            outer_tag, outer_kind, outer_parts = self._blocks[-1]
            self._flush(outer_kind, outer_parts)
            self._blocks.append((tag, _BLOCK_KINDS[tag], []))
            if tag == "blockquote":
                self._quote_depth += 1

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self._dropped_depth = max(0, self._dropped_depth - 1)
            return
        if self._dropped_depth:
            return
        if tag == "title":
            self._in_title = False
        elif tag in _BLOCK_KINDS and any(t == tag for t, _, _ in self._blocks[1:]):
            while True:
                open_tag, kind, parts = self._blocks.pop()
                if open_tag == "blockquote":
                    self._quote_depth -= 1
                    kind = "quote"
                self._flush(kind, parts)
                if open_tag == tag:
                    break

    def handle_data(self, data):
        if self._dropped_depth:
            return
        if self._in_title:
            self.title_parts.append(data)
        else:
            self._blocks[-1][2].append(data)

    def close(self):
        super().close()
        while len(self._blocks) > 1:
            open_tag, kind, parts = self._blocks.pop()
            self._flush(kind, parts)
        self._flush("paragraph", self._blocks[0][2])


# A tag still open when the document ends ("...<img src=x onerror=f()"), as
# in a truncated download. HTML parsers drop it; bleach, made for comments,
# would keep it as text and the markup would end up in a passage.
_UNFINISHED_TAG = re.compile(r"</?[A-Za-z][^>]*\Z")


def _drop_unfinished_tag(html: str) -> str:
    match = _UNFINISHED_TAG.search(html, html.rfind(">") + 1)
    return html[:match.start()] if match else html


def _cleaner(max_depth: int) -> bleach.Cleaner:
    """bleach's cleaner for extraction, its parser building a depth-bound
    tree. A new one per document: a cleaner is not thread-safe."""
    cleaner = bleach.Cleaner(
        tags=_ALLOWED_FOR_EXTRACTION,
        attributes={},
        protocols=[],
        strip=True,
        strip_comments=True,
    )
    # As Cleaner builds its own parser, with our tokenizer and tree builder.
    cleaner.parser = _ExtractionParser(
        tags=cleaner.tags, strip=cleaner.strip, consume_entities=False,
        namespaceHTMLElements=False,
        tree=functools.partial(_DepthBoundTreeBuilder, max_depth=max_depth))
    return cleaner


def split_html(html: str, max_tags: int = MAX_HTML_TAGS,
               max_depth: int = MAX_HTML_DEPTH) -> tuple[list[Passage], str]:
    """Return the passages of an HTML document and its <title> (or "").

    Raises TooMuchMarkup for a document with more than ``max_tags`` tags
    (before parsing) or elements nested more than ``max_depth`` deep."""
    if count_tags(html, max_tags) > max_tags:
        raise TooMuchMarkup("tags", max_tags)
    cleaned = _cleaner(max_depth).clean(_drop_unfinished_tag(html))
    extractor = _BlockExtractor()
    extractor.feed(cleaned)
    extractor.close()
    return extractor.passages, normalize_text("".join(extractor.title_parts))


_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(?:!doctype\s+html|html|body|p|h[1-6]|div|article|section|ul|ol|li|blockquote|br)\b",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text[:20000]))
