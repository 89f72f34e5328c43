"""Hostile text in every user-supplied field stays text in a real browser:
no dialog, no injected element or handler, no script error, no CSP
violation; javascript: source URLs are refused; the CSP forbids inline
script."""

import pytest

from .conftest import login
from .helpers import (TIMEOUT_MS, api, csp_violations, highlight, injected, open_claim,
                      panel_status, refreshed, stored_claim, stored_claims, take_action,
                      wait_until_ready, watch_csp)

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
SVG = '"><svg onload=alert(1)>'
TITLE = f"Breaking {IMG} {SCRIPT} {SVG}"
PUBLISHER = f"{SVG} Daily"
PASSAGE_1 = f"The minister said {IMG} was fine."
PASSAGE_2 = f"Then {SCRIPT} and {SVG} followed."
ARTICLE_URL = 'https://evil.example/story?x="><svg/onload=alert(1)>'
RATIONALE = (f"<p>See {IMG} and {SCRIPT} and {SVG}</p>"
             '<a href="javascript:alert(1)">click</a> <a href="https://ok.example/">ok</a>'
             "<p onclick=alert(1)>para</p><iframe src=javascript:alert(1)></iframe>")
CITATION = {
    "url": 'https://cite.example/?q="><img/src=x/onerror=alert(1)>',
    "title": f"{SCRIPT} Report {IMG}",
    "publisher": SVG,
    "excerpt": IMG,
    "archive_url": 'https://archive.example/"><svg/onload=alert(1)>',
    "stance": "refutes",
}


def assert_inert(page, where: str):
    assert page.dialogs == [], where
    assert injected(page) == [], where
    assert page.errors == [], where
    assert csp_violations(page) == [], where


@pytest.fixture
def hostile(live_server, new_page):
    """An article and a published claim whose every text field is a payload,
    created through the API by an editor's page."""
    live_server.user("ed", "editor")
    editor = new_page()
    watch_csp(editor)
    login(editor, live_server, "ed")
    made = api(editor, "POST", "/api/v1/articles", {
        "url": ARTICLE_URL, "title": TITLE, "publisher": PUBLISHER,
        "text": f"{SVG} heading\n\n{PASSAGE_1}\n\n{PASSAGE_2}\n"})
    assert made["status"] == 201, made
    article = made["data"]["article"]
    passage = article["passages"][1]
    assert passage["text"] == PASSAGE_1
    start = PASSAGE_1.index(IMG)
    created = api(editor, "POST", "/api/v1/claims", {
        "passage_id": passage["id"], "start": start, "end": start + len(IMG), "exact": IMG,
        "verdict": "denied", "label": SVG, "rationale": RATIONALE, "citations": [CITATION]})
    assert created["status"] == 201, created
    claim = created["data"]
    changed = api(editor, "PATCH", f"/api/v1/claims/{claim['id']}", {"label": IMG + SCRIPT},
                  {"If-Match": created["etag"]})
    assert changed["status"] == 200, changed
    submitted = api(editor, "POST", f"/api/v1/claims/{claim['id']}/transitions",
                    {"action": "submit"}, {"If-Match": changed["etag"]})
    assert submitted["status"] == 200, submitted
    # Another editor approves (the two-person rule).
    take_action(live_server, live_server.user("eve", "editor"), claim["id"], "approve")
    return live_server, editor, article, stored_claim(live_server, claim["id"])


