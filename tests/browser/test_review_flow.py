"""The editorial workflow in the annotator, in Chromium, with the
factchecker and the editor each in their own browser: submit, request
changes with a note, revise, approve; a published claim's revision shown
beside what readers see while readers keep the published verdict; the
correction note an approval needs; the two-person rule; retracting;
re-attaching an orphaned claim; hostile notes staying text."""

from urllib.parse import quote

import pytest

from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, api, as_actor, csp_violations,
                      highlight, injected, open_claim, open_new_claim, panel_status, refreshed,
                      select_text, stored_claim, stored_passage, take_action, watch_csp)

URL = "https://news.example/harbour"
TEXT = ("Harbour plan\n\n"
        "The harbour 🚢 will create 5,000 jobs by 2030, the mayor said.\n\n"
        "Critics said the cost is 2 billion euros.\n")
NOTE = "Cite the jobs report itself, not the press release."
CORRECTION = "The plan's report gives 5,000 jobs as an upper bound, not a forecast."
TWO_PERSON = ("You made the last change to this claim; another editor must approve it "
              "(two-person rule).")
APPROVED = "Approved and published: readers see this version now."
REVISION_SAVED = ("Saved as a revision: readers keep the published version until an editor "
                  "approves it.")
PAYLOAD = '<img src=x onerror=alert(1)> <script>alert(2)</script> "><svg onload=alert(3)>'


def readers_claims(server, page, url: str = URL) -> list[dict]:
    """What the extension gets for the article: /api/v1/highlights, no login."""
    response = page.request.get(f"{server.url}/api/v1/highlights?url={quote(url, safe='')}")
    assert response.status == 200
    return response.json()["claims"]


def action_buttons(page) -> list[str]:
    return page.locator("#workflow-actions button").all_text_contents()


def wait_for_error(page, start: str) -> str:
    page.wait_for_function(
        "start => document.getElementById('panel-error').textContent.startsWith(start)",
        arg=start, timeout=TIMEOUT_MS)
    return page.text_content("#panel-error")


def card_status(page, claim_id: int) -> str:
    return page.text_content(f"#claim-{claim_id} .status")


def reopen(page, claim_id: int) -> None:
    """Close the panel and open the claim again: the panel loads it as stored now."""
    page.keyboard.press("Escape")
    open_claim(page, claim_id)


def assert_clean(*pages):
    for page in pages:
        assert page.errors == [] and page.dialogs == []


class Desk:
    """Fay (factchecker) and Ed (editor), each logged in on the article."""

    def __init__(self, server, new_page):
        self.server = server
        self.users = {"fay": server.user("fay", "factchecker"), "ed": server.user("ed", "editor")}
        self.article_id, self.passages = add_article(server, URL, TEXT, title="Harbour plan")
        self.fay = self.page("fay", new_page)
        self.ed = self.page("ed", new_page)

    def page(self, name, new_page):
        page = new_page()
        watch_csp(page)
        login(page, self.server, name)
        page.goto(f"{self.server.url}/articles/{self.article_id}")
        return page


@pytest.fixture
def desk(live_server, new_page):
    return Desk(live_server, new_page)


