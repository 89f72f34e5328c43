"""GET /api/v1/link-preview: a source's title and publisher read from the
page its URL leads to, through the safe fetcher (tests/page_server.py on
127.0.0.1, reachable only with FETCH_ALLOW_PRIVATE_HOSTS on)."""

import pytest

from tests.helpers import api_error, row_counts
from tests.page_server import page_server  # noqa: F401  (fixture)

REPORT = (b"<!doctype html><html><head><title>Tunnel report 2016 | Rail Office</title>"
          b'<meta property="og:site_name" content="Rail Office">'
          b'<meta property="og:title" content="Tunnel report 2016"></head>'
          b"<body><h1>Tunnel report 2016</h1><table><tr><td>57 km</td></tr></table></body></html>")


def preview(client, headers, url):
    return client.get("/api/v1/link-preview", query_string={"url": url}, headers=headers)


@pytest.fixture
def fetching_app(app):
    app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    return app


def test_title_and_publisher_come_from_the_page(client, fetching_app, auth, page_server):
    url = page_server.route("/report", body=REPORT)
    before = row_counts(fetching_app)

    response = preview(client, auth["factchecker"], url)

    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"url": url, "final_url": url, "title": "Tunnel report 2016",
                                   "publisher": "Rail Office"}
    # A preview stores nothing.
    assert row_counts(fetching_app) == before


def test_a_redirect_is_followed_and_the_final_url_given(client, fetching_app, auth, page_server):
    target = page_server.page("/news/dredging", "news_site.html")
    start = page_server.redirect("/short", target)

    body = preview(client, auth["factchecker"], start).get_json()

    assert body["final_url"] == target
    assert body["title"] == "Harbour dredging plan will cost twice the council's estimate, audit finds"
    assert body["publisher"] == "Harbourview Courier"


@pytest.mark.parametrize("url, message", [
    ("ftp://files.example/report", "only http and https URLs are accepted"),
    ("not a url", "URL contains spaces or control characters"),
    ("", "a URL is required"),
])
def test_a_bad_url_is_422_naming_url(client, app, auth, url, message):
    error = api_error(preview(client, auth["factchecker"], url), 422, field="url")
    assert error["message"] == message


def test_a_missing_url_is_422(client, app, auth):
    api_error(client.get("/api/v1/link-preview", headers=auth["factchecker"]), 422, field="url")


def test_private_hosts_are_refused_by_default(client, app, auth, page_server):
    # The default settings: the local page server is a private (loopback) host.
    url = page_server.route("/report", body=REPORT)
    error = api_error(preview(client, auth["factchecker"], url), 422, field="url")
    assert "127.0.0.1" in error["message"] or "loopback" in error["message"]
    assert page_server.requests == []


def test_not_html_and_upstream_errors_are_4xx(client, fetching_app, auth, page_server):
    pdf = page_server.route("/report.pdf", body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    api_error(preview(client, auth["factchecker"], pdf), 415, field="url")
    missing = page_server.url("/gone")
    error = api_error(preview(client, auth["factchecker"], missing), 422, field="url")
    assert "404" in error["message"]


def test_a_page_too_large_is_413(client, fetching_app, auth, page_server):
    fetching_app.config["MAX_IMPORT_BYTES"] = 1000
    url = page_server.route("/big", body=REPORT + b" " * 5000)
    api_error(preview(client, auth["factchecker"], url), 413, field="url")


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403)])
def test_factcheckers_only(client, fetching_app, auth, page_server, role, status):
    url = page_server.route("/report", body=REPORT)
    api_error(preview(client, auth[role], url), status)
    assert page_server.requests == []
