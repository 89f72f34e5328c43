"""Lookup buckets (annotations.lookup): which articles a bucket holds, and
each bucket's answer as rendered, kept until an article in it changes
(migration m0013's triggers delete it in the same transaction)."""

from collections.abc import Callable
from dataclasses import dataclass

from ..lookup import hash_range
from .base import StoreBase

# Articles with at least one publication: a bucket never names an article
# the desk has published nothing on.
_MEMBERS = """
    SELECT key_hash, id FROM articles a
    WHERE key_hash >= :low AND key_hash < :high AND {published}
    UNION ALL
    SELECT l.key_hash, l.article_id FROM article_aliases l JOIN articles a ON a.id = l.article_id
    WHERE l.key_hash >= :low AND l.key_hash < :high AND {published}
    ORDER BY 1
""".format(published="EXISTS (SELECT 1 FROM claims w JOIN claim_publications p"
                     " ON p.claim_id = w.id WHERE w.article_id = a.id)")


@dataclass(frozen=True)
class RenderedBucket:
    etag: str       # of the JSON; the gzipped copy's is this plus "-gz"
    body: bytes     # JSON
    gzipped: bytes  # the same JSON, gzipped


class LookupBuckets(StoreBase):
    def published_prefixes(self, digits: int) -> list[str]:
        """Every bucket prefix that holds an article readers see claims on."""
        published = ("EXISTS (SELECT 1 FROM claims w JOIN claim_publications p"
                     " ON p.claim_id = w.id WHERE w.article_id = {})")
        return [row[0] for row in self.db.execute(
            f"SELECT substr(key_hash, 1, {digits}) FROM articles a"
            f" WHERE {published.format('a.id')}"
            f" UNION SELECT substr(key_hash, 1, {digits}) FROM article_aliases l"
            f" WHERE {published.format('l.article_id')} ORDER BY 1")]

    def bucket_members(self, prefix: str) -> list[tuple[str, int]]:
        """(key hash, article id) of every URL key in the bucket, by hash."""
        low, high = hash_range(prefix)
        return [tuple(row) for row in
                self.db.execute(_MEMBERS, {"low": low, "high": high}).fetchall()]

    def rendered_bucket(self, prefix: str, variant: str) -> RenderedBucket | None:
        """The bucket as last rendered, or None."""
        row = self.db.execute(
            "SELECT etag, body, gzipped FROM reader_buckets WHERE prefix = ? AND variant = ?",
            [prefix, variant]).fetchone()
        return RenderedBucket(row[0], bytes(row[1]), bytes(row[2])) if row else None

    def render_bucket(self, prefix: str, variant: str,
                      render: Callable[[], RenderedBucket]) -> RenderedBucket:
        """The bucket as kept, or rendered by ``render`` and kept.

        Rendering runs inside the write transaction: a publish that commits
        while the answer is built would otherwise be deleted by its trigger
        before this writes an answer that misses it."""
        with self.transaction():
            kept = self.rendered_bucket(prefix, variant)
            if kept is not None:
                return kept
            rendered = render()
            # Renderings for other settings are stale once one is made.
            self.db.execute("DELETE FROM reader_buckets WHERE prefix = ?", [prefix])
            self.db.execute(
                "INSERT INTO reader_buckets (prefix, variant, etag, body, gzipped)"
                " VALUES (?, ?, ?, ?, ?)",
                [prefix, variant, rendered.etag, rendered.body, rendered.gzipped])
            return rendered
