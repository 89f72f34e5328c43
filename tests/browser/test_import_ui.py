"""Importing by URL in Chromium: "Fetch & preview" fills the details the
page names (title, author, date, publisher, canonical URL) for review, and
Import saves them with the page's main text; an article's details are
corrected later from its page; the article list tells two similar imports
apart by site and URL; a refused fetch shows why. Pages come from
tests/page_server.py on 127.0.0.1, reachable with FETCH_ALLOW_PRIVATE_HOSTS."""

from playwright.sync_api import expect

from tests.page_server import page_server  # noqa: F401  (fixture)

from .conftest import login
from .helpers import add_article, injected, wait_until_ready

CANONICAL = "https://www.harbourview-courier.example/news/2026/03/harbour-dredging-audit"
HEADLINE = "Harbour dredging plan will cost twice the council's estimate, audit finds"


def test_fetch_preview_review_and_import(live_server, new_page, page_server):
    live_server.app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    live_server.user("fay", "factchecker")
    url = page_server.page("/news/dredging", "news_site.html", etag='"n1"')
    page = new_page()
    login(page, live_server, "fay")

    page.goto(live_server.url + "/import")
    page.fill("#url", url)
    page.click("#preview-button")

    preview = page.locator("#import-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("9 passages of main text")
    expect(page.locator("#preview-passages li").first).to_have_text(HEADLINE)
    expect(preview).not_to_contain_text("Advertisement")
    expect(page.locator("#title")).to_have_value(HEADLINE)
    expect(page.locator("#author")).to_have_value("Priya Raman")
    expect(page.locator("#published_date")).to_have_value("2026-03-04")
    expect(page.locator("#publisher")).to_have_value("Harbourview Courier")
    expect(page.locator("#canonical_url")).to_have_value(CANONICAL)

    page.fill("#author", "Priya Raman (Local Affairs)")
    page.click("#import-button")

    page.wait_for_url(f"{live_server.url}/articles/*")
    wait_until_ready(page)
    expect(page.locator("#article h1")).to_have_text(HEADLINE)
    expect(page.locator(".article-author")).to_have_text("Priya Raman (Local Affairs)")
    expect(page.locator(".article-date")).to_have_text("2026-03-04")
    expect(page.locator(".flash").first).to_have_text("Imported 9 passages.")
    expect(page.locator(".flash").nth(1)).to_contain_text(CANONICAL)
    expect(page.locator("#alias-list")).to_contain_text(CANONICAL)
    expect(page.locator("#passages")).not_to_contain_text("Read more")
    with live_server.store() as store:
        article = store.find_article_by_url(url)
    assert article["http_etag"] == '"n1"' and article["fetched_at"]
    assert page.errors == [] and injected(page) == []


def test_refused_fetch_says_why_and_imports_nothing(live_server, new_page, page_server):
    live_server.user("fay", "factchecker")
    url = page_server.page("/news/dredging", "news_site.html")
    page = new_page()
    login(page, live_server, "fay")

    page.goto(live_server.url + "/import")
    page.fill("#url", url)
    page.click("#preview-button")

    expect(page.locator("#import-error")).to_have_text(
        "Article URL: refused to fetch from 127.0.0.1: a loopback address")
    expect(page.locator("#url")).to_have_value(url)
    assert page_server.requests == []
    with live_server.store() as store:
        assert store.article_ids() == []


def test_markup_in_a_pages_metadata_is_shown_as_text(live_server, new_page, page_server):
    live_server.app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    live_server.user("fay", "factchecker")
    title = '"><img src=x onerror="document.title=1">Budget <b>row</b>'
    body = ("<!doctype html><html><head><title>t</title>"
            f"<meta property='og:title' content='{title.replace(chr(39), '&#39;')}'>"
            "</head><body>"
            "<article><p>The council met on Tuesday and argued about the budget for most of "
            "the evening without a vote.</p><p>A second meeting is planned for next week, "
            "the clerk said afterwards.</p></article></body></html>").encode()
    url = page_server.route("/odd", body=body)
    page = new_page()
    login(page, live_server, "fay")

    page.goto(live_server.url + "/import")
    page.fill("#url", url)
    page.click("#preview-button")

    expect(page.locator("#import-preview")).to_be_visible()
    # The markup is the box's text, not elements of the page.
    assert 'onerror="document.title=1"' in page.locator("#title").input_value()
    page.click("#import-button")
    page.wait_for_url(f"{live_server.url}/articles/*")
    wait_until_ready(page)
    assert 'onerror="document.title=1"' in page.locator("#article h1").inner_text()
    assert page.title() != "1"
    assert page.errors == [] and page.dialogs == [] and injected(page) == []


def test_factchecker_corrects_an_articles_details(live_server, new_page):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/bridge",
                                "Bridge reopens\n\nThe minister said the bridge is open.\n",
                                title="Bridge reopens", author="Staff")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    page.click("#edit-details")
    expect(page.locator("#title")).to_have_value("Bridge reopens")
    page.fill("#title", "Bridge reopens after two years")
    page.fill("#author", "Ana Lima")
    page.fill("#published_date", "2026-02-01")
    page.click("#details-save")

    page.wait_for_url(f"{live_server.url}/articles/{article_id}")
    expect(page.locator(".flash")).to_have_text("Article details saved.")
    expect(page.locator("#article h1")).to_have_text("Bridge reopens after two years")
    expect(page.locator(".article-author")).to_have_text("Ana Lima")
    with live_server.store() as store:
        entry = store.history("article", article_id)[-1]
    assert entry["action"] == "update" and entry["actor"] == "fay"
    assert entry["before"] == {"title": "Bridge reopens", "author": "Staff",
                               "published_date": None}


def test_reader_sees_no_edit_link(live_server, new_page):
    live_server.user("rita", "reader")
    article_id, _ = add_article(live_server, "https://news.example/bridge",
                                "Bridge reopens\n\nThe bridge is open.\n", title="Bridge")
    page = new_page()
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/articles/{article_id}")
    expect(page.locator("#article h1")).to_have_text("Bridge")
    expect(page.locator("#edit-details")).to_have_count(0)


def test_article_list_tells_similar_imports_apart(live_server, new_page):
    live_server.user("fay", "factchecker")
    text = "Bridge reopens\n\nThe minister said the bridge is open.\n"
    add_article(live_server, "https://www.harbourview-courier.example/news/bridge", text,
                title="Bridge reopens", publisher="Harbourview Courier")
    add_article(live_server, "https://mirror.example/copy/bridge", text, title="Bridge reopens")
    page = new_page()
    login(page, live_server, "fay")

    page.goto(live_server.url + "/")

    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".article-site")).to_have_text("mirror.example")
    expect(rows.nth(0).locator(".article-url")).to_have_text("https://mirror.example/copy/bridge")
    expect(rows.nth(1).locator(".article-site")).to_have_text("Harbourview Courier")
    expect(rows.nth(1).locator(".article-host")).to_have_text("(harbourview-courier.example)")
    expect(rows.nth(1).locator(".article-url")).to_have_attribute(
        "href", "https://www.harbourview-courier.example/news/bridge")
