""""Service unreachable" as the reader's extension shows it, end to end in
Chromium: when the fact desk service cannot be asked (nothing listens on its
address, it answers 5xx, or its answer is not the desk's JSON) the badge and
the popup say so, with the address from the options and a Retry button,
never "no checked claims". An empty bucket and a 4xx refusing the lookup
are "no checked claims". When the service comes back, Retry marks the page.
"""

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from factcheck import create_app

from .a11y import assert_accessible
from .conftest import LiveServer
from .helpers import TIMEOUT_MS, add_article, add_claim
from .test_extension import (ARTICLE_PATH, IMPORTED_TEXT, QUOTES, badge,  # noqa: F401
                             extension_context, marks_of, news_site, news_tab, open_popup)

UNREACHABLE = "Fact desk service unreachable"
NO_CLAIMS = "No checked claims for this page."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def point_at(worker, service_url: str) -> None:
    worker.evaluate("(url) => chrome.storage.sync.set({serviceUrl: url})", service_url)


def reported_tab(page, worker, url: str) -> tuple[int, dict]:
    """The tab id and report of the page at ``url``, once it has one."""
    for _ in range(100):
        try:
            return news_tab(worker, url)
        except AssertionError:
            page.wait_for_timeout(100)
    return news_tab(worker, url)


def expect_badge(page, worker, tab_id, text):
    for _ in range(50):
        if badge(worker, tab_id) == text:
            return
        page.wait_for_timeout(100)
    assert badge(worker, tab_id) == text


def watched_popup(context, extension_id, tab_id):
    popup = open_popup(context, extension_id, tab_id)
    popup.errors = []
    popup.on("pageerror", lambda error: popup.errors.append(str(error)))
    return popup


@pytest.fixture
def service_later(tmp_path, new_database):
    """A fact desk service whose address is known before anything listens
    there: (LiveServer, start()). start() brings it up on that address."""
    db_path = new_database(tmp_path / "later.db")
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "browser-tests",
                      "TESTING": False})
    port = free_port()
    running = []

    def start():
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))

    yield LiveServer(app, f"http://127.0.0.1:{port}"), start
    for server, thread in running:
        server.shutdown()
        thread.join(timeout=10)


def test_a_service_nobody_answers_for_is_unreachable_and_retry_recovers(
        service_later, news_site, extension_context):
    context, worker, extension_id = extension_context
    service, start = service_later
    article_url = news_site + ARTICLE_PATH + "?utm_source=down"
    editor = service.user("eddie", "editor")
    checker = service.user("fay", "factchecker")
    _, passages = add_article(service, news_site + ARTICLE_PATH, IMPORTED_TEXT, title="Harbour")
    passage = next(p for p in passages if QUOTES["jobs"] in p["text"])
    claim = add_claim(service, checker, passage, QUOTES["jobs"], "unverified",
                      publish_by=editor, rationale="<p>Checked.</p>")
    point_at(worker, service.url)

    page = context.new_page()
    page.goto(article_url)
    tab_id, report = reported_tab(page, worker, article_url)
    assert report["unreachable"]["service"] == service.url
    expect_badge(page, worker, tab_id, "!")
    assert worker.evaluate("(tabId) => chrome.action.getTitle({tabId})", tab_id) == \
        f"{UNREACHABLE}: {service.url}"

    popup = watched_popup(context, extension_id, tab_id)
    expect(popup.locator("#summary")).to_have_text(UNREACHABLE)
    expect(popup.locator("#unreachable-detail")).to_have_text(
        f"The service at {service.url} could not be reached.")
    expect(popup.locator("#retry")).to_be_visible()
    expect(popup.get_by_text("No checked claims")).to_have_count(0)
    expect(popup.locator("#claims li")).to_have_count(0)
    assert_accessible(popup, where="the popup, service unreachable")
    assert page.locator("mark.fdx-mark").count() == 0

    # Retry while it is still down: still unreachable, the button usable again.
    popup.click("#retry")
    expect(popup.locator("#summary")).to_have_text(UNREACHABLE)
    expect(popup.locator("#retry")).to_be_enabled()

    # The service comes back at the same address: Retry marks the page.
    start()
    popup.click("#retry")
    expect(popup.locator("#summary")).to_have_text("1 of 1 checked claims found on this page.")
    expect(popup.locator("#unreachable")).to_be_hidden()
    expect(popup.locator("#claims li")).to_have_count(1)
    expect(page.locator(f'mark.fdx-mark[data-fdx-claim="{claim["id"]}"]').first).to_be_visible()
    assert marks_of(page, claim["id"])["shown"] == QUOTES["jobs"]
    expect_badge(page, worker, tab_id, "1")
    assert popup.errors == []


