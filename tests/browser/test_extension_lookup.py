"""The extension's private lookup, end to end in Chromium: the service worker
hashes the URL keys of the page's own URL, its <link rel="canonical"> and its
og:url, asks the service for the buckets of the hashes' first hex digits
only, and shows the claims of the entry whose full hash is the page's.

A page whose own URL the desk never imported (an AMP copy, a share link) is
found by its canonical link or og:url; the page's own URL wins over its
canonical link, which wins over og:url. And the privacy promise, checked in
the service's own record of every request it received: no request carries
the page's host, path or query, nor its canonical or og:url, nor a full hash.
"""

import io
import itertools
import re
from http.server import ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from werkzeug.serving import make_server

from annotations.lookup import bucket_prefix, key_hash
from annotations.urls import url_key
from factcheck import create_app

from .conftest import LiveServer
from .helpers import TIMEOUT_MS, add_article, add_claim, serving
from .test_extension import (ARTICLE_PATH, IMPORTED_TEXT, NEWS_HOST, NEWS_PAGE, QUOTES, SHOWN,
                             extension_browser, marks_of, news_handler, open_popup)
from .test_extension_unreachable import expect_badge, point_at, reported_tab

# The page the privacy test reads: every part of its address is a word that
# appears nowhere else, so finding it in a request would be a leak.
SECRET_HOST = "quiet-harbour-gazette.test"
SECRET_PATH = "/2026/12/secret-harbour-deal-7731.html"
SECRET_QUERY = "edition=ada-lovelace-42"
SECRET_CANONICAL = "https://canonical-copy-vault.example/story/ninth-harbour-file"
SECRET_OG_URL = "https://og-mirror-lantern.example/og-path-4471"
SECRET_WORDS = ["quiet-harbour-gazette", "secret-harbour-deal-7731", "ada-lovelace-42",
                "canonical-copy-vault", "ninth-harbour-file", "og-mirror-lantern", "og-path-4471"]
LOOKUP_PATH = re.compile(r"/api/v1/lookup/[0-9a-f]{4}")


class RequestLog:
    """WSGI middleware in front of the whole service: every request as it
    arrived (request line, every header, the body)."""

    def __init__(self, app):
        self.app = app
        self.requests = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = {name: value for name, value in environ.items()
                   if name.startswith("HTTP_") or name in ("CONTENT_TYPE", "CONTENT_LENGTH")}
        self.requests.append({
            "method": environ["REQUEST_METHOD"],
            "uri": environ.get("REQUEST_URI") or environ.get("RAW_URI"),
            "path": environ.get("PATH_INFO", ""), "query": environ.get("QUERY_STRING", ""),
            "headers": headers, "body": body.decode("utf-8", "replace"),
        })
        return self.app(environ, start_response)

    def text(self) -> str:
        """Everything recorded, lower case, escapes decoded (twice, for an
        escape of an escape)."""
        return unquote(unquote(repr(self.requests))).lower()


@pytest.fixture
def service(tmp_path, new_database):
    """The live service (as conftest's live_server) behind a RequestLog:
    (LiveServer, RequestLog)."""
    db_path = new_database(tmp_path / "lookup.db")
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "browser-tests",
                      "TESTING": False})
    log = RequestLog(app)
    server = make_server("127.0.0.1", 0, log, threaded=True)
    with serving(server):
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}"), log


@pytest.fixture
def site():
    """A publisher's site on 127.0.0.1 serving ``pages`` (path -> HTML) for
    any host name: (port, pages)."""
    pages = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), news_handler(pages))
    with serving(server):
        yield server.server_port, pages


@pytest.fixture
def extension(browser, tmp_path):
    hosts = (NEWS_HOST, SECRET_HOST)
    with extension_browser(browser, tmp_path / "profile", hosts=hosts) as launched:
        yield launched


def page_with(links: str) -> str:
    """The harbour story, with ``links`` (canonical, og:url) in its head."""
    return NEWS_PAGE.replace("</head>", links + "</head>")


_EDITORS = itertools.count()


def published(server, url: str, title: str, quote: str, verdict: str) -> dict:
    """An article at ``url`` with one published claim on ``quote`` (a
    one-person desk: its editor writes and approves)."""
    editor = server.user(f"editor{next(_EDITORS)}", "editor")
    _, passages = add_article(server, url, IMPORTED_TEXT, title=title)
    passage = next(p for p in passages if QUOTES[quote] in p["text"])
    return add_claim(server, editor, passage, QUOTES[quote], verdict, publish_by=editor,
                     rationale=f"<p>Checked for {title}.</p>",
                     citations=({"url": "https://stats.example.org/harbour",
                                 "title": "Harbour statistics"},))


