"""The public fact-check page in a real browser: hostile label, rationale and
source title stay text, the ClaimReview JSON-LD block parses and equals the
API's item, and the Content-Security-Policy (script-src 'self') reports no
violation for the data block. A corrected claim shows its correction log, a
retracted one its banner and reason (hostile ones as text), and a revision
waiting for review never shows."""

import json

from annotations.sanitize import clean_rationale

from playwright.sync_api import expect

from annotations.store import Actor

from .helpers import (TIMEOUT_MS, add_article, add_claim, csp_violations, injected, take_action,
                      watch_csp)

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


def revise(server, user, claim_id, changes):
    store = server.store()
    try:
        claim = store.claim(claim_id)
        return store.update_claim(claim_id, changes, Actor(user["id"], user["username"]),
                                  claim["version"])
    finally:
        store.db.close()


NOTE = f"Table 4 was misread {IMG} {SCRIPT}"
REASON = f"The speaker was misidentified <svg onload=alert(2)></svg> {SCRIPT}"


def test_a_reader_sees_corrections_and_the_retraction_as_text(live_server, new_page):
    checker = live_server.user("fay", "factchecker")
    editor = live_server.user("eddie", "editor")
    _, passages = add_article(live_server, "https://news.example.com/harbour", TEXT,
                              title="Harbour")
    claim = add_claim(live_server, checker, passages[1], "creates jobs", "verified",
                      publish_by=editor, label="Jobs",
                      rationale="<p>The office agrees.</p>",
                      citations=({"url": "https://stats.example.org/", "title": "Stats"},))
    claim_id = claim["id"]
    revise(live_server, checker, claim_id, {"verdict": "denied", "label": "Overstated",
                                            "rationale": "<p>Table 4 says 2,500.</p>"})
    take_action(live_server, checker, claim_id, "submit")
    take_action(live_server, editor, claim_id, "approve", correction_note=NOTE)
    # A revision still in review: never on the public page.
    revise(live_server, checker, claim_id, {"label": "SECRET-LABEL",
                                            "rationale": "<p>SECRET-RATIONALE</p>"})
    take_action(live_server, checker, claim_id, "submit")
    page = new_page()
    watch_csp(page)

    page.goto(f"{live_server.url}/claims/{claim_id}")

    expect(page.locator(".review-word")).to_have_text("False")
    expect(page.locator(".review-verdict .label")).to_have_text(" · Overstated")
    expect(page.locator(".rationale")).to_have_text("Table 4 says 2,500.")
    expect(page.locator("body")).not_to_contain_text("SECRET")
    entry = page.locator("#corrections li.correction")
    expect(entry).to_have_count(1)
    expect(entry.locator(".correction-note")).to_have_text(NOTE)
    expect(entry.locator(".correction-verdict")).to_have_text("Verdict: ✔ Verified → ✘ False")
    expect(entry.locator(".correction-label")).to_have_text("Label: Jobs → Overstated")
    expect(page.locator(".review-dates a[href='#corrections']")).to_contain_text("corrected")
    assert page.eval_on_selector_all('script[type="application/ld+json"]', "n => n.length") == 1

    # The editor retracts it: the banner gives the reason, the verdict is struck through.
    take_action(live_server, editor, claim_id, "retract", note=REASON)
    page.reload()

    banner = page.locator("#retraction")
    expect(banner).to_be_visible(timeout=TIMEOUT_MS)
    expect(banner.locator("h2")).to_contain_text("Retracted on")
    expect(banner.locator(".retraction-reason")).to_have_text(REASON)
    expect(page.locator(".review-retracted")).to_have_text("Retracted:")
    assert page.locator(".review-word").evaluate(
        "el => getComputedStyle(el).textDecorationLine") == "line-through"
    expect(page.locator("#corrections .correction-note")).to_have_text(NOTE)
    expect(page.locator("body")).not_to_contain_text("SECRET")
    # No ClaimReview for a withdrawn fact check.
    assert page.eval_on_selector_all('script[type="application/ld+json"]', "n => n.length") == 0
    # Nothing ran: no dialog, no element or handler injected, no error, no CSP report.
    assert page.dialogs == [] and page.errors == []
    assert injected(page) == []
    assert csp_violations(page) == []
