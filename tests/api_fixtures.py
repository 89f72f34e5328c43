"""Shared helpers and fixtures for the /api/v1 tests.

Import the fixtures into a test module with
``from api_fixtures import *  # noqa: F401,F403``.
"""

import pytest

from annotations.store import Store, open_database
from conftest import PASSWORD
from factcheck.auth import new_api_token
from werkzeug.security import generate_password_hash

ROLES = ("reader", "factchecker", "editor", "admin")
ERROR_KEYS = {"status", "code", "message", "field", "fields"}
COUNTED_TABLES = ("articles", "passages", "claims", "citations", "audit_log", "users",
                  "api_tokens")

ARTICLE_TEXT = (
    "Budget cuts announced\n"
    "\n"
    "The minister said unemployment fell by 3% last year.\n"
    "\n"
    "Critics said the figure was misleading.\n"
)


def open_store(app) -> Store:
    return Store(open_database(app.config["DATABASE"]))


def row_counts(app) -> dict:
    """Rows per table, read straight from the SQLite file."""
    db = open_database(app.config["DATABASE"])
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}
    finally:
        db.close()


def api_error(response, status: int, field: str | None = None, code: str | None = None) -> dict:
    """Assert ``response`` is the API's one error shape; return the error object.

    ``field`` given: the error must name exactly that field, and list it in
    ``fields``.
    """
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    body = response.get_json()
    error = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if field is not None:
        assert error["field"] == field, error
        assert field in error["fields"] and error["fields"][field]
    if code is not None:
        assert error["code"] == code
    return error


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def make_token(app, user_id: int, name: str = "test") -> tuple[str, dict]:
    """A live personal API token for the user: (secret, token record)."""
    token, token_hash = new_api_token()
    store = open_store(app)
    try:
        record = store.create_token(user_id, name, token_hash)
    finally:
        store.db.close()
    return token, record


# A real but cheap password hash: the four accounts every test makes would
# otherwise spend most of the suite's time in scrypt.
_FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def users(app):
    """One account per role, named after the role, with password PASSWORD."""
    store = open_store(app)
    try:
        return {role: store.create_user(role, _FAST_HASH, role) for role in ROLES}
    finally:
        store.db.close()


@pytest.fixture
def auth(app, users):
    """Bearer headers per role: auth["editor"], ...; auth["anonymous"] is {}."""
    headers = {"anonymous": {}}
    for role, user in users.items():
        token, _ = make_token(app, user["id"], f"{role} script")
        headers[role] = bearer(token)
    return headers


def import_article(client, headers, url="https://news.example.com/budget", text=ARTICLE_TEXT,
                   **extra) -> dict:
    response = client.post("/api/v1/articles", json={"url": url, "text": text, **extra},
                           headers=headers)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["article"]


def passage_with(article: dict, needle: str) -> dict:
    return next(p for p in article["passages"] if needle in p["text"])


def create_claim(client, headers, passage: dict, quote: str, verdict="unverified",
                 **extra) -> dict:
    start = passage["text"].index(quote)
    response = client.post("/api/v1/claims", json={
        "passage_id": passage["id"], "start": start, "end": start + len(quote),
        "verdict": verdict, **extra}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def etag_of(client, headers, claim_id: int) -> str:
    response = client.get(f"/api/v1/claims/{claim_id}", headers=headers)
    assert response.status_code == 200
    return response.headers["ETag"]


__all__ = ["PASSWORD", "ROLES", "ARTICLE_TEXT", "open_store", "row_counts", "api_error",
           "bearer", "make_token", "users", "auth", "import_article", "passage_with",
           "create_claim", "etag_of"]