def test_a_live_service_without_claims_for_the_page_says_no_checked_claims(
        live_server, news_site, extension_context):
    context, worker, extension_id = extension_context
    article_url = news_site + ARTICLE_PATH + "?utm_source=empty"
    point_at(worker, live_server.url)
    page = context.new_page()
    page.goto(article_url)
    tab_id, report = reported_tab(page, worker, article_url)
    assert "unreachable" not in report and report["claims"] == []
    expect_badge(page, worker, tab_id, "")
    popup = watched_popup(context, extension_id, tab_id)
    expect(popup.locator("#summary")).to_have_text(NO_CLAIMS)
    expect(popup.locator("#unreachable")).to_be_hidden()
    expect(popup.get_by_text(UNREACHABLE)).to_have_count(0)
    assert popup.errors == []


class FakeService:
    """Something at the service's address answering what ``mode`` says; it
    records the paths it was asked for."""

    ANSWERS = {
        "error": (503, "text/html", b"<h1>Service Unavailable</h1>"),
        "not json": (200, "text/html", b"<!doctype html><title>Router login</title>"),
        # JSON, but no bucket (the readers' answer of an older service).
        "no entries": (200, "application/json",
                       json.dumps({"article": None, "claims": []}).encode()),
        "refused": (422, "application/json",
                    json.dumps({"errors": {"path": {"prefix": ["Not a prefix."]}}}).encode()),
        "empty": (200, "application/json", None),  # an empty bucket
        # A static copy of the buckets (flask export-buckets) has no file for
        # an empty one: the host's own 404 page.
        "static empty": (404, "text/html", b"<html><h1>404 Not Found</h1></html>"),
    }

    def __init__(self):
        fake = self
        self.mode = "error"
        self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.paths.append(self.path)
                status, kind, body = FakeService.ANSWERS[fake.mode]
                if body is None:
                    body = json.dumps({"prefix": self.path.rsplit("/", 1)[-1],
                                       "entries": []}).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def fake_service():
    fake = FakeService()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    thread.join(timeout=10)


def test_errors_and_foreign_answers_are_unreachable_a_refusal_is_not(
        fake_service, news_site, extension_context):
    context, worker, extension_id = extension_context
    article_url = news_site + ARTICLE_PATH + "?utm_source=fake"
    point_at(worker, fake_service.url)
    page = context.new_page()
    page.goto(article_url)
    tab_id, _ = reported_tab(page, worker, article_url)
    popup = watched_popup(context, extension_id, tab_id)
    summary, detail = popup.locator("#summary"), popup.locator("#unreachable-detail")

    # A 5xx: unreachable, with the status.
    expect(summary).to_have_text(UNREACHABLE)
    expect(detail).to_have_text(
        f"The service at {fake_service.url} answered with an error (HTTP 503).")
    expect_badge(page, worker, tab_id, "!")

    # A 200 that is not the desk's JSON (a captive portal, a wrong address).
    fake_service.mode = "not json"
    page.reload()
    expect(detail).to_have_text(f"The service at {fake_service.url} answered with something "
                                "other than the fact desk's JSON (HTTP 200).")
    expect(summary).to_have_text(UNREACHABLE)

    # JSON without a bucket in it: not the desk's answer either.
    fake_service.mode = "no entries"
    page.reload()
    expect(detail).to_have_text(f"The service at {fake_service.url} answered with something "
                                "other than the fact desk's JSON (HTTP 200).")

    # The service refusing the question: not checked, not unreachable.
    fake_service.mode = "refused"
    page.reload()
    expect(summary).to_have_text(NO_CLAIMS)
    expect(popup.locator("#unreachable")).to_be_hidden()
    expect_badge(page, worker, tab_id, "")

    # A static host's 404 for a bucket it has no file for: an empty bucket.
    fake_service.mode = "error"
    page.reload()
    expect(summary).to_have_text(UNREACHABLE)
    fake_service.mode = "static empty"
    page.reload()
    expect(summary).to_have_text(NO_CLAIMS)
    expect(popup.locator("#unreachable")).to_be_hidden()

    # Back to an error, then a 200 with no claims.
    fake_service.mode = "error"
    page.reload()
    expect(summary).to_have_text(UNREACHABLE)
    fake_service.mode = "empty"
    popup.click("#retry")
    expect(summary).to_have_text(NO_CLAIMS)
    expect(popup.locator("#unreachable")).to_be_hidden()
    assert popup.errors == []
    # Every question was for a bucket (the page's own URL has the one key
    # here: no canonical link, no og:url), never for the page.
    assert fake_service.paths and all(re.fullmatch(r"/api/v1/lookup/[0-9a-f]{4}", path)
                                      for path in fake_service.paths), fake_service.paths
    assert len(set(fake_service.paths)) == 1