def test_payloads_render_as_text_for_an_editor(hostile):
    server, editor, article, claim = hostile
    assert "<img" not in claim["rationale"] and "javascript" not in claim["rationale"]
    assert "onclick" not in claim["rationale"] and "<iframe" not in claim["rationale"]

    editor.goto(server.url + "/")
    assert editor.locator("table.articles td a").first.text_content() == TITLE
    assert editor.text_content("table.articles .article-site") == PUBLISHER
    assert editor.text_content("table.articles .article-url") == ARTICLE_URL
    assert_inert(editor, "index")

    editor.goto(f"{server.url}/articles/{article['id']}")
    assert editor.title() == f"{TITLE} · Fact desk"
    assert editor.text_content("#article h1") == TITLE
    assert editor.text_content("#article .meta a") == ARTICLE_URL
    assert editor.text_content("#passage-1") == PASSAGE_1
    assert editor.text_content("#passage-2") == PASSAGE_2
    assert highlight(editor, claim["id"]).text_content() == IMG
    card = editor.locator(f"#claim-{claim['id']}")
    assert card.locator(".label").text_content() == IMG + SCRIPT
    assert card.locator(".citations a").first.text_content() == CITATION["title"]
    assert card.locator(".citations a").first.get_attribute("href") == CITATION["url"]
    assert card.locator(".citations q").text_content() == IMG
    # The rationale keeps its safe markup and loses the rest.
    assert card.locator(".rationale a[href='https://ok.example/']").count() == 1
    assert card.locator(".rationale a", has_text="click").get_attribute("href") is None
    assert_inert(editor, "article")

    open_claim(editor, claim["id"])
    assert editor.text_content("#panel-quote") == IMG
    assert editor.input_value("#claim-label") == IMG + SCRIPT
    assert editor.input_value("#citation-1-title") == CITATION["title"]
    assert editor.input_value("#citation-1-url") == CITATION["url"]
    editor.click("#show-history")
    editor.locator("#history-entries li").nth(2).wait_for(timeout=TIMEOUT_MS)
    history = editor.text_content("#history-entries")
    assert f"label: {SVG} → {IMG}{SCRIPT}" in history
    assert_inert(editor, "panel and history")

    # Saving re-renders the highlights and list from the server: still inert.
    # The claim is published, so the save is a revision shown beside what
    # readers see, the rationale compared word by word: still text. The form
    # holds the old HTML rationale as Markdown; tags typed in Markdown are text.
    editor.fill("#claim-rationale",
                editor.input_value("#claim-rationale") + f"\n\nAlso {IMG} {SVG}")
    with refreshed(editor):
        editor.click("#save-claim")
    panel_status(editor, "Saved as a revision: readers keep the published version until an "
                         "editor approves it.")
    assert editor.locator("#revision").is_visible()
    assert editor.text_content("#revision-rows tr[data-field=rationale] ins") == \
        f"Also {IMG} {SVG}"
    assert editor.locator("#revision-rows del").count() == 0
    assert editor.text_content("#revision-rows tr[data-field=label] td:nth-child(2)") == \
        IMG + SCRIPT
    assert_inert(editor, "after save")


def test_payloads_render_as_text_for_an_anonymous_visitor(hostile, new_page):
    server, _, article, claim = hostile
    visitor = new_page()
    watch_csp(visitor)
    visitor.goto(server.url + "/")
    assert visitor.locator("table.articles td a").first.text_content() == TITLE
    assert_inert(visitor, "index")
    visitor.goto(f"{server.url}/articles/{article['id']}")
    assert visitor.text_content("#article h1") == TITLE
    assert "status-published" in highlight(visitor, claim["id"]).get_attribute("class")
    assert visitor.text_content(f"#claim-{claim['id']} .label") == IMG + SCRIPT
    highlight(visitor, claim["id"]).click()
    assert_inert(visitor, "article")


