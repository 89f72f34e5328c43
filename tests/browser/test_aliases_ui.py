"""Other URLs of an article (aliases) on the article page, in Chromium: an
editor adds one (readers on that URL then find the article's published
claims) and removes it (they no longer do); a refused URL shows the
server's message and adds nothing; a factchecker sees the list without
controls; a URL with markup-looking characters is shown as text."""

from urllib.parse import quote

from playwright.sync_api import expect

from .conftest import login
from .helpers import add_article, add_claim, api, as_actor, injected, wait_until_ready

TEXT = "Bridge reopens\n\nThe minister said the bridge is open.\n\nCritics disagreed.\n"
ALIAS = "https://mirror.example/2026/bridge-reopens"


def bridge_article(server, author, publisher):
    article_id, passages = add_article(server, "https://news.example/bridge", TEXT,
                                       title="Bridge reopens")
    claim = add_claim(server, author, passages[1], "the bridge is open",
                      verdict="unverified", publish_by=publisher)
    return article_id, claim


def stored_aliases(server, article_id):
    with server.store() as store:
        return [alias["url"] for alias in store.aliases(article_id)]


def highlighted_claims(page, server, url):
    """What a reader's extension gets for ``url`` from the service itself
    (Playwright's request context: no browser cache, whose copy of the
    public answer may lag by its max-age)."""
    response = page.request.get(f"{server.url}/api/v1/highlights?url={quote(url, safe='')}")
    assert response.status == 200
    return [claim["id"] for claim in response.json()["claims"]]


def open_article(page, server, article_id):
    page.goto(f"{server.url}/articles/{article_id}")
    wait_until_ready(page)


def test_editor_adds_an_alias_readers_find_the_article_there_and_removes_it(live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    article_id, claim = bridge_article(live_server, checker, editor)

    page = new_page()
    login(page, live_server, "eda")
    open_article(page, live_server, article_id)
    section = page.locator("#article-aliases")
    expect(section.get_by_role("heading")).to_have_text("Other URLs of this article")
    expect(page.locator("#aliases-empty")).to_be_visible()
    assert highlighted_claims(page, live_server, ALIAS) == []

    page.fill("#alias-url", ALIAS)
    page.click("#alias-add")
    expect(page.locator("#alias-status")).to_have_text("URL added.")
    link = page.locator("#alias-list a.alias-url")
    expect(link).to_have_text([ALIAS])
    expect(link).to_have_attribute("href", ALIAS)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator("#aliases-empty")).to_be_hidden()
    expect(page.locator("#alias-url")).to_have_value("")
    assert stored_aliases(live_server, article_id) == [ALIAS]
    assert highlighted_claims(page, live_server, ALIAS) == [claim["id"]]

    # Still there after a reload: it was stored, not only drawn.
    open_article(page, live_server, article_id)
    expect(page.locator("#alias-list a.alias-url")).to_have_text([ALIAS])

    page.get_by_role("button", name=f"Remove {ALIAS}").click()
    expect(page.locator("#alias-status")).to_have_text("URL removed.")
    expect(page.locator("#alias-list li")).to_have_count(0)
    expect(page.locator("#aliases-empty")).to_be_visible()
    assert stored_aliases(live_server, article_id) == []
    assert highlighted_claims(page, live_server, ALIAS) == []
    assert page.errors == [] and page.dialogs == []


def test_a_refused_url_shows_the_servers_message_and_adds_nothing(live_server, new_page):
    editor = live_server.user("eda", "editor")
    article_id, _ = bridge_article(live_server, editor, editor)
    other_id, _ = add_article(live_server, "https://news.example/other", "Other\n\nText here.\n")

    page = new_page()
    login(page, live_server, "eda")
    open_article(page, live_server, article_id)
    expect(page.locator("#aliases-empty")).to_be_visible()

    page.fill("#alias-url", "javascript:alert(document.domain)")
    page.click("#alias-add")
    expect(page.locator("#alias-error")).to_have_text("URL: only http and https URLs are accepted")
    # What was typed stays, to be corrected.
    expect(page.locator("#alias-url")).to_have_value("javascript:alert(document.domain)")

    page.fill("#alias-url", "https://news.example/other")
    page.click("#alias-add")
    expect(page.locator("#alias-error")).to_have_text(
        f"URL: this URL already belongs to article {other_id}")

    page.fill("#alias-url", "https://news.example/bridge")
    page.click("#alias-add")
    expect(page.locator("#alias-error")).to_have_text("URL: this is the article's own URL")

    expect(page.locator("#alias-list li")).to_have_count(0)
    assert stored_aliases(live_server, article_id) == []
    assert stored_aliases(live_server, other_id) == []
    assert page.errors == [] and page.dialogs == []


def test_a_factchecker_sees_the_aliases_but_no_controls(live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    live_server.user("rea", "reader")
    article_id, _ = bridge_article(live_server, checker, editor)
    with live_server.store() as store:
        store.add_alias(article_id, ALIAS, as_actor(editor))

    page = new_page()
    login(page, live_server, "fay")
    open_article(page, live_server, article_id)
    expect(page.locator("#alias-list a.alias-url")).to_have_text([ALIAS])
    expect(page.locator("#alias-form")).to_have_count(0)
    expect(page.locator("#alias-list button")).to_have_count(0)
    assert page.errors == []

    # Readers get no section at all (and the API refuses them the list).
    reader = new_page()
    login(reader, live_server, "rea")
    open_article(reader, live_server, article_id)
    expect(reader.locator("#article-aliases")).to_have_count(0)
    assert api(reader, "GET", f"/api/v1/articles/{article_id}/aliases")["status"] == 403


def test_an_alias_with_markup_looking_characters_is_shown_as_text(live_server, new_page):
    editor = live_server.user("eda", "editor")
    article_id, _ = bridge_article(live_server, editor, editor)
    odd = 'https://mirror.example/a?q=<img/src=x/onerror=alert(1)>&t="x"\'<script>alert(2)</script>'

    page = new_page()
    login(page, live_server, "eda")
    open_article(page, live_server, article_id)
    expect(page.locator("#aliases-empty")).to_be_visible()
    page.fill("#alias-url", odd)
    page.click("#alias-add")
    expect(page.locator("#alias-status")).to_have_text("URL added.")
    expect(page.locator("#alias-list .alias-url")).to_have_text([odd])
    assert stored_aliases(live_server, article_id) == [odd]

    # And as the server gave it on a fresh load.
    open_article(page, live_server, article_id)
    expect(page.locator("#alias-list .alias-url")).to_have_text([odd])
    assert injected(page) == []
    assert page.dialogs == [] and page.errors == []


def test_a_long_alias_and_the_form_fit_a_phone_screen(live_server, new_page):
    editor = live_server.user("eda", "editor")
    article_id, _ = bridge_article(live_server, editor, editor)
    long_url = "https://mirror.example/" + "very-long-path-segment-" * 12 + "end?utm=" + "x" * 80
    with live_server.store() as store:
        store.add_alias(article_id, long_url, as_actor(editor))

    page = new_page(viewport={"width": 360, "height": 740})
    login(page, live_server, "eda")
    open_article(page, live_server, article_id)
    expect(page.locator("#alias-list .alias-url")).to_have_text([long_url])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    # The add field has its label.
    expect(page.get_by_label("Add a URL")).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove {long_url}")).to_be_visible()
