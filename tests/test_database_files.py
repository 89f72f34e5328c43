"""The database file and its -wal and -shm are readable by their owner only,
like the secret key."""

import os
import stat

from annotations.store import open_database


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_are_created_0600(tmp_path):
    path = tmp_path / "factcheck.db"
    old_umask = os.umask(0o022)  # the usual umask, which made them 0644
    try:
        db = open_database(path)
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        db.conn.commit()
        files = [path, tmp_path / "factcheck.db-wal", tmp_path / "factcheck.db-shm"]
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        db.close()
    finally:
        os.umask(old_umask)


def test_the_migrate_command_creates_the_instance_database_0600(tmp_path, monkeypatch):
    from factcheck import create_app

    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert _mode(app.config["DATABASE"]) == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.db"
    open_database(path).close()
    os.chmod(path, 0o640)  # an operator's choice
    open_database(path).close()
    assert _mode(path) == 0o640
