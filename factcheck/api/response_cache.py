"""Rendered answers of the readers' endpoint, kept until the database changes.

Readers ask for the same popular pages over and over; between two writes
anywhere in the database the answer for a URL cannot change, so it is built
once. Every commit (by any gunicorn worker) changes SQLite's data_version,
which empties the cache on the next request.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class CachedAnswer:
    etag: str
    article_id: int | None
    body: bytes | None = None


class ResponseCache:
    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._version = None
        self._lock = threading.Lock()

    def get(self, version, key: str) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, version, key: str, entry: CachedAnswer) -> None:
        if self.size <= 0:
            return
        with self._lock:
            if version != self._version:
                return  # built from data that has changed since
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
