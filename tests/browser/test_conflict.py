"""Two people edit the same claim in two browsers: the second save meets a
412, sees what changed, and keeps what they typed until they choose."""

import re

import pytest
from playwright.sync_api import expect

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, checked_verdict, open_claim,
                      panel_status, refreshed, stored_claim)


@pytest.fixture
def two_editors(live_server, new_page):
    """Alice and Bob, each in their own browser, with the same claim open."""
    fay = live_server.user("fay", "factchecker")
    live_server.user("alice", "factchecker")
    live_server.user("bob", "editor")
    article_id, passages = add_article(live_server, "https://news.example/conflict",
                                       "The tunnel is 57 km long and opened in 2016.\n")
    claim = add_claim(live_server, fay, passages[0], "57 km long", "unverified",
                      label="Checking", rationale="First look.",
                      citations=({"url": "https://tunnel.example/facts", "title": "Facts"},))
    pages = {}
    for name in ("alice", "bob"):
        page = new_page()
        login(page, live_server, name)
        page.goto(f"{live_server.url}/articles/{article_id}")
        open_claim(page, claim["id"])
        pages[name] = page

    alice = pages["alice"]
    alice.check("#claim-form input[name=verdict][value=denied]")
    alice.fill("#claim-label", "False")
    alice.fill("#citation-1-title", "Facts sheet")
    alice.click("#add-citation")
    alice.fill("#citation-2-url", "https://rail.example/tunnel")
    alice.click("#save-claim")
    panel_status(alice, "Saved.")
    # The verdict, the label, a source edited and one added: one Save, one version.
    assert stored_claim(live_server, claim["id"])["version"] == 2

    bob = pages["bob"]
    bob.check("#claim-form input[name=verdict][value=verified]")
    bob.fill("#claim-label", "True")
    bob.fill("#claim-rationale", "Bob checked the **map**.")
    bob.click("#add-citation")
    bob.fill("#citation-2-url", "https://maps.example/tunnel")
    with refreshed(bob):
        bob.click("#save-claim")
    bob.wait_for_selector("#conflict:not([hidden])", timeout=TIMEOUT_MS)
    yield live_server, claim, alice, bob
    for page in (alice, bob):
        assert page.errors == [] and page.dialogs == []


