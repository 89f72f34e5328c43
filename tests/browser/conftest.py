"""Real-Chromium fixtures: a live server on a fresh database, and Debian's
Chromium driven by Playwright. Never downloads a browser.

Without /usr/bin/chromium (or CHROMIUM_PATH) these tests are skipped on a
developer machine and fail under CI=true, where a missing browser is a broken
set-up, not a reason to pass.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from annotations.store import Store, open_database
from factcheck import create_app
from factcheck.auth import hash_password

from .helpers import serving

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "browser test password"


def _require_chromium():
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + ": required under CI=true", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app, url):
        self.app = app
        self.url = url

    def store(self) -> Store:
        return Store(open_database(self.app.config["DATABASE"]))

    def user(self, username: str, role: str) -> dict:
        with self.store() as store:
            return store.create_user(username, hash_password(PASSWORD), role)


@contextmanager
def serving_app(db_path, **config):
    """The service on ``db_path`` (with ``config`` over the tests' settings),
    answering on a free loopback port for the with-block."""
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "browser-tests",
                      "TESTING": False, **config})
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as server:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")


@pytest.fixture
def live_server(tmp_path, new_database):
    # A copy of the session's migrated template (tests/plugins/database.py).
    with serving_app(new_database(tmp_path / "browser.db")) as server:
        yield server


@pytest.fixture
def new_page(browser):
    """new_page() opens a page in a fresh context (its own cookies); every
    page records JavaScript errors and dialogs, which tests assert on."""
    contexts = []

    def make(viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.dialogs = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()
        page.on("dialog", on_dialog)
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, server: LiveServer, username: str):
    page.goto(server.url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(f"text={username} (")
