"""Signing in for an API token (POST /api/v1/session/token), as the
browser extension does: a password gives a personal token and no session,
with the login's throttling and messages; GET /api/v1/tokens/current says
whose token a client holds."""

from factcheck.auth import LOGIN_FAILURE_LIMIT
from tests.helpers import PASSWORD, api_error, bearer, make_token, row_counts


def _sign_in(client, username="factchecker", password=PASSWORD, name="Browser extension",
             headers=None):
    return client.post("/api/v1/session/token", headers=headers or {},
                       json={"username": username, "password": password, "name": name})


def test_a_password_gives_a_working_token_and_no_session(app, client, users):
    response = _sign_in(client)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "Browser extension"
    assert body["user"]["username"] == "factchecker" and body["user"]["role"] == "factchecker"
    assert "password_hash" not in body["user"]
    # No cookie: the browser's own session (if any) is left alone.
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/v1/session").get_json()["user"] is None
    # The token works, and is listed among the user's tokens.
    mine = client.get("/api/v1/tokens", headers=bearer(body["token"])).get_json()
    assert [t["id"] for t in mine] == [body["id"]]
    # A password sign-in counts as a login.
    with_login = client.get("/api/v1/users", headers=bearer(make_token(app, users["editor"]["id"])[0]))
    assert next(u for u in with_login.get_json() if u["username"] == "factchecker")["last_login_at"]


def test_signing_in_for_a_token_leaves_the_browser_session_logged_in(client, users):
    """Unlike DELETE /session, which ends every session of the user."""
    csrf = client.post("/api/v1/session", json={"username": "factchecker", "password": PASSWORD}
                       ).get_json()["csrf_token"]
    # A browser with a session cookie must show its CSRF token, as on any session write.
    api_error(_sign_in(client), 403, "X-CSRFToken", "csrf")
    assert _sign_in(client, headers={"X-CSRFToken": csrf}).status_code == 201
    assert client.get("/api/v1/session").get_json()["user"]["username"] == "factchecker"


def test_a_wrong_password_is_refused_with_the_login_message_and_nothing_written(app, client, users):
    before = row_counts(app)
    error = api_error(_sign_in(client, password="not the password"), 401, "password")
    assert error["message"] == "unknown username or wrong password"
    api_error(_sign_in(client, username="nobody"), 401, "password")
    after = row_counts(app)
    assert after["api_tokens"] == before["api_tokens"]


def test_sign_in_for_a_token_is_throttled_like_a_login(client, users):
    for _ in range(LOGIN_FAILURE_LIMIT):
        api_error(_sign_in(client, password="guess"), 401, "password")
    error = api_error(_sign_in(client), 429, "username")
    assert error["message"].startswith("too many failed logins")


def test_a_disabled_account_gets_no_token(client, auth, users):
    client.patch(f"/api/v1/users/{users['factchecker']['id']}", json={"disabled": True},
                 headers=auth["editor"])
    error = api_error(_sign_in(client), 403, "username", "account_disabled")
    assert error["message"] == "this account is disabled; ask an editor to enable it"


def test_sign_in_fields_are_checked(client, users):
    api_error(client.post("/api/v1/session/token",
                          json={"username": "factchecker", "password": PASSWORD}), 422, "name")
    api_error(_sign_in(client, name="x" * 101), 422, "name")
    api_error(client.post("/api/v1/session/token", json={
        "username": "factchecker", "password": PASSWORD, "name": "n", "role": "admin"}), 422, "role")


def test_current_token_names_its_user_and_fails_once_revoked(client, users):
    body = _sign_in(client).get_json()
    current = client.get("/api/v1/tokens/current", headers=bearer(body["token"]))
    assert current.status_code == 200
    answer = current.get_json()
    assert (answer["id"], answer["name"], answer["user"]["username"], answer["user"]["role"]) == \
        (body["id"], "Browser extension", "factchecker", "factchecker")
    assert "token" not in answer

    # The extension's sign-out: the token revokes itself.
    revoked = client.delete(f"/api/v1/tokens/{body['id']}", headers=bearer(body["token"]))
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    api_error(client.get("/api/v1/tokens/current", headers=bearer(body["token"])), 401,
              "Authorization")


def test_current_token_needs_a_token(client, users):
    api_error(client.get("/api/v1/tokens/current"), 401, "Authorization")
    client.post("/api/v1/session", json={"username": "reader", "password": PASSWORD})
    error = api_error(client.get("/api/v1/tokens/current"), 400, "Authorization")
    assert "without an API token" in error["message"]
