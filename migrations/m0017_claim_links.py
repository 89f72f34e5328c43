"""Linked claims (issue 15, "check once, show everywhere").

- ``claims.linked_to``: the earlier fact-check (another article's published
  claim) this claim repeats and follows instead of being checked again; NULL
  for an independent claim. The desk's link, made and undone by
  store.links.
- ``claim_publications.linked_to``: the link readers see, copied from the
  working copy when an editor approves it (a link, like any edit, reaches
  readers only through review). While it is set, readers are shown the
  original's current publication: verdict, label, rationale, sources,
  corrections and retraction (store.publications.PUBLIC_CLAIMS).
  ON DELETE SET NULL: should the original go with its article, the linked
  claim falls back to the values it was last approved with.
- Triggers: a change to the original's publication, sources or corrections
  changes every page that shows a claim linked to it, so it deletes the
  kept lookup buckets (m0013) of those articles too, in the same
  transaction.
"""

from . import migrations
from .m0013_lookup_buckets import PREFIX

# The articles of every publication linked to one original.
_LINKED_ARTICLES = ("SELECT w.article_id FROM claim_publications l JOIN claims w ON w.id = l.claim_id"
                    " WHERE l.linked_to = {}")


def _forget_linked(original_id: str) -> str:
    """SQL deleting the rendered buckets of every key of every article that
    shows a claim linked to ``original_id``."""
    articles = _LINKED_ARTICLES.format(original_id)
    return (f"DELETE FROM reader_buckets WHERE prefix IN ("
            f" SELECT {PREFIX.format('key_hash')} FROM articles WHERE id IN ({articles})"
            f" UNION SELECT {PREFIX.format('key_hash')} FROM article_aliases"
            f" WHERE article_id IN ({articles}));")


TRIGGERS = {
    (table, event): _forget_linked(f"{row}.claim_id")
    for table in ("claim_publications", "published_citations", "claim_corrections")
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
}


@migrations()
def m0017_claim_links(db):
    for table in ("claims", "claim_publications"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN linked_to INTEGER"
                   " REFERENCES claims(id) ON DELETE SET NULL")
        db.execute(f"CREATE INDEX idx_{table}_linked_to ON {table}(linked_to)"
                   " WHERE linked_to IS NOT NULL")
    for (table, event), body in TRIGGERS.items():
        db.execute(f"""CREATE TRIGGER reader_buckets_linked_{table}_{event.lower()}
            AFTER {event} ON {table} BEGIN {body} END""")
