"""A claim's sources as compact rows: the URL first, the title and publisher
read from the page it leads to (through GET /api/v1/link-preview; pages from
tests/page_server.py, reachable with FETCH_ALLOW_PRIVATE_HOSTS), stance,
excerpt and archive URL behind "More", and Up/Down to reorder, the order
saved. At 1440 px and 360 px."""

import pytest
from playwright.sync_api import expect

from tests.page_server import page_server  # noqa: F401  (fixture)

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, open_claim, open_new_claim,
                      panel_status, refreshed, stored_claim, stored_claims)

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
REPORT = (b"<!doctype html><html><head><title>Water levels, 12 March | River Agency</title>"
          b'<meta property="og:site_name" content="River Agency">'
          b'<meta property="og:title" content="Water levels, 12 March"></head>'
          b"<body><table><tr><td>2.9 m</td></tr></table></body></html>")


def row(page, n: int):
    return page.locator(f"#citation-rows li:nth-child({n})")


def urls_in_form(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('#citation-rows [name=url]'),"
                         " input => input.value)")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_a_source_row_fills_its_title_and_keeps_the_rest_behind_more(
        live_server, new_page, page_server, viewport):
    live_server.app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    live_server.user("fay", "factchecker")
    report = page_server.route("/levels", body=REPORT)
    article_id, _ = add_article(live_server, "https://news.example/river",
                                "The river rose 3 metres overnight.\n")
    page = new_page(viewport=viewport)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-0", "rose 3 metres")
    page.keyboard.press("d")
    page.click("#add-citation")
    # The URL comes first and has the focus.
    assert page.evaluate("() => document.activeElement.id") == "citation-1-url"
    first = row(page, 1)
    assert first.locator("input, select, textarea").first.get_attribute("name") == "url"
    # Stance, excerpt and archive URL are behind "More", closed.
    more = first.locator(".more-citation")
    assert more.get_attribute("aria-expanded") == "false"
    for name in ("stance", "excerpt", "archive_url"):
        assert first.locator(f"[name={name}]").is_hidden(), name

    page.fill("#citation-1-url", report)
    page.keyboard.press("Tab")  # leaving the box reads the page
    expect(page.locator("#citation-1-title")).to_have_value("Water levels, 12 March",
                                                            timeout=TIMEOUT_MS)
    expect(page.locator("#citation-1-publisher")).to_have_value("River Agency")
    expect(first.locator(".source-lookup")).to_have_text(
        "Filled in the title and publisher from the page: check them.")
    # Filled, not fixed: the user's wording wins.
    page.fill("#citation-1-title", "River Agency water levels")

    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    page.select_option("#citation-1-stance", "refutes")
    page.fill("#citation-1-excerpt", "2.9 m at the gauge")
    more.click()
    # Closed again, the button says what it holds.
    assert " ".join(more.text_content().split()) == "More about source 1: refutes · excerpt"
    assert_accessible(page, where=f"source rows at {viewport['width']} px")
    # The row fits the screen: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]

    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    (claim,) = stored_claims(live_server, article_id)
    assert [(c["url"], c["title"], c["publisher"], c["stance"], c["excerpt"])
            for c in claim["citations"]] == [
        (report, "River Agency water levels", "River Agency", "refutes", "2.9 m at the gauge")]
    assert page.errors == [] and page.dialogs == []


def test_a_page_that_cannot_be_read_says_why(live_server, new_page, page_server):
    # The default settings: the local page server is a private host.
    live_server.user("fay", "factchecker")
    report = page_server.route("/levels", body=REPORT)
    article_id, _ = add_article(live_server, "https://news.example/river",
                                "The river rose 3 metres overnight.\n")
    page = new_page(viewport=WIDE)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-0", "rose 3 metres")
    page.click("#add-citation")
    page.fill("#citation-1-url", report)
    page.keyboard.press("Tab")
    expect(row(page, 1).locator(".source-lookup")).to_have_text(
        "Could not read the page (url: refused to fetch from 127.0.0.1: a loopback address); "
        "type the title yourself.", timeout=TIMEOUT_MS)
    assert page.input_value("#citation-1-title") == ""
    assert page_server.requests == []
    assert page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_sources_are_reordered_with_the_keyboard_and_the_order_is_saved(
        live_server, new_page, viewport):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/river",
                                       "The river rose 3 metres overnight.\n")
    claim = add_claim(live_server, fay, passages[0], "rose 3 metres", "unverified", citations=(
        {"url": "https://a.example/one", "title": "One"},
        {"url": "https://b.example/two", "title": "Two"},
        {"url": "https://c.example/three", "title": "Three", "stance": "context"}))
    page = new_page(viewport=viewport)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])

    # The first row cannot go up, the last cannot go down; each button names its source.
    assert row(page, 1).locator(".move-up").get_attribute("aria-disabled") == "true"
    assert row(page, 3).locator(".move-down").get_attribute("aria-disabled") == "true"
    up = row(page, 3).locator(".move-up")
    assert up.get_attribute("aria-label") == "Move source 3 up"
    # Keyboard only: focus the button, press Enter twice; focus stays on it.
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert urls_in_form(page) == ["https://c.example/three", "https://a.example/one",
                                  "https://b.example/two"]
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == \
        "Move source 1 up"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-disabled')") == "true"
    # Pressing it at the top does nothing.
    page.keyboard.press("Enter")
    assert urls_in_form(page)[0] == "https://c.example/three"
    # The rows are renumbered: legends and ids follow the order.
    assert row(page, 1).locator("legend").text_content() == "Source 1"
    assert page.input_value("#citation-1-url") == "https://c.example/three"
    assert "now source 1" in page.text_content("#panel-status")
    # Down works the same way.
    row(page, 2).locator(".move-down").click()
    assert urls_in_form(page) == ["https://c.example/three", "https://b.example/two",
                                  "https://a.example/one"]

    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    saved = stored_claim(live_server, claim["id"])
    assert [(c["url"], c["title"], c["stance"]) for c in saved["citations"]] == [
        ("https://c.example/three", "Three", "context"), ("https://b.example/two", "Two", "supports"),
        ("https://a.example/one", "One", "supports")]
    assert saved["version"] == 2
    # Moved, not re-created: each source keeps its id.
    one, two, three = (c["id"] for c in claim["citations"])
    assert [c["id"] for c in saved["citations"]] == [three, two, one]
    # The history says the sources were reordered, and nothing removed or added.
    page.click("#show-history")
    last = page.locator("#history-entries li").nth(1)
    last.wait_for(timeout=TIMEOUT_MS)
    said = " ".join(last.text_content().split())
    assert ("sources reordered, now: https://c.example/three, https://b.example/two, "
            "https://a.example/one") in said
    assert "removed" not in said and "added" not in said
    # Reloaded, the panel shows the saved order.
    page.reload()
    open_claim(page, claim["id"])
    assert urls_in_form(page) == ["https://c.example/three", "https://b.example/two",
                                  "https://a.example/one"]
    assert page.errors == [] and page.dialogs == []
