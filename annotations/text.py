"""Text normalisation and hashing used everywhere text is stored."""

import hashlib
import re
import unicodedata

# \s in Python's re covers Unicode spaces (NBSP, thin space, ideographic
# space...), which news CMSs scatter through copy.
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, trimmed.

    Curly quotes, dashes and non-Latin scripts are kept as written: only the
    Unicode composition form and the spacing change.
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
