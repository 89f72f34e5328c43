"""Private lookups (issue 13): URL-key hashes and the rendered buckets.

- ``articles.key_hash`` and ``article_aliases.key_hash``: SHA-256 of the
  row's ``url_key`` (annotations.lookup.key_hash), indexed, so a bucket is one
  range scan over each table. The store writes it with every ``url_key``.
- ``reader_buckets``: each bucket's answer, rendered once (by the API, which
  owns the JSON shape), as JSON and gzipped (what browsers ask for), and
  kept until something readers see in it changes.
  ``variant`` separates renderings that depend on settings (retracted claims
  shown or hidden).
- Triggers delete the rendered buckets an article's change touches, in the
  same transaction as the change, so a publish, revision, retraction,
  correction, re-import, alias change or deletion is in the next answer at
  once. The prefix length (4 hex digits, annotations.lookup) is written into
  them.
"""

from annotations.lookup import key_hash

from . import migrations

PREFIX = "substr({}, 1, 4)"


def _forget_article(article_id: str) -> str:
    """SQL deleting the rendered buckets of every key of one article."""
    return (f"DELETE FROM reader_buckets WHERE prefix IN ("
            f" SELECT {PREFIX.format('key_hash')} FROM articles WHERE id = {article_id}"
            f" UNION SELECT {PREFIX.format('key_hash')} FROM article_aliases"
            f" WHERE article_id = {article_id});")


def _forget_claims_article(claim_id: str) -> str:
    return _forget_article(f"(SELECT article_id FROM claims WHERE id = {claim_id})")


def _forget_key(hashed: str) -> str:
    return f"DELETE FROM reader_buckets WHERE prefix = {PREFIX.format(hashed)};"


# (table, event): what the change can alter in which buckets. A new article
# or a new draft claim is in no bucket yet, so those inserts need nothing;
# working-copy edits of claims are not what readers see (claim_publications
# is), so only a claim's deletion counts.
TRIGGERS = {
    ("articles", "UPDATE"): _forget_key("OLD.key_hash") + _forget_article("NEW.id"),
    ("articles", "DELETE"): _forget_key("OLD.key_hash") + _forget_article("OLD.id"),
    ("article_aliases", "INSERT"): _forget_key("NEW.key_hash"),
    ("article_aliases", "UPDATE"): _forget_key("OLD.key_hash") + _forget_key("NEW.key_hash"),
    ("article_aliases", "DELETE"): _forget_key("OLD.key_hash"),
    ("claims", "DELETE"): _forget_article("OLD.article_id"),
    **{(table, event): _forget_claims_article(f"{row}.claim_id")
       for table in ("claim_publications", "published_citations", "claim_corrections")
       for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))},
}


@migrations()
def m0013_lookup_buckets(db):
    for table in ("articles", "article_aliases"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN key_hash TEXT NOT NULL DEFAULT ''")
        db.conn.executemany(
            f"UPDATE {table} SET key_hash = ? WHERE id = ?",
            [(key_hash(key), row_id)
             for row_id, key in db.execute(f"SELECT id, url_key FROM {table}").fetchall()])
        db.execute(f"CREATE INDEX idx_{table}_key_hash ON {table}(key_hash)")
    db.execute("""CREATE TABLE reader_buckets (
        prefix TEXT NOT NULL,
        variant TEXT NOT NULL,
        etag TEXT NOT NULL,
        body BLOB NOT NULL,
        gzipped BLOB NOT NULL,
        PRIMARY KEY (prefix, variant)
    )""")
    for (table, event), body in TRIGGERS.items():
        db.execute(f"""CREATE TRIGGER reader_buckets_{table}_{event.lower()}
            AFTER {event} ON {table} BEGIN {body} END""")
