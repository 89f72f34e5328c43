"""Check once, show everywhere in the annotator: a new span is shown the
earlier fact-checks of the same claim in other articles (verdict, article,
score, the shared words marked), linked to one with a click, and unlinked
again, in a real Chromium."""

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, as_actor, checked_verdict, injected,
                      open_claim, open_new_claim, panel_status, refreshed, stored_claim,
                      stored_claims, take_action)

EARLIER = ("Ferry fares\n\n"
           "The transport board said ferry fares doubled since last spring, a claim "
           "the union repeated.\n")
LATER = ("Harbour meeting\n\n"
         "Speakers insisted that ferry fares have doubled since last spring and asked "
         "for a freeze.\n")
# Markup in the earlier article's title must reach the panel as text.
TITLE = 'Ferry fares <img src=x id="pwned"> report'


def test_a_suggestion_is_linked_and_unlinked(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    _, earlier = add_article(live_server, "https://news.example/ferry-fares", EARLIER,
                             title=TITLE)
    original = add_claim(live_server, fay, earlier[1], "ferry fares doubled since last spring",
                         "denied", publish_by=ed, label="Exaggerated",
                         rationale="<p>Fares rose by a third.</p>",
                         citations=({"url": "https://fares.example.org/tables"},))
    article_id, _ = add_article(live_server, "https://other.example/harbour", LATER)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")

    open_new_claim(page, "#passage-1", "ferry fares have doubled since last spring")

    suggestion = page.locator("#suggestion-list li.suggestion")
    suggestion.wait_for(timeout=TIMEOUT_MS)
    assert suggestion.count() == 1
    assert suggestion.locator(".suggestion-verdict").text_content() == "denied"
    assert suggestion.locator(".suggestion-label").text_content() == "Exaggerated"
    assert suggestion.locator(".suggestion-article").text_content() == TITLE
    assert suggestion.locator(".suggestion-article").get_attribute("href") == \
        "https://news.example/ferry-fares"
    assert "(news.example)" in suggestion.locator(".suggestion-site").text_content()
    assert suggestion.locator(".suggestion-score").text_content().endswith("% alike")
    marked = suggestion.locator("mark.shared-word").all_text_contents()
    assert {"ferry", "fares", "spring"} <= {word.lower() for word in marked}
    assert "Shared words:" in suggestion.locator(".suggestion-words").text_content()
    assert injected(page) == [] and page.locator("#pwned").count() == 0
    assert_accessible(page, where="suggestions on a new span")

    with refreshed(page):
        suggestion.get_by_role("button", name="Link to this fact-check").click()
    panel_status(page, f"Linked: this claim now shows the fact-check first published on {TITLE}.")
    (claim,) = stored_claims(live_server, article_id)
    assert claim["linked_to"] == original["id"] and claim["verdict"] == "denied"
    assert page.text_content("#panel-title") == f"Claim {claim['id']}"
    assert page.is_visible("#claim-link") and not page.is_visible("#suggestions")
    assert page.text_content("#claim-link-article") == TITLE
    assert checked_verdict(page) == "denied"
    assert page.input_value("#claim-label") == "Exaggerated"
    # The rationale's editor holds the original's, not a Markdown source of the claim's own.
    assert page.input_value("#claim-rationale") == "Fares rose by a third."
    assert page.is_disabled("#claim-label") and page.is_disabled("#claim-form input[name=verdict]")
    assert page.evaluate("() => document.activeElement.id") == "unlink-claim"
    # The card in the list says where the fact-check comes from.
    card = page.locator(f"#claim-{claim['id']} .link-origin")
    assert "Fact-check first published on" in card.text_content()
    assert_accessible(page, where="a linked claim")

    with refreshed(page):
        page.click("#unlink-claim")
    panel_status(page, "Unlinked: the claim keeps what it showed and can be edited on its own.")
    freed = stored_claim(live_server, claim["id"])
    assert freed["linked_to"] is None and freed["verdict"] == "denied"
    assert not page.is_visible("#claim-link")
    assert not page.is_disabled("#claim-label")
    assert checked_verdict(page) == "denied"
    # It keeps the rationale it showed, and the editor starts from it: a Save
    # would not put back anything it had before the link.
    assert freed["rationale"] == "<p>Fares rose by a third.</p>"
    assert page.input_value("#claim-rationale") == "Fares rose by a third."
    # Independent again: it may be checked on its own, and suggestions are offered.
    page.locator("#suggestion-list li.suggestion").wait_for(timeout=TIMEOUT_MS)
    assert page.errors == []


def test_a_fact_check_other_pages_follow_is_suggested_once_saying_so(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    _, earlier = add_article(live_server, "https://news.example/ferry-fares", EARLIER,
                             title="Ferry fares")
    original = add_claim(live_server, fay, earlier[1], "ferry fares doubled since last spring",
                         "unverified", publish_by=ed)
    _, later = add_article(live_server, "https://other.example/harbour", LATER)
    appearance = add_claim(live_server, fay, later[1],
                           "ferry fares have doubled since last spring")
    store = live_server.store()
    try:
        store.link_claim(appearance["id"], original["id"], as_actor(fay), None)
    finally:
        store.db.close()
    take_action(live_server, fay, appearance["id"], "submit")
    take_action(live_server, ed, appearance["id"], "approve")
    article_id, _ = add_article(live_server, "https://third.example/fares", LATER)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")

    open_new_claim(page, "#passage-1", "ferry fares have doubled since last spring")

    suggestion = page.locator("#suggestion-list li.suggestion")
    suggestion.wait_for(timeout=TIMEOUT_MS)
    assert suggestion.count() == 1
    assert suggestion.locator(".suggestion-article").text_content() == "Ferry fares"
    assert suggestion.locator(".suggestion-follows").text_content() == \
        ", linked from 1 other page"
    assert page.text_content("#suggestions-status") == "1 earlier fact-check of a similar claim:"
    assert_accessible(page, where="a suggestion other pages follow")
    assert page.errors == []


def test_an_opened_claim_is_offered_suggestions_and_a_refused_link_says_why(
        live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    _, earlier = add_article(live_server, "https://news.example/ferry-fares", EARLIER,
                             title="Ferry fares")
    original = add_claim(live_server, fay, earlier[1], "ferry fares doubled since last spring",
                         "unverified", publish_by=ed)
    article_id, later = add_article(live_server, "https://other.example/harbour", LATER)
    claim = add_claim(live_server, fay, later[1], "ferry fares have doubled")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    page.locator("#suggestion-list li.suggestion").wait_for(timeout=TIMEOUT_MS)

    # Retracted meanwhile: the server refuses, and the panel says why.
    take_action(live_server, ed, original["id"], "retract", note="Wrong tables.")
    with refreshed(page):
        page.click("#suggestion-list .link-suggestion")
    page.wait_for_function(
        "() => document.getElementById('panel-error').textContent.includes('retracted')",
        timeout=TIMEOUT_MS)
    assert page.text_content("#panel-error").startswith("Earlier fact-check: ")
    assert stored_claim(live_server, claim["id"])["linked_to"] is None
    assert page.errors == []


def test_verdict_keys_leave_a_linked_claims_verdict_alone(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    _, earlier = add_article(live_server, "https://news.example/ferry-fares", EARLIER,
                             title="Ferry fares")
    original = add_claim(live_server, fay, earlier[1], "ferry fares doubled since last spring",
                         "denied", publish_by=ed,
                         citations=({"url": "https://fares.example.org/tables"},))
    article_id, later = add_article(live_server, "https://other.example/harbour", LATER)
    claim = add_claim(live_server, fay, later[1], "ferry fares have doubled")
    store = live_server.store()
    try:
        store.link_claim(claim["id"], original["id"], as_actor(fay), None)
    finally:
        store.db.close()
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    assert checked_verdict(page) == "denied"
    assert page.is_disabled("#claim-form input[name=verdict]")

    # The keys that pick a verdict elsewhere, pressed with the focus in the panel.
    page.focus("#claim-link-article")
    for key in ("v", "u", "d", "v"):
        page.keyboard.press(key)
    assert checked_verdict(page) == "denied"
    panel_status(page, "The verdict comes from the linked fact-check: "
                       "unlink the claim to change it.")
    # Nothing changed, so Save sends nothing and no 409 comes back.
    page.click("#save-claim")
    panel_status(page, "Nothing to save.")
    assert page.text_content("#panel-error") == ""
    saved = stored_claim(live_server, claim["id"])
    assert (saved["verdict"], saved["version"]) == ("denied", claim["version"] + 1)
    assert page.errors == []


def test_a_linked_claims_editor_holds_the_inherited_rationale_not_its_own_draft(
        live_server, new_page):
    """The claim's own Markdown before the link is gone: linked, and once
    unlinked, the rationale's editor holds the rationale it shows, so a Save
    cannot silently bring back the old draft."""
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    _, earlier = add_article(live_server, "https://news.example/ferry-fares", EARLIER,
                             title="Ferry fares")
    add_claim(live_server, fay, earlier[1], "ferry fares doubled since last spring", "denied",
              publish_by=ed, rationale="<p>Fares rose by a third.</p>",
              citations=({"url": "https://fares.example.org/tables"},))
    article_id, later = add_article(live_server, "https://other.example/harbour", LATER)
    claim = add_claim(live_server, fay, later[1], "ferry fares have doubled",
                      rationale_markdown="My *own* unreviewed draft")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    assert page.input_value("#claim-rationale") == "My *own* unreviewed draft"
    page.locator("#suggestion-list li.suggestion").wait_for(timeout=TIMEOUT_MS)

    with refreshed(page):
        page.click("#suggestion-list .link-suggestion")
    page.locator("#claim-link").wait_for(timeout=TIMEOUT_MS)
    assert page.input_value("#claim-rationale") == "Fares rose by a third."

    with refreshed(page):
        page.click("#unlink-claim")
    panel_status(page, "Unlinked: the claim keeps what it showed and can be edited on its own.")
    assert page.input_value("#claim-rationale") == "Fares rose by a third."
    freed = stored_claim(live_server, claim["id"])
    assert freed["rationale"] == "<p>Fares rose by a third.</p>"
    assert freed["rationale_markdown"] is None
    assert page.errors == []
