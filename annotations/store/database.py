"""Opening the SQLite file, and the clock every stored timestamp comes from."""

import datetime
import os
import sqlite3
import tempfile
from pathlib import Path

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
    if str(path) != ":memory:":
        _create_private(path)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    if set_wal and str(path) != ":memory:":
        db.enable_wal()
    # Durable enough under WAL (a power cut may lose the last commit, never
    # corrupt) and much faster than FULL for many small transactions.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _create_private(path) -> None:
    """Create the database file readable by its owner only (0600) when it
    does not exist yet. SQLite gives the -wal, -shm and -journal files the
    main file's mode, so they are private too. (A umask around connect()
    would change it for every thread of the process.)"""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass  # it exists, or cannot be made: connect() reports any problem


def content_version(db: sqlite_utils.Database) -> int:
    """A counter that moves whenever articles, claims or aliases change
    (migration m0009's triggers): what readers see, and nothing else."""
    return db.execute("SELECT version FROM content_version WHERE id = 1").fetchone()[0]


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's count of commits made by other connections, as seen from
    this one: it changes whenever another process or handle writes."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def backup(db: sqlite_utils.Database, dest) -> str:
    """Copy the live database into the file ``dest``; returns the copy's
    integrity_check result, and ``dest`` is written only when it is "ok".

    VACUUM INTO reads one snapshot in one statement, so it finishes however
    busy the writers are (the online backup API restarts its copy whenever
    another connection writes). It writes a temporary file beside ``dest``,
    which is checked, flushed to disk and renamed over ``dest`` in one step;
    on any failure the temporary file is removed. The copy is one
    self-contained file in rollback-journal mode, readable by its owner only.
    """
    dest = Path(dest)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        # VACUUM INTO accepts an existing file only when it is empty, as mkstemp leaves it.
        db.execute("VACUUM INTO ?", [str(temporary)])
        result = _integrity_check(temporary)
        if result == "ok":
            with open(temporary, "rb") as copy:
                os.fsync(copy.fileno())
            temporary.replace(dest)
        return result
    finally:
        temporary.unlink(missing_ok=True)


def _integrity_check(path: Path) -> str:
    check = sqlite3.connect(str(path))
    try:
        return check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
