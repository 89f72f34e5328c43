"""A claim's internal discussion in the annotator's panel: a factchecker
adds a comment, an editor opening the claim sees it; hostile text in a
comment stays text."""

from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, csp_violations, injected, open_claim,
                      panel_status, watch_csp)

TEXT = "Bridge story\n\nThe minister said the bridge is open.\n"
PAYLOAD = '<img src=x onerror=alert(1)> <script>alert(2)</script> "><svg onload=alert(3)>'


def _article_with_claim(live_server):
    author = live_server.user("fay", "factchecker")
    live_server.user("ed", "editor")
    article_id, passages = add_article(live_server, "https://news.example/bridge", TEXT)
    claim = add_claim(live_server, author, passages[1], "bridge is open")
    return article_id, claim


def _comments(page) -> list[str]:
    return page.eval_on_selector_all("#comment-list li .comment-body",
                                     "items => items.map((item) => item.textContent)")


def _add_comment(page, text: str, count: int) -> None:
    page.fill("#comment-body", text)
    page.click("#add-comment")
    panel_status(page, "Comment added.")
    page.wait_for_function("n => document.querySelectorAll('#comment-list li').length === n",
                           arg=count, timeout=TIMEOUT_MS)


def test_factchecker_comments_and_editor_sees_it(live_server, new_page):
    article_id, claim = _article_with_claim(live_server)
    fay = new_page()
    login(fay, live_server, "fay")
    fay.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(fay, claim["id"])
    assert fay.is_visible("#discussion")
    assert _comments(fay) == []

    _add_comment(fay, "Call the ministry.\nThey said Monday.", 1)

    assert _comments(fay) == ["Call the ministry.\nThey said Monday."]
    assert fay.input_value("#comment-body") == ""
    assert fay.text_content("#comment-list li strong") == "fay"

    ed = new_page()
    login(ed, live_server, "ed")
    ed.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(ed, claim["id"])
    ed.wait_for_selector("#comment-list li", timeout=TIMEOUT_MS)
    assert _comments(ed) == ["Call the ministry.\nThey said Monday."]
    assert fay.errors == [] and ed.errors == []


def test_a_refused_comment_is_shown_in_the_error_line(live_server, new_page):
    article_id, claim = _article_with_claim(live_server)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])

    # The server's refusal (over the limit: a script can type past maxlength) reaches the panel.
    page.eval_on_selector("#comment-body", "el => { el.value = 'x'.repeat(5001); }")
    page.click("#add-comment")
    page.wait_for_function(
        "() => document.getElementById('panel-error').textContent.startsWith('Comment: ')",
        timeout=TIMEOUT_MS)
    assert "5000" in page.text_content("#panel-error")
    assert _comments(page) == []


def test_a_hostile_comment_stays_text(live_server, new_page):
    article_id, claim = _article_with_claim(live_server)
    page = new_page()
    watch_csp(page)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])

    _add_comment(page, PAYLOAD, 1)

    assert _comments(page) == [PAYLOAD]
    page.wait_for_timeout(300)  # time for an injected handler to fire, were there one
    assert page.dialogs == []
    assert injected(page) == []
    assert page.errors == [] and csp_violations(page) == []


def test_the_history_says_who_commented_and_what(live_server, new_page):
    article_id, claim = _article_with_claim(live_server)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    _add_comment(page, "Asked the ministry for the opening date.", 1)

    page.click("#show-history")
    last = page.locator("#history-entries li").last
    last.wait_for(timeout=TIMEOUT_MS)

    assert "fay" in last.text_content() and "commented" in last.text_content()
    assert last.locator(".history-detail").text_content() == \
        "Asked the ministry for the opening date."
    assert page.errors == []
