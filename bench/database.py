"""The benchmarks' databases: built once with plain SQL, kept in bench/out/."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import migrations
from annotations.store import open_database


@contextmanager
def building(path: Path):
    """A plain sqlite3 connection to a fresh, migrated database that becomes
    ``path`` (analysed) when the block ends without an error: an interrupted
    build leaves only ``path.building``, which the next build starts over."""
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    db = open_database(tmp)
    migrations.apply(db)
    db.close()
    conn = sqlite3.connect(tmp)
    # A benchmark's data can be built again: no need to wait for the disk.
    conn.execute("PRAGMA synchronous = OFF")
    try:
        yield conn
        conn.execute("ANALYZE")
    finally:
        conn.close()
    tmp.rename(path)