def test_review_flow_from_draft_to_a_corrected_publication(desk, new_page):
    server, fay, ed = desk.server, desk.fay, desk.ed
    reader = new_page()

    # Fay records a claim and submits it.
    open_new_claim(fay, "#passage-1", "5,000 jobs")
    fay.keyboard.press("v")
    fay.fill("#claim-rationale", "The plan's own report says 5,000 jobs.")
    fay.click("#add-citation")
    fay.fill("#citation-1-url", "https://harbour.example/press-release")
    with refreshed(fay):
        fay.click("#save-claim")
    panel_status(fay, "Saved as draft.")
    claim_id = int(fay.text_content("#panel-title").split()[-1])
    assert action_buttons(fay) == ["Submit for review"]
    with refreshed(fay):
        fay.click("#action-submit")
    panel_status(fay, "Submitted for review.")
    assert fay.text_content("#panel-meta").startswith("in review · version 2")
    assert action_buttons(fay) == ["Withdraw from review"]
    assert card_status(fay, claim_id) == "in review"
    assert readers_claims(server, reader) == []

    # Ed asks for changes; the note is asked for in the panel, and required.
    ed.reload()
    assert card_status(ed, claim_id) == "in review"
    open_claim(ed, claim_id)
    assert action_buttons(ed) == ["Withdraw from review", "Request changes", "Approve and publish"]
    assert ed.locator("#action-form").is_hidden()
    ed.click("#action-request_changes")
    assert ed.locator("#action-form").is_visible()
    assert ed.locator("#correction-fields").is_hidden()
    assert ed.text_content("#action-note-label").startswith("What should change")
    ed.click("#action-confirm")
    # The error names the box as its label does, not the request's "note".
    assert wait_for_error(ed, "What should change: ") == "What should change: a note is required"
    assert stored_claim(server, claim_id)["status"] == "in_review"
    ed.fill("#action-note", NOTE)
    with refreshed(ed):
        ed.click("#action-confirm")
    panel_status(ed, "Changes requested: the claim is back with its author.")
    assert ed.text_content("#panel-meta").startswith("changes requested · version 3")
    assert ed.locator("#action-form").is_hidden()
    assert card_status(ed, claim_id) == "changes requested"

    # Fay sees it sent back, with the note, revises and resubmits.
    fay.keyboard.press("Escape")
    fay.reload()
    assert card_status(fay, claim_id) == "changes requested"
    assert fay.get_attribute(f"#claim-{claim_id}", "data-status") == "changes_requested"
    open_claim(fay, claim_id)
    assert fay.text_content("#panel-meta").startswith("changes requested")
    fay.wait_for_selector("#review-note:not([hidden])", timeout=TIMEOUT_MS)
    assert fay.text_content("#review-note").startswith("Changes requested by ed (")
    assert fay.text_content("#review-note .review-note-text") == NOTE
    fay.wait_for_selector("#comment-list li", timeout=TIMEOUT_MS)
    assert fay.text_content("#comment-list .comment-body") == f"Changes requested: {NOTE}"
    fay.fill("#citation-1-url", "https://harbour.example/jobs-report")
    with refreshed(fay):
        fay.click("#save-claim")
    panel_status(fay, "Saved.")
    assert fay.text_content("#panel-meta").startswith("changes requested · version 4")
    fay.click("#action-submit")
    panel_status(fay, "Submitted for review.")

    # Ed approves: readers see it.
    reopen(ed, claim_id)
    assert ed.locator("#revision").is_hidden()
    with refreshed(ed):
        ed.click("#action-approve")
    panel_status(ed, APPROVED)
    assert ed.text_content("#panel-meta").startswith("published · version 6")
    assert card_status(ed, claim_id) == "published"
    [seen] = readers_claims(server, reader)
    assert (seen["id"], seen["verdict"], seen["status"], seen["corrections"]) == (
        claim_id, "verified", "published", [])

    # Fay changes the published verdict: a revision; readers keep "verified".
    reopen(fay, claim_id)
    fay.check("#claim-form input[name=verdict][value=denied]")
    fay.fill("#claim-rationale", "The plan's report gives 5,000 jobs as an upper bound.")
    with refreshed(fay):
        fay.click("#save-claim")
    panel_status(fay, REVISION_SAVED)
    assert fay.text_content("#panel-meta").startswith("published · revision in draft · version 7")
    assert card_status(fay, claim_id) == "published · revision in draft"
    assert fay.get_attribute(f"#claim-{claim_id}", "data-status") == "draft"
    assert "status-draft" in highlight(fay, claim_id).get_attribute("class")
    assert fay.locator("#revision").is_visible()
    verdict_row = fay.locator("#revision-rows tr[data-field=verdict]")
    assert verdict_row.locator("td").first.text_content() == "verified"
    assert verdict_row.locator("del").text_content() == "verified"
    assert verdict_row.locator("ins").text_content() == "denied"
    assert "changed" in verdict_row.get_attribute("class")
    rationale_row = fay.locator("#revision-rows tr[data-field=rationale]")
    assert rationale_row.locator("td").first.text_content() == \
        "The plan's own report says 5,000 jobs."
    # Word by word: "jobs." became "jobs as an upper bound."
    assert rationale_row.locator("del").all_text_contents() == ["own", "says", "jobs."]
    assert rationale_row.locator("ins").all_text_contents() == ["gives", "jobs as an upper bound."]
    assert rationale_row.locator("td").last.text_content() == \
        "The plan's own report says gives 5,000 jobs. jobs as an upper bound."
    label_row = fay.locator("#revision-rows tr[data-field=label]")
    assert label_row.get_attribute("class") is None
    [seen] = readers_claims(server, reader)
    assert seen["verdict"] == "verified"
    fay.click("#action-submit")
    panel_status(fay, "Submitted for review.")
    assert fay.text_content("#panel-meta").startswith("published · revision in review")
    assert readers_claims(server, reader)[0]["verdict"] == "verified"

    # Ed approves without a correction note: refused, with the server's words.
    reopen(ed, claim_id)
    assert ed.locator("#revision").is_visible()
    ed.click("#action-approve")
    assert ed.locator("#correction-fields").is_visible()
    assert ed.locator("#action-note-field").is_hidden()
    ed.click("#action-confirm")
    error = wait_for_error(ed, "Correction note: ")
    assert "changes the published verdict" in error
    assert stored_claim(server, claim_id)["status"] == "in_review"
    assert readers_claims(server, reader)[0]["verdict"] == "verified"
    # With a note it is published, and readers are told of the correction.
    ed.fill("#correction-note", CORRECTION)
    with refreshed(ed):
        ed.click("#action-confirm")
    panel_status(ed, APPROVED)
    assert ed.text_content("#panel-error") == ""
    assert ed.locator("#revision").is_hidden()
    assert card_status(ed, claim_id) == "published"
    [seen] = readers_claims(server, reader)
    assert (seen["verdict"], seen["status"]) == ("denied", "published")
    assert [(c["note"], c["previous_verdict"], c["verdict"]) for c in seen["corrections"]] == [
        (CORRECTION, "verified", "denied")]
    assert seen["corrected_at"]

    # The history tells the whole story in words.
    ed.click("#show-history")
    entries = ed.locator("#history-entries li")
    entries.nth(8).wait_for(timeout=TIMEOUT_MS)
    texts = ed.eval_on_selector_all("#history-entries li", """items => items.map((li) => {
        const detail = li.querySelector('.history-detail');
        return li.querySelector('strong').textContent.trim() + ' ' +
               li.querySelector('span').textContent + (detail ? ' | ' + detail.textContent : '');
    })""")
    assert texts == [
        "fay create",
        "fay submitted it for review | status: draft → in review",
        f"ed requested changes | status: in review → changes requested; note: {NOTE}",
        "fay update | source 1: url: https://harbour.example/press-release → "
        "https://harbour.example/jobs-report",
        "fay submitted it for review | status: changes requested → in review",
        "ed approved and published it | status: in review → published",
        "fay update | verdict: verified → denied; status: published → draft",
        "fay submitted it for review | status: draft → in review",
        "ed approved and published it | status: in review → published; "
        f"correction: {CORRECTION} (verdict verified → denied)",
    ]
    # The rationale's change, word by word, as written (never its markup).
    rationale = entries.nth(6).locator(".history-diff")
    assert rationale.locator("del").all_text_contents() == ["own", "says", "jobs."]
    assert rationale.locator("ins").all_text_contents() == ["gives", "jobs as an upper bound."]
    assert "<" not in rationale.text_content()
    assert_clean(fay, ed, reader)
    assert csp_violations(fay) == [] and csp_violations(ed) == []