def test_javascript_source_urls_are_refused_and_nothing_is_saved(live_server, new_page):
    live_server.user("ed", "editor")
    page = new_page()
    watch_csp(page)
    login(page, live_server, "ed")
    made = api(page, "POST", "/api/v1/articles", {
        "url": "https://news.example/js", "text": "The bridge is 2 km long.\n"})
    article = made["data"]["article"]
    page.goto(f"{live_server.url}/articles/{article['id']}")
    wait_until_ready(page)

    # A new claim with a javascript: source is not created at all.
    page.evaluate("""() => {
      const node = document.getElementById('passage-0').firstChild;
      const range = document.createRange();
      range.setStart(node, 14); range.setEnd(node, 18);
      getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.keyboard.press("c")
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-quote") == "2 km"
    page.keyboard.press("v")
    page.click("#add-citation")
    page.fill("#citation-1-url", "javascript:alert(1)")
    page.fill("#citation-1-title", "Click me")
    page.click("#save-claim")
    page.wait_for_function("() => document.getElementById('panel-error').textContent !== ''",
                           timeout=TIMEOUT_MS)
    assert "only http and https URLs are accepted" in page.text_content("#panel-error")
    assert page.text_content("#panel-status") == ""
    assert stored_claims(live_server, article["id"]) == []
    assert page.locator("#passages mark.claim").count() == 0
    # The form still holds what was typed, to correct.
    assert page.input_value("#citation-1-url") == "javascript:alert(1)"

    page.fill("#citation-1-url", "https://bridges.example/2km")
    page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    claim = stored_claims(live_server, article["id"])[0]

    # Adding a javascript: source to an existing claim fails the same way.
    for field, value in (("url", "JavaScript:alert(1)"), ("archive_url", "javascript:alert(1)")):
        page.click("#add-citation")
        page.fill("#citation-2-url", "https://ok.example/" if field != "url" else value)
        if field != "url":
            page.click("#citation-rows li:nth-child(2) .more-citation")  # archive URL is behind it
            page.fill(f"#citation-2-{field}", value)
        page.click("#save-claim")
        page.wait_for_function(
            "() => document.getElementById('panel-error').textContent !== ''", timeout=TIMEOUT_MS)
        assert "only http and https URLs are accepted" in page.text_content("#panel-error"), field
        saved = stored_claim(live_server, claim["id"])
        assert [c["url"] for c in saved["citations"]] == ["https://bridges.example/2km"], field
        assert saved["version"] == claim["version"], field
        page.click("#citation-rows li:nth-child(2) .remove-citation")

    # Nor can an existing source be edited into one.
    page.fill("#citation-1-url", "javascript:alert(document.cookie)")
    page.click("#save-claim")
    page.wait_for_function("() => document.getElementById('panel-error').textContent !== ''",
                           timeout=TIMEOUT_MS)
    assert "only http and https URLs are accepted" in page.text_content("#panel-error")
    assert stored_claim(live_server, claim["id"])["citations"][0]["url"] == \
        "https://bridges.example/2km"

    for url in ("javascript:alert(1)", " javascript:alert(1)", "JAVASCRIPT:alert(1)",
                "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                "javascript://example.com/%0Aalert(1)"):
        answer = api(page, "POST", f"/api/v1/claims/{claim['id']}/citations", {"url": url})
        assert answer["status"] == 422, url
    assert len(stored_claim(live_server, claim["id"])["citations"]) == 1
    # The refused edit is still in the form: drop it, or the reload would ask first.
    page.keyboard.press("Escape")
    page.click("#close-discard")
    page.reload()
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert_inert(page, "after refusals")


def test_token_names_and_login_redirects_stay_inert(live_server, new_page):
    live_server.user("ed", "editor")
    page = new_page()
    watch_csp(page)
    page.goto(live_server.url + "/login?next=javascript:alert(1)")
    page.fill("#username", "ed")
    page.fill("#password", "browser test password")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=ed (editor)", timeout=TIMEOUT_MS)
    assert page.url == live_server.url + "/"
    assert_inert(page, "login redirect")

    page.goto(live_server.url + "/tokens")
    page.fill("#token-name", SVG + IMG)
    page.click("form.stack button[type=submit]")
    assert page.text_content("#new-token").startswith("fct_")
    assert page.text_content("table.tokens td") == SVG + IMG
    assert_inert(page, "tokens")
    page.click("table.tokens button[aria-label^='Revoke']")
    assert page.text_content("p.flash") == f"Token “{SVG + IMG}” revoked."
    assert page.text_content("table.tokens tbody tr td:nth-child(4)") == "revoked"
    assert page.locator("#new-token").count() == 0
    assert_inert(page, "token revoked")


def script_src(policy: str) -> list[str]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives.get("script-src", directives.get("default-src"))


def test_content_security_policy_forbids_inline_script(live_server, new_page):
    live_server.user("ed", "editor")
    page = new_page()
    login(page, live_server, "ed")
    made = api(page, "POST", "/api/v1/articles", {
        "url": "https://news.example/csp", "text": "Text.\n"})
    for path in ("/", "/login", f"/articles/{made['data']['article']['id']}", "/import",
                 "/tokens", "/api/docs", "/articles/999999"):
        response = page.goto(live_server.url + path)
        policy = response.headers.get("content-security-policy")
        assert policy, path
        sources = script_src(policy)
        assert sources, path
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, path
        assert not any(s in ("*", "data:", "http:", "https:") for s in sources), path
        # Our own pages carry no inline script for the policy to have to allow.
        assert page.evaluate(
            "() => Array.from(document.scripts).filter(s => !s.src).length") == 0, path
    assert page.errors == [] and page.dialogs == []
