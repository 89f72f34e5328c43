"""User ids that are never reused, a session generation per user, and the
client address of each failed login.

``users`` is rebuilt with ``id INTEGER PRIMARY KEY AUTOINCREMENT``: a plain
INTEGER PRIMARY KEY hands the highest id out again once that user is
deleted, and anything still naming the old id (a session cookie, the audit
log) would then name the new account. ``session_generation`` is copied into
every session cookie and bumped to end all of a user's sessions (logout,
password or role change).

Rebuilding a table that others reference needs foreign keys OFF, which
SQLite ignores inside a transaction: with them on, DROP TABLE deletes every
row first and the ON DELETE actions fire (tokens deleted, authorship set to
null), and ALTER TABLE RENAME rewrites the other tables' REFERENCES. So this
migration is not run in sqlite-utils' transaction: it opens its own, with
foreign keys off, following SQLite's 12-step procedure, checks
``PRAGMA foreign_key_check`` before committing, and does nothing when run
again after a crash between its commit and the record of it.
"""

from . import migrations

USERS = """
    CREATE TABLE users_rebuilt (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'factchecker', 'editor', 'admin')),
        created_at TEXT NOT NULL,
        session_generation INTEGER NOT NULL DEFAULT 0
    )
"""

# The highest user id ever handed out: deleted users leave no row, but the
# audit log keeps every account created and every actor.
HIGHEST_USER_ID = """
    SELECT max(coalesce((SELECT max(id) FROM users), 0),
               coalesce((SELECT max(entity_id) FROM audit_log WHERE entity = 'user'), 0),
               coalesce((SELECT max(actor_id) FROM audit_log), 0))
"""


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def _rebuild_users(db) -> None:
    db.execute(USERS)
    db.execute("INSERT INTO users_rebuilt (id, username, password_hash, role, created_at)"
               " SELECT id, username, password_hash, role, created_at FROM users")
    highest = db.execute(HIGHEST_USER_ID).fetchone()[0]
    db.execute("DROP TABLE users")
    db.execute("ALTER TABLE users_rebuilt RENAME TO users")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'users'")
    db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('users', ?)", [highest])


def _add_login_failure_client(db) -> None:
    # NULL for failures recorded before this migration: their client is
    # unknown, so they count against every client (see Accounts).
    db.execute("ALTER TABLE login_failures ADD COLUMN client TEXT")
    db.execute("CREATE INDEX idx_login_failures_username_client_at"
               " ON login_failures(username, client, at)")


@migrations(transactional=False)
def m0005_accounts_sessions(db):
    if "session_generation" in _columns(db, "users"):
        return  # committed before; only the record of it was missing
    if db.conn.in_transaction:
        raise RuntimeError("m0005 must start outside a transaction")
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            _rebuild_users(db)
            _add_login_failure_client(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the users rebuild: {broken[:5]}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