def test_two_person_rule_shown_to_the_editor_who_edited_last(desk, new_page):
    server, ed = desk.server, desk.ed
    eve_user = server.user("eve", "editor")
    claim = add_claim(server, desk.users["fay"], desk.passages[2], "2 billion euros", "denied",
                      citations=({"url": "https://budget.example/harbour"},), submit=True)

    # Ed edits the claim in review: he wrote its last change, so he cannot approve it.
    ed.reload()
    open_claim(ed, claim["id"])
    assert ed.locator("#action-approve").is_enabled()
    assert ed.text_content("#workflow-hint") == ""
    ed.fill("#claim-label", "Cost understated")
    ed.click("#save-claim")
    panel_status(ed, "Saved.")
    assert ed.text_content("#panel-meta").startswith("in review")
    assert ed.locator("#action-approve").is_disabled()
    assert ed.text_content("#workflow-hint") == TWO_PERSON
    assert ed.get_attribute("#action-approve", "aria-describedby") == "workflow-hint"
    # The server says the same if asked anyway.
    refused = api(ed, "POST", f"/api/v1/claims/{claim['id']}/transitions", {"action": "approve"})
    assert refused["status"] == 403
    assert refused["data"]["error"]["message"] == \
        "you made the last change to this claim; another editor must approve it (two-person rule)"
    assert stored_claim(server, claim["id"])["status"] == "in_review"

    # Another editor may.
    eve = new_page()
    login(eve, server, "eve")
    eve.goto(f"{server.url}/articles/{desk.article_id}")
    open_claim(eve, claim["id"])
    assert eve.locator("#action-approve").is_enabled()
    assert eve.text_content("#workflow-hint") == ""
    eve.click("#action-approve")
    panel_status(eve, APPROVED)
    assert stored_claim(server, claim["id"])["published_by"] == eve_user["id"]
    assert_clean(ed, eve)


