"""Markdown rationales in the annotator, at desktop and phone widths: the
fact-checker types Markdown and the preview shows it formatted as readers
will see it; the saved claim reopens on its Markdown (never the sanitiser's
HTML); a rationale written as HTML before opens as Markdown; the history
shows a word-by-word difference of what was written, never markup; hostile
Markdown stays text."""

import pytest

from annotations.sanitize import clean_rationale

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, injected, open_claim, open_new_claim,
                      panel_status, refreshed, stored_claim, stored_claims, wait_until_ready,
                      watch_csp, csp_violations)

TEXT = "Jobs report\n\nUnemployment fell to 4% in March, the office said.\n"
WIDTHS = [pytest.param({"width": 1440, "height": 900}, id="1440"),
          pytest.param({"width": 360, "height": 740}, id="360")]
SOURCE = ("The office's own table says it *rose*.\n\n"
          "- [Labour market table](https://www.ons.gov.uk/lms)\n- **March** figures")
EDITED = SOURCE.replace("*rose*", "*rose slightly*")


def preview(page):
    return page.locator("#rationale-preview-body")


def history_entries(page):
    page.click("#show-history")
    entries = page.locator("#history-entries li")
    entries.first.wait_for(timeout=TIMEOUT_MS)
    return entries


@pytest.mark.parametrize("viewport", WIDTHS)
def test_typed_markdown_is_previewed_saved_reopened_and_diffed(live_server, new_page, viewport):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/jobs", TEXT)
    page = new_page(viewport)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")

    open_new_claim(page, "#passage-1", "Unemployment fell to 4%")
    page.check("#claim-form input[name=verdict][value=denied]")
    page.fill("#claim-rationale", SOURCE)
    # The preview, from the server's rendering, shows the Markdown formatted.
    preview(page).locator("li").nth(1).wait_for(timeout=TIMEOUT_MS)
    assert preview(page).locator("em").text_content() == "rose"
    assert preview(page).locator("strong").text_content() == "March"
    link = preview(page).locator("a")
    assert (link.text_content(), link.get_attribute("href")) == \
        ("Labour market table", "https://www.ons.gov.uk/lms")
    assert "*" not in preview(page).text_content()
    assert page.get_attribute("#rationale-preview", "aria-live") == "polite"
    assert_accessible(page, where=f"rationale preview at {viewport['width']}")

    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    claim = stored_claims(live_server, article_id)[0]
    assert claim["rationale_markdown"] == SOURCE
    assert '<em>rose</em>' in claim["rationale"] and 'rel="nofollow' in claim["rationale"]

    # Reopened later: the Markdown comes back, not the HTML with rel=….
    page.reload()
    open_claim(page, claim["id"])
    assert page.input_value("#claim-rationale") == SOURCE
    preview(page).locator("em").wait_for(timeout=TIMEOUT_MS)

    page.fill("#claim-rationale", EDITED)
    preview(page).locator("em", has_text="rose slightly").wait_for(timeout=TIMEOUT_MS)
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert stored_claim(live_server, claim["id"])["rationale_markdown"] == EDITED

    entries = history_entries(page)
    entries.nth(1).wait_for(timeout=TIMEOUT_MS)
    update = entries.nth(1)
    diff = update.locator(".history-diff")
    assert diff.locator("del").all_text_contents() == ["*rose*."]
    assert diff.locator("ins").all_text_contents() == ["*rose", "slightly*."] or \
        diff.locator("ins").all_text_contents() == ["*rose slightly*."]
    # Marked by more than colour: <del>/<ins>, and cues screen readers say.
    spoken = diff.aria_snapshot()
    assert "[removed: *rose*." in spoken and "[added: *rose" in spoken
    text = update.text_content()
    assert "rationale:" in text and "<" not in text and "rel=" not in text
    assert_accessible(page, where=f"history at {viewport['width']}")
    assert page.errors == [] and page.dialogs == []


def test_a_rationale_written_as_html_opens_as_markdown(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/old", TEXT)
    old_html = clean_rationale('<p>Per <em>the</em> <a href="https://www.ons.gov.uk/x">office</a>'
                               " data.</p>")
    claim = add_claim(live_server, fay, passages[1], "Unemployment fell", rationale=old_html)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])

    assert page.input_value("#claim-rationale") == \
        "Per *the* [office](https://www.ons.gov.uk/x) data."
    preview(page).locator("a").wait_for(timeout=TIMEOUT_MS)
    assert preview(page).locator("a").get_attribute("href") == "https://www.ons.gov.uk/x"

    # A label edit leaves the HTML rationale as it was.
    page.fill("#claim-label", "Checked")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert stored_claim(live_server, claim["id"])["rationale"] == old_html
    assert stored_claim(live_server, claim["id"])["rationale_markdown"] is None

    page.fill("#claim-rationale", "Per *the* [office](https://www.ons.gov.uk/x) data, revised.")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    entries = history_entries(page)
    entries.nth(2).wait_for(timeout=TIMEOUT_MS)
    diff = entries.nth(2).locator(".history-diff")
    # Before: the old rationale's words (no tags); after: the Markdown written.
    assert diff.text_content().startswith("rationale: Per ")
    assert "<" not in diff.text_content() and "rel=" not in diff.text_content()
    assert diff.locator("ins").count() >= 1
    assert page.errors == [] and page.dialogs == []


HOSTILE = ("<img src=x onerror=alert(1)> <script>alert(2)</script> "
           "[click](javascript:alert(3)) ![i](data:image/svg+xml,<svg onload=alert(4)>) "
           "<svg onload=alert(5)> <javascript:alert(6)> [ok](https://www.ons.gov.uk/ok)")


def test_hostile_markdown_stays_text(live_server, new_page):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/xss", TEXT)
    page = new_page()
    watch_csp(page)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-1", "Unemployment fell")
    page.check("#claim-form input[name=verdict][value=unverified]")
    page.fill("#claim-rationale", HOSTILE)
    preview(page).locator("a", has_text="ok").wait_for(timeout=TIMEOUT_MS)
    shown = preview(page).text_content()
    assert "<img src=x onerror=alert(1)>" in shown and "<script>alert(2)</script>" in shown
    assert [a.get_attribute("href") for a in preview(page).locator("a[href]").all()] == \
        ["https://www.ons.gov.uk/ok"]
    assert injected(page) == []

    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    claim = stored_claims(live_server, article_id)[0]
    page.reload()
    wait_until_ready(page)
    open_claim(page, claim["id"])
    assert page.input_value("#claim-rationale") == HOSTILE
    preview(page).locator("a", has_text="ok").wait_for(timeout=TIMEOUT_MS)
    history_entries(page)
    assert injected(page) == []
    assert page.dialogs == [] and page.errors == []
    assert csp_violations(page) == []
