"""m0020 on a database with claims and their sources: each claim's sources
are numbered in the order they had (their ids), claim by claim, and that
order can then be changed without new ids."""

import migrations
from annotations.importer import parse_article
from annotations.store import SYSTEM, Store, open_database

NOW = "2025-01-01T00:00:00+00:00"


def test_existing_sources_keep_their_order_as_positions(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0020_citation_positions")
    store = Store(db)
    article_id = store.import_article(
        "https://news.example/a", parse_article("One two three four five.\n", "text")).article_id
    passage_id = store.passages(article_id)[0]["id"]
    with db.conn:
        for claim_id, start in ((1, 0), (2, 4)):
            db.execute("INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset,"
                       " exact, anchor_state, verdict, status, version, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, ?, 'x', 'anchored', 'unverified', 'draft', 1, ?, ?)",
                       [claim_id, article_id, passage_id, start, start + 3, NOW, NOW])
        # Interleaved ids, as sources added to two claims over time get them.
        for citation_id, claim_id in ((10, 1), (11, 2), (12, 1), (13, 2), (14, 1)):
            db.execute("INSERT INTO citations (id, claim_id, url, created_at)"
                       " VALUES (?, ?, ?, ?)",
                       [citation_id, claim_id, f"https://s.example/{citation_id}", NOW])

    migrations.apply(db)

    positions = db.execute("SELECT claim_id, id, position FROM citations"
                           " ORDER BY claim_id, id").fetchall()
    assert positions == [(1, 10, 0), (1, 12, 1), (1, 14, 2), (2, 11, 0), (2, 13, 1)]
    plan = " ".join(row[3] for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM citations WHERE claim_id = 1 ORDER BY position, id"))
    assert "idx_citations_claim_position" in plan and "TEMP B-TREE" not in plan
    # Reordered on the migrated database: same ids, the new order.
    claim = store.claim(1)
    assert [c["id"] for c in claim["citations"]] == [10, 12, 14]
    moved = store.update_claim(1, {}, SYSTEM, 1, citations=[{"id": 14}, {"id": 10}, {"id": 12}])
    assert [c["id"] for c in moved["citations"]] == [14, 10, 12]
    assert [c["id"] for c in store.claim(2)["citations"]] == [11, 13]