def edit(server, user: dict, claim_id: int, **changes) -> dict:
    """A Save made elsewhere (another browser), through the store."""
    store = server.store()
    try:
        claim = store.claim(claim_id)
        return store.update_claim(claim_id, changes, as_actor(user), claim["version"])
    finally:
        store.db.close()


def test_a_stale_action_shows_the_conflict_and_withdraw_goes_back_to_draft(desk):
    server, fay, ed = desk.server, desk.fay, desk.ed
    claim = add_claim(server, desk.users["fay"], desk.passages[2], "2 billion euros", "denied",
                      citations=({"url": "https://budget.example/harbour"},), submit=True)
    ed.reload()
    open_claim(ed, claim["id"])
    # Fay changes the label meanwhile; Ed's approval names the version he saw.
    edit(server, desk.users["fay"], claim["id"], label="Understated")
    ed.click("#action-approve")
    ed.wait_for_selector("#conflict:not([hidden])", timeout=TIMEOUT_MS)
    assert ed.text_content("#conflict-rows tr:nth-child(2) td") == "Understated"
    assert stored_claim(server, claim["id"])["status"] == "in_review"
    ed.click("#conflict-reload")
    panel_status(ed, "Loaded the saved version.")
    assert ed.input_value("#claim-label") == "Understated"

    fay.reload()
    open_claim(fay, claim["id"])
    assert action_buttons(fay) == ["Withdraw from review"]
    with refreshed(fay):
        fay.click("#action-withdraw")
    panel_status(fay, "Withdrawn from review: back to draft.")
    assert fay.text_content("#panel-meta").startswith("draft · version 4")
    assert card_status(fay, claim["id"]) == "draft"
    assert action_buttons(fay) == ["Submit for review"]

    # Ed's panel is stale again: his approval meets the conflict, not a 409.
    ed.click("#action-approve")
    ed.wait_for_function(
        "() => !document.getElementById('conflict').hidden &&"
        " document.querySelector('#conflict-rows tr:last-child td').textContent === 'draft'",
        timeout=TIMEOUT_MS)
    assert stored_claim(server, claim["id"])["status"] == "draft"
    ed.click("#conflict-reload")
    assert action_buttons(ed) == ["Submit for review"]
    assert_clean(fay, ed)


