"""Session cookies name a user id that is never reused and the user's
session generation: logout, a password change or reset and a role change
end every session of that user, copied cookies and other browsers included."""

from tests.helpers import PASSWORD, api_error, bearer, make_token


def _login(client, username, password=PASSWORD) -> str:
    """Logs in through the API; returns the CSRF token."""
    response = client.post("/api/v1/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["csrf_token"]


def _who(client) -> str | None:
    user = client.get("/api/v1/session").get_json()["user"]
    return user and user["username"]


def _copy_cookie(source, target) -> None:
    """What an attacker holding a copy of the cookie sends."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_cookie_of_a_deleted_user_never_becomes_the_next_account(app, auth, users):
    victim, attacker = app.test_client(), app.test_client()
    created = attacker.post("/api/v1/users", json={
        "username": "leaver", "password": "a long password", "role": "reader"},
        headers=auth["admin"]).get_json()
    _login(victim, "leaver", "a long password")
    _copy_cookie(victim, attacker)  # the leaver's cookie, kept after they leave
    assert attacker.delete(f"/api/v1/users/{created['id']}",
                           headers=auth["admin"]).status_code == 204

    new_admin = attacker.post("/api/v1/users", json={
        "username": "newadmin", "password": "a long password", "role": "admin"},
        headers=auth["admin"]).get_json()

    assert new_admin["id"] > created["id"]
    assert _who(attacker) is None
    api_error(attacker.get("/api/v1/users"), 401)


def test_api_logout_ends_a_copied_cookie_and_other_browsers(app, users):
    mine, copy, other_browser = app.test_client(), app.test_client(), app.test_client()
    csrf = _login(mine, "editor")
    _copy_cookie(mine, copy)
    _login(other_browser, "editor")
    assert _who(copy) == "editor"

    assert mine.delete("/api/v1/session", headers={"X-CSRFToken": csrf}).status_code == 204

    assert (_who(mine), _who(copy), _who(other_browser)) == (None, None, None)
    api_error(copy.get("/api/v1/users"), 401)


def test_ui_logout_ends_a_copied_cookie(app, users):
    mine, copy = app.test_client(), app.test_client()
    _login(mine, "editor")
    _copy_cookie(mine, copy)
    csrf = mine.get("/api/v1/session").get_json()["csrf_token"]

    assert mine.post("/logout", data={"csrf_token": csrf}).status_code == 302

    assert _who(copy) is None
    assert copy.get("/tokens").status_code == 302  # sent to the login page


def test_logging_in_again_after_logout_works(app, users):
    client = app.test_client()
    csrf = _login(client, "editor")
    client.delete("/api/v1/session", headers={"X-CSRFToken": csrf})
    _login(client, "editor")
    assert _who(client) == "editor"


def test_admin_password_reset_ends_the_users_sessions(app, auth, users):
    client = app.test_client()
    _login(client, "factchecker")

    response = client.patch(f"/api/v1/users/{users['factchecker']['id']}",
                            json={"password": "a brand new password"}, headers=auth["admin"])

    assert response.status_code == 200
    assert _who(client) is None
    _login(client, "factchecker", "a brand new password")
    assert _who(client) == "factchecker"


def test_role_change_ends_the_users_sessions(app, auth, users):
    client = app.test_client()
    _login(client, "factchecker")

    response = client.patch(f"/api/v1/users/{users['factchecker']['id']}",
                            json={"role": "editor"}, headers=auth["admin"])

    assert response.status_code == 200
    assert _who(client) is None


def test_changing_your_own_password_keeps_this_session_only(app, users):
    mine, other_browser = app.test_client(), app.test_client()
    csrf = _login(mine, "editor")
    _login(other_browser, "editor")

    response = mine.patch(f"/api/v1/users/{users['editor']['id']}",
                          json={"password": "my new long password"}, headers={"X-CSRFToken": csrf})

    assert response.status_code == 200
    assert _who(mine) == "editor"
    assert _who(other_browser) is None
    # The same CSRF token still works in the session that stayed.
    assert mine.post("/api/v1/tokens", json={"name": "cli"},
                     headers={"X-CSRFToken": csrf}).status_code == 201


def test_cookie_without_a_generation_logs_in_nobody(app, users):
    """A cookie signed with the app's key but made before generations (or
    by a copy of the old code) names only an id."""
    client = app.test_client()
    serializer = app.session_interface.get_signing_serializer(app)
    client.set_cookie("session", serializer.dumps({"user_id": users["admin"]["id"]}))
    assert _who(client) is None


def test_an_unchanged_session_still_works(app, auth, users):
    client = app.test_client()
    _login(client, "editor")
    # Another user's password change does not touch this session.
    client.patch(f"/api/v1/users/{users['reader']['id']}", json={"password": "another long pw"},
                 headers=auth["admin"])
    assert _who(client) == "editor"


def test_logout_leaves_api_tokens_working(app, users):
    client = app.test_client()
    token, _ = make_token(app, users["editor"]["id"])
    csrf = _login(client, "editor")
    client.delete("/api/v1/session", headers={"X-CSRFToken": csrf})
    assert app.test_client().get("/api/v1/users", headers=bearer(token)).status_code == 200
