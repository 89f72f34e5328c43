"""The database fixtures: every test gets its own migrated SQLite file.

Migrating is done once per session, into a template file; each test's
``db_path`` is a byte copy of it. That keeps the suite's cost flat as
migrations are added: copying a small file is cheaper than running every
migration per test. tests/test_migrations.py still migrates empty files
itself, which is the path production takes.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

import migrations
from annotations.store import Store, open_database


def migrate_template(path: Path) -> Path:
    """Create a fully migrated database at ``path``, closed and self-contained.

    The file is opened the way the service opens it (WAL on), migrated, and
    its log checkpointed into the main file before the connection closes, so
    a plain copy of ``path`` is the whole database: no ``-wal`` holding
    commits the copy would lose. The WAL mode itself is kept in the file's
    header, as it is on a database migrated in place.
    """
    db = open_database(path)
    try:
        migrations.apply(db)
        assert migrations.migrations.pending(db) == []
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "template checkpoint was blocked"
    finally:
        db.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "template left a non-empty -wal"
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
    return path


def copy_database(template: Path, dest) -> Path:
    """Copy the (closed, checkpointed) template database to ``dest``."""
    dest = Path(dest)
    shutil.copyfile(template, dest)
    return dest


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A database file with every migration applied, made once per session.

    Never open it for writing: tests get copies (``db_path``, ``new_database``).
    """
    return migrate_template(tmp_path_factory.mktemp("template") / "migrated.db")


@pytest.fixture
def new_database(migrated_template):
    """new_database(path) puts a fresh migrated database at ``path`` and
    returns the path: for a test that needs a second database."""
    def make(path) -> Path:
        return copy_database(migrated_template, path)
    return make


@pytest.fixture
def db_path(tmp_path, new_database) -> Path:
    """The test's own migrated database file (a copy of the session template)."""
    return new_database(tmp_path / "test.db")


@pytest.fixture
def store(db_path):
    """A Store on a real, migrated SQLite file, with no Flask involved."""
    with Store(open_database(db_path)) as store:
        yield store
