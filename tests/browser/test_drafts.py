"""Nothing typed is lost: the claim panel and the import form keep unsaved
typing as a draft in the browser, offer it back on return, ask before
closing (the panel, in the page) or leaving (the browser's question), and
drop the draft once saved. At 1440 px and 360 px."""

import re

import pytest
from playwright.sync_api import expect

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, as_actor, checked_verdict, open_claim,
                      open_new_claim, panel_status, refreshed, stored_claim, stored_claims,
                      wait_until_ready)

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
OFFER = re.compile(r"^Restore your unsaved changes from today at \d\d?:\d\d( [AP]M)?\?$")

DRAFT_KEYS_JS = "() => Object.keys(localStorage).filter(k => k.startsWith('factdesk.draft.')).sort()"
# What the browser's "Leave site?" question depends on, without leaving.
WOULD_ASK_JS = """() => { const e = new Event('beforeunload', {cancelable: true});
                         window.dispatchEvent(e); return e.defaultPrevented; }"""


def panel_open(page) -> bool:
    return page.evaluate("() => document.getElementById('claim-panel').open")


@pytest.fixture
def desk(live_server):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/drafts",
                                       "The river rose 3 metres overnight.\n\n"
                                       "Schools stayed closed for a week.\n")
    claim = add_claim(live_server, fay, passages[0], "rose 3 metres", "unverified",
                      label="Checking")
    return live_server, article_id, claim


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_esc_asks_and_the_draft_comes_back_after_a_reload(desk, new_page, viewport):
    server, article_id, claim = desk
    page = new_page(viewport=viewport)
    login(page, server, "fay")
    page.goto(f"{server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    assert page.locator("#draft-offer").is_hidden()
    page.check("#claim-form input[name=verdict][value=denied]")
    page.fill("#claim-label", "False: 1.2 metres")

    # Esc asks first, in the panel; "Keep editing" leaves everything as it was.
    page.keyboard.press("Escape")
    expect(page.locator("#close-confirm")).to_be_visible()
    assert panel_open(page)
    assert page.evaluate("() => document.activeElement.id") == "close-keep-editing"
    assert_accessible(page, where=f"close question at {viewport['width']} px")
    page.keyboard.press("Enter")
    expect(page.locator("#close-confirm")).to_be_hidden()
    assert page.input_value("#claim-label") == "False: 1.2 metres"
    # Leaving the page now would be asked about by the browser.
    assert page.evaluate(WOULD_ASK_JS) is True

    # ✕, then "Leave, keep the draft": closed, the typing kept on this device.
    page.click("#panel-close")
    page.click("#close-keep-draft")
    assert not panel_open(page)
    assert page.evaluate(DRAFT_KEYS_JS) == [f"factdesk.draft.article-{article_id}.claim-{claim['id']}"]
    assert page.evaluate(WOULD_ASK_JS) is False

    page.reload()
    open_claim(page, claim["id"])
    # The saved claim is shown, and the draft offered back.
    assert page.input_value("#claim-label") == "Checking"
    expect(page.locator("#draft-offer")).to_be_visible()
    assert OFFER.match(page.text_content("#draft-offer-text")), page.text_content("#draft-offer-text")
    assert_accessible(page, where=f"draft offer at {viewport['width']} px")
    page.click("#draft-restore")
    assert page.input_value("#claim-label") == "False: 1.2 metres"
    assert checked_verdict(page) == "denied"
    expect(page.locator("#draft-offer")).to_be_hidden()

    # Saved: the draft is gone, and nothing is offered any more.
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert stored_claim(server, claim["id"])["label"] == "False: 1.2 metres"
    assert page.evaluate(DRAFT_KEYS_JS) == []
    page.keyboard.press("Escape")
    assert not panel_open(page)
    page.reload()
    open_claim(page, claim["id"])
    assert page.locator("#draft-offer").is_hidden()
    assert page.errors == [] and page.dialogs == []


def test_a_new_claims_draft_is_kept_per_span_and_can_be_discarded(desk, new_page):
    server, article_id, claim = desk
    page = new_page(viewport=WIDE)
    login(page, server, "fay")
    page.goto(f"{server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-1", "stayed closed for a week")
    page.keyboard.press("v")
    page.fill("#claim-label", "Confirmed by the district")

    # Typed, never closed: another tab of the same browser finds the draft.
    other = page.context.new_page()
    other.errors, other.dialogs = [], []
    other.goto(f"{server.url}/articles/{article_id}")
    open_new_claim(other, "#passage-1", "stayed closed for a week")
    expect(other.locator("#draft-offer")).to_be_visible()
    other.click("#draft-restore")
    assert other.input_value("#claim-label") == "Confirmed by the district"
    assert checked_verdict(other) == "verified"
    other.close()

    # Opening another claim with unsaved changes asks first too.
    page.locator(f'#passages mark.claim[data-claim-id="{claim["id"]}"]').click()
    expect(page.locator("#close-confirm")).to_be_visible()
    assert page.text_content("#panel-title") == "New claim"
    page.click("#close-discard")
    page.wait_for_function(
        "id => document.getElementById('panel-title').textContent === 'Claim ' + id",
        arg=claim["id"], timeout=TIMEOUT_MS)
    assert page.evaluate(DRAFT_KEYS_JS) == []
    page.keyboard.press("Escape")
    open_new_claim(page, "#passage-1", "stayed closed for a week")
    assert page.locator("#draft-offer").is_hidden()
    assert page.input_value("#claim-label") == ""

    # A saved new claim leaves no draft behind.
    page.keyboard.press("u")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    assert len(stored_claims(server, article_id)) == 2
    assert page.evaluate(DRAFT_KEYS_JS) == []
    assert page.errors == [] and page.dialogs == []


def test_a_draft_made_on_an_older_version_says_so(desk, new_page):
    server, article_id, claim = desk
    page = new_page(viewport=WIDE)
    login(page, server, "fay")
    page.goto(f"{server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    page.fill("#claim-label", "Mine")
    page.click("#panel-close")
    page.click("#close-keep-draft")
    # Someone else saves meanwhile.
    store = server.store()
    try:
        store.update_claim(claim["id"], {"label": "Theirs"},
                           as_actor({"id": claim["created_by"], "username": "fay"}), 1)
    finally:
        store.db.close()
    page.reload()
    open_claim(page, claim["id"])
    assert page.text_content("#draft-offer-text").endswith(
        "They were made on version 1; the claim is now at version 2, so check them before saving.")
    page.click("#draft-discard")
    assert page.input_value("#claim-label") == "Theirs"
    assert page.evaluate(DRAFT_KEYS_JS) == []
    assert page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_the_import_form_keeps_its_typing(live_server, new_page, viewport):
    live_server.user("fay", "factchecker")
    page = new_page(viewport=viewport)
    login(page, live_server, "fay")
    page.goto(live_server.url + "/import")
    assert page.evaluate(WOULD_ASK_JS) is False
    page.fill("#url", "https://news.example/flood-report")
    page.fill("#title", "Flood report")
    page.fill("#text", "The river rose overnight.\n\nRoads were closed.")
    assert page.evaluate(WOULD_ASK_JS) is True

    # Another visit (a reload, a tab): the typing is offered back.
    other = page.context.new_page()
    other.errors, other.dialogs = [], []
    other.goto(live_server.url + "/import")
    expect(other.locator("#draft-offer")).to_be_visible()
    assert OFFER.match(other.text_content("#draft-offer-text"))
    assert other.input_value("#url") == ""
    assert_accessible(other, where=f"import draft offer at {viewport['width']} px")
    other.click("#draft-restore")
    assert other.input_value("#url") == "https://news.example/flood-report"
    assert other.input_value("#title") == "Flood report"
    assert other.input_value("#text") == "The river rose overnight.\n\nRoads were closed."

    # Imported: the draft is gone, and leaving asks nothing.
    other.click("#import-button")
    other.wait_for_url(f"{live_server.url}/articles/*")
    wait_until_ready(other)
    assert other.evaluate(DRAFT_KEYS_JS) == []
    other.goto(live_server.url + "/import")
    assert other.locator("#draft-offer").is_hidden()
    assert other.errors == [] and other.dialogs == []
    assert page.errors == [] and page.dialogs == []