def test_editor_retracts_a_published_claim_with_a_reason(desk, new_page):
    server, ed = desk.server, desk.ed
    eve = server.user("eve", "editor")
    claim = add_claim(server, desk.users["fay"], desk.passages[2], "2 billion euros", "denied",
                      citations=({"url": "https://budget.example/harbour"},), publish_by=eve)
    ed.reload()
    open_claim(ed, claim["id"])
    assert action_buttons(ed) == ["Retract"]
    assert ed.locator("#delete-claim").is_hidden()
    ed.click("#action-retract")
    assert ed.text_content("#action-note-label") == \
        "Why it is retracted (readers are shown this reason)"
    ed.click("#action-confirm")
    assert wait_for_error(ed, "reason: ") == "reason: a reason is required"
    reason = "The budget figure came from a forged document."
    ed.fill("#action-note", reason)
    with refreshed(ed):
        ed.click("#action-confirm")
    panel_status(ed, "Retracted: readers are shown the reason.")
    assert ed.text_content("#panel-meta").startswith(f"retracted: {reason} · version 4")
    assert action_buttons(ed) == []
    assert ed.locator("#save-claim").is_hidden()
    assert ed.locator("#delete-claim").is_hidden()
    assert card_status(ed, claim["id"]) == "retracted"
    assert ed.text_content(f"#claim-{claim['id']} .retraction-reason") == reason

    reader = new_page()
    [seen] = readers_claims(server, reader)
    assert (seen["status"], seen["retraction_reason"]) == ("retracted", reason)
    reader.goto(f"{server.url}/articles/{desk.article_id}")
    assert card_status(reader, claim["id"]) == "retracted"
    assert reader.text_content(f"#claim-{claim['id']} .retraction-reason") == reason
    assert "status-retracted" in highlight(reader, claim["id"]).get_attribute("class")
    # A desk that hides retracted claims (RETRACTED_CLAIMS = "hide") shows readers nothing.
    server.app.config["RETRACTED_CLAIMS"] = "hide"
    reader.reload()
    assert reader.locator(f"#claim-{claim['id']}").count() == 0
    assert highlight(reader, claim["id"]).count() == 0
    assert reader.text_content("#passage-2") == "Critics said the cost is 2 billion euros."
    ed.reload()
    assert card_status(ed, claim["id"]) == "retracted"
    assert_clean(ed, reader)


NEW_TEXT = ("Harbour plan\n\n"
            "The harbour 🚢 will create 5,000 jobs by 2030, the mayor said.\n\n"
            "Critics 🏗️ now put the cost at 2.4 billion euros.\n")


def test_reattach_an_orphaned_published_claim(desk, new_page):
    server, fay, ed = desk.server, desk.fay, desk.ed
    eve = server.user("eve", "editor")
    claim = add_claim(server, desk.users["fay"], desk.passages[2], "2 billion euros", "denied",
                      label="Understated", citations=({"url": "https://budget.example/harbour"},),
                      publish_by=eve)
    add_article(server, URL, NEW_TEXT)  # a re-import: the sentence is gone
    reader = new_page()
    assert readers_claims(server, reader) == []

    fay.reload()
    orphan = fay.locator(f"section.orphaned #claim-{claim['id']}")
    assert orphan.locator(".status").text_content() == "published"
    assert highlight(fay, claim["id"]).count() == 0
    orphan.get_by_role("button", name=f"Re-attach claim {claim['id']}").click()
    bar = fay.locator("#reattach-bar")
    bar.wait_for(timeout=TIMEOUT_MS)
    assert fay.text_content("#reattach-old") == "2 billion euros"
    assert fay.locator("#reattach-confirm").is_disabled()
    # Selecting is picking the new text: no new-claim panel opens.
    select_text(fay, "#passage-2", "2.4 billion euros")
    fay.keyboard.press("c")
    assert fay.text_content("#reattach-new") == "2.4 billion euros"
    assert fay.evaluate("() => document.getElementById('claim-panel').open") is False
    with refreshed(fay):
        fay.click("#reattach-confirm")
    panel_status(fay, "Re-attached as a revision: readers keep the published version until an "
                      "editor approves it.")
    assert bar.is_hidden()
    assert fay.text_content("#panel-meta").startswith("published · revision in draft")
    assert highlight(fay, claim["id"]).text_content() == "2.4 billion euros"
    assert fay.locator("section.orphaned").count() == 0
    assert card_status(fay, claim["id"]) == "published · revision in draft"
    quote_row = fay.locator("#revision-rows tr[data-field=quote]")
    assert quote_row.locator("td").first.text_content() == \
        "2 billion euros (not found in the article's text now)"
    assert quote_row.locator("ins").text_content() == "2.4 billion euros"

    stored = stored_claim(server, claim["id"])
    passage = stored_passage(server, stored["passage_id"])
    assert passage["text"] == NEW_TEXT.splitlines()[-1]
    # Code points: the emoji with its variation selector counts twice, not three times.
    assert stored["start_offset"] == passage["text"].index("2.4 billion euros")
    assert passage["text"][stored["start_offset"]:stored["end_offset"]] == "2.4 billion euros"
    assert (stored["anchor_state"], stored["status"]) == ("anchored", "draft")
    assert readers_claims(server, reader) == []

    # Reviewed like any revision; nothing readers were told changed, so no correction.
    fay.click("#action-submit")
    panel_status(fay, "Submitted for review.")
    ed.reload()
    open_claim(ed, claim["id"])
    ed.click("#action-approve")
    ed.click("#action-confirm")
    panel_status(ed, APPROVED)
    [seen] = readers_claims(server, reader)
    assert (seen["selector"]["exact"], seen["corrections"]) == ("2.4 billion euros", [])
    ed.click("#show-history")
    ed.locator("#history-entries li").nth(3).wait_for(timeout=TIMEOUT_MS)
    history = ed.text_content("#history-entries")
    assert "re-attached it to new text" in history
    assert "quote: 2 billion euros → 2.4 billion euros" in history
    assert "lost readers' copy's text in a re-import (orphaned)" in history
    assert_clean(fay, ed, reader)


