"""Who may do what through the JSON API, session login with CSRF, personal
API tokens, login throttling and account management."""

import datetime
import itertools
import os

import pytest

from annotations.store import Actor
from tests.helpers import PASSWORD, api_error, bearer, make_token, open_store, row_counts

_serial = itertools.count()


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


# -- fresh objects, made straight in the store --------------------------------------

def _article(factories) -> dict:
    return factories.article(f"https://news.example.com/{_unique('a')}",
                             "The minister said the bridge is open.")


def _claim(factories, published=False, citation=False) -> dict:
    citations = ({"url": "https://ministry.example.org/bridge"},) if citation else ()
    return factories.claim(_article(factories), "minister", citations=citations,
                           published=published)


def _plain_user(factories, role="reader") -> dict:
    # No login needed, so no real password hash: keeps the matrix fast.
    return factories.user(_unique("target"), role, password_hash="!not-a-hash")


def _etag(client, app, claim_id) -> str:
    admin_token, _ = make_token(app, _admin_id(app))
    return client.get(f"/api/v1/claims/{claim_id}", headers=bearer(admin_token)).headers["ETag"]


def _admin_id(app) -> int:
    store = open_store(app)
    try:
        return store.find_user("admin")["id"]
    finally:
        store.db.close()


def _prepare(endpoint, factories, client, app, caller) -> tuple[str, str, dict | None, dict]:
    """(method, path, json body, extra headers) for one fresh, valid call."""
    store = factories.store
    if endpoint == "POST /rationale/preview":
        return "post", "/api/v1/rationale/preview", {
            "markdown": "See *the* [record](https://r.example)"}, {}
    if endpoint == "POST /articles":
        return "post", "/api/v1/articles", {
            "url": f"https://news.example.com/{_unique('new')}",
            "text": "Fresh article text."}, {}
    if endpoint == "PATCH /articles/<id>":
        return "patch", f"/api/v1/articles/{_article(factories)['id']}", {
            "author": "Corrected Name"}, {}
    if endpoint == "DELETE /articles/<id>":
        return "delete", f"/api/v1/articles/{_article(factories)['id']}", None, {}
    if endpoint == "POST /claims":
        passage = store.passages(_article(factories)["id"])[0]
        return "post", "/api/v1/claims", {"passage_id": passage["id"], "start": 4, "end": 12,
                                          "verdict": "unverified"}, {}
    if endpoint == "PATCH /claims/<id>":
        claim = _claim(factories)
        return "patch", f"/api/v1/claims/{claim['id']}", {"label": "Misleading"}, {
            "If-Match": _etag(client, app, claim["id"])}
    if endpoint == "DELETE /claims/<id>":
        claim = _claim(factories)
        return "delete", f"/api/v1/claims/{claim['id']}", None, {
            "If-Match": _etag(client, app, claim["id"])}
    if endpoint == "POST /claims/<id>/transitions":
        # Submitting is a factchecker's; each action's own role is checked
        # in tests/test_api_workflow.py.
        return "post", f"/api/v1/claims/{_claim(factories)['id']}/transitions", {
            "action": "submit"}, {}
    if endpoint == "PUT /claims/<id>/anchor":
        claim = _claim(factories)
        passage = store.passage(claim["passage_id"])
        return "put", f"/api/v1/claims/{claim['id']}/anchor", {
            "passage_id": passage["id"], "start": 0, "end": 3}, {
            "If-Match": _etag(client, app, claim["id"])}
    if endpoint == "PUT /claims/<id>/link":
        claim, original = _claim(factories), _claim(factories, published=True)
        return "put", f"/api/v1/claims/{claim['id']}/link", {"origin_id": original["id"]}, {
            "If-Match": _etag(client, app, claim["id"])}
    if endpoint == "DELETE /claims/<id>/link":
        claim, original = _claim(factories), _claim(factories, published=True)
        store.link_claim(claim["id"], original["id"], Actor(None, "system"), None)
        return "delete", f"/api/v1/claims/{claim['id']}/link", None, {
            "If-Match": _etag(client, app, claim["id"])}
    if endpoint == "POST /claims/<id>/citations":
        return "post", f"/api/v1/claims/{_claim(factories)['id']}/citations", {
            "url": "https://ministry.example.org/press"}, {}
    if endpoint == "POST /claims/<id>/comments":
        return "post", f"/api/v1/claims/{_claim(factories)['id']}/comments", {
            "body": "Who said this first?"}, {}
    if endpoint == "PATCH /citations/<id>":
        citation = _claim(factories, citation=True)["citations"][0]
        return "patch", f"/api/v1/citations/{citation['id']}", {"title": "Press release"}, {}
    if endpoint == "DELETE /citations/<id>":
        citation = _claim(factories, citation=True)["citations"][0]
        return "delete", f"/api/v1/citations/{citation['id']}", None, {}
    if endpoint == "POST /users":
        return "post", "/api/v1/users", {"username": _unique("new"), "password": "long enough pw",
                                         "role": "reader"}, {}
    if endpoint == "PATCH /users/<id>":
        return "patch", f"/api/v1/users/{_plain_user(factories)['id']}", {"role": "factchecker"}, {}
    if endpoint == "DELETE /users/<id>":
        return "delete", f"/api/v1/users/{_plain_user(factories)['id']}", None, {}
    if endpoint == "POST /tokens":
        return "post", "/api/v1/tokens", {"name": "my script"}, {}
    if endpoint == "POST /session/password":
        return "post", "/api/v1/session/password", {
            "current_password": PASSWORD, "new_password": "another long password"}, {}
    if endpoint == "DELETE /tokens/<id>":
        owner = store.find_user("reader" if caller == "anonymous" else caller)
        _, record = make_token(app, owner["id"], "to revoke")
        return "delete", f"/api/v1/tokens/{record['id']}", None, {}
    if endpoint == "POST /articles/<id>/aliases":
        return "post", f"/api/v1/articles/{_article(factories)['id']}/aliases", {
            "url": f"https://amp.news.example.com/{_unique('alias')}"}, {}
    if endpoint == "DELETE /articles/<id>/aliases/<id>":
        article = _article(factories)
        alias = store.add_alias(article["id"], f"https://m.news.example.com/{_unique('a')}",
                                Actor(None, "system"))
        return "delete", f"/api/v1/articles/{article['id']}/aliases/{alias['id']}", None, {}
    if endpoint == "POST /annotations/import":
        url = f"https://news.example.com/{_unique('imported')}"
        return "post", "/api/v1/annotations/import", {
            "type": "AnnotationPage",
            "factdesk:articles": [{"url": url, "passages": [
                {"kind": "paragraph", "text": "Ports reopened on Monday."}]}],
            "items": [{"type": "Annotation", "motivation": "assessing",
                       "body": [{"type": "TextualBody", "purpose": "assessing",
                                 "value": "unverified"}],
                       "target": {"source": url, "selector": {
                           "type": "TextQuoteSelector", "exact": "reopened on Monday"}}}],
        }, {}
    if endpoint == "POST /claims/bulk":
        # Submitting is a factchecker's; each action's own role is checked
        # in tests/test_claim_bulk.py.
        return "post", "/api/v1/claims/bulk", {
            "claim_ids": [_claim(factories)["id"], _claim(factories)["id"]],
            "action": "submit"}, {}
    if endpoint in ("PUT /claims/<id>/assignee", "PUT /articles/<id>/assignee"):
        # The factchecker account: a factchecker may take unassigned work.
        target = _claim(factories) if "claims" in endpoint else _article(factories)
        kind = endpoint.split("/")[1]
        return "put", f"/api/v1/{kind}/{target['id']}/assignee", {
            "assignee_id": store.find_user("factchecker")["id"]}, {}
    if endpoint == "POST /page-claims":
        url = f"https://news.example.com/{_unique('page')}"
        return "post", "/api/v1/page-claims", {
            "url": url, "html": "<p>Ports reopened on Monday after the strike.</p>",
            "selector": {"exact": "reopened on Monday", "prefix": "Ports ",
                         "suffix": " after the strike."}, "verdict": "unverified"}, {}
    raise AssertionError(endpoint)


