"""The annotator's sidebar filters act on the whole page, in Chromium at
desktop and phone width: the claim count says how many are shown, the
highlights left out are dimmed (not by colour alone) and leave the keyboard
and screen-reader order, and the filters live in the address (shared,
reloaded, Back / Forward) next to the links to a claim (#claim-N)."""

import pytest

from .a11y import assert_accessible
from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, highlight, wait_until_ready

WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture
def article(live_server):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    article_id, passages = add_article(
        live_server, "https://news.example/filters",
        "Crime fell by 10% last year.\n\nThe river is 300 km long.\n\nThe bridge cost 2 billion.\n")
    verified = add_claim(live_server, fay, passages[0], "fell by 10%", "verified", publish_by=ed,
                         citations=({"url": "https://stats.example/crime"},))
    denied = add_claim(live_server, fay, passages[1], "300 km", "denied")
    unverified = add_claim(live_server, fay, passages[2], "2 billion", "unverified")
    return {"id": article_id, "url": f"{live_server.url}/articles/{article_id}",
            "verified": verified["id"], "denied": denied["id"], "unverified": unverified["id"]}


def heading(page) -> str:
    return " ".join(page.text_content("#claim-list h2").split())


def visible_cards(page) -> list[int]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#claim-list .claim-card'))
        .filter(card => card.getClientRects().length > 0)
        .map(card => Number(card.dataset.claimId))""")


def mark_state(page, claim_id: int) -> dict:
    """What a person sees and what assistive technology gets of a highlight."""
    return highlight(page, claim_id).first.evaluate("""mark => {
      const style = getComputedStyle(mark);
      return {dimmed: mark.classList.contains('filtered-out'),
              background: style.backgroundColor,
              underline: style.textDecorationStyle,
              icon: getComputedStyle(mark, '::before').content,
              tabindex: mark.getAttribute('tabindex'), role: mark.getAttribute('role')};
    }""")


def open_filtered(page, url: str):
    page.goto(url)
    wait_until_ready(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_count_and_dim_the_claims_they_leave_out(live_server, new_page, article, width):
    page = new_page(viewport=WIDTHS[width])
    login(page, live_server, "fay")
    open_filtered(page, article["url"])
    assert heading(page) == "Claims (3)"
    before = mark_state(page, article["verified"])
    assert before["underline"] == "solid" and before["role"] == "link"

    page.select_option("#filter-verdict", "denied")

    assert heading(page) == "Claims (1 of 3)"
    assert visible_cards(page) == [article["denied"]]
    assert page.text_content("#filter-message") == \
        "Showing 1 of 3 claims; the other highlights are dimmed."
    for left_out in (article["verified"], article["unverified"]):
        state = mark_state(page, left_out)
        # Dimmed by more than colour: no shading, a dotted line instead of the
        # verdict's pattern, no verdict icon; and no longer a link or tab stop.
        assert state == {"dimmed": True, "background": "rgba(0, 0, 0, 0)", "underline": "dotted",
                         "icon": "none", "tabindex": None, "role": None}, state
    kept = mark_state(page, article["denied"])
    assert kept["dimmed"] is False and kept["underline"] == "wavy"
    assert kept["tabindex"] == "0" and kept["role"] == "link"
    assert_accessible(page, where=f"annotator filtered at {width}")

    # n / p only visit the claims shown; a click on a dimmed highlight opens nothing.
    page.locator("body").press("n")
    assert page.evaluate("() => document.activeElement.dataset.claimId") == str(article["denied"])
    page.locator("body").press("n")
    assert page.evaluate("() => document.activeElement.dataset.claimId") == str(article["denied"])
    highlight(page, article["verified"]).click()
    assert not page.is_visible("#claim-panel")

    page.select_option("#filter-status", "published")
    assert heading(page) == "Claims (0 of 3)"
    page.select_option("#filter-verdict", "")
    assert heading(page) == "Claims (1 of 3)"
    assert visible_cards(page) == [article["verified"]]
    page.select_option("#filter-status", "")
    assert heading(page) == "Claims (3)"
    assert page.text_content("#filter-message") == ""
    assert all(not mark_state(page, article[v])["dimmed"]
               for v in ("verified", "denied", "unverified"))
    assert mark_state(page, article["verified"])["tabindex"] == "0"
    assert page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_live_in_the_address(live_server, new_page, article, width):
    page = new_page(viewport=WIDTHS[width])
    login(page, live_server, "fay")
    open_filtered(page, article["url"])
    page.select_option("#filter-verdict", "unverified")
    assert page.url == article["url"] + "?verdict=unverified"
    page.select_option("#filter-status", "draft")
    assert page.url == article["url"] + "?verdict=unverified&status=draft"

    page.reload()
    wait_until_ready(page)
    assert page.input_value("#filter-verdict") == "unverified"
    assert page.input_value("#filter-status") == "draft"
    assert heading(page) == "Claims (1 of 3)"
    assert mark_state(page, article["verified"])["dimmed"]

    page.go_back()
    page.wait_for_function("() => document.getElementById('filter-status').value === ''",
                           timeout=TIMEOUT_MS)
    assert page.url == article["url"] + "?verdict=unverified"
    assert heading(page) == "Claims (1 of 3)"
    page.go_back()
    page.wait_for_function("() => document.getElementById('filter-verdict').value === ''",
                           timeout=TIMEOUT_MS)
    assert heading(page) == "Claims (3)"
    assert not mark_state(page, article["verified"])["dimmed"]
    page.go_forward()
    page.wait_for_function(
        "() => document.getElementById('filter-verdict').value === 'unverified'", timeout=TIMEOUT_MS)
    assert visible_cards(page) == [article["unverified"]]

    # Someone else opens the shared address: the same view. A value no filter
    # offers is dropped from the address rather than hiding everything.
    other = new_page(viewport=WIDTHS[width])
    login(other, live_server, "fay")
    open_filtered(other, article["url"] + "?verdict=unverified&status=draft")
    assert visible_cards(other) == [article["unverified"]]
    open_filtered(other, article["url"] + "?verdict=bogus&status=draft")
    assert other.url == article["url"] + "?status=draft"
    assert heading(other) == "Claims (2 of 3)"
    assert page.errors == [] and other.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_and_links_to_a_claim_share_the_address(live_server, new_page, article, width):
    page = new_page(viewport=WIDTHS[width])
    login(page, live_server, "fay")
    # A link to a claim the filters show keeps both.
    open_filtered(page, f"{article['url']}?verdict=denied#claim-{article['denied']}")
    assert heading(page) == "Claims (1 of 3)"
    assert page.url.endswith(f"?verdict=denied#claim-{article['denied']}")
    # A link to a claim they hide clears them, so the claim is there to see.
    open_filtered(page, f"{article['url']}?verdict=denied#claim-{article['verified']}")
    assert heading(page) == "Claims (3)"
    assert page.input_value("#filter-verdict") == ""
    assert page.url == f"{article['url']}#claim-{article['verified']}"
    assert page.is_visible(f"#claim-{article['verified']}")

    # Filtering after following a link keeps the link's fragment.
    page.select_option("#filter-status", "draft")
    assert page.url == f"{article['url']}?status=draft#claim-{article['verified']}"
    assert page.errors == []


def test_a_reader_filters_published_claims_too(live_server, new_page, article):
    page = new_page(viewport=WIDTHS["phone"])
    open_filtered(page, article["url"] + "?verdict=denied")
    # Readers see published claims only: one, which the filter leaves out.
    assert heading(page) == "Claims (0 of 1)"
    assert mark_state(page, article["verified"])["dimmed"]
    highlight(page, article["verified"]).click()
    assert "#claim-" not in page.url
    page.select_option("#filter-verdict", "verified")
    assert heading(page) == "Claims (1)"
    assert_accessible(page, where="reader's annotator, filtered")
    assert page.errors == []