def test_hostile_review_and_correction_notes_stay_text(desk):
    server, fay, ed = desk.server, desk.fay, desk.ed
    users = desk.users
    eve = server.user("eve", "editor")
    claim = add_claim(server, users["fay"], desk.passages[2], "2 billion euros", "denied",
                      citations=({"url": "https://budget.example/harbour"},), publish_by=eve)
    edit(server, users["fay"], claim["id"], verdict="verified")
    take_action(server, users["fay"], claim["id"], "submit")

    ed.reload()
    open_claim(ed, claim["id"])
    ed.click("#action-request_changes")
    ed.fill("#action-note", PAYLOAD)
    ed.click("#action-confirm")
    panel_status(ed, "Changes requested: the claim is back with its author.")

    fay.reload()
    assert card_status(fay, claim["id"]) == "published · revision: changes requested"
    open_claim(fay, claim["id"])
    fay.wait_for_selector("#review-note:not([hidden])", timeout=TIMEOUT_MS)
    assert fay.text_content("#review-note .review-note-text") == PAYLOAD
    fay.wait_for_selector("#comment-list li", timeout=TIMEOUT_MS)
    assert fay.text_content("#comment-list .comment-body") == f"Changes requested: {PAYLOAD}"
    fay.click("#show-history")
    fay.locator("#history-entries li").nth(4).wait_for(timeout=TIMEOUT_MS)
    assert f"note: {PAYLOAD}" in fay.text_content("#history-entries")
    fay.wait_for_timeout(300)  # time for an injected handler to fire, were there one
    assert fay.dialogs == [] and injected(fay) == [] and csp_violations(fay) == []

    take_action(server, users["fay"], claim["id"], "submit")
    reopen(ed, claim["id"])
    ed.click("#action-approve")
    ed.fill("#correction-note", PAYLOAD)
    ed.click("#action-confirm")
    panel_status(ed, APPROVED)
    ed.click("#show-history")
    ed.locator("#history-entries li").nth(6).wait_for(timeout=TIMEOUT_MS)
    assert f"correction: {PAYLOAD} (verdict denied → verified)" in \
        ed.text_content("#history-entries")
    ed.wait_for_timeout(300)
    assert ed.dialogs == [] and injected(ed) == [] and csp_violations(ed) == []
    assert_clean(fay, ed)
