"""Plain helpers shared by the test modules: import them by name,
``from tests.helpers import api_error, bearer``. Fixtures are not here: they
are in the plugins under tests/plugins.
"""

import os
import re

from werkzeug.security import generate_password_hash

from annotations.store import Actor, Store, open_database
from factcheck.auth import new_api_token

# Every account the tests make through ``make_user``, ``users`` or the user
# factory has this password.
PASSWORD = "correct horse battery"

# A real but cheap password hash: the accounts most tests make would
# otherwise spend most of the suite's time in scrypt.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

ROLES = ("reader", "factchecker", "editor", "admin")
ERROR_KEYS = {"status", "code", "message", "field", "fields"}
COUNTED_TABLES = ("articles", "passages", "claims", "citations", "audit_log", "users",
                  "api_tokens", "claim_comments")

ARTICLE_TEXT = (
    "Budget cuts announced\n"
    "\n"
    "The minister said unemployment fell by 3% last year.\n"
    "\n"
    "Critics said the figure was misleading.\n"
)


def database_path(app_or_path) -> str:
    """The database file of a Flask app (its DATABASE setting), or the path given."""
    config = getattr(app_or_path, "config", None)
    return config["DATABASE"] if config is not None else os.fspath(app_or_path)


def open_store(app_or_path) -> Store:
    """A Store on its own connection to the app's (or the path's) database.

    Use it as a context manager, which closes the connection:
    ``with open_store(app) as store: ...``.
    """
    return Store(open_database(database_path(app_or_path)))


def as_actor(user) -> Actor:
    """The Actor for a user row (an Actor is returned as it is)."""
    if isinstance(user, Actor):
        return user
    return Actor(user["id"], user["username"])


def row_counts(app) -> dict:
    """Rows per table, read straight from the SQLite file."""
    db = open_database(database_path(app))
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
    with open_store(app) as store:
        record = store.create_token(user_id, name, token_hash)
    return token, record


# -- through the API ---------------------------------------------------------------

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


def take_action(client, headers, claim_id: int, action: str, **body):
    """POST a workflow action (submit, approve, ...) and return the response."""
    return client.post(f"/api/v1/claims/{claim_id}/transitions",
                       json={"action": action, **body}, headers=headers)


def publish_over_api(client, headers, claim_id: int, submitter: dict | None = None,
                     **approval) -> dict:
    """Submit a claim (as ``submitter``, default ``headers``) and approve it
    as ``headers``, an editor who did not write it; returns the claim."""
    response = take_action(client, submitter or headers, claim_id, "submit")
    assert response.status_code == 200, response.get_json()
    response = take_action(client, headers, claim_id, "approve", **approval)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def log_in_with_form(client, username: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the /login form (its CSRF token included)."""
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
