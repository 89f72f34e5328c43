"""Text normalisation and hashing used everywhere text is stored."""

import hashlib
import re
import unicodedata


def normalize_text(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, trimmed.

    Curly quotes, dashes and non-Latin scripts are kept as written: only the
    Unicode composition form and the spacing change.
    """
    # str.split() with no argument splits on every Unicode space (NBSP, thin
    # space, ideographic space...), which news CMSs scatter through copy; it
    # is the same set as re's \s, at a fraction of the cost.
    return " ".join(unicodedata.normalize("NFC", text).split())


# Half of a UTF-16 surrogate pair on its own: JSON's "\ud800" escape decodes
# to one, but it is no character; UTF-8 (SQLite, responses) cannot hold it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_path(value) -> str | None:
    """The dotted path ("citations.0.title") of the first string in ``value``
    (JSON-like: dicts, lists, strings), or dict key, holding a lone
    surrogate ("body" if ``value`` is that string); None when there is none.
    Iterative, so a deeply nested body cannot exhaust the stack."""
    pending = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return path or "body"
        elif isinstance(item, dict):
            entries = []
            for key, child in item.items():
                name = str(key)
                child_path = f"{path}.{name}" if path else name
                if _LONE_SURROGATE.search(name):
                    # Name the key as it can be printed.
                    return child_path.encode("utf-8", "backslashreplace").decode("utf-8")
                entries.append((child_path, child))
            pending.extend(reversed(entries))
        elif isinstance(item, (list, tuple)):
            pending.extend(reversed([(f"{path}.{i}" if path else str(i), child)
                                     for i, child in enumerate(item)]))
    return None


LONE_SURROGATE_MESSAGE = ("Not valid text: it holds an unpaired UTF-16 surrogate"
                          " (\\ud800-\\udfff).")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer,
# kana and CJK ideographs: (first, last) characters.
UNSPACED_RANGES = (("\u0e00", "\u0eff"), ("\u1000", "\u109f"), ("\u1780", "\u17ff"),
                   ("\u3040", "\u30ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"),
                   ("\uf900", "\ufaff"), ("\U00020000", "\U0002fa1f"))
UNSPACED_SCRIPT = re.compile("[" + "".join(f"{first}-{last}" for first, last in UNSPACED_RANGES)
                             + "]")


def has_unspaced_script(text: str) -> bool:
    return UNSPACED_SCRIPT.search(text) is not None


def word_form(text: str) -> str:
    """``text`` as the word index (FTS5 unicode61, remove_diacritics 2)
    keeps a word: composed, case-folded, without its diacritics, so "Café",
    "CAFE" and a decomposed "café" pasted from another system are one word,
    and "İstanbul" is "istanbul"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
