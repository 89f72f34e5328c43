"""Signing the extension in with a password instead of pasting a token: the
service worker exchanges the password for a personal token made for the
extension (POST /api/v1/session/token) and keeps only that; the options
page says who is signed in; "Sign out" revokes that token on the service.
And the options page passes axe in each state.
"""

import datetime
import json

from factcheck.auth import hash_api_token
from tests.helpers import make_token

from .a11y import assert_accessible
from .conftest import PASSWORD
from .helpers import TIMEOUT_MS
from .test_extension import extension_browser
from .test_extension_checker import enable_checker_mode, granted_extension  # noqa: F401

STATUS = "() => document.getElementById('checker-status').textContent"


def open_options(context, extension_id, service_url):
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.wait_for_function(STATUS, timeout=TIMEOUT_MS)
    options.fill("#service-url", service_url)
    options.click("#options button[type=submit]")
    options.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')",
                              timeout=TIMEOUT_MS)
    return options


def sign_in(options, username, password):
    before = options.text_content("#checker-status")
    options.fill("#checker-username", username)
    options.fill("#checker-password", password)
    options.click("#checker-sign-in-button")
    options.wait_for_function(
        "before => { const text = document.getElementById('checker-status').textContent;"
        " return text !== before && /^Fact-checker mode is (on|off:)/.test(text); }",
        arg=before, timeout=TIMEOUT_MS)
    return options.text_content("#checker-status")


def everything_stored(worker) -> str:
    return json.dumps([worker.evaluate(f"chrome.storage.{area}.get(null)")
                       for area in ("local", "sync", "session")])


def tokens(live_server) -> list[dict]:
    with live_server.store() as store:
        return list(store.db.query("SELECT name, token_hash, revoked_at FROM api_tokens ORDER BY id"))


def test_a_checker_signs_in_with_a_password_and_signs_out(browser, live_server, granted_extension,
                                                          tmp_path):
    live_server.user("noor", "factchecker")
    with extension_browser(browser, tmp_path / "checker", extension=granted_extension) as (
            context, worker, extension_id):
        options = open_options(context, extension_id, live_server.url)
        assert options.text_content("#checker-status") == "Fact-checker mode is off."
        assert options.is_hidden("#checker-sign-out")
        assert_accessible(options, where="options, fact-checker mode off")

        # A wrong password: the service's message, nothing kept or made.
        assert sign_in(options, "noor", "not my password") == \
            "Fact-checker mode is off: unknown username or wrong password"
        assert options.input_value("#checker-password") == ""
        assert worker.evaluate("chrome.storage.local.get(null)") == {}
        assert tokens(live_server) == []
        assert_accessible(options, where="options, after a failed sign-in")

        assert sign_in(options, "noor", PASSWORD) == \
            f"Fact-checker mode is on for {live_server.url}, signed in as noor."
        assert options.input_value("#checker-password") == ""
        assert options.is_hidden("#checker-sign-in") and options.is_visible("#checker-sign-out")
        assert_accessible(options, where="options, signed in")

        # Kept: a token made for the extension, never the password; no cookie.
        [made] = tokens(live_server)
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        assert made["name"] == f"Browser extension ({today})"
        assert made["revoked_at"] is None
        kept = worker.evaluate("chrome.storage.local.get('checker')")["checker"]
        assert hash_api_token(kept["token"]) == made["token_hash"]
        assert (kept["username"], kept["service"]) == ("noor", live_server.url)
        assert PASSWORD not in everything_stored(worker)
        # No cookie: the browser's own session with the service is left alone.
        assert context.cookies(live_server.url) == []

        # The options page, opened again, says who is signed in.
        options.reload()
        options.wait_for_function("() => document.getElementById('checker-status').textContent"
                                  ".includes('signed in as noor')", timeout=TIMEOUT_MS)

        options.click("#checker-sign-out")
        options.wait_for_function(
            "() => document.getElementById('checker-status').textContent.startsWith('Fact-checker mode is off')",
            timeout=TIMEOUT_MS)
        assert options.text_content("#checker-status") == "Fact-checker mode is off."
        assert options.is_visible("#checker-sign-in") and options.is_hidden("#checker-sign-out")
        assert worker.evaluate("chrome.storage.local.get(null)") == {}
        [revoked] = tokens(live_server)
        assert revoked["revoked_at"] is not None
        assert_accessible(options, where="options, signed out")


def test_a_readers_account_does_not_turn_on_fact_checker_mode(browser, live_server,
                                                              granted_extension, tmp_path):
    live_server.user("rita", "reader")
    with extension_browser(browser, tmp_path / "reader", extension=granted_extension) as (
            context, worker, extension_id):
        options = open_options(context, extension_id, live_server.url)
        assert sign_in(options, "rita", PASSWORD) == \
            "Fact-checker mode is off: this account is not a fact-checker’s."
        assert worker.evaluate("chrome.storage.local.get(null)") == {}
        # The token made on signing in is revoked again at once.
        [made] = tokens(live_server)
        assert made["revoked_at"] is not None


def test_signing_out_of_a_pasted_token_forgets_it_without_revoking(browser, live_server,
                                                                   granted_extension, tmp_path):
    """A pasted token may serve the checker elsewhere: it is only forgotten."""
    checker = live_server.user("noor", "factchecker")
    token, _ = make_token(live_server.app, checker["id"], "my scripts")
    with extension_browser(browser, tmp_path / "checker", extension=granted_extension) as (
            context, worker, extension_id):
        options = enable_checker_mode(context, extension_id, live_server.url, token)
        assert options.text_content("#checker-status") == \
            f"Fact-checker mode is on for {live_server.url}, signed in as noor."
        options.click("#checker-sign-out")
        options.wait_for_function(
            "() => document.getElementById('checker-status').textContent.startsWith('Fact-checker mode is off')",
            timeout=TIMEOUT_MS)
        assert options.text_content("#checker-status") == (
            "Fact-checker mode is off. The pasted token “my scripts” still works; "
            "revoke it on the Tokens page if it is no longer needed.")
        assert worker.evaluate("chrome.storage.local.get(null)") == {}
        [kept] = tokens(live_server)
        assert kept["revoked_at"] is None
