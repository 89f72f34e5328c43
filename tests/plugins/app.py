"""The Flask fixtures, after Flask's tutorial (flaskr): ``app`` on the test's
own migrated database, its test ``client`` and CLI ``runner``, and
``make_user`` for accounts that log in with ``tests.helpers.PASSWORD``."""

import pytest

import factcheck.auth
from factcheck import create_app
from factcheck.auth import hash_password
from tests.helpers import PASSWORD, open_store

# Cheap password hashing for test accounts only (see factcheck.auth).
factcheck.auth.PASSWORD_METHOD = "pbkdf2:sha256:1000"


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
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user("ed", "editor") creates an account with password PASSWORD."""
    def make(username: str, role: str) -> dict:
        with open_store(app) as store:
            return store.create_user(username, hash_password(PASSWORD), role)
    return make