def visit(context, worker, url: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    return page, reported_tab(page, worker, url)


def wait_for_mark(page, claim_id: int) -> None:
    page.wait_for_selector(f'mark.fdx-mark[data-fdx-claim="{claim_id}"]', timeout=TIMEOUT_MS)


def bucket_of(url: str) -> str:
    return bucket_prefix(key_hash(url_key(url)))


def test_a_copy_of_the_article_is_found_by_its_canonical_link(service, site, extension):
    server, _ = service
    port, pages = site
    context, worker, extension_id = extension
    article_url = "https://www.harbour-news.example/2025/05/harbour-plan.html"
    claim = published(server, article_url, "Harbour plan story", "jobs", "verified")
    # The AMP copy names the article, with a tracking parameter the key drops.
    pages["/amp/harbour-plan"] = page_with(
        f'<link rel="canonical" href="{article_url}?utm_source=amp">')
    point_at(worker, server.url)

    copy_url = f"http://{NEWS_HOST}:{port}/amp/harbour-plan"
    assert url_key(copy_url) != url_key(article_url)
    page, (tab_id, _) = visit(context, worker, copy_url)
    wait_for_mark(page, claim["id"])
    assert marks_of(page, claim["id"])["shown"] == SHOWN["jobs"]
    expect_badge(page, worker, tab_id, "1")
    popup = open_popup(context, extension_id, tab_id)
    assert popup.text_content("#summary") == "1 of 1 checked claims found on this page."
    popup.close()

    # The popover links to the claim's public review page on the service.
    page.bring_to_front()
    page.hover(f'mark.fdx-mark[data-fdx-claim="{claim["id"]}"] >> nth=0')
    box = page.locator(".fdx-popover-host .popover")
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert box.locator(".rationale").text_content() == "Checked for Harbour plan story."
    review = box.locator("a.review")
    assert review.text_content() == "Read the full fact-check"
    assert review.get_attribute("href") == f"{server.url}/claims/{claim['id']}"
    with context.expect_page(timeout=TIMEOUT_MS) as opened:
        review.click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url == f"{server.url}/claims/{claim['id']}"
    assert full.text_content(".review-word") == "Verified"
    assert page.errors == []


def test_a_share_page_is_found_by_its_og_url_when_the_canonical_link_is_not_http(
        service, site, extension):
    server, _ = service
    port, pages = site
    context, worker, _ = extension
    news = f"http://{NEWS_HOST}:{port}"
    claim = published(server, news + ARTICLE_PATH, "Harbour plan story", "cost", "denied")
    # og:url relative to the page (resolved as the browser resolves it); the
    # canonical link is an ftp: address, which has no key.
    pages["/share/9f3a"] = page_with(
        '<link rel="canonical" href="ftp://files.example/harbour-plan">'
        f'<meta property="og:url" content="{ARTICLE_PATH}">')
    point_at(worker, server.url)

    page, (tab_id, _) = visit(context, worker, news + "/share/9f3a")
    wait_for_mark(page, claim["id"])
    assert marks_of(page, claim["id"])["shown"] == SHOWN["cost"]
    assert "fdx-denied" in marks_of(page, claim["id"])["classes"][0].split()
    expect_badge(page, worker, tab_id, "1")
    assert page.errors == []


def test_the_page_url_wins_over_the_canonical_link_which_wins_over_og_url(
        service, site, extension):
    server, _ = service
    port, pages = site
    context, worker, _ = extension
    news = f"http://{NEWS_HOST}:{port}"
    own = published(server, news + ARTICLE_PATH, "The page itself", "jobs", "verified")
    canonical = published(server, "https://canonical.example/harbour", "Its canonical link",
                          "cost", "denied")
    og = published(server, "https://og.example/harbour", "Its og:url", "residents", "verified")
    links = ('<link rel="canonical" href="https://canonical.example/harbour">'
             '<meta property="og:url" content="https://og.example/harbour">')
    pages[ARTICLE_PATH] = page_with(links)
    pages["/amp/harbour"] = page_with(links)
    point_at(worker, server.url)

    page, (tab_id, _) = visit(context, worker, news + ARTICLE_PATH)
    wait_for_mark(page, own["id"])
    expect_badge(page, worker, tab_id, "1")
    assert page.locator("mark.fdx-mark").count() == 3  # the jobs sentence's three text nodes

    page, (tab_id, _) = visit(context, worker, news + "/amp/harbour")
    wait_for_mark(page, canonical["id"])
    expect_badge(page, worker, tab_id, "1")
    assert marks_of(page, og["id"]) is None and marks_of(page, own["id"]) is None


def test_no_request_to_the_service_carries_the_page_address(service, site, extension):
    server, log = service
    port, pages = site
    context, worker, extension_id = extension
    page_url = f"http://{SECRET_HOST}:{port}{SECRET_PATH}?{SECRET_QUERY}"
    claims = [published(server, page_url, "Harbour deal", "jobs", "verified"),
              published(server, page_url, "Harbour deal", "seals", "unverified")]
    pages[SECRET_PATH] = page_with(f'<link rel="canonical" href="{SECRET_CANONICAL}">'
                                   f'<meta property="og:url" content="{SECRET_OG_URL}">')
    point_at(worker, server.url)
    assert log.requests == []  # the desk's set-up went through the store

    page, (tab_id, _) = visit(context, worker, page_url + "#comments")
    for claim in claims:
        wait_for_mark(page, claim["id"])
    assert marks_of(page, claims[0]["id"])["shown"] == SHOWN["jobs"]
    expect_badge(page, worker, tab_id, "2")
    page.reload()  # a second visit: from the browser's cache or revalidated, never by URL
    for claim in claims:
        wait_for_mark(page, claim["id"])
    popup = open_popup(context, extension_id, tab_id)
    assert popup.text_content("#summary") == "2 of 2 checked claims found on this page."

    # The service was asked, for buckets only: the three URLs' (at most
    # three distinct prefixes), with GET and no body.
    assert log.requests
    asked = {request["path"] for request in log.requests}
    assert asked <= {f"/api/v1/lookup/{bucket_of(url)}"
                     for url in (page_url, SECRET_CANONICAL, SECRET_OG_URL)}
    assert f"/api/v1/lookup/{bucket_of(page_url)}" in asked
    for request in log.requests:
        assert request["method"] == "GET" and LOOKUP_PATH.fullmatch(request["path"]), request
        assert request["query"] == "" and request["body"] == "", request
        assert request["uri"] == request["path"], request
        referer = request["headers"].get("HTTP_REFERER", "")
        assert referer == "" or referer.startswith("chrome-extension://"), request
        assert "HTTP_COOKIE" not in request["headers"], request

    recorded = log.text()
    for word in SECRET_WORDS:
        assert word not in recorded, word
    assert str(port) not in recorded  # the news site's port
    for url in (page_url, SECRET_CANONICAL, SECRET_OG_URL):
        full_hash = key_hash(url_key(url))
        assert full_hash[4:] not in recorded  # only the bucket prefix leaves the browser
    assert page.errors == []


def test_through_the_nginx_edge(edge, service, site, extension):
    """The service behind the repository's nginx (deploy/nginx.conf), the
    extension pointed at nginx: the lookup goes through it and the page is
    marked; nginx's access log has bucket requests only."""
    server, _ = service
    port, pages = site
    context, worker, _ = extension
    proxy = edge(server.url)
    news = f"http://{NEWS_HOST}:{port}"
    claim = published(server, news + ARTICLE_PATH, "Harbour plan story", "residents", "verified")
    pages[ARTICLE_PATH] = NEWS_PAGE
    point_at(worker, proxy.url)

    page, (tab_id, _) = visit(context, worker, news + ARTICLE_PATH + "?utm_source=edge")
    wait_for_mark(page, claim["id"])
    assert marks_of(page, claim["id"])["shown"] == SHOWN["residents"]
    expect_badge(page, worker, tab_id, "1")
    for _ in range(30):  # nginx flushes its log buffer every second
        lines = proxy.access_log.read_text().splitlines() if proxy.access_log.exists() else []
        if lines:
            break
        page.wait_for_timeout(100)
    assert lines and all(f'"GET /api/v1/lookup/{bucket_of(news + ARTICLE_PATH)} HTTP/1.1"' in line
                         for line in lines), lines
    assert page.errors == []
