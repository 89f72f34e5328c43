"""bleach cleaners for the two kinds of user text we store.

A rationale may carry a small safe subset of HTML; every other field is
plain text and is escaped on output instead.
"""

import html as html_module
import re
from functools import partial

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter

RATIONALE_TAGS = frozenset({"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "br"})
RATIONALE_ATTRIBUTES = {"a": ["href"]}
SAFE_PROTOCOLS = frozenset({"http", "https"})
_LINK_REL = "nofollow noopener noreferrer"


def _safe_link(attrs, new=False):
    """Every link, typed or linkified, gets the same rel, and keeps its href
    only when it is an absolute http(s) URL.

    bleach's own protocol check lets "javascript:1" through (Python's URL
    parser reads a scheme followed by digits as a host and port), so the
    rule is enforced here too.
    """
    href = attrs.get((None, "href"), "")
    if not href.strip().lower().startswith(("http://", "https://")):
        attrs.pop((None, "href"), None)
    attrs[(None, "rel")] = _LINK_REL
    return attrs


# Elements whose content is code, not prose: dropped whole rather than left
# behind as stray text.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript"})


class _DropContentFilter(Filter):
    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            name = token.get("name")
            if name in _DROPPED_WITH_CONTENT and token["type"] in ("StartTag", "EndTag"):
                depth += 1 if token["type"] == "StartTag" else -1
                depth = max(depth, 0)
                continue
            if not depth:
                yield token


_rationale_cleaner = bleach.Cleaner(
    # The dropped elements are let through the sanitiser only so that the
    # filter below can see and remove them with their content.
    tags=RATIONALE_TAGS | _DROPPED_WITH_CONTENT,
    attributes=RATIONALE_ATTRIBUTES,
    protocols=SAFE_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_DropContentFilter, partial(LinkifyFilter, callbacks=[_safe_link], skip_tags={"code"})],
)


def clean_rationale(html: str) -> str:
    """A rationale reduced to the safe subset, links with rel=nofollow etc."""
    return _rationale_cleaner.clean(html or "").strip()


_BLOCK_END = re.compile(r"</(?:p|li|blockquote|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)
# A tag, with quoted attribute values that may hold ">".
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def rationale_text(cleaned_html: str) -> str:
    """Plain text of a rationale that clean_rationale() produced.

    Only for markup bleach has already cleaned and serialised (well-formed,
    attribute values quoted): a regex is enough there and is fast enough for
    a million-row export. Blocks become lines; entities are decoded.
    """
    if "<" not in cleaned_html and "&" not in cleaned_html:
        return cleaned_html.strip()
    text = _TAG.sub("", _BLOCK_END.sub("\n", cleaned_html))
    return "\n".join(line.strip() for line in html_module.unescape(text).splitlines()
                     if line.strip())
