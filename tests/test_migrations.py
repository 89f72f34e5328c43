"""Schema migrations on a fresh SQLite file (migrations, open_database)."""

import sqlite3

import pytest

import migrations
from annotations.store import Store, open_database

CORE_TABLES = {"articles", "passages", "claims", "citations", "users", "api_tokens", "audit_log"}


@pytest.fixture
def fresh_db(tmp_path):
    db = open_database(tmp_path / "fresh.db")
    yield db
    db.close()


def schema(db):
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def table_names(db):
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_first_apply_runs_every_migration_and_creates_the_tables(fresh_db):
    registered = [m.name for m in migrations.migrations.pending(fresh_db)]
    assert "m0001_initial" in registered
    assert table_names(fresh_db) == set()

    applied = migrations.apply(fresh_db)

    assert applied == registered
    assert CORE_TABLES <= table_names(fresh_db)
    assert migrations.migrations.pending(fresh_db) == []
    assert [m.name for m in migrations.migrations.applied(fresh_db)] == applied


def test_second_apply_does_nothing(fresh_db):
    migrations.apply(fresh_db)
    before = schema(fresh_db)
    applied_before = fresh_db.execute("SELECT * FROM _sqlite_migrations ORDER BY id").fetchall()

    assert migrations.apply(fresh_db) == []

    assert schema(fresh_db) == before
    assert fresh_db.execute("SELECT * FROM _sqlite_migrations ORDER BY id").fetchall() == \
        applied_before


def test_reopening_a_migrated_file_has_nothing_pending(tmp_path):
    path = tmp_path / "reopen.db"
    db = open_database(path)
    migrations.apply(db)
    db.close()
    db = open_database(path)
    try:
        assert migrations.apply(db) == []
        assert CORE_TABLES <= table_names(db)
    finally:
        db.close()


def test_foreign_keys_are_enforced_and_wal_is_on(fresh_db):
    migrations.apply(fresh_db)
    assert fresh_db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert fresh_db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        fresh_db.execute(
            "INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
            " VALUES (999, 0, 'paragraph', 'orphan text', 'x')")


def test_wal_mode_is_kept_in_the_file(tmp_path):
    path = tmp_path / "wal.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


LOOKUPS = {
    "passages by article": ("SELECT * FROM passages WHERE article_id = ? ORDER BY ordinal",
                            "passages", ["article_id"]),
    "claims by article": ("SELECT * FROM claims WHERE article_id = ?", "claims", ["article_id"]),
    "claims by passage": ("SELECT * FROM claims WHERE passage_id = ?", "claims", ["passage_id"]),
    "citations by claim": ("SELECT * FROM citations WHERE claim_id = ?", "citations",
                           ["claim_id"]),
    "api_tokens by user": ("SELECT * FROM api_tokens WHERE user_id = ?", "api_tokens",
                           ["user_id"]),
    "audit by entity": ("SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
                        "audit_log", ["entity", "entity_id"]),
}


def leading_index_columns(db, table):
    """For each index of ``table``, its columns in order."""
    out = []
    for index in db.execute(f"PRAGMA index_list({table})").fetchall():
        name = index[1]
        columns = [row[2] for row in db.execute(f"PRAGMA index_info({name})").fetchall()]
        out.append(columns)
    return out


@pytest.mark.parametrize("lookup", list(LOOKUPS))
def test_each_lookup_path_has_an_index(fresh_db, lookup):
    migrations.apply(fresh_db)
    sql, table, columns = LOOKUPS[lookup]

    assert any(index[:len(columns)] == columns for index in leading_index_columns(fresh_db, table))

    plan = " ".join(row[3] for row in fresh_db.execute(
        "EXPLAIN QUERY PLAN " + sql, [1] * sql.count("?")).fetchall())
    assert plan.startswith(f"SEARCH {table} USING ")
    assert "INDEX" in plan
    assert f"SCAN {table}" not in plan


def test_schema_checks_refuse_bad_values(fresh_db):
    migrations.apply(fresh_db)
    fresh_db.execute("INSERT INTO articles (url, url_key, created_at, updated_at)"
                     " VALUES ('https://e.org/a', 'e.org/a', 't', 't')")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        fresh_db.execute("INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
                         " VALUES (1, 0, 'sidebar', 'x', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        fresh_db.execute("INSERT INTO articles (url, url_key, created_at, updated_at)"
                         " VALUES ('http://e.org/a', 'e.org/a', 't', 't')")


def test_article_text_search_migration_indexes_existing_articles(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0004_article_text_search")
    db.execute("INSERT INTO articles (id, url, url_key, title, created_at, updated_at)"
               " VALUES (1, 'https://n.example/a', 'n.example/a', 'Old', 't', 't')")
    db.execute("INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
               " VALUES (1, 0, 'paragraph', 'Harbour cranes returned', 'x'),"
               " (1, 1, 'paragraph', 'Тарифы выросли', 'y')")
    assert migrations.apply(db)[0] == "m0004_article_text_search"
    assert "passages_fts" not in db.table_names()
    store = Store(db)
    assert [a["id"] for a in store.list_articles(q="cranes")] == [1]
    assert [a["id"] for a in store.list_articles(q="Тарифы")] == [1]
    db.close()