A, R, F, E, AD = "anonymous", "reader", "factchecker", "editor", "admin"
MATRIX = {
    "POST /articles": {A: 401, R: 403, F: 201, E: 201, AD: 201},
    "DELETE /articles/<id>": {A: 401, R: 403, F: 403, E: 204, AD: 204},
    "PATCH /articles/<id>": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /claims": {A: 401, R: 403, F: 201, E: 201, AD: 201},
    "PATCH /claims/<id>": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "DELETE /claims/<id>": {A: 401, R: 403, F: 403, E: 204, AD: 204},
    "POST /claims/<id>/transitions": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "PUT /claims/<id>/anchor": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "PUT /claims/<id>/link": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "DELETE /claims/<id>/link": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /claims/<id>/citations": {A: 401, R: 403, F: 201, E: 201, AD: 201},
    "POST /claims/<id>/comments": {A: 401, R: 403, F: 201, E: 201, AD: 201},
    "PATCH /citations/<id>": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "DELETE /citations/<id>": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /users": {A: 401, R: 403, F: 403, E: 201, AD: 201},
    "PATCH /users/<id>": {A: 401, R: 403, F: 403, E: 200, AD: 200},
    "DELETE /users/<id>": {A: 401, R: 403, F: 403, E: 204, AD: 204},
    "POST /tokens": {A: 401, R: 201, F: 201, E: 201, AD: 201},
    "POST /session/password": {A: 401, R: 200, F: 200, E: 200, AD: 200},
    "DELETE /tokens/<id>": {A: 401, R: 200, F: 200, E: 200, AD: 200},
    "POST /articles/<id>/aliases": {A: 401, R: 403, F: 403, E: 201, AD: 201},
    "POST /annotations/import": {A: 401, R: 403, F: 403, E: 201, AD: 201},
    "DELETE /articles/<id>/aliases/<id>": {A: 401, R: 403, F: 403, E: 204, AD: 204},
    "PUT /claims/<id>/assignee": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /claims/bulk": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "PUT /articles/<id>/assignee": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /rationale/preview": {A: 401, R: 403, F: 200, E: 200, AD: 200},
    "POST /page-claims": {A: 401, R: 403, F: 201, E: 201, AD: 201},
}
CASES = [(endpoint, role, status) for endpoint, row in MATRIX.items()
         for role, status in row.items()]


