"""Text normalisation and hashing used everywhere text is stored."""

import hashlib
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


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
