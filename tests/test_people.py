"""Managing people (issue 15): disabling and enabling accounts, password
resets, your own password change, the last active admin, the audit trail;
through the store, the API and the server-rendered People and Your account
pages. (Who may call each write route is in tests/test_api_auth.py.)"""

import re

import pytest
from werkzeug.security import check_password_hash

from annotations.models import NotAllowed
from annotations.store import SYSTEM
from tests.helpers import PASSWORD, api_error, as_actor, bearer, make_token, open_store, row_counts

NEW_PASSWORD = "a fresh long password"


def _login(client, username, password=PASSWORD):
    return client.post("/api/v1/session", json={"username": username, "password": password})


def _session(client, username, password=PASSWORD) -> str:
    """Logs ``client`` in; returns the CSRF token for its writes."""
    response = _login(client, username, password)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["csrf_token"]


def _who(client) -> str | None:
    user = client.get("/api/v1/session").get_json()["user"]
    return user and user["username"]


def _user_entries(app, user_id: int) -> list[dict]:
    with open_store(app) as store:
        return store.history("user", user_id)


def _patch(client, headers, user_id, body):
    return client.patch(f"/api/v1/users/{user_id}", json=body, headers=headers)


# -- disabling and enabling -------------------------------------------------------------

def test_disabled_user_cannot_log_in_and_is_told_only_with_the_right_password(
        app, client, auth, users):
    response = _patch(client, auth["editor"], users["factchecker"]["id"], {"disabled": True})

    assert response.status_code == 200
    body = response.get_json()
    assert body["disabled"] is True and body["disabled_at"]
    refused = api_error(_login(app.test_client(), "factchecker"), 403, "username",
                        "account_disabled")
    assert "disabled" in refused["message"]
    # Without the password, a disabled account answers exactly as a wrong
    # password or an unknown name does: probing names learns nothing.
    wrong = _login(app.test_client(), "factchecker", "not the password")
    unknown = _login(app.test_client(), "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_disabling_ends_sessions_and_refuses_tokens_at_once(app, client, auth, users):
    theirs = app.test_client()
    _session(theirs, "factchecker")
    assert client.get("/api/v1/tokens", headers=auth["factchecker"]).status_code == 200

    _patch(client, auth["editor"], users["factchecker"]["id"], {"disabled": True})

    assert _who(theirs) is None
    api_error(client.get("/api/v1/tokens", headers=auth["factchecker"]), 401, "Authorization")
    before = row_counts(app)
    api_error(client.post("/api/v1/articles", json={"url": "https://news.example.com/x",
                                                    "text": "Text."},
                          headers=auth["factchecker"]), 401, "Authorization")
    assert row_counts(app) == before


def test_enabling_restores_login_and_tokens_but_not_old_sessions(app, client, auth, users):
    old = app.test_client()
    _session(old, "factchecker")
    target = users["factchecker"]["id"]
    _patch(client, auth["editor"], target, {"disabled": True})

    response = _patch(client, auth["editor"], target, {"disabled": False})

    assert response.status_code == 200
    assert response.get_json()["disabled"] is False
    assert response.get_json()["disabled_at"] is None
    assert _who(old) is None
    assert _login(app.test_client(), "factchecker").status_code == 200
    assert client.get("/api/v1/tokens", headers=auth["factchecker"]).status_code == 200


def test_a_disabled_author_keeps_their_claims(client, auth, users, factories):
    article = factories.article("https://news.example.com/kept", "The mayor said taxes fell.")
    claim = factories.claim(article, "taxes fell", actor=as_actor(users["factchecker"]))

    _patch(client, auth["editor"], users["factchecker"]["id"], {"disabled": True})

    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["editor"]).get_json()
    assert shown["created_by"] == users["factchecker"]["id"]
    listed = {u["username"]: u for u in client.get("/api/v1/users",
                                                   headers=auth["editor"]).get_json()}
    assert listed["factchecker"]["disabled"] is True


def test_nobody_disables_themselves(client, app, auth, users):
    before = row_counts(app)
    api_error(_patch(client, auth["editor"], users["editor"]["id"], {"disabled": True}), 403,
              "disabled")
    assert row_counts(app) == before
    assert client.get("/api/v1/tokens", headers=auth["editor"]).status_code == 200


def test_editor_cannot_disable_an_admin_but_an_admin_can_disable_another(
        client, app, auth, users, make_user):
    before = row_counts(app)
    api_error(_patch(client, auth["editor"], users["admin"]["id"], {"disabled": True}), 403,
              "role")
    assert row_counts(app) == before

    second = make_user("second-admin", "admin")
    response = _patch(client, auth["admin"], second["id"], {"disabled": True})
    assert response.status_code == 200 and response.get_json()["disabled"] is True


