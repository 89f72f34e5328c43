"""My queue in Chromium: an editor assigns a claim, the factchecker finds it
under "My queue" and follows the link to the claim on its article page."""

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, api


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
