"""A claim's sources in the order the desk gave them.

- ``citations.position``: the source's place in its claim's list (0 first).
  The store listed sources by id, so reordering them meant deleting and
  re-creating the moved ones (new ids, history showing a removal and an
  addition); now a reorder is an edit of positions. Existing sources keep
  the order they had: their id order, numbered per claim.
- The claim_id index becomes (claim_id, position): it serves the same
  look-ups and hands a claim's sources over already in order, so reading
  them in order costs no sort. Readers' copies (published_citations) are
  rewritten whole on each approval, in this order, so their id order is it.
"""

from . import migrations


@migrations()
def m0020_citation_positions(db):
    db.execute("ALTER TABLE citations ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    db.execute("""UPDATE citations SET position = numbered.n
        FROM (SELECT id, row_number() OVER (PARTITION BY claim_id ORDER BY id) - 1 AS n
              FROM citations) AS numbered
        WHERE numbered.id = citations.id""")
    db.execute("DROP INDEX idx_citations_claim")
    db.execute("CREATE INDEX idx_citations_claim_position ON citations(claim_id, position)")
