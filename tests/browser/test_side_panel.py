"""The claim panel sits beside the article (1440 px) or is a bottom sheet
(360 px), never a modal over it: the passage being checked stays in view and
selectable while the panel is open, focus goes into the panel and back to
the highlight, and Esc closes it."""

import pytest

from .a11y import assert_accessible
from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, highlight, open_new_claim,
                      wait_until_ready)
from .test_annotator import RANGE_RECT_JS

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
FILLER = ("The council met on a Tuesday and talked about the budget for a long while, "
          "as councils do when nobody is watching.")
TEXT = "\n\n".join([FILLER] * 6 + [
    "The new bridge carries 40,000 cars a day across the river.",
    "Its builders say it cost 90 million euros to finish.",
] + [FILLER] * 6) + "\n"

PANEL_BOX_JS = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {panel: box(document.getElementById('claim-panel')),
          body: box(document.getElementById('article-body')),
          modal: document.getElementById('claim-panel').matches(':modal')};
}"""

# The topmost element at the middle of the claim's highlight (or of the
# selection): what a click there would reach.
REACHABLE_JS = """(selector) => {
  const target = selector ? document.querySelector(selector)
                          : getSelection().getRangeAt(0);
  const r = target.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {top: r.top, bottom: r.bottom, inArticle: Boolean(hit && hit.closest('#passages'))};
}"""


def drag_select(page, passage: str, quote: str) -> None:
    box = page.evaluate(RANGE_RECT_JS, [passage, quote])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def bridge_article(server):
    fay = server.user("fay", "factchecker")
    article_id, passages = add_article(server, "https://news.example/bridge", TEXT)
    claim = add_claim(server, fay, passages[7], "cost 90 million euros", "unverified")
    return article_id, claim


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_the_panel_leaves_the_passage_visible_and_selectable(live_server, new_page, viewport):
    article_id, claim = bridge_article(live_server)
    page = new_page(viewport=viewport)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)
    # The sentence starts at the bottom edge of the screen, where a sheet would cover it.
    page.evaluate("""() => { const p = document.getElementById('passage-6');
                             scrollBy(0, p.getBoundingClientRect().top - innerHeight + 30); }""")

    open_new_claim(page, "#passage-6", "40,000 cars a day")
    boxes = page.evaluate(PANEL_BOX_JS)
    assert boxes["modal"] is False
    if viewport is WIDE:
        # Beside the article, the whole height of the screen.
        assert boxes["panel"]["left"] >= boxes["body"]["right"], boxes
        assert boxes["panel"]["right"] == WIDE["width"] and boxes["panel"]["top"] == 0
    else:
        # A sheet along the bottom, the width of the screen, the upper part left free.
        assert boxes["panel"]["left"] == 0 and boxes["panel"]["right"] == PHONE["width"], boxes
        assert boxes["panel"]["bottom"] == PHONE["height"], boxes
        assert 0.3 * PHONE["height"] < boxes["panel"]["top"] < 0.6 * PHONE["height"], boxes
    # The selected sentence was scrolled into the free part of the screen.
    span = page.evaluate(REACHABLE_JS, None)
    assert span["inArticle"], span
    assert span["top"] >= 0 and span["bottom"] <= boxes["panel"]["top"] or viewport is WIDE, span
    assert page.evaluate("() => document.getElementById('claim-panel')"
                         ".contains(document.activeElement)")
    assert_accessible(page, where=f"new claim panel at {viewport['width']} px")

    # Another span is selected with the mouse while the panel is open: the
    # panel follows it (nothing was typed, so nothing to ask).
    page.evaluate("""() => { const p = document.getElementById('passage-7');
                             p.scrollIntoView({block: 'start'}); scrollBy(0, -60); }""")
    drag_select(page, "#passage-7", "Its builders say")
    page.wait_for_function("() => document.getElementById('panel-quote').textContent"
                           " === 'Its builders say'", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-title") == "New claim"
    assert page.evaluate(REACHABLE_JS, None)["inArticle"]

    # The existing claim's highlight can be clicked with the panel open.
    highlight(page, claim["id"]).click()
    page.wait_for_function(
        "id => document.getElementById('panel-title').textContent === 'Claim ' + id",
        arg=claim["id"], timeout=TIMEOUT_MS)
    mark = page.evaluate(REACHABLE_JS, f'#passages mark.claim[data-claim-id="{claim["id"]}"]')
    assert mark["inArticle"], mark
    if viewport is PHONE:
        assert mark["bottom"] <= page.evaluate(PANEL_BOX_JS)["panel"]["top"], mark
    assert page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "360"])
def test_keyboard_focus_goes_in_and_back_to_the_highlight(live_server, new_page, viewport):
    article_id, claim = bridge_article(live_server)
    page = new_page(viewport=viewport)
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    page.keyboard.press("n")
    assert page.evaluate("() => document.activeElement.dataset.claimId") == str(claim["id"])
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.getElementById('panel-title').textContent === 'Claim ' + id",
        arg=claim["id"], timeout=TIMEOUT_MS)
    # A non-modal dialog named by its heading; focus on the checked verdict.
    panel = page.locator("#claim-panel")
    assert panel.evaluate("el => [el.localName, el.getAttribute('aria-labelledby'),"
                          " el.hasAttribute('aria-modal')]") == ["dialog", "panel-title", False]
    assert page.evaluate("() => [document.activeElement.name, document.activeElement.value]") \
        == ["verdict", "unverified"]
    assert_accessible(page, where=f"claim panel at {viewport['width']} px")

    # Tab stays usable: it walks the panel's controls.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('claim-panel')"
                         ".contains(document.activeElement)")

    # Esc closes (nothing typed) and focus is back on the highlight.
    page.keyboard.press("Escape")
    assert panel.evaluate("el => el.open") is False
    assert page.evaluate("() => document.activeElement.dataset.claimId") == str(claim["id"])

    # ✕ does the same.
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    page.click("#panel-close")
    assert panel.evaluate("el => el.open") is False
    assert page.evaluate("() => document.activeElement.dataset.claimId") == str(claim["id"])
    assert page.errors == [] and page.dialogs == []


def test_the_claim_list_moves_below_the_article_beside_a_narrower_panel(live_server, new_page):
    article_id, claim = bridge_article(live_server)
    page = new_page(viewport={"width": 1024, "height": 768})
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-6", "40,000 cars a day")
    boxes = page.evaluate(PANEL_BOX_JS)
    assert boxes["panel"]["left"] >= boxes["body"]["right"], boxes
    # The article keeps a readable measure (not squeezed beside the claim list).
    assert boxes["body"]["right"] - boxes["body"]["left"] > 500, boxes
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024
    assert page.errors == [] and page.dialogs == []
