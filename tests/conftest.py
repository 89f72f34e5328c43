"""Fixtures in the flaskr style: a fresh migrated database in tmp_path per test."""

import pytest

import factcheck.auth
import migrations
from annotations.store import Store, open_database
from factcheck import create_app
from factcheck.auth import hash_password


# Cheap password hashing for test accounts only (see factcheck.auth).
factcheck.auth.PASSWORD_METHOD = "pbkdf2:sha256:1000"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path):
    """A Store on a real, migrated SQLite file, with no Flask involved."""
    db = open_database(db_path)
    migrations.apply(db)
    yield Store(db)
    db.close()


@pytest.fixture
def app(tmp_path, db_path, monkeypatch):
    # An instance folder of the test's own: a developer's instance/config.py
    # or secret key must not change what the tests see.
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({
        "TESTING": True,
        "DATABASE": str(db_path),
        "SECRET_KEY": "test-secret",
    })
    with app.app_context():
        db = open_database(db_path)
        migrations.apply(db)
        db.close()
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """make_user("ed", "editor") creates an account with password PASSWORD."""
    def make(username: str, role: str) -> dict:
        db = open_database(app.config["DATABASE"])
        try:
            return Store(db).create_user(username, hash_password(PASSWORD), role)
        finally:
            db.close()
    return make
