"""Rationales written in Markdown: rendering to the safe HTML readers get,
and a Markdown source for rationales that were written as HTML.

The Markdown source is what the desk edits; the HTML that readers, exports
and ClaimReview get is always rendered from it and then cleaned by
``sanitize.clean_rationale`` exactly like a rationale typed as HTML, so a
Markdown rationale can carry nothing an HTML one could not.
"""

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .sanitize import clean_rationale

# The same bound as a rationale typed as HTML (the API's schemas use it).
MAX_RATIONALE_MARKDOWN = 20000

# CommonMark without raw HTML (typed tags show as text) and without the
# constructs whose elements the rationale's HTML subset lacks: headings,
# rules, images, code blocks (inline `code` stays). Bare URLs become links
# in clean_rationale (bleach's linkifier), with the same http(s)-only rule
# and rel as every other link; markdown-it's own link check already refuses
# javascript:, vbscript:, file: and data: targets.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["html_block", "html_inline", "heading", "lheading", "hr", "image",
                   "code", "fence"])


def render_markdown(source: str) -> str:
    """The clean HTML of a Markdown rationale (what is stored and shown)."""
    return clean_rationale(_markdown.render(source or ""))


# -- a Markdown source for a rationale written as HTML ------------------------------

_BLOCKS = frozenset({"p", "ul", "ol", "li", "blockquote"})
_VOID = frozenset({"br"})
# Punctuation that could start Markdown syntax inside running text. CommonMark
# lets any ASCII punctuation be backslash-escaped, so escaping is always safe.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>!&])")
# What would start a block (list item, quote, heading, setext line) at the
# start of a line.
_LINE_START = re.compile(r"^([-+#=>]|\d+(?=[.)]))")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag, attrs=None):
        self.tag, self.attrs, self.children = tag, dict(attrs or {}), []


class _TreeBuilder(HTMLParser):
    """A tree of the (already cleaned, well-formed) rationale markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node(None)
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs)
        self.open[-1].children.append(node)
        if tag not in _VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def _escape_text(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _code_span(text: str) -> str:
    # A fence longer than any run of backticks inside; padded when the code
    # starts or ends with a backtick (CommonMark strips one space each side).
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link_target(href: str) -> str:
    if re.search(r"[\s()<>]", href):
        return "<" + re.sub(r"[<>\s]", lambda m: f"%{ord(m.group()):02X}", href) + ">"
    return href


def _wrap(marker: str, inner: str) -> str:
    """Emphasis around ``inner``, its outer spaces moved outside the markers
    (CommonMark does not read "* a *" as emphasis)."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[:len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}{marker}{core}{marker}{trail}"


def _inline(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_text(node))
        elif node.tag == "br":
            out.append("\\\n")
        elif node.tag == "code":
            out.append(_code_span(re.sub(r"\s+", " ", _text_of(node))))
        elif node.tag == "em":
            out.append(_wrap("*", _inline(node.children)))
        elif node.tag == "strong":
            out.append(_wrap("**", _inline(node.children)))
        elif node.tag == "a" and node.attrs.get("href"):
            label = _inline(node.children).strip() or _escape_text(node.attrs["href"])
            out.append(f"[{label}]({_link_target(node.attrs['href'])})")
        else:
            out.append(_inline(node.children))
    return "".join(out)


def _text_of(node) -> str:
    return "".join(c if isinstance(c, str) else _text_of(c) for c in node.children)


def _paragraph(nodes) -> str:
    nodes = list(nodes)
    # A break that ends a paragraph shows nothing (and "\\" there would).
    while nodes and (getattr(nodes[-1], "tag", None) == "br"
                     or isinstance(nodes[-1], str) and not nodes[-1].strip()):
        nodes.pop()
    lines = _inline(nodes).strip().split("\n")
    return "\n".join(_escape_line_start(line.strip()) for line in lines)


def _escape_line_start(line: str) -> str:
    # "1." is escaped as "1\." (a digit cannot be backslash-escaped).
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group(1)[0].isdigit():
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return "\\" + line


def _blocks(nodes) -> list[str]:
    """The Markdown blocks of a run of nodes: block elements each, inline runs
    between them as paragraphs."""
    blocks, run = [], []

    def flush():
        text = _paragraph(run)
        if text:
            blocks.append(text)
        run.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCKS:
            run.append(node)
            continue
        flush()
        block = _block(node)
        if block:
            blocks.append(block)
    flush()
    return blocks


def _block(node) -> str:
    if node.tag == "p":
        return _paragraph(node.children)
    if node.tag == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if node.tag in ("ul", "ol"):
        items = [c for c in node.children if not isinstance(c, str) and c.tag == "li"]
        return "\n".join(_list_item(item, "- " if node.tag == "ul" else f"{n}. ")
                         for n, item in enumerate(items, 1))
    return "\n\n".join(_blocks(node.children))  # a stray <li>


def _list_item(item, marker: str) -> str:
    parts = _blocks(item.children)
    if not parts:
        return marker.rstrip()
    # A nested list right under the item's text stays tight (no blank line).
    text = parts[0]
    for part in parts[1:]:
        text += ("\n" if _LIST_START.match(part) else "\n\n") + part
    indent = " " * len(marker)
    lines = text.split("\n")
    return "\n".join([marker + lines[0]] + [indent + line if line else "" for line in lines[1:]])


_LIST_START = re.compile(r"^(?:- |\d+\. )")


def markdown_from_html(cleaned_html: str) -> str:
    """A Markdown source that renders (render_markdown) to what the cleaned
    HTML rationale shows: paragraphs, emphasis, links as [text](url), lists,
    quotes and code; the text's own Markdown characters escaped."""
    if not cleaned_html:
        return ""
    builder = _TreeBuilder()
    builder.feed(cleaned_html)
    builder.close()
    return "\n\n".join(_blocks(builder.root.children))
