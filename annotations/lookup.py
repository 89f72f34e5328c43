"""Private lookups: a reader's extension asks for a bucket of URL-key hashes,
never for a URL (the hashed-prefix scheme of Safe Browsing and Have I Been
Pwned's range API).

The extension computes ``url_key(url)`` exactly as the service does, hashes
it with SHA-256 and asks for the bucket of the hash's first
``PREFIX_HEX_DIGITS`` hex digits. The bucket holds every published article
whose key (its own or an alias's) hashes into it, each with its full hash;
the extension picks its page by the full hash. docs/lookup.md has the
arithmetic behind the prefix length.
"""

import hashlib
import re

# 4 hex digits = 16 bits = 65,536 buckets. Migration m0013 writes the number
# into its triggers (substr(key_hash, 1, 4)): a change needs a new migration.
PREFIX_HEX_DIGITS = 4
_PREFIX = re.compile(rf"[0-9a-f]{{{PREFIX_HEX_DIGITS}}}")


def key_hash(key: str) -> str:
    """The SHA-256 of a URL key (its UTF-8 bytes), in lower-case hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def bucket_prefix(hashed: str) -> str:
    return hashed[:PREFIX_HEX_DIGITS]


def is_bucket_prefix(text: str) -> bool:
    """Exactly PREFIX_HEX_DIGITS lower-case hex digits: one spelling per
    bucket, so every cache in front keeps one copy of it."""
    return bool(_PREFIX.fullmatch(text))


def hash_range(prefix: str) -> tuple[str, str]:
    """Bounds (low inclusive, high exclusive) of the hashes in a bucket, for
    an index range scan: "g" sorts after every hex digit."""
    return prefix, prefix + "g"