def conflict_rows(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(
        Array.from(document.querySelectorAll('#conflict-rows tr')).map(tr => [
          tr.querySelector('th').textContent,
          [tr.cells[1].textContent, tr.cells[2].textContent, tr.classList.contains('changed')]]))""")


def assert_bob_form_kept(bob):
    assert checked_verdict(bob) == "verified"
    assert bob.input_value("#claim-label") == "True"
    assert bob.input_value("#claim-rationale") == "Bob checked the **map**."
    assert bob.input_value("#citation-1-url") == "https://tunnel.example/facts"
    assert bob.input_value("#citation-2-url") == "https://maps.example/tunnel"


def test_stale_save_shows_the_conflict_and_keeps_the_typing(two_editors):
    server, claim, alice, bob = two_editors
    rows = conflict_rows(bob)
    assert rows["verdict"] == ["denied", "verified", True]
    assert rows["label"] == ["False", "True", True]
    assert rows["rationale"] == ["First look.", "Bob checked the **map**.", True]
    assert rows["sources"] == ["https://tunnel.example/facts\nhttps://rail.example/tunnel",
                               "https://tunnel.example/facts\nhttps://maps.example/tunnel", True]
    assert rows["status"] == ["draft", "draft", False]
    # Who saved the other version, and when.
    assert bob.text_content("#conflict-who").startswith(
        "alice saved version 2 of this claim today at ")
    assert_bob_form_kept(bob)
    assert bob.text_content("#panel-status") != "Saved."
    # Nothing of Bob's reached the server.
    saved = stored_claim(server, claim["id"])
    assert (saved["verdict"], saved["label"], saved["rationale"]) == ("denied", "False", "First look.")
    assert [c["url"] for c in saved["citations"]] == ["https://tunnel.example/facts",
                                                      "https://rail.example/tunnel"]
    # Closing and reopening is not needed to see it: the highlight already
    # shows the verdict saved on the server.
    assert "verdict-denied" in bob.locator(
        f'#passages mark.claim[data-claim-id="{claim["id"]}"]').get_attribute("class")


def test_reapply_mine_saves_over_theirs(two_editors):
    server, claim, alice, bob = two_editors
    with refreshed(bob):
        bob.click("#conflict-reapply")
    panel_status(bob, "Saved.")
    assert bob.locator("#conflict").is_hidden()
    saved = stored_claim(server, claim["id"])
    assert saved["verdict"] == "verified"
    assert saved["label"] == "True"
    assert saved["rationale"] == "<p>Bob checked the <strong>map</strong>.</p>"
    # What Bob did not touch keeps Alice's edits: the source she retitled,
    # and the one she added.
    assert [(c["url"], c["title"]) for c in saved["citations"]] == [
        ("https://tunnel.example/facts", "Facts sheet"),
        ("https://rail.example/tunnel", ""),
        ("https://maps.example/tunnel", "")]
    assert bob.locator("#citation-rows li").count() == 3
    assert checked_verdict(bob) == "verified"
    assert bob.text_content("#panel-meta").startswith(f"draft · version {saved['version']}")
    mark = bob.locator(f'#passages mark.claim[data-claim-id="{claim["id"]}"]')
    assert "verdict-verified" in mark.get_attribute("class")

    # Alice's page is now stale in turn, and is told so rather than overwriting.
    alice.fill("#claim-label", "False again")
    alice.click("#save-claim")
    alice.wait_for_selector("#conflict:not([hidden])", timeout=TIMEOUT_MS)
    assert stored_claim(server, claim["id"])["label"] == "True"


def test_discard_mine_loads_theirs(two_editors):
    server, claim, alice, bob = two_editors
    bob.click("#conflict-reload")
    panel_status(bob, "Loaded the saved version.")
    assert bob.locator("#conflict").is_hidden()
    assert checked_verdict(bob) == "denied"
    assert bob.input_value("#claim-label") == "False"
    assert bob.input_value("#claim-rationale") == "First look."
    assert bob.locator("#citation-rows li").count() == 2
    assert bob.input_value("#citation-1-title") == "Facts sheet"
    assert bob.input_value("#citation-2-url") == "https://rail.example/tunnel"
    saved = stored_claim(server, claim["id"])
    assert (saved["verdict"], saved["label"]) == ("denied", "False")

    # Bob now edits on top of Alice's version without another conflict.
    bob.fill("#claim-rationale", "Agreed with Alice.")
    bob.click("#save-claim")
    panel_status(bob, "Saved.")
    saved = stored_claim(server, claim["id"])
    assert (saved["verdict"], saved["label"], saved["rationale"]) == (
        "denied", "False", "<p>Agreed with Alice.</p>")


LINES_JS = """(el) => { const range = document.createRange(); range.selectNodeContents(el);
                        return range.getClientRects().length; }"""


def test_the_conflict_reads_on_a_phone_and_names_who_saved(two_editors):
    server, claim, alice, bob = two_editors
    bob.set_viewport_size({"width": 360, "height": 740})
    expect(bob.locator("#conflict-who")).to_have_text(re.compile(
        r"^alice saved version 2 of this claim today at \d\d?:\d\d( [AP]M)?, after you opened it\.$"))
    # A list of fields, not a squeezed table: each field's name on one line
    # (it was "Fi/el/d"), each version under its column's name.
    assert bob.locator("#conflict thead").is_hidden()
    names = bob.locator("#conflict-rows th")
    assert names.all_text_contents() == ["verdict", "label", "rationale", "sources", "status"]
    for i in range(names.count()):
        assert names.nth(i).evaluate(LINES_JS) == 1
        box = names.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    labels = bob.evaluate("""() => Array.from(document.querySelectorAll('#conflict-rows tr:first-child td'),
        td => getComputedStyle(td, '::before').content)""")
    assert labels == ['"Now saved: "', '"Yours: "']
    assert bob.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_accessible(bob, where="412 conflict at 360 px")
