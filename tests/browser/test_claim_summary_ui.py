"""The claim summary in the annotator's panel: typed with a new claim,
shown again when the claim is opened, edited with Save, and refused past
75 characters with the reason in the panel."""

from .conftest import login
from .helpers import (add_article, add_claim, open_claim, open_new_claim, panel_status,
                      refreshed, stored_claim, stored_claims)


def test_a_claim_summary_is_saved_shown_and_edited(live_server, new_page):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(
        live_server, "https://news.example/jobs",
        "Jobs report\n\nThe minister said unemployment fell by three percent last year.\n")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")

    open_new_claim(page, "#passage-1", "unemployment fell by three percent")
    page.keyboard.press("u")
    page.fill("#claim-summary", "Unemployment fell 3% last year, says minister")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    claim = stored_claims(live_server, article_id)[0]
    assert claim["summary"] == "Unemployment fell 3% last year, says minister"

    page.keyboard.press("Escape")
    open_claim(page, claim["id"])
    assert page.input_value("#claim-summary") == "Unemployment fell 3% last year, says minister"
    page.fill("#claim-summary", "Jobless rate fell 3%")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert stored_claim(live_server, claim["id"])["summary"] == "Jobless rate fell 3%"
    assert page.errors == []


def test_the_panel_keeps_a_summary_to_75_characters(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/short",
                                       "Short\n\nPrices rose by ten percent.\n")
    claim = add_claim(live_server, fay, passages[1], "ten percent", "unverified")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])

    page.fill("#claim-summary", "x" * 90)

    assert page.input_value("#claim-summary") == "x" * 75  # the field takes no more
    label = page.locator("label[for=claim-summary]").text_content()
    assert "75 characters" in label
    assert page.errors == []
