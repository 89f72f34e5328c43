"""Small things people notice, in Chromium at desktop and phone width: a
failed login keeps the username typed; errors name a box by the label the
form shows ("Source 2 URL", not "citations.1.url"); and a label that only
repeats the verdict's word is not shown twice ("False", not "False · False")
in the extension's popover and popup or on the public fact-check page."""

import pytest
from playwright.sync_api import expect

from annotations.models import label_beside

from .a11y import assert_accessible
from .conftest import PASSWORD, login
from .helpers import TIMEOUT_MS, add_article, add_claim, open_new_claim
from .test_extension import (ARTICLE_PATH, IMPORTED_TEXT, QUOTES, extension_context,  # noqa: F401
                             news_site, news_tab, open_popup)

WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wrong_password_keeps_the_username(live_server, new_page, width):
    live_server.user("fay", "factchecker")
    page = new_page(viewport=WIDTHS[width])
    page.goto(live_server.url + "/login")
    page.fill("#username", "fay")
    page.fill("#password", "not my password")
    page.click("form.stack button[type=submit]")

    expect(page.locator("#login-error")).to_have_text("Unknown username or wrong password.")
    assert page.input_value("#username") == "fay"
    assert page.input_value("#password") == ""
    # Only the password is left to type again: it has the focus.
    # (autofocus is applied once the page has rendered, not at load)
    page.wait_for_function("() => document.activeElement.id === 'password'", timeout=TIMEOUT_MS)
    assert_accessible(page, where=f"login after a wrong password at {width}")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=fay (", timeout=TIMEOUT_MS)
    assert page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_claim_panel_names_a_refused_field_by_its_label(live_server, new_page, width):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/rates",
                                "Rates story\n\nThe bank said rates will fall to 2% next year.\n")
    page = new_page(viewport=WIDTHS[width])
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-1", "rates will fall to 2%")

    page.click("#save-claim")
    expect(page.locator("#panel-error")).to_have_text(
        "Verdict: choose verified, denied or unverified")
    page.check("#claim-panel input[name=verdict][value=denied]")
    page.click("#add-citation")
    page.fill("#citation-1-url", "https://bank.example.org/outlook")
    page.click("#add-citation")
    page.click("#save-claim")
    expect(page.locator("#panel-error")).to_have_text("Source 2 URL: a URL is required")

    # Refused by the server: its field path becomes the row's label.
    page.fill("#citation-2-url", "ftp://files.example.org/outlook.pdf")
    page.click("#save-claim")
    page.wait_for_function(
        "() => /^Source 2 URL: ./.test(document.getElementById('panel-error').textContent)",
        timeout=TIMEOUT_MS)
    assert "citations" not in page.text_content("#panel-error")
    assert_accessible(page, where=f"claim panel with an error at {width}")
    assert page.errors == []


def test_field_labels_follow_the_form(live_server, new_page):
    """Every field the claim API can refuse reads as the form labels it."""
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/rates",
                                "Rates story\n\nThe bank said rates will fall to 2% next year.\n")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-1", "rates will fall to 2%")
    page.click("#add-citation")
    labels = page.evaluate("""async (paths) => {
      const { fieldLabel } = await import('/static/js/annotator/fieldlabels.js');
      return paths.map(fieldLabel);
    }""", ["verdict", "label", "summary", "rationale_markdown", "exact", "start",
           "citations", "citations.0", "citations.0.url", "citations.0.title",
           "citations.0.archive_url", "citations.0.stance", "note", "correction_note",
           "body", "no_such_field"])
    assert labels == ["Verdict", "Label", "Claim summary", "Rationale", "Quote", "Quote",
                      "Sources", "Source 1", "Source 1 URL", "Source 1 Title",
                      "Source 1 Archive URL", "Source 1 Stance", "Note", "Correction note",
                      "Comment", "no_such_field"]


# -- a label that repeats the verdict's word ------------------------------------------------