@pytest.mark.parametrize("body, field", [
    ({"disabled": "yes"}, "disabled"),
    ({"disabled": None}, "disabled"),
    ({"disabled": "true"}, "disabled"),
    ({"disabled": True, "locked": True}, "locked"),
    ({}, "_schema"),
])
def test_bad_patch_bodies_are_422_naming_the_field(client, app, auth, users, body, field):
    before = row_counts(app)
    api_error(_patch(client, auth["editor"], users["reader"]["id"], body), 422, field)
    assert row_counts(app) == before
    assert _login(app.test_client(), "reader").status_code == 200


# -- the last active admin (a rule of the store: every path keeps it) ---------------

def test_the_last_active_admin_cannot_be_disabled_demoted_or_deleted(store, users):
    admin = users["admin"]
    with pytest.raises(NotAllowed) as refused:
        store.update_user(admin["id"], SYSTEM, disabled=True)
    assert refused.value.field == "disabled"
    with pytest.raises(NotAllowed) as refused:
        store.update_user(admin["id"], SYSTEM, role="editor")
    assert refused.value.field == "role"
    with pytest.raises(NotAllowed):
        store.delete_user(admin["id"], SYSTEM)
    assert store.user(admin["id"])["disabled_at"] is None
    assert store.user(admin["id"])["role"] == "admin"


def test_a_disabled_admin_does_not_count_as_the_other_admin(store, users):
    other = store.create_user("other-admin", "!", "admin")
    store.update_user(other["id"], as_actor(users["admin"]), disabled=True)

    with pytest.raises(NotAllowed):
        store.update_user(users["admin"]["id"], as_actor(other), disabled=True)

    # Enabled again, the other admin makes the first one disposable.
    store.update_user(other["id"], as_actor(users["admin"]), disabled=False)
    assert store.update_user(users["admin"]["id"], as_actor(other),
                             disabled=True)["disabled_at"]


# -- resets by an editor ----------------------------------------------------------------

def test_reset_by_an_editor_ends_sessions_and_the_new_password_works(app, client, auth, users):
    theirs = app.test_client()
    _session(theirs, "reader")

    response = _patch(client, auth["editor"], users["reader"]["id"], {"password": NEW_PASSWORD})

    assert response.status_code == 200
    assert _who(theirs) is None
    api_error(_login(app.test_client(), "reader"), 401)
    assert _login(app.test_client(), "reader", NEW_PASSWORD).status_code == 200


# -- your own password ------------------------------------------------------------------

def _change_own(client, csrf, current, new=NEW_PASSWORD):
    return client.post("/api/v1/session/password",
                       json={"current_password": current, "new_password": new},
                       headers={"X-CSRFToken": csrf})


def test_own_password_change_keeps_this_session_and_ends_the_others(app, users):
    mine, elsewhere = app.test_client(), app.test_client()
    csrf = _session(mine, "factchecker")
    _session(elsewhere, "factchecker")

    response = _change_own(mine, csrf, PASSWORD)

    assert response.status_code == 200
    assert response.get_json()["username"] == "factchecker"
    assert "password_hash" not in response.get_json()
    assert _who(mine) == "factchecker"
    assert _who(elsewhere) is None
    # This session's CSRF token still works.
    assert mine.post("/api/v1/tokens", json={"name": "after"},
                     headers={"X-CSRFToken": csrf}).status_code == 201
    api_error(_login(app.test_client(), "factchecker"), 401)
    assert _login(app.test_client(), "factchecker", NEW_PASSWORD).status_code == 200


def test_wrong_current_password_changes_nothing(app, users):
    client = app.test_client()
    csrf = _session(client, "factchecker")
    before = row_counts(app)

    api_error(_change_own(client, csrf, "not my password"), 422, "current_password")

    assert row_counts(app) == before
    assert _who(client) == "factchecker"
    assert _login(app.test_client(), "factchecker").status_code == 200
    api_error(_login(app.test_client(), "factchecker", NEW_PASSWORD), 401)


