"""m0010 on a database filled under the old schema: claims rebuilt with the
workflow's states, every row and reference kept, and what was published
becomes the publication readers go on seeing."""

import pytest

import migrations
from annotations.store import Store, open_database
from migrations.m0010_editorial_workflow import m0010_editorial_workflow

T = "2025-01-01T00:00:00+00:00"


@pytest.fixture
def old_db(tmp_path):
    """Migrated up to m0009: a published claim with two citations and a
    comment, a draft, and an orphaned published claim."""
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0010_editorial_workflow")
    with db.conn:
        db.execute("INSERT INTO users (id, username, password_hash, role, created_at)"
                   " VALUES (1, 'ed', 'hash', 'editor', ?), (2, 'fay', 'hash', 'factchecker', ?)",
                   [T, T])
        db.execute("INSERT INTO articles (id, url, url_key, created_at, updated_at)"
                   " VALUES (1, 'https://n.example/a', 'n.example/a', ?, ?)", [T, T])
        db.execute("INSERT INTO passages (id, article_id, ordinal, kind, text, text_hash)"
                   " VALUES (1, 1, 0, 'paragraph', 'The bridge is open.', 'x')")
        claims = [
            (1, 1, 4, 10, "bridge", "anchored", "verified", "published", 2, 1, T),
            (2, 1, 0, 3, "The", "anchored", "unverified", "draft", 2, None, None),
            (3, None, None, None, "gone", "orphaned", "denied", "published", 2, 1, T),
        ]
        for (claim_id, passage, start, end, exact, state, verdict, status, by, pub_by,
             pub_at) in claims:
            db.execute(
                "INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset, exact,"
                " anchor_state, verdict, label, rationale, status, version, created_by,"
                " updated_by, published_by, created_at, updated_at, published_at, assignee_id)"
                " VALUES (?, 1, ?, ?, ?, ?, ?, ?, 'Label', '<p>Why</p>', ?, 3, ?, ?, ?, ?, ?, ?,"
                " 2)", [claim_id, passage, start, end, exact, state, verdict, status, by, by,
                        pub_by, T, T, pub_at])
        for url in ("https://a.example.org/1", "https://a.example.org/2"):
            db.execute("INSERT INTO citations (claim_id, url, created_at) VALUES (1, ?, ?)",
                       [url, T])
        db.execute("INSERT INTO citations (claim_id, url, created_at)"
                   " VALUES (3, 'https://b.example.org/', ?)", [T])
        db.execute("INSERT INTO claim_comments (claim_id, author_id, author, body, created_at)"
                   " VALUES (1, 1, 'ed', 'Looks right', ?)", [T])
    yield db
    db.close()


def _rows(db, sql):
    return db.execute(sql).fetchall()


def test_claims_are_rebuilt_keeping_every_row_and_reference(old_db):
    before = {table: _rows(old_db, f"SELECT * FROM {table} ORDER BY id")
              for table in ("claims", "citations", "claim_comments")}
    version_before = _rows(old_db, "SELECT version FROM content_version")
    # Later migrations add columns too: every column there was is kept.
    kept = [row[1] for row in _rows(old_db, "PRAGMA table_info(claims)")]
    kept_citations = [row[1] for row in _rows(old_db, "PRAGMA table_info(citations)")]

    migrations.apply(old_db)

    assert _rows(old_db, f"SELECT {', '.join(kept)} FROM claims ORDER BY id") == [
        tuple(row) for row in before["claims"]]
    assert _rows(old_db, "SELECT last_edited_by FROM claims ORDER BY id") == [(2,), (2,), (2,)]
    assert _rows(old_db, f"SELECT {', '.join(kept_citations)} FROM citations ORDER BY id") == \
        before["citations"]
    assert _rows(old_db, "SELECT * FROM claim_comments ORDER BY id") == before["claim_comments"]
    assert _rows(old_db, "PRAGMA foreign_key_check") == []
    assert _rows(old_db, "PRAGMA integrity_check") == [("ok",)]
    # Foreign keys still act: deleting a claim takes its citations and comments.
    old_db.execute("DELETE FROM claims WHERE id = 1")
    assert _rows(old_db, "SELECT count(*) FROM citations WHERE claim_id = 1") == [(0,)]
    assert _rows(old_db, "SELECT count(*) FROM claim_comments") == [(0,)]
    # The readers' cache version moves with claims again (its triggers were rebuilt).
    assert _rows(old_db, "SELECT version FROM content_version") > version_before


def test_published_claims_become_their_publication(old_db):
    migrations.apply(old_db)
    store = Store(old_db)

    public = {c["id"]: c for c in store.claims_for_article(1, published_only=True)}

    assert set(public) == {1, 3}
    assert public[1]["verdict"] == "verified" and public[1]["status"] == "published"
    assert [c["url"] for c in public[1]["citations"]] == ["https://a.example.org/1",
                                                         "https://a.example.org/2"]
    assert public[1]["first_published_at"] == T and public[1]["corrections"] == []
    assert public[3]["anchor_state"] == "orphaned"
    # The feed leaves the orphaned one out.
    assert [c["id"] for c, _ in store.claim_review_rows(-1)] == [1]
    # New states are accepted; unknown ones still refused by the schema.
    old_db.execute("UPDATE claims SET status = 'in_review' WHERE id = 2")
    with pytest.raises(Exception):
        old_db.execute("UPDATE claims SET status = 'pending' WHERE id = 2")


def test_running_it_again_after_its_commit_does_nothing(old_db):
    migrations.apply(old_db)
    tables = _rows(old_db, "SELECT name, sql FROM sqlite_master ORDER BY name")
    m0010_editorial_workflow(old_db)
    assert _rows(old_db, "SELECT name, sql FROM sqlite_master ORDER BY name") == tables