def _story_with_repeating_labels(live_server, article_url) -> dict:
    editor = live_server.user("eddie", "editor")
    checker = live_server.user("fay", "factchecker")
    _, passages = add_article(live_server, article_url, IMPORTED_TEXT, title="Harbour plan")

    def claim(name, verdict, label):
        passage = next(p for p in passages if QUOTES[name] in p["text"])
        return add_claim(live_server, checker, passage, QUOTES[name], verdict,
                         publish_by=editor, label=label,
                         rationale="<p>Checked.</p>",
                         citations=({"url": "https://stats.example.org/harbour"},))["id"]

    return {"cost": claim("cost", "denied", " false "),       # the word again: not shown
            "jobs": claim("jobs", "verified", "VERIFIED"),
            "seals": claim("seals", "denied", "Misleading")}   # a label of its own: shown


def test_the_public_page_shows_a_repeating_label_once(live_server, new_page):
    ids = _story_with_repeating_labels(live_server, "https://news.example/harbour")
    page = new_page(viewport=WIDTHS["phone"])
    page.goto(f"{live_server.url}/claims/{ids['cost']}")
    assert " ".join(page.text_content("h1.review-verdict").split()) == "✘ False"
    assert page.title() == "Fact check: False · Fact desk"
    page.goto(f"{live_server.url}/claims/{ids['seals']}")
    assert " ".join(page.text_content("h1.review-verdict").split()) == "✘ False · Misleading"


def test_the_extension_shows_a_repeating_label_once(live_server, news_site, extension_context):
    context, worker, extension_id = extension_context
    article_url = news_site + ARTICLE_PATH
    ids = _story_with_repeating_labels(live_server, article_url)
    worker.evaluate("(url) => chrome.storage.sync.set({serviceUrl: url})", live_server.url)

    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(article_url)
    for claim_id in ids.values():
        expect(page.locator(f'mark.fdx-mark[data-fdx-claim="{claim_id}"]').first) \
            .to_be_attached(timeout=TIMEOUT_MS)
    first_mark = 'mark.fdx-mark[data-fdx-claim="{}"] >> nth=0'
    assert page.get_attribute(first_mark.format(ids["cost"]), "aria-label") == \
        "Fact check: False. Show sources."
    assert page.get_attribute(first_mark.format(ids["seals"]), "aria-label") == \
        "Fact check: False (Misleading). Show sources."

    box = page.locator(".fdx-popover-host .popover")
    page.hover(first_mark.format(ids["cost"]))
    expect(box.locator(".verdict strong")).to_have_text("False", timeout=TIMEOUT_MS)
    expect(box.locator(".verdict")).to_have_text("✘ False")
    page.hover(first_mark.format(ids["jobs"]))
    expect(box.locator(".verdict")).to_have_text("✔ Verified", timeout=TIMEOUT_MS)
    page.hover(first_mark.format(ids["seals"]))
    expect(box.locator(".verdict")).to_have_text("✘ False · Misleading", timeout=TIMEOUT_MS)

    tab_id, _ = news_tab(worker, news_site)
    popup = open_popup(context, extension_id, tab_id)
    verdicts = popup.locator("#claims .verdict").all_text_contents()
    assert sorted(verdicts) == ["✔ Verified", "✘ False", "✘ False · Misleading"]
    assert page.errors == []


LABEL_CASES = [("denied", "False"), ("denied", " false "), ("denied", "FALSE"), ("denied", "Denied"),
               ("denied", "Mostly false"), ("verified", "verified"), ("verified", ""),
               ("unverified", None), ("unverified", "  "), ("unknown", "False")]


def test_the_scripts_and_the_server_agree_on_a_repeating_label(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/login")
    page.add_script_tag(url="/static/js/vocabulary.js")  # a <script src>: CSP allows it
    shown = page.evaluate("(cases) => cases.map(([v, l]) => FactVocabulary.labelBeside(v, l))",
                          LABEL_CASES)
    assert shown == [label_beside(verdict, label) for verdict, label in LABEL_CASES]
    assert shown == ["", "", "", "Denied", "Mostly false", "", "", "", "", "False"]
