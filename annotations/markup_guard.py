"""Limits on the markup split_html parses, and the html5lib parts that
enforce them.

html5lib, under bleach, is slow on hostile markup: about 50 µs a tag, and
quadratic in the nesting depth (20,000 nested <div>s take half a minute).
So a document with more tags (and character references, which cost as
much) than MAX_HTML_TAGS is refused before it is
parsed (counted by a regex, stopping at the limit), and parsing stops as soon
as elements nest deeper than MAX_HTML_DEPTH (measured on html5lib's own
stack of open elements, which is what its cost grows with). And html5lib
adds each piece of text to its element by string concatenation, a piece per
"&" or stray "<": a million "&amp;" in one paragraph took 14 minutes, so
consecutive pieces of text are joined before they reach the tree.
"""

import itertools
import re

# bleach vendors (and pins) html5lib: its tokenizer and tree builder are
# where text is joined and the depth of the tree is watched.
from bleach._vendor.html5lib.constants import _ReparseException as ReparseException
from bleach._vendor.html5lib.constants import tokenTypes
from bleach._vendor.html5lib.treebuilders import getTreeBuilder
from bleach.html5lib_shim import BleachHTMLParser, BleachHTMLTokenizer

# Far above real pages (a long news page has a few thousand tags and nests
# some 30 deep; browsers stop nesting at 512), far below what makes html5lib
# slow: see the module's docstring and the README's figures.
MAX_HTML_TAGS = 100_000
MAX_HTML_DEPTH = 256

# What html5lib reads as a tag, end tag, comment, doctype or processing
# instruction, or a character reference ("&amp;"): each costs it a token.
_MARKUP = re.compile(r"<[A-Za-z/!?]|&")


class TooMuchMarkup(ValueError):
    """The document passes one of split_html's limits: ``what`` is "tags" or
    "depth", ``limit`` the number it passed."""

    def __init__(self, what: str, limit: int):
        super().__init__(f"more than {limit} {what}")
        self.what = what
        self.limit = limit


def count_tags(html: str, stop_after: int) -> int:
    """The number of tags and character references in ``html``, counting no further than
    ``stop_after + 1``: the cost stays bounded on any input."""
    return sum(1 for _ in itertools.islice(_MARKUP.finditer(html), stop_after + 1))


class _BoundedOpenElements(list):
    """html5lib's stack of open elements, refusing to grow past a depth
    (not counting the fragment's root element, also on the stack)."""

    def __init__(self, max_depth: int):
        super().__init__()
        self.max_depth = max_depth

    def append(self, element):
        if len(self) > self.max_depth:
            raise TooMuchMarkup("depth", self.max_depth)
        super().append(element)

    def insert(self, index, element):
        if len(self) > self.max_depth:
            raise TooMuchMarkup("depth", self.max_depth)
        super().insert(index, element)


_EtreeTreeBuilder = getTreeBuilder("etree")


class _DepthBoundTreeBuilder(_EtreeTreeBuilder):
    def __init__(self, namespace_html_elements, max_depth: int):
        self.max_depth = max_depth
        super().__init__(namespace_html_elements)

    def reset(self):
        super().reset()
        self.openElements = _BoundedOpenElements(self.max_depth)


_CHARACTERS = tokenTypes["Characters"]


class _JoiningTokenizer(BleachHTMLTokenizer):
    """bleach's tokenizer, giving consecutive text tokens out as one.

    html5lib treats two text tokens in a row as one text, but adds each to
    its element with ``text += data``: quadratic in a paragraph of entities.
    Looking ahead past text only is safe: the parser changes the tokenizer's
    state on start tags, never on text."""

    def __iter__(self):
        pending, parts = None, []
        for token in super().__iter__():
            if token["type"] == _CHARACTERS:
                if pending is None:
                    pending = token
                parts.append(token["data"])
                continue
            if pending is not None:
                pending["data"] = "".join(parts)
                yield pending
                pending, parts = None, []
            yield token
        if pending is not None:
            pending["data"] = "".join(parts)
            yield pending


class _ExtractionParser(BleachHTMLParser):
    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        # BleachHTMLParser._parse (bleach 6), with the joining tokenizer.
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _JoiningTokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs)
        self.reset()
        try:
            self.mainLoop()
        except ReparseException:
            self.reset()
            self.mainLoop()
