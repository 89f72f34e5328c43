"""My queue in Chromium: an editor assigns a claim, the factchecker finds it
under "My queue" and follows the link to the claim on its article page; the
queue says why each claim is there, and the article list counts what needs
the desk."""

from playwright.sync_api import expect

from annotations.importer import parse_article

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, api, as_actor, injected, take_action


def test_assigned_claim_shows_in_my_queue_and_links_to_the_claim(live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/bridge",
                                       "Bridge reopens\n\nThe minister said the bridge is open.\n",
                                       title="Bridge reopens")
    claim = add_claim(live_server, editor, passages[1], "the bridge is open")

    editor_page = new_page()
    login(editor_page, live_server, "eda")
    answer = api(editor_page, "PUT", f"/api/v1/claims/{claim['id']}/assignee",
                 {"assignee_id": checker["id"]})
    assert answer["status"] == 200, answer
    assert answer["data"]["assignee_id"] == checker["id"]

    page = new_page()
    login(page, live_server, "fay")
    page.click("header nav a:has-text('My queue')")
    page.wait_for_selector("h1:has-text('My queue')", timeout=TIMEOUT_MS)
    row = page.locator(f"tr[data-claim-id='{claim['id']}']")
    assert "Bridge reopens" in row.text_content()
    row.locator("a").click()

    page.wait_for_selector(f"#claim-{claim['id']}", timeout=TIMEOUT_MS)
    assert page.url == f"{live_server.url}/articles/{article_id}#claim-{claim['id']}"
    assert page.errors == [] and page.dialogs == []
    assert editor_page.errors == []


def _queue_row(page, claim_id: int):
    return page.locator(f"tr[data-claim-id='{claim_id}']")


def test_queue_says_why_and_the_article_list_counts_what_needs_the_desk(live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    live_server.user("rea", "reader")
    text = "Bridge reopens\n\nThe minister said the bridge is open.\n\nCritics disagreed.\n"
    article_id, passages = add_article(live_server, "https://news.example/bridge", text,
                                       title="Bridge reopens")
    sent_back = add_claim(live_server, checker, passages[1], "the bridge is open", submit=True)
    take_action(live_server, editor, sent_back["id"], "request_changes",
                note='Name the source <img src=x onerror="alert(1)">')
    waiting = add_claim(live_server, checker, passages[2], "Critics disagreed", submit=True)
    gone_id, gone_passages = add_article(live_server, "https://news.example/tunnel",
                                         "Tunnel closes\n\nThe tunnel closes in May.\n",
                                         title="Tunnel closes")
    orphaned = add_claim(live_server, checker, gone_passages[1], "tunnel closes in May",
                         publish_by=editor)
    with live_server.store() as store:  # the re-import that takes it off its page
        store.import_article("https://news.example/tunnel",
                             parse_article("Tunnel closes\n\nNothing else.\n", "text"),
                             as_actor(editor))

    page = new_page()
    login(page, live_server, "fay")
    page.click("header nav a:has-text('My queue')")
    attention = _queue_row(page, orphaned["id"])
    expect(attention.locator(".reason")).to_have_text("Needs attention: orphaned by a re-import")
    expect(attention).to_contain_text("Tunnel closes")
    back = _queue_row(page, sent_back["id"])
    expect(back.locator(".reason")).to_have_text("Sent back to you")
    expect(back.locator(".request-note")).to_have_text(
        'Name the source <img src=x onerror="alert(1)">')
    expect(back).to_contain_text("eda")
    expect(_queue_row(page, waiting["id"])).to_have_count(0)  # not hers to review
    assert injected(page) == []

    page.click(".queue-tabs a:has-text('Needs attention')")
    expect(page.locator(".queue-tabs a[aria-current=page]")).to_have_text("Needs attention")
    expect(page.locator("tr[data-claim-id]")).to_have_count(1)
    expect(_queue_row(page, orphaned["id"])).to_be_visible()

    page.click("header nav a:has-text('Articles')")
    bridge = page.locator("tr", has=page.locator(f"a[href='/articles/{article_id}']"))
    tunnel = page.locator("tr", has=page.locator(f"a[href='/articles/{gone_id}']"))
    expect(bridge.locator(".desk-count.in-review")).to_have_text("1 waiting for review")
    expect(tunnel.locator(".desk-count.orphaned-published")).to_have_text(
        "1 published claim orphaned")

    editor_page = new_page()
    login(editor_page, live_server, "eda")
    editor_page.goto(live_server.url + "/queue?reason=to_review")
    expect(_queue_row(editor_page, waiting["id"]).locator(".reason")).to_have_text("To review")
    expect(editor_page.locator("tr[data-claim-id]")).to_have_count(1)

    reader_page = new_page()
    login(reader_page, live_server, "rea")
    expect(reader_page.locator("table.articles")).to_be_visible()
    expect(reader_page.locator(".desk-counts")).to_have_count(0)
    expect(reader_page.locator("th", has_text="Desk")).to_have_count(0)

    phone = new_page(viewport={"width": 360, "height": 740})
    login(phone, live_server, "fay")
    for path in ("/queue", "/"):  # tables scroll inside their box, the page does not
        phone.goto(live_server.url + path)
        expect(phone.locator("tr[data-claim-id], .desk-counts").first).to_be_attached()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360, path

    for each in (page, editor_page, reader_page, phone):
        assert each.errors == [] and each.dialogs == []