def _call(client, method, path, body, headers):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("endpoint, role, status", CASES,
                         ids=[f"{e} as {r}" for e, r, _ in CASES])
def test_auth_matrix(client, app, auth, factories, endpoint, role, status):
    method, path, body, extra = _prepare(endpoint, factories, client, app, role)
    before = row_counts(app)

    response = _call(client, method, path, body, {**auth[role], **extra})

    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        error = api_error(response, status)
        assert error["code"] == {401: "unauthorized", 403: "forbidden"}[status]
        assert row_counts(app) == before
    elif endpoint == "DELETE /tokens/<id>":
        assert response.get_json()["revoked_at"]
    elif endpoint == "POST /rationale/preview":  # writes nothing: it only renders
        assert "<em>the</em>" in response.get_json()["html"]
        assert row_counts(app) == before
    else:
        assert row_counts(app) != before


def test_matrix_covers_every_state_changing_api_route(app):
    """A new write endpoint must be added to the matrix above."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.unknown_endpoint":
            continue
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}:
            path = rule.rule.removeprefix("/api/v1")
            for converter in ("<int:article_id>", "<int:claim_id>", "<int:citation_id>",
                              "<int:user_id>", "<int:token_id>", "<int:alias_id>"):
                path = path.replace(converter, "<id>")
            routes.add(f"{method} {path}")
    # Sign-ins take a password, not a role: tests/test_api_session_token.py.
    assert routes - {"POST /session", "DELETE /session", "POST /session/token"} == set(MATRIX)


@pytest.mark.parametrize("path, allowed", [
    ("/api/v1/users", {"editor", "admin"}),
    ("/api/v1/tokens", {"reader", "factchecker", "editor", "admin"}),
])
def test_account_listings_need_a_role(client, auth, path, allowed):
    for role in ("anonymous", "reader", "factchecker", "editor", "admin"):
        response = client.get(path, headers=auth[role])
        if role in allowed:
            assert response.status_code == 200
            assert isinstance(response.get_json(), list)
        else:
            api_error(response, 401 if role == "anonymous" else 403)


def test_reads_are_open_to_everyone(client, app, auth, factories):
    claim = _claim(factories, published=True)
    for role in ("anonymous", "reader"):
        assert client.get("/api/v1/articles", headers=auth[role]).status_code == 200
        assert client.get(f"/api/v1/articles/{claim['article_id']}",
                          headers=auth[role]).status_code == 200
        assert client.get(f"/api/v1/claims/{claim['id']}", headers=auth[role]).status_code == 200


# -- session login and CSRF ---------------------------------------------------------

def _login(client, username, password=PASSWORD):
    return client.post("/api/v1/session", json={"username": username, "password": password})


def test_login_sets_an_httponly_samesite_lax_cookie(client, users):
    response = _login(client, "editor")

    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["username"] == "editor" and body["user"]["role"] == "editor"
    assert "password_hash" not in body["user"]
    assert body["csrf_token"]
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    flags = [part.strip().lower() for part in cookies[0].split(";")[1:]]
    assert "httponly" in flags
    assert "samesite=lax" in flags

    again = client.get("/api/v1/session").get_json()
    assert again["user"]["username"] == "editor"


def test_anonymous_session_has_no_user_but_a_csrf_token(client):
    body = client.get("/api/v1/session").get_json()
    assert body["user"] is None
    assert body["csrf_token"]


@pytest.mark.parametrize("body, status, field", [
    ({"username": "editor", "password": "wrong password"}, 401, "password"),
    ({"username": "nobody", "password": PASSWORD}, 401, "password"),
    ({"username": "editor"}, 422, "password"),
    ({"username": "editor", "password": PASSWORD, "remember": True}, 422, "remember"),
])
def test_failed_logins_set_no_session(client, users, body, status, field):
    response = client.post("/api/v1/session", json=body)
    api_error(response, status, field)
    assert client.get("/api/v1/session").get_json()["user"] is None


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_session_writes_need_the_csrf_header(app, auth, factories, endpoint):
    client = app.test_client()
    csrf_token = _login(client, "admin").get_json()["csrf_token"]
    method, path, body, extra = _prepare(endpoint, factories, client, app, "admin")
    before = row_counts(app)

    missing = _call(client, method, path, body, extra)
    api_error(missing, 403, "X-CSRFToken")
    wrong = _call(client, method, path, body, {**extra, "X-CSRFToken": "not-the-token"})
    api_error(wrong, 403, "X-CSRFToken")
    assert row_counts(app) == before

    allowed = _call(client, method, path, body, {**extra, "X-CSRFToken": csrf_token})
    assert allowed.status_code == MATRIX[endpoint]["admin"], allowed.get_json()


def test_csrf_token_from_get_session_works_after_login(client, users):
    _login(client, "factchecker")
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post("/api/v1/tokens", json={"name": "cli"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_csrf_token_of_another_session_is_refused(app, users):
    mine, theirs = app.test_client(), app.test_client()
    _login(mine, "editor")
    their_token = _login(theirs, "factchecker").get_json()["csrf_token"]
    before = row_counts(app)
    api_error(mine.post("/api/v1/tokens", json={"name": "x"},
                        headers={"X-CSRFToken": their_token}), 403, "X-CSRFToken")
    assert row_counts(app) == before


def test_bearer_requests_need_no_csrf_even_with_a_session_cookie(client, app, auth):
    _login(client, "editor")
    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/bearer", "text": "Some text."},
        headers=auth["factchecker"])
    assert response.status_code == 201

    # The token decides who is calling, not the cookie: a factchecker's
    # token cannot delete even when an editor's session rides along.
    article_id = response.get_json()["article"]["id"]
    api_error(client.delete(f"/api/v1/articles/{article_id}", headers=auth["factchecker"]), 403)
    assert row_counts(app)["articles"] == 1


def test_logout_needs_csrf_and_ends_the_session(client, app, users):
    csrf_token = _login(client, "editor").get_json()["csrf_token"]
    api_error(client.delete("/api/v1/session"), 403, "X-CSRFToken")
    assert client.get("/api/v1/session").get_json()["user"]["username"] == "editor"

    assert client.delete("/api/v1/session", headers={"X-CSRFToken": csrf_token}).status_code == 204

    assert client.get("/api/v1/session").get_json()["user"] is None
    api_error(client.post("/api/v1/tokens", json={"name": "x"},
                          headers={"X-CSRFToken": csrf_token}), 401)


def test_session_of_a_deleted_user_is_anonymous(client, app, auth, users):
    _login(client, "factchecker")
    assert client.delete(f"/api/v1/users/{users['factchecker']['id']}",
                         headers=auth["editor"]).status_code == 204
    assert client.get("/api/v1/session").get_json()["user"] is None
    api_error(client.post("/api/v1/articles", json={"url": "https://x.example", "text": "x"}),
              401)
    api_error(client.get("/api/v1/tokens", headers=auth["factchecker"]), 401, "Authorization")


# -- personal API tokens ------------------------------------------------------------

def _db_bytes(app) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = app.config["DATABASE"] + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                data += f.read()
    return data


def test_token_is_shown_once_and_stored_hashed(client, app, auth, users):
    response = client.post("/api/v1/tokens", json={"name": "nightly import"},
                           headers=auth["factchecker"])

    assert response.status_code == 201
    created = response.get_json()
    token = created["token"]
    assert len(token) >= 32
    assert created["name"] == "nightly import" and created["revoked_at"] is None

    store = open_store(app)
    try:
        rows = list(store.db.query("SELECT * FROM api_tokens WHERE id = ?", [created["id"]]))
    finally:
        store.db.close()
    assert rows[0]["user_id"] == users["factchecker"]["id"]
    assert rows[0]["token_hash"] and rows[0]["token_hash"] != token
    assert token not in rows[0]["token_hash"]
    assert token.encode() not in _db_bytes(app)
    assert token.split("_", 1)[-1].encode() not in _db_bytes(app)

    listed = client.get("/api/v1/tokens", headers=bearer(token))
    assert listed.status_code == 200
    items = listed.get_json()
    assert created["id"] in [t["id"] for t in items]
    assert all("token" not in t and "token_hash" not in t for t in items)
    assert token not in listed.get_data(as_text=True)


def test_token_lists_only_your_own(client, app, auth, users):
    mine = client.post("/api/v1/tokens", json={"name": "mine"},
                       headers=auth["factchecker"]).get_json()
    theirs = client.post("/api/v1/tokens", json={"name": "theirs"},
                         headers=auth["editor"]).get_json()
    ids = [t["id"] for t in client.get("/api/v1/tokens", headers=auth["factchecker"]).get_json()]
    assert mine["id"] in ids and theirs["id"] not in ids


def test_revoked_token_is_refused(client, app, auth):
    created = client.post("/api/v1/tokens", json={"name": "short-lived"},
                          headers=auth["factchecker"]).get_json()
    token = created["token"]
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 200

    revoked = client.delete(f"/api/v1/tokens/{created['id']}", headers=auth["factchecker"])

    assert revoked.status_code == 200
    assert revoked.get_json()["revoked_at"]
    api_error(client.get("/api/v1/tokens", headers=bearer(token)), 401, "Authorization")
    api_error(client.get("/api/v1/articles", headers=bearer(token)), 401, "Authorization")
    before = row_counts(app)
    api_error(client.post("/api/v1/articles", json={"url": "https://x.example/a", "text": "t"},
                          headers=bearer(token)), 401, "Authorization")
    assert row_counts(app) == before
    listed = client.get("/api/v1/tokens", headers=auth["factchecker"]).get_json()
    assert next(t for t in listed if t["id"] == created["id"])["revoked_at"]


def test_token_use_is_noted(client, auth):
    created = client.post("/api/v1/tokens", json={"name": "cron"},
                          headers=auth["reader"]).get_json()
    assert created["last_used_at"] is None
    client.get("/api/v1/articles", headers=bearer(created["token"]))
    listed = client.get("/api/v1/tokens", headers=auth["reader"]).get_json()
    assert next(t for t in listed if t["id"] == created["id"])["last_used_at"]


def test_a_token_can_revoke_itself(client, auth):
    created = client.post("/api/v1/tokens", json={"name": "self"},
                          headers=auth["reader"]).get_json()
    assert client.delete(f"/api/v1/tokens/{created['id']}",
                         headers=bearer(created["token"])).status_code == 200
    api_error(client.get("/api/v1/tokens", headers=bearer(created["token"])), 401)


def test_another_users_token_id_is_404(client, app, auth):
    theirs = client.post("/api/v1/tokens", json={"name": "theirs"},
                         headers=auth["editor"]).get_json()

    api_error(client.delete(f"/api/v1/tokens/{theirs['id']}", headers=auth["factchecker"]), 404,
              "token_id")
    api_error(client.delete(f"/api/v1/tokens/{theirs['id']}", headers=auth["admin"]), 404,
              "token_id")
    assert client.get("/api/v1/tokens", headers=bearer(theirs["token"])).status_code == 200
    api_error(client.delete("/api/v1/tokens/4242", headers=auth["factchecker"]), 404)


@pytest.mark.parametrize("header", [
    "Bearer fct_not-a-real-token", "Bearer ", "Basic ZWRpdG9yOnB3", "Token abc", "bearer",
])
def test_bad_authorization_header_is_401_even_for_reads(client, header):
    api_error(client.get("/api/v1/articles", headers={"Authorization": header}), 401,
              "Authorization")


@pytest.mark.parametrize("body, field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 101}, "name"),
    ({"name": "ok", "scopes": ["all"]}, "scopes"),
])
def test_bad_token_requests_are_422(client, app, auth, body, field):
    before = row_counts(app)
    api_error(client.post("/api/v1/tokens", json=body, headers=auth["reader"]), 422, field)
    assert row_counts(app) == before


# -- login throttling -------------------------------------------------------------------

def _fail(client, username, times):
    for _ in range(times):
        api_error(_login(client, username, "wrong password"), 401)


def test_fifth_failure_locks_the_account_even_with_the_right_password(client, users):
    _fail(client, "editor", 5)

    response = _login(client, "editor")

    api_error(response, 429, code="too_many_requests")
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert client.get("/api/v1/session").get_json()["user"] is None
    api_error(_login(client, "editor", "wrong password"), 429)


def test_four_failures_still_allow_the_right_password(client, users):
    _fail(client, "editor", 4)
    assert _login(client, "editor").status_code == 200


def test_success_before_the_limit_clears_the_count(app, users):
    client = app.test_client()
    _fail(client, "editor", 4)
    assert _login(client, "editor").status_code == 200
    client = app.test_client()
    _fail(client, "editor", 4)
    assert _login(client, "editor").status_code == 200


def test_lock_is_per_username(client, users):
    _fail(client, "editor", 5)
    api_error(_login(client, "editor"), 429)
    assert _login(client, "factchecker").status_code == 200


@pytest.mark.parametrize("variant", ["EDITOR", "Editor"])
def test_lock_cannot_be_dodged_by_changing_case(client, users, variant):
    assert _login(client, variant).status_code == 200  # usernames match without case
    client.delete("/api/v1/session",
                  headers={"X-CSRFToken": client.get("/api/v1/session").get_json()["csrf_token"]})
    _fail(client, variant, 5)
    api_error(_login(client, "editor"), 429)


def test_unknown_usernames_are_throttled_too(client):
    _fail(client, "ghost", 5)
    api_error(_login(client, "ghost", "anything at all"), 429)


def _old_failures(app, username, minutes_ago, times=5):
    at = (datetime.datetime.now(datetime.timezone.utc)
          - datetime.timedelta(minutes=minutes_ago)).isoformat()
    store = open_store(app)
    try:
        for _ in range(times):
            store.db.table("login_failures").insert({"username": username, "at": at})
    finally:
        store.db.close()


def test_failures_older_than_fifteen_minutes_do_not_count(client, app, users):
    _old_failures(app, "editor", 16)
    assert _login(client, "editor").status_code == 200


def test_retry_after_counts_from_the_oldest_recent_failure(client, app, users):
    _old_failures(app, "editor", 10)
    response = _login(client, "editor")
    api_error(response, 429)
    assert 4 * 60 <= int(response.headers["Retry-After"]) <= 5 * 60 + 1


# -- managing users ------------------------------------------------------------------------

def test_editor_creates_a_user_who_can_log_in(app, auth):
    client = app.test_client()
    response = client.post("/api/v1/users", json={
        "username": "newbie", "password": "a long password", "role": "factchecker"},
        headers=auth["editor"])

    assert response.status_code == 201
    user = response.get_json()
    assert (user["username"], user["role"]) == ("newbie", "factchecker")
    assert "password" not in user and "password_hash" not in user
    assert _login(client, "newbie", "a long password").get_json()["user"]["role"] == \
        "factchecker"


def test_user_list_has_no_password_hashes(client, auth):
    body = client.get("/api/v1/users", headers=auth["editor"])
    users = body.get_json()
    assert {u["username"] for u in users} >= {"reader", "factchecker", "editor", "admin"}
    assert "password" not in body.get_data(as_text=True)


@pytest.mark.parametrize("body, field", [
    ({"username": "x", "password": "short", "role": "reader"}, "password"),
    ({"username": "x", "password": "long enough pw", "role": "owner"}, "role"),
    ({"username": "", "password": "long enough pw", "role": "reader"}, "username"),
    ({"username": "reader", "password": "long enough pw", "role": "reader"}, "username"),
    ({"username": "READER", "password": "long enough pw", "role": "reader"}, "username"),
    ({"username": "x", "password": "long enough pw"}, "role"),
    ({"username": "x", "password": "long enough pw", "role": "reader", "admin": True}, "admin"),
])
def test_bad_user_bodies_are_422(client, app, auth, body, field):
    before = row_counts(app)
    api_error(client.post("/api/v1/users", json=body, headers=auth["editor"]), 422, field)
    assert row_counts(app) == before


def test_editor_cannot_create_an_admin(client, app, auth):
    before = row_counts(app)
    response = client.post("/api/v1/users", json={
        "username": "boss", "password": "long enough pw", "role": "admin"},
        headers=auth["editor"])
    api_error(response, 403, "role")
    assert row_counts(app) == before


def test_admin_can_create_an_admin(client, auth):
    response = client.post("/api/v1/users", json={
        "username": "boss", "password": "long enough pw", "role": "admin"},
        headers=auth["admin"])
    assert response.status_code == 201 and response.get_json()["role"] == "admin"


@pytest.mark.parametrize("body", [{"role": "reader"}, {"password": "a new password"},
                                  {"role": "admin"}])
def test_editor_cannot_change_an_admin(client, app, auth, users, body):
    before = row_counts(app)
    response = client.patch(f"/api/v1/users/{users['admin']['id']}", json=body,
                            headers=auth["editor"])
    api_error(response, 403)
    assert row_counts(app) == before
    assert _login(app.test_client(), "admin").status_code == 200


def test_editor_cannot_delete_an_admin(client, app, auth, users):
    before = row_counts(app)
    api_error(client.delete(f"/api/v1/users/{users['admin']['id']}", headers=auth["editor"]), 403)
    assert row_counts(app) == before


def test_editor_cannot_make_someone_admin(client, app, auth, users):
    before = row_counts(app)
    response = client.patch(f"/api/v1/users/{users['reader']['id']}", json={"role": "admin"},
                            headers=auth["editor"])
    api_error(response, 403, "role")
    assert row_counts(app) == before


def test_editor_manages_lower_accounts(client, auth, users):
    response = client.patch(f"/api/v1/users/{users['reader']['id']}",
                            json={"role": "factchecker"}, headers=auth["editor"])
    assert response.status_code == 200 and response.get_json()["role"] == "factchecker"
    # The new role takes effect for the user's existing token at once.
    assert client.post("/api/v1/articles", json={
        "url": "https://news.example.com/promoted", "text": "Text."},
        headers=auth["reader"]).status_code == 201


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_nobody_changes_their_own_role(client, app, auth, users, role):
    before = row_counts(app)
    new_role = "reader"
    response = client.patch(f"/api/v1/users/{users[role]['id']}", json={"role": new_role},
                            headers=auth[role])
    api_error(response, 403, "role")
    assert row_counts(app) == before


def test_own_password_can_be_changed(app, auth, users):
    client = app.test_client()
    response = client.patch(f"/api/v1/users/{users['editor']['id']}",
                            json={"password": "a brand new password"}, headers=auth["editor"])
    assert response.status_code == 200
    api_error(_login(client, "editor"), 401)
    assert _login(client, "editor", "a brand new password").status_code == 200


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_nobody_deletes_themselves(client, app, auth, users, role):
    before = row_counts(app)
    api_error(client.delete(f"/api/v1/users/{users[role]['id']}", headers=auth[role]), 403)
    assert row_counts(app) == before
    assert client.get("/api/v1/tokens", headers=auth[role]).status_code == 200


def test_deleted_users_tokens_stop_working(client, auth, users):
    assert client.delete(f"/api/v1/users/{users['factchecker']['id']}",
                         headers=auth["editor"]).status_code == 204
    api_error(client.get("/api/v1/tokens", headers=auth["factchecker"]), 401)


def test_missing_user_is_404(client, auth):
    api_error(client.patch("/api/v1/users/4242", json={"role": "reader"},
                           headers=auth["editor"]), 404, "user_id")
    api_error(client.delete("/api/v1/users/4242", headers=auth["editor"]), 404, "user_id")


def test_account_changes_are_audited(client, app, auth, users):
    created = client.post("/api/v1/users", json={
        "username": "temp", "password": "long enough pw", "role": "reader"},
        headers=auth["editor"]).get_json()
    client.patch(f"/api/v1/users/{created['id']}", json={"password": "another password"},
                 headers=auth["editor"])
    client.delete(f"/api/v1/users/{created['id']}", headers=auth["editor"])
    store = open_store(app)
    try:
        entries = store.history("user", created["id"])
    finally:
        store.db.close()
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("create", "editor"), ("update", "editor"), ("delete", "editor")]
    assert "another password" not in str(entries)
    assert all("password_hash" not in str(e["after"]) for e in entries)
