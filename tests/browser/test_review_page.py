"""The public fact-check page in a real browser: hostile label, rationale and
source title stay text, the ClaimReview JSON-LD block parses and equals the
API's item, and the Content-Security-Policy (script-src 'self') reports no
violation for the data block."""

import json

from annotations.sanitize import clean_rationale

from .helpers import add_article, add_claim, csp_violations, injected, watch_csp

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
TEXT = f"Harbour plan\n\nThe mayor said {IMG} creates jobs.\n"
RATIONALE = (f"<p>See {IMG} and {SCRIPT}</p><a href=\"javascript:alert(1)\">click</a>"
             "<p onclick=alert(1)>para</p>")
TITLE = f"{SCRIPT} Report {IMG}"


def test_a_reader_sees_the_fact_check_inert_with_its_json_ld(live_server, new_page):
    checker = live_server.user("fay", "factchecker")
    editor = live_server.user("eddie", "editor")
    _, passages = add_article(live_server, "https://news.example.com/harbour", TEXT,
                              title=f"Harbour {SCRIPT}")
    claim = add_claim(live_server, checker, passages[1], f"said {IMG} creates", "denied",
                      publish_by=editor, label=IMG + SCRIPT,
                      rationale=clean_rationale(RATIONALE),  # as the API stores it
                      citations=({"url": "https://stats.example.org/", "title": TITLE,
                                  "stance": "refutes"},))
    page = new_page()
    watch_csp(page)

    page.goto(f"{live_server.url}/claims/{claim['id']}")

    assert page.text_content(".review-word") == "False"
    assert page.text_content(".review-verdict .label") == f" · {IMG}{SCRIPT}"
    assert page.text_content(".quote") == f"said {IMG} creates"
    assert page.text_content(".citations a") == TITLE
    assert page.locator(".rationale a", has_text="click").get_attribute("href") is None
    assert page.locator(".rationale [onclick]").count() == 0
    blocks = page.eval_on_selector_all('script[type="application/ld+json"]',
                                       "nodes => nodes.map((n) => n.textContent)")
    api_item = page.evaluate(
        "id => fetch('/api/v1/claims/' + id + '/claimreview').then((r) => r.json())", claim["id"])
    assert [json.loads(block) for block in blocks] == [api_item]
    assert api_item["url"] == page.url
    assert api_item["reviewRating"]["alternateName"] == IMG + SCRIPT
    # Nothing ran: no dialog, no element or handler injected, no error, no CSP report.
    assert page.dialogs == [] and page.errors == []
    # The one inline script is the JSON-LD data block, which never runs.
    assert injected(page) == ["script (inline)"]
    assert page.eval_on_selector_all("script:not([src])", "nodes => nodes.map((n) => n.type)") \
        == ["application/ld+json"]
    assert csp_violations(page) == []


def test_a_draft_is_not_found_for_an_anonymous_reader(live_server, new_page):
    checker = live_server.user("fay", "factchecker")
    _, passages = add_article(live_server, "https://news.example.com/d", "Heading\n\nA draft.\n")
    claim = add_claim(live_server, checker, passages[1], "A draft.", "verified")
    page = new_page()

    response = page.goto(f"{live_server.url}/claims/{claim['id']}")

    assert response.status == 404
    assert page.text_content("p.error") == f"claim {claim['id']} not found"