def test_guessing_the_current_password_is_throttled_like_logins(app, users):
    client = app.test_client()
    csrf = _session(client, "factchecker")
    for _ in range(5):
        api_error(_change_own(client, csrf, "a wrong guess"), 422, "current_password")

    response = _change_own(client, csrf, PASSWORD)

    api_error(response, 429, "current_password")
    assert int(response.headers["Retry-After"]) > 0
    # The same counters as the login's: the login is locked for this client too.
    api_error(_login(app.test_client(), "factchecker"), 429)
    with open_store(app) as store:
        assert check_password_hash(store.user(users["factchecker"]["id"])["password_hash"],
                                   PASSWORD)


@pytest.mark.parametrize("body, field", [
    ({"new_password": NEW_PASSWORD}, "current_password"),
    ({"current_password": PASSWORD}, "new_password"),
    ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
    ({"current_password": PASSWORD, "new_password": PASSWORD}, "new_password"),
    ({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": 1}, "confirm"),
])
def test_bad_password_change_bodies_are_422(app, users, body, field):
    client = app.test_client()
    csrf = _session(client, "reader")
    before = row_counts(app)
    api_error(client.post("/api/v1/session/password", json=body,
                          headers={"X-CSRFToken": csrf}), 422, field)
    assert row_counts(app) == before
    assert _login(app.test_client(), "reader").status_code == 200


def test_own_password_change_with_a_token_keeps_the_token(client, app, users):
    token, _ = make_token(app, users["reader"]["id"])
    response = client.post("/api/v1/session/password", json={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=bearer(token))
    assert response.status_code == 200
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 200


# -- the audit trail --------------------------------------------------------------------

def test_every_account_change_writes_one_audit_row_without_the_password(app, auth, users):
    client = app.test_client()
    created = client.post("/api/v1/users", json={
        "username": "casey", "password": "casey's first password", "role": "factchecker"},
        headers=auth["editor"]).get_json()
    target = created["id"]
    for body in ({"role": "reader"}, {"disabled": True}, {"disabled": False},
                 {"password": "reset by the editor"}):
        assert _patch(client, auth["editor"], target, body).status_code == 200
    own = app.test_client()
    csrf = _session(own, "casey", "reset by the editor")
    assert _change_own(own, csrf, "reset by the editor", "casey's own password").status_code \
        == 200

    entries = _user_entries(app, target)

    assert [(e["action"], e["actor"], e["entity_id"]) for e in entries] == [
        ("create", "editor", target)] + [("update", "editor", target)] * 4 + [
        ("update", "casey", target)]
    changes = [(e["before"], e["after"]) for e in entries[1:]]
    assert changes[0][0]["role"] == "factchecker" and changes[0][1]["role"] == "reader"
    assert (changes[1][0]["disabled"], changes[1][1]["disabled"]) == (False, True)
    assert (changes[2][0]["disabled"], changes[2][1]["disabled"]) == (True, False)
    assert [after["password_changed"] for _, after in changes] == [False] * 3 + [True] * 2
    assert all(after["username"] == "casey" for _, after in changes)
    with open_store(app) as store:
        password_hash = store.user(target)["password_hash"]
    logged = str(entries)
    for secret in ("casey's first password", "reset by the editor", "casey's own password",
                   password_hash, "pbkdf2", "scrypt"):
        assert secret not in logged


def test_last_login_is_recorded_and_listed(app, client, auth, users):
    listed = {u["username"]: u for u in client.get("/api/v1/users",
                                                   headers=auth["editor"]).get_json()}
    assert listed["reader"]["last_login_at"] is None

    _session(app.test_client(), "reader")

    listed = {u["username"]: u for u in client.get("/api/v1/users",
                                                   headers=auth["editor"]).get_json()}
    assert listed["reader"]["last_login_at"]
    assert listed["reader"]["disabled"] is False


# -- the pages ----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def csrf_enabled(app):
    """CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True


def _csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _page_login(client, username, password=PASSWORD):
    token = _csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def _logged_in_page(app, username):
    client = app.test_client()
    assert _page_login(client, username).status_code == 302
    return client


def _row(html: str, username: str) -> str:
    match = re.search(rf'<tr data-username="{re.escape(username)}".*?</tr>', html, re.S)
    assert match, f"no row for {username}"
    return match.group(0)


@pytest.mark.parametrize("role, status", [("reader", 403), ("factchecker", 403),
                                          ("editor", 200), ("admin", 200)])
def test_people_page_is_for_editors(app, users, role, status):
    client = _logged_in_page(app, role)
    assert client.get("/users").status_code == status
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/users"' in nav) == (status == 200)
    assert 'href="/account"' in nav


def test_people_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302


def test_people_page_lists_accounts_and_offers_only_grantable_roles(app, users):
    client = _logged_in_page(app, "editor")
    html = client.get("/users").get_data(as_text=True)

    for username in ("reader", "factchecker", "editor", "admin"):
        assert f'<th scope="row">{username}</th>' in html
    create_form = re.search(r'<form[^>]*id="new-user-form".*?</form>', html, re.S).group(0)
    assert 'value="admin"' not in create_form and 'value="editor"' in create_form
    assert "Only an admin manages admins." in _row(html, "admin")
    assert "Disable" not in _row(html, "admin")
    assert "Disable" not in _row(html, "editor")  # yourself
    assert 'action="/users/' in _row(html, "reader")
    admin_html = _logged_in_page(app, "admin").get("/users").get_data(as_text=True)
    create_form = re.search(r'<form[^>]*id="new-user-form".*?</form>', admin_html,
                            re.S).group(0)
    assert 'value="admin"' in create_form


def test_people_forms_need_the_csrf_token(app, users):
    client = _logged_in_page(app, "editor")
    before = row_counts(app)
    target = users["reader"]["id"]
    for path, data in [("/users", {"username": "sneaky", "role": "reader"}),
                       (f"/users/{target}/role", {"role": "editor"}),
                       (f"/users/{target}/disable", {}),
                       (f"/users/{target}/password", {})]:
        assert client.post(path, data=data).status_code == 400
    assert client.post("/account", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD}).status_code == 400
    assert row_counts(app) == before
    assert _page_login(app.test_client(), "reader").status_code == 302


def test_people_page_creates_with_a_password_shown_once(app, users):
    client = _logged_in_page(app, "editor")
    csrf = _csrf_from(client.get("/users").get_data(as_text=True))

    response = client.post("/users", data={"username": "casey", "role": "factchecker",
                                           "csrf_token": csrf})

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    password = re.search(r'<code id="handed-over-password">([^<]+)</code>', html).group(1)
    assert len(password) >= 16
    assert "factchecker" in _row(html, "casey")
    assert _page_login(app.test_client(), "casey", password).status_code == 302
    assert "handed-over-password" not in client.get("/users").get_data(as_text=True)


@pytest.mark.parametrize("data, status, message", [
    ({"username": "", "role": "reader"}, 422, "Enter a username."),
    ({"username": "reader", "role": "reader"}, 422, "already exists"),
    ({"username": "boss", "role": "admin"}, 403, "You cannot create a user with role admin."),
    ({"username": "boss", "role": "owner"}, 422, "Role: Must be one of"),
])
def test_people_page_refuses_bad_accounts_with_a_message(app, users, data, status, message):
    client = _logged_in_page(app, "editor")
    csrf = _csrf_from(client.get("/users").get_data(as_text=True))
    before = row_counts(app)

    response = client.post("/users", data={**data, "csrf_token": csrf})

    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" role="alert">[^<]*' + re.escape(message), html), html
    assert row_counts(app) == before


@pytest.mark.parametrize("username, shown", [
    ("a\x00b", "U+0000"), ("tab\x7fdel", "U+007F"), ("ad\u202emin", "U+202E"),
    ("zero\u200bwidth", "U+200B"), ("bom\ufeffname", "U+FEFF"), ("private\ue000", "U+E000"),
])
def test_a_username_must_be_printable(app, users, auth, username, shown):
    before = row_counts(app)
    client = _logged_in_page(app, "editor")
    csrf = _csrf_from(client.get("/users").get_data(as_text=True))
    response = client.post("/users", data={"username": username, "role": "reader",
                                           "csrf_token": csrf})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" role="alert">Username cannot contain ' + re.escape(shown),
                     html), re.findall(r'role="alert">[^<]*', html)
    api = app.test_client().post("/api/v1/users", json={
        "username": username, "password": "a long password", "role": "reader"},
        headers=auth["editor"])
    assert shown in api_error(api, 422, "username")["message"]
    assert row_counts(app) == before


def test_usernames_keep_their_letters_and_inner_spaces_and_old_names_still_log_in(app, users):
    store = open_store(app)
    # Other whitespace (tabs, line separators) collapses to one space.
    created = store.create_user("  Zoë  van\tDijk\u2028", "x", "reader")
    assert created["username"] == "Zoë van Dijk"
    # An account made before the rule keeps its name and can still log in.
    store.db.execute("UPDATE users SET username = 'old\x01name' WHERE id = ?",
                     [users["reader"]["id"]])
    response = app.test_client().post("/api/v1/session", json={
        "username": "old\x01name", "password": PASSWORD})
    assert response.status_code == 200, response.get_json()


def test_people_page_changes_role_disables_enables_and_resets(app, users):
    client = _logged_in_page(app, "editor")
    csrf = _csrf_from(client.get("/users").get_data(as_text=True))
    target = users["reader"]["id"]

    response = client.post(f"/users/{target}/role", data={"role": "factchecker",
                                                           "csrf_token": csrf},
                           follow_redirects=True)
    assert "reader is now factchecker." in response.get_data(as_text=True)
    assert "factchecker" in _row(response.get_data(as_text=True), "reader")

    response = client.post(f"/users/{target}/disable", data={"csrf_token": csrf},
                           follow_redirects=True)
    assert "disabled since" in _row(response.get_data(as_text=True), "reader")
    refused = _page_login(app.test_client(), "reader")
    assert refused.status_code == 403
    assert "This account is disabled" in refused.get_data(as_text=True)

    response = client.post(f"/users/{target}/enable", data={"csrf_token": csrf},
                           follow_redirects=True)
    assert "reader is enabled" in response.get_data(as_text=True)
    assert _page_login(app.test_client(), "reader").status_code == 302

    response = client.post(f"/users/{target}/password", data={"csrf_token": csrf})
    html = response.get_data(as_text=True)
    password = re.search(r'<code id="handed-over-password">([^<]+)</code>', html).group(1)
    assert _page_login(app.test_client(), "reader").status_code == 401
    assert _page_login(app.test_client(), "reader", password).status_code == 302


def test_people_page_refuses_what_the_rules_forbid(app, users):
    client = _logged_in_page(app, "editor")
    csrf = _csrf_from(client.get("/users").get_data(as_text=True))
    before = row_counts(app)

    promote = client.post(f"/users/{users['reader']['id']}/role",
                          data={"role": "admin", "csrf_token": csrf})
    assert promote.status_code == 403
    assert "You cannot grant the role admin." in promote.get_data(as_text=True)
    assert client.post(f"/users/{users['admin']['id']}/disable",
                       data={"csrf_token": csrf}).status_code == 403
    assert client.post(f"/users/{users['editor']['id']}/disable",
                       data={"csrf_token": csrf}).status_code == 403
    assert client.post("/users/4242/disable", data={"csrf_token": csrf}).status_code == 404
    assert row_counts(app) == before


def _account_form(client, current, new=NEW_PASSWORD, confirm=None):
    csrf = _csrf_from(client.get("/account").get_data(as_text=True))
    return client.post("/account", data={
        "current_password": current, "new_password": new,
        "confirm_password": new if confirm is None else confirm, "csrf_token": csrf})


@pytest.mark.parametrize("current, new, confirm, message, field", [
    ("not my password", NEW_PASSWORD, None, "The current password is wrong.",
     "current-password"),
    (PASSWORD, NEW_PASSWORD, "something else", "The two new passwords differ.",
     "confirm-password"),
    (PASSWORD, "short", None, "The new password needs 8 to 1024 characters.", "new-password"),
    ("", NEW_PASSWORD, None, "Enter your current password.", "current-password"),
])
def test_account_page_refuses_with_a_clear_error_and_changes_nothing(
        app, users, current, new, confirm, message, field):
    client = _logged_in_page(app, "reader")
    before = row_counts(app)

    response = _account_form(client, current, new, confirm)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" role="alert" id="password-error">{message}</p>' in html
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)
    assert row_counts(app) == before
    assert _page_login(app.test_client(), "reader").status_code == 302


def test_account_page_changes_the_password_and_keeps_this_session(app, users):
    client = _logged_in_page(app, "reader")
    elsewhere = _logged_in_page(app, "reader")

    response = _account_form(client, PASSWORD)

    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Your password is changed." in page
    assert '<span class="who">reader (reader)</span>' in page
    assert elsewhere.get("/account").status_code == 302  # logged out there
    assert _page_login(app.test_client(), "reader").status_code == 401
    assert _page_login(app.test_client(), "reader", NEW_PASSWORD).status_code == 302
    entries = _user_entries(app, users["reader"]["id"])
    assert (entries[-1]["actor"], entries[-1]["after"]["password_changed"]) == ("reader", True)


def test_disabled_people_are_not_offered_as_assignees(app, client, auth, users):
    _patch(client, auth["editor"], users["factchecker"]["id"], {"disabled": True})

    html = _logged_in_page(app, "editor").get("/claims").get_data(as_text=True)

    offered = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html))
    assert "editor" in offered and "factchecker" not in offered
