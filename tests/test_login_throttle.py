"""Login throttling: counting and recording a failure are one step, so
concurrent guesses get no more tries than the limit; failures count per
username and client address, so one address locks only itself, up to a
higher limit per username over all addresses."""

import re
import threading

import pytest
from werkzeug.security import generate_password_hash

from factcheck import create_app
from factcheck.auth import LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_USERNAME_LIMIT
from tests.helpers import PASSWORD, api_error, open_store

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _login(client, username, password=PASSWORD, address=ATTACKER):
    return client.post("/api/v1/session", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def victim(app):
    # The real (slow) password hash: the check between count and record
    # takes as long as in production.
    with open_store(app) as store:
        return store.create_user("victim", generate_password_hash(PASSWORD), "admin")


def test_concurrent_wrong_guesses_get_no_more_tries_than_the_limit(app, victim):
    guesses = 40
    start = threading.Barrier(guesses)
    statuses = []

    def guess(number):
        client = app.test_client()
        start.wait()
        statuses.append(_login(client, "victim", f"guess {number}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # A 401 means the password was checked: a try.
    assert statuses.count(401) == LOGIN_FAILURE_LIMIT
    assert statuses.count(429) == guesses - LOGIN_FAILURE_LIMIT
    with open_store(app) as store:
        assert store.db.execute("SELECT count(*) FROM login_failures").fetchone()[0] == \
            LOGIN_FAILURE_LIMIT


def test_a_locked_out_address_does_not_lock_out_the_owner(app, victim):
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(LOGIN_FAILURE_LIMIT):
        api_error(_login(attacker, "victim", "wrong password"), 401)

    locked = _login(attacker, "victim")
    api_error(locked, 429, "username", "too_many_requests")
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60

    response = _login(owner, "victim", address=OWNER)
    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "victim"
    # The owner's success does not lift the attacker's lock.
    api_error(_login(attacker, "victim"), 429)


def _ui_login(client, password, address):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"username": "victim", "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_ui_login_is_throttled_per_address_too(app, victim):
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(LOGIN_FAILURE_LIMIT):
        assert _ui_login(attacker, "wrong password", ATTACKER).status_code == 401

    refused = _ui_login(attacker, PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert "Too many failed logins" in refused.get_data(as_text=True)
    assert _ui_login(owner, PASSWORD, OWNER).status_code == 302


def test_many_addresses_together_lock_the_username_everywhere(app, victim):
    client = app.test_client()
    per_address = LOGIN_FAILURE_LIMIT
    addresses = [f"192.0.2.{n}" for n in range(LOGIN_FAILURE_USERNAME_LIMIT // per_address)]
    with open_store(app) as store:
        # Recorded straight in the store: 50 password checks over HTTP add
        # nothing the per-address tests do not show.
        since = "2000-01-01T00:00:00+00:00"
        for address in addresses:
            for _ in range(per_address):
                store.start_login_attempt("victim", address, since, per_address,
                                          LOGIN_FAILURE_USERNAME_LIMIT)

    response = _login(client, "victim", address="198.51.100.200")

    api_error(response, 429, "username")
    assert int(response.headers["Retry-After"]) > 0


def test_failures_for_one_username_do_not_count_for_another(app, victim, users):
    client = app.test_client()
    for _ in range(LOGIN_FAILURE_LIMIT):
        api_error(_login(client, "victim", "wrong password"), 401)
    assert _login(client, "editor").status_code == 200


def test_failures_older_than_the_window_are_dropped(app, victim):
    # Guesses at many usernames, each once, must not grow the table forever:
    # a failure that left the window is deleted at the next attempt.
    with open_store(app) as store:
        store.db.conn.executemany(
            "INSERT INTO login_failures (username, client, at) VALUES (?, ?, ?)",
            [(f"ghost{n}", ATTACKER, "2000-01-01T00:00:00+00:00") for n in range(500)])
        store.db.conn.commit()

    api_error(_login(app.test_client(), "victim", "wrong"), 401)

    with open_store(app) as store:
        assert store.db.execute("SELECT count(*) FROM login_failures").fetchone()[0] == 1


def test_behind_a_proxy_the_forwarded_address_is_the_client(app, victim):
    # With PROXY_FIX_X_FOR = 1 the proxy's X-Forwarded-For names the client,
    # so an attacker behind the same proxy locks only their own address.
    proxied = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"],
                          "SECRET_KEY": "test-secret", "PROXY_FIX_X_FOR": 1})
    client = proxied.test_client()

    def login(password, forwarded_for):
        return client.post("/api/v1/session", json={"username": "victim", "password": password},
                           headers={"X-Forwarded-For": forwarded_for},
                           environ_base={"REMOTE_ADDR": "127.0.0.1"})

    for n in range(LOGIN_FAILURE_LIMIT):
        api_error(login(f"wrong {n}", ATTACKER), 401)
    api_error(login("wrong again", ATTACKER), 429)
    assert login(PASSWORD, OWNER).status_code == 200
