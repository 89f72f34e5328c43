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


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer,
# kana and CJK ideographs.
UNSPACED_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def has_unspaced_script(text: str) -> bool:
    return UNSPACED_SCRIPT.search(text) is not None
