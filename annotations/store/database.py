"""Opening the SQLite file, and the clock every stored timestamp comes from."""

import datetime
import sqlite3

import sqlite_utils


def utcnow() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def open_database(path, set_wal: bool = True) -> sqlite_utils.Database:
    """A connection set up the way the service needs it.

    WAL lets readers and the writer work at once; the mode is stored in the
    file, so per-request handles may skip setting it (``set_wal=False``).
    Foreign keys are off by default in SQLite and must be asked for on every
    connection.
    """
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    if set_wal and str(path) != ":memory:":
        db.enable_wal()
    # Durable enough under WAL (a power cut may lose the last commit, never
    # corrupt) and much faster than FULL for many small transactions.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's count of commits made by other connections, as seen from
    this one: it changes whenever another process or handle writes."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def backup(db: sqlite_utils.Database, dest) -> str:
    """Copy the live database into the file ``dest`` with SQLite's online
    backup API; returns the copy's integrity_check result ("ok").

    The copy is left as one self-contained file (no -wal or -shm beside it).
    """
    target = sqlite3.connect(str(dest))
    try:
        # Pages are copied in steps, so writers are never blocked for long.
        db.conn.backup(target, pages=256)
    finally:
        target.close()
    check = open_database(dest)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        check.execute("PRAGMA journal_mode = DELETE")
    finally:
        check.close()
    return result
