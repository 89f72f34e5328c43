"""Backups of a live database: they finish while writers keep committing,
the copy is whole and checked, and a failure leaves no file behind."""

import contextlib
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotations.store import backup, database
from tests.helpers import open_store

ROOT = Path(__file__).resolve().parents[1]

# 24 MB: a page-by-page online copy (the backup API, 256 pages a step)
# restarts whenever another process commits between two steps, and never
# finished in 30 s beside the writer below; VACUUM INTO takes under a second.
FILLER_ROWS = 6000


@pytest.fixture
def big_db(db_path):
    with open_store(db_path) as store, store.db.conn:
        store.db.execute("CREATE TABLE filler (b BLOB)")
        store.db.execute(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)"
            " INSERT INTO filler SELECT randomblob(3000) FROM c", [FILLER_ROWS])
    return db_path


def _count(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


# Another process (as another gunicorn worker would be) committing one row
# per transaction, as fast as it can, until it is stopped; it reports its
# count of commits every so often.
WRITER = """
import sys
from annotations.store import open_database
db = open_database(sys.argv[1])
db.execute("CREATE TABLE IF NOT EXISTS writer_ticks (n INTEGER)")
n = 0
while True:
    n += 1
    with db.conn:
        db.conn.execute("INSERT INTO writer_ticks (n) VALUES (?)", [n])
    if n % 50 == 0:
        print(n, flush=True)
"""


@contextlib.contextmanager
def writer_process(path):
    """Yields a function telling how many commits the writer has made."""
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    commits = [0]

    def follow():
        for line in process.stdout:
            commits[0] = int(line)
    threading.Thread(target=follow, daemon=True).start()
    try:
        deadline = time.monotonic() + 20
        while commits[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert commits[0], "the writer process did not start committing"
        yield lambda: commits[0]
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_backup_finishes_while_a_writer_commits(big_db, tmp_path):
    dest = tmp_path / "backups" / "copy.db"
    dest.parent.mkdir()
    result = {}

    def run_backup():
        with open_store(big_db) as store:
            started = time.perf_counter()
            result["check"] = backup(store.db, dest)
            result["seconds"] = time.perf_counter() - started

    with writer_process(big_db) as commits:
        ticks_before = _count(big_db, "writer_ticks")
        commits_before = commits()
        copier = threading.Thread(target=run_backup, daemon=True)
        copier.start()
        copier.join(timeout=20)
        finished = not copier.is_alive()
        commits_during = commits() - commits_before
    copier.join(timeout=60)  # a copy that restarts on every write ends once the writer stops

    assert finished, "the backup did not finish while the writer was committing"
    assert result["check"] == "ok" and result["seconds"] < 10
    assert commits_during > 0
    conn = sqlite3.connect(dest)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert _count(dest, "filler") == FILLER_ROWS
    assert _count(dest, "writer_ticks") >= ticks_before
    assert [p.name for p in dest.parent.iterdir()] == ["copy.db"]


def test_a_copy_failing_its_check_leaves_nothing(db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "_integrity_check", lambda path: "*** page 7 is corrupt")
    dest = tmp_path / "out" / "copy.db"
    dest.parent.mkdir()
    with open_store(db_path) as store:
        assert backup(store.db, dest) == "*** page 7 is corrupt"
    assert list(dest.parent.iterdir()) == []


def test_a_copy_that_fails_midway_leaves_nothing(db_path, tmp_path):
    """VACUUM INTO cannot run inside a transaction: an error after the
    temporary file was made, which must be removed with it."""
    dest = tmp_path / "out" / "copy.db"
    dest.parent.mkdir()
    dest.write_bytes(b"the previous backup")
    with open_store(db_path) as store:
        store.db.execute("BEGIN")
        with pytest.raises(sqlite3.OperationalError):
            backup(store.db, dest)
        store.db.execute("ROLLBACK")
    assert [p.name for p in dest.parent.iterdir()] == ["copy.db"]
    assert dest.read_bytes() == b"the previous backup"


def test_the_cli_reports_a_failed_backup_and_leaves_nothing(runner, app, tmp_path, monkeypatch):
    def broken(path):
        raise sqlite3.DatabaseError("disk I/O error")
    monkeypatch.setattr(database, "_integrity_check", broken)
    dest = tmp_path / "out" / "copy.db"
    dest.parent.mkdir()

    result = runner.invoke(args=["backup", str(dest)])

    assert result.exit_code != 0
    assert "backup failed, nothing written: disk I/O error" in result.output
    assert "Traceback" not in result.output
    assert list(dest.parent.iterdir()) == []
