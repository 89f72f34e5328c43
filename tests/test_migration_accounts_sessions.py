"""m0005 on a database filled under the old schema: users rebuilt with
AUTOINCREMENT ids and a session generation, every row and every reference
to users kept, ids never handed out again."""

import pytest

import migrations
from annotations.store import SYSTEM, Store, open_database
from migrations.m0005_accounts_sessions import m0005_accounts_sessions

T = "2025-01-01T00:00:00+00:00"


@pytest.fixture
def old_db(tmp_path):
    """Migrated up to m0004, with users 1-3, user 4 created and deleted
    (only the audit log remembers it), tokens, a claim by each user and a
    failed login."""
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0005_accounts_sessions")
    with db.conn:
        for user_id, name, role in ((1, "ada", "admin"), (2, "ed", "editor"),
                                    (3, "fay", "factchecker"), (4, "gone", "reader")):
            db.execute("INSERT INTO users (id, username, password_hash, role, created_at)"
                       " VALUES (?, ?, 'hash', ?, ?)", [user_id, name, role, T])
            db.execute("INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, at)"
                       " VALUES (1, 'ada', 'create', 'user', ?, ?)", [user_id, T])
        db.execute("DELETE FROM users WHERE id = 4")
        db.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                   " VALUES (2, 'ed script', 'h2', ?), (3, 'fay script', 'h3', ?)", [T, T])
        db.execute("INSERT INTO articles (id, url, url_key, created_at, updated_at)"
                   " VALUES (1, 'https://n.example/a', 'n.example/a', ?, ?)", [T, T])
        db.execute("INSERT INTO passages (id, article_id, ordinal, kind, text, text_hash)"
                   " VALUES (1, 1, 0, 'paragraph', 'The bridge is open.', 'x')")
        db.execute("INSERT INTO claims (article_id, passage_id, start_offset, end_offset, exact,"
                   " verdict, status, created_by, updated_by, published_by, created_at,"
                   " updated_at) VALUES (1, 1, 4, 10, 'bridge', 'unverified', 'published',"
                   " 3, 2, 1, ?, ?)", [T, T])
        db.execute("INSERT INTO login_failures (username, at) VALUES ('ed', ?)", [T])
    yield db
    db.close()


def _rows(db, sql):
    return db.execute(sql).fetchall()


def test_users_are_rebuilt_keeping_every_row_and_reference(old_db):
    before = {table: _rows(old_db, f"SELECT * FROM {table} ORDER BY id")
              for table in ("users", "api_tokens", "claims", "login_failures")}

    # Only this step: later ones may add columns to the tables compared here.
    migrations.migrations.apply(old_db, stop_before="m0006_trigram_search")

    assert [row[:5] for row in _rows(old_db, "SELECT * FROM users ORDER BY id")] == \
        before["users"]
    assert _rows(old_db, "SELECT session_generation FROM users") == [(0,), (0,), (0,)]
    assert _rows(old_db, "SELECT * FROM api_tokens ORDER BY id") == before["api_tokens"]
    assert _rows(old_db, "SELECT * FROM claims ORDER BY id") == before["claims"]
    # Failures from before the migration have no client (they count for all).
    assert [row[:3] for row in _rows(old_db, "SELECT id, username, at, client"
                                             " FROM login_failures")] == before["login_failures"]
    assert _rows(old_db, "SELECT client FROM login_failures") == [(None,)]
    assert _rows(old_db, "PRAGMA foreign_key_check") == []
    assert old_db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    sql = old_db.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()[0]
    assert "AUTOINCREMENT" in sql
    assert old_db.execute("SELECT sql FROM sqlite_master WHERE name = 'api_tokens'"
                          ).fetchone()[0].count("REFERENCES users(id)") == 1
    assert "users_rebuilt" not in old_db.table_names()


def test_new_ids_start_above_the_highest_ever_used(old_db):
    migrations.apply(old_db)
    store = Store(old_db)

    assert store.create_user("new", "hash", "reader")["id"] == 5  # 4 was used and deleted
    store.delete_user(5, SYSTEM)
    assert store.create_user("newer", "hash", "admin")["id"] == 6


def test_foreign_key_actions_still_reach_the_rebuilt_table(old_db):
    migrations.apply(old_db)
    store = Store(old_db)

    store.delete_user(3, SYSTEM)

    assert _rows(old_db, "SELECT user_id FROM api_tokens ORDER BY id") == [(2,)]
    assert _rows(old_db, "SELECT created_by, updated_by, published_by FROM claims") == \
        [(None, 2, 1)]
    with pytest.raises(Exception, match="FOREIGN KEY"):
        old_db.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                       " VALUES (99, 'x', 'h99', 't')")


def test_running_it_again_after_a_lost_record_changes_nothing(old_db):
    migrations.apply(old_db)
    schema = _rows(old_db, "SELECT sql FROM sqlite_master ORDER BY name")
    users = _rows(old_db, "SELECT * FROM users ORDER BY id")

    m0005_accounts_sessions(old_db)

    assert _rows(old_db, "SELECT sql FROM sqlite_master ORDER BY name") == schema
    assert _rows(old_db, "SELECT * FROM users ORDER BY id") == users


def test_an_empty_database_gets_the_same_schema(tmp_path):
    db = open_database(tmp_path / "empty.db")
    migrations.apply(db)
    store = Store(db)
    first = store.create_user("first", "hash", "admin")
    assert first["id"] == 1 and first["session_generation"] == 0
    db.close()
