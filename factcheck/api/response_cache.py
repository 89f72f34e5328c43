"""Rendered answers of the readers' endpoint, kept until what readers see changes.

Readers ask for the same popular pages over and over; between two changes to
articles, claims or aliases the answer for a page cannot change, so it is
built once. Such a change (by any gunicorn worker) moves the database's
content version (migration m0009, factcheck.db.database_version), which
empties the cache on the next request; other commits (logins, tokens) do not.

Entries are keyed by the page's normalised URL key, so the endless variants
of one URL (tracking parameters, fragments, case) share one entry, and the
cache is bounded by bytes, least recently used first out: an entry's size is
its key and body plus a fixed allowance for the bookkeeping around them.
"""

import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass

# The entry object, its ETag string and its slot in the OrderedDict, roughly,
# so that many small entries (pages never fact-checked) count too.
ENTRY_OVERHEAD = 256


@dataclass(frozen=True)
class CachedAnswer:
    etag: str
    article_id: int | None
    # The answer's JSON after the echoed URL (see reader.py), once rendered.
    body: bytes | None = None


def entry_size(key: str, entry: CachedAnswer) -> int:
    return ENTRY_OVERHEAD + sys.getsizeof(key) + len(entry.body or b"")


class ResponseCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, tuple[CachedAnswer, int]] = OrderedDict()
        self._version = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version, key: str) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self.bytes = 0
                self._version = version
                return None
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, version, key: str, entry: CachedAnswer) -> None:
        size = entry_size(key, entry)
        if size > self.max_bytes:
            # Too large to keep: its ETag alone still spares the next 304
            # the queries.
            entry = CachedAnswer(entry.etag, entry.article_id)
            size = entry_size(key, entry)
            if size > self.max_bytes:
                return
        with self._lock:
            if version != self._version:
                return  # built from data that has changed since
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (entry, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.bytes -= evicted
