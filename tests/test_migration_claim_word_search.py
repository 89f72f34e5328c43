"""m0021 on a database with claims: the word index and the padded trigram
index hold every claim written before it, and stay in step after it."""

import migrations
from annotations.store import Store, open_database
from annotations.store.claim_list import ClaimFilters


def found(store: Store, query: str) -> list[int]:
    claims, _ = store.claim_list(ClaimFilters(query=query))
    return sorted(claim["id"] for claim in claims)


def test_claims_written_before_the_migration_are_found_by_word_and_short_term(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0021_claim_word_search")
    with db.conn:
        db.execute("INSERT INTO articles (id, url, url_key, key_hash, title, created_at,"
                   " updated_at) VALUES (1, 'https://n.example/a', 'n.example/a', 'h', 'A',"
                   " '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')")
        db.execute("INSERT INTO passages (id, article_id, ordinal, kind, text, text_hash)"
                   " VALUES (1, 1, 0, 'paragraph', 'x', 'x')")
        for claim_id, exact, label in ((1, "Café owners said rents doubled", ""),
                                       (2, "首相は来週東京", "東京")):
            db.execute("INSERT INTO claims (id, article_id, passage_id, start_offset,"
                       " end_offset, exact, verdict, label, created_at, updated_at)"
                       " VALUES (?, 1, 1, 0, 1, ?, 'denied', ?, '2025-01-02T00:00:00Z',"
                       " '2025-01-02T00:00:00Z')", [claim_id, exact, label])

    assert "m0021_claim_word_search" in migrations.apply(db)   # later ones apply too

    store = Store(db)
    assert found(store, "cafe rent") == [1]
    assert found(store, "東京") == [2]       # only ever at the end of a field
    assert found(store, "来週") == [2]
    with db.conn:
        db.execute("UPDATE claims SET exact = '首相は来週大阪', label = '' WHERE id = 2")
    assert found(store, "東京") == []
    assert found(store, "大阪") == [2]
    with db.conn:
        db.execute("DELETE FROM claims WHERE id = 1")
    assert found(store, "cafe") == []
    for index in ("claims_words", "claims_fts"):
        db.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
    db.close()
