"""Layout and accessibility in Chromium: a phone-width screen without
sideways scrolling, labels on every field, a sensible Tab order from the
skip link, and a visible focus outline."""

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, highlight, open_claim, wait_until_ready

PHONE = {"width": 360, "height": 740}
LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
LONG_URL = "https://news.example/" + "very-long-path-segment-" * 8 + "end?utm_source=" + "x" * 60


def article_with_long_text(server):
    fay = server.user("fay", "factchecker")
    article_id, passages = add_article(
        server, LONG_URL,
        f"{LONG_WORD} {LONG_WORD}\n\n"
        f"The {LONG_WORD} employs 7000 people, says {LONG_URL}.\n\n"
        "Der Verband nennt 東京 und Кандидат 🎉 als Beispiele.\n",
        title=f"Headline with {LONG_WORD}{LONG_WORD}", publisher="Publisher " + LONG_WORD)
    claim = add_claim(
        server, fay, passages[1], "employs 7000 people", "denied", label=LONG_WORD,
        rationale=f"<p>See {LONG_URL}</p>",
        citations=({"url": LONG_URL, "title": LONG_WORD * 2, "excerpt": LONG_WORD,
                    "archive_url": LONG_URL},))
    return article_id, claim


def horizontal_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_phone_width_has_no_sideways_scroll_and_the_panel_fits(live_server, new_page):
    article_id, claim = article_with_long_text(live_server)
    page = new_page(viewport=PHONE)
    login(page, live_server, "fay")
    for path in ("/", "/import", "/tokens", f"/articles/{article_id}"):
        page.goto(live_server.url + path)
        assert horizontal_overflow(page) <= PHONE["width"], path

    open_claim(page, claim["id"])
    page.click("#add-citation")
    page.click("#citation-rows li:nth-child(2) .more-citation")
    page.click("#show-history")
    page.locator("#history-entries li").first.wait_for(timeout=TIMEOUT_MS)
    box = page.evaluate("""() => {
      const panel = document.getElementById('claim-panel');
      const r = panel.getBoundingClientRect();
      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
              scrollWidth: panel.scrollWidth, clientWidth: panel.clientWidth};
    }""")
    assert box["left"] >= 0 and box["right"] <= PHONE["width"], box
    assert box["top"] >= 0 and box["bottom"] <= PHONE["height"], box
    assert box["scrollWidth"] <= box["clientWidth"], box
    assert horizontal_overflow(page) <= PHONE["width"]
    # Every control in the panel can be scrolled to and lies within the screen.
    for selector in ("#claim-label", "#citation-1-url", "#citation-2-stance", "#save-claim",
                     "#show-history", "#panel-close"):
        element = page.locator(selector)
        element.scroll_into_view_if_needed()
        rect = element.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"], selector
        assert rect["y"] >= 0 and rect["y"] + rect["height"] <= PHONE["height"], selector
    page.fill("#claim-label", "Fits")
    page.click("#save-claim")
    assert page.text_content("#panel-error") == "Source 2 URL: a URL is required"
    page.fill("#citation-2-url", LONG_URL + "/2")
    page.click("#save-claim")
    page.wait_for_function("() => document.getElementById('panel-status').textContent === 'Saved.'",
                           timeout=TIMEOUT_MS)
    assert page.errors == [] and page.dialogs == []


UNLABELLED_JS = """(scope) => Array.from(document.querySelectorAll(
    scope + ' input, ' + scope + ' select, ' + scope + ' textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !el.labels || el.labels.length === 0 ||
                Array.from(el.labels).every(l => !l.textContent.trim()))
  .map(el => el.id || el.name || el.outerHTML)"""


def fields_in(page, scope: str) -> int:
    return page.evaluate(
        "(scope) => document.querySelectorAll(scope + ' input:not([type=hidden]), '"
        " + scope + ' select, ' + scope + ' textarea').length", scope)


def test_every_form_field_has_a_label(live_server, new_page):
    article_id, claim = article_with_long_text(live_server)
    page = new_page()
    login(page, live_server, "fay")

    page.goto(live_server.url + "/import")
    # url, title, author, date, publisher, language, canonical URL, format, text, file
    assert fields_in(page, "main form") == 10
    assert page.evaluate(UNLABELLED_JS, "main form") == []

    page.goto(f"{live_server.url}/articles/{article_id}")
    assert page.evaluate(UNLABELLED_JS, ".claim-filters") == []
    open_claim(page, claim["id"])
    page.click("#add-citation")
    # verdict radios (3), label, claim summary, rationale, six fields in each
    # of two sources, the discussion's comment box, and the workflow's note,
    # correction note and minor-edit box (shown when an action asks for them)
    assert fields_in(page, "#claim-panel") == 3 + 3 + 12 + 1 + 3
    assert page.evaluate(UNLABELLED_JS, "#claim-panel") == []
    # Each source's fields say which source they belong to.
    assert page.text_content("#citation-rows li:nth-child(2) legend") == "Source 2"

    for path, scope in (("/", "main form"), ("/tokens", "main form"), ("/login", "main form")):
        page.goto(live_server.url + path)
        assert fields_in(page, scope) > 0, path
        assert page.evaluate(UNLABELLED_JS, scope) == [], path
    assert page.errors == [] and page.dialogs == []


FOCUS_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {tag: el.localName, text: (el.textContent || '').trim(), id: el.id,
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 &&
                   r.right <= innerWidth && r.bottom <= innerHeight};
}"""


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUS_JS)


def test_tab_order_starts_at_the_skip_link_and_focus_is_visible(live_server, new_page):
    live_server.user("fay", "factchecker")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(live_server.url + "/")
    skip = tab(page)
    assert (skip["tag"], skip["text"]) == ("a", "Skip to content")
    assert skip["visible"], "the skip link shows when focused"
    assert skip["outline"] != "none" and skip["outlineWidth"] > 0
    order = [tab(page) for _ in range(9)]
    assert [(f["tag"], f["text"]) for f in order] == [
        ("a", "Fact desk"), ("a", "Articles"), ("a", "Import"), ("a", "My queue"),
        ("a", "Claims"), ("a", "API"), ("a", "API tokens"), ("a", "Your account"),
        ("button", "Log out")]
    for focused in order:
        assert focused["visible"], focused
        assert focused["outline"] != "none" and focused["outlineWidth"] > 0, focused
    assert tab(page)["id"] == "q"  # then the page's own search box

    # The skip link takes keyboard users past the navigation.
    page.goto(live_server.url + "/")
    tab(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert tab(page)["id"] == "q"
    assert page.errors == [] and page.dialogs == []


def test_keyboard_focus_on_a_highlight_is_outlined(live_server, new_page):
    article_id, claim = article_with_long_text(live_server)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)
    unfocused = highlight(page, claim["id"]).evaluate("el => getComputedStyle(el).outlineStyle")
    page.keyboard.press("n")
    focused = page.evaluate(FOCUS_JS)
    assert focused["tag"] == "mark" and focused["text"] == "employs 7000 people"
    assert focused["visible"]
    # Solid and clearly different from the dotted mark every draft carries.
    assert focused["outline"] == "solid" and focused["outlineWidth"] >= 2
    assert unfocused != "solid"
    assert page.errors == [] and page.dialogs == []
