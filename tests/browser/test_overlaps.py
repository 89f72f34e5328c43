"""Overlapping claims, in Chromium: in the annotator every claim's whole
extent stays marked, visible and clickable (nested marks, one underline per
claim), a click on text that several claims cover offers each of them, and
a mouse drag that starts on a highlight selects text for a new claim; in the
extension, nested marks on the live page, each claim's popover reachable by
hover, focus and click.
"""

from playwright.sync_api import expect

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, wait_until_ready
from .test_extension import ARTICLE_PATH, IMPORTED_TEXT, extension_context, news_site  # noqa: F401

TEXT = ("Alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
        "november oscar papa quebec romeo sierra tango.")

# For every character of the passage: the claim ids of the marks around it,
# and whether the character, hit-tested at its own centre, is inside each of
# those marks (drawn on top, not hidden by another element).
COVERAGE_JS = """(selector) => {
  const passage = document.querySelector(selector);
  const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
  const out = [];
  let node;
  while ((node = walker.nextNode())) {
    const ids = [];
    for (let m = node.parentElement.closest('mark.claim'); m && passage.contains(m);
         m = m.parentElement.closest('mark.claim')) ids.push(Number(m.dataset.claimId));
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      let hit = true;
      if (node.data[i].trim() && r.width > 0) {
        const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const hitIds = [];
        for (let m = el && el.closest('mark.claim'); m; m = m.parentElement.closest('mark.claim')) {
          hitIds.push(Number(m.dataset.claimId));
        }
        hit = ids.every((id) => hitIds.includes(id));
      }
      out.push({ids: ids.sort((a, b) => a - b), hit});
    }
  }
  return out;
}"""

CHAR_BOX_JS = """([selector, offset]) => {
  const passage = document.querySelector(selector);
  const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    if (offset < seen + node.data.length) {
      const range = document.createRange();
      range.setStart(node, offset - seen);
      range.setEnd(node, offset - seen + 1);
      const r = range.getBoundingClientRect();
      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }
    seen += node.data.length;
  }
  throw new Error('offset past the passage');
}"""

MARKED_TEXT_JS = """(id) => [...document.querySelectorAll(
    '#passages mark.claim[data-claim-id="' + id + '"]')].map((m) => m.textContent).join('')"""


def char_box(page, offset, selector="#passages .passage"):
    return page.evaluate(CHAR_BOX_JS, [selector, offset])


def click_char(page, offset, selector="#passages .passage"):
    box = char_box(page, offset, selector)
    page.mouse.click((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2)


def desk_article(live_server, spans, text=TEXT):
    """An article of one passage and claims on ``spans`` ({name: (start, end,
    verdict, published)}); fay is a factchecker, eddie an editor."""
    checker = live_server.user("fay", "factchecker")
    editor = live_server.user("eddie", "editor")
    article_id, passages = add_article(live_server, "https://news.example/overlaps", text)
    ids = {}
    for name, (start, end, verdict, published) in spans.items():
        quote = text[start:end]
        assert text.index(quote) == start, name
        ids[name] = add_claim(live_server, checker, passages[0], quote, verdict,
                              publish_by=editor if published else None,
                              rationale=f"<p>{name}</p>",
                              citations=({"url": f"https://src.example/{name}", "title": name},)
                              if verdict != "unverified" else ())["id"]
    return article_id, ids


def covered_by(coverage, ids_by_name, start, end):
    names = {v: k for k, v in ids_by_name.items()}
    return {tuple(sorted(names[i] for i in c["ids"])) for c in coverage[start:end]}


def expect_panel(page, claim_id):
    expect(page.locator("#claim-panel")).to_have_attribute("open", "", timeout=TIMEOUT_MS)
    expect(page.locator("#panel-title")).to_have_text(f"Claim {claim_id}", timeout=TIMEOUT_MS)


def close_panel(page):
    page.click("#panel-close")
    expect(page.locator("#claim-panel")).not_to_have_attribute("open", "", timeout=TIMEOUT_MS)


def test_crossing_claims_each_keep_their_whole_extent_and_are_clickable(live_server, new_page):
    # A = [0, 19) published, B = [10, 29) a draft: neither hides the other.
    article_id, ids = desk_article(live_server, {"A": (0, 19, "verified", True),
                                                 "B": (10, 29, "denied", False)})
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    coverage = page.evaluate(COVERAGE_JS, "#passages .passage")
    assert len(coverage) == len(TEXT)
    assert covered_by(coverage, ids, 0, 10) == {("A",)}
    assert covered_by(coverage, ids, 10, 19) == {("A", "B")}
    assert covered_by(coverage, ids, 19, 29) == {("B",)}
    assert covered_by(coverage, ids, 29, len(TEXT)) == {()}
    # Each claim's marks together are exactly its text, and nothing covers them up.
    assert page.evaluate(MARKED_TEXT_JS, ids["A"]) == TEXT[0:19]
    assert page.evaluate(MARKED_TEXT_JS, ids["B"]) == TEXT[10:29]
    assert all(c["hit"] for c in coverage)
    # Both styles stay on the shared stretch: A's solid line and, lower, B's wavy one.
    styles = page.evaluate("""(ids) => ids.map((id) => {
        const m = document.querySelector('#passages mark.claim[data-claim-id="' + id + '"]');
        const s = getComputedStyle(m);
        return [m.className, s.textDecorationStyle, parseFloat(s.textUnderlineOffset)];
    })""", [ids["A"], ids["B"]])
    assert styles[0][0] == "claim verdict-verified status-published" and styles[0][1] == "solid"
    assert styles[1][0] == "claim verdict-denied status-draft" and styles[1][1] == "wavy"
    assert styles[1][2] > styles[0][2]

    # Clicks: A's own text opens A, B's own text opens B.
    click_char(page, 3)
    expect_panel(page, ids["A"])
    close_panel(page)
    click_char(page, 25)
    expect_panel(page, ids["B"])
    close_panel(page)

    # The shared stretch offers both, innermost first.
    click_char(page, 15)
    chooser = page.locator("#claim-chooser")
    expect(chooser).to_be_visible(timeout=TIMEOUT_MS)
    expect(chooser.locator("button")).to_have_text([
        f"Claim {ids['B']} · denied (draft): “{TEXT[10:29]}”",
        f"Claim {ids['A']} · verified: “{TEXT[0:19]}”"])
    expect(chooser.locator("button").first).to_be_focused()
    chooser.locator(f'button[data-claim-id="{ids["A"]}"]').click()
    expect_panel(page, ids["A"])
    expect(chooser).to_be_hidden()
    close_panel(page)
    click_char(page, 12)
    chooser.locator(f'button[data-claim-id="{ids["B"]}"]').click()
    expect_panel(page, ids["B"])
    close_panel(page)
    # Esc closes the list without opening anything.
    click_char(page, 15)
    expect(chooser).to_be_visible(timeout=TIMEOUT_MS)
    page.keyboard.press("Escape")
    expect(chooser).to_be_hidden()
    expect(page.locator("#claim-panel")).not_to_have_attribute("open", "")
    assert page.errors == [] and page.dialogs == []


def test_a_claim_inside_another_and_a_three_way_overlap(live_server, new_page):
    # outer = "bravo ... golf", inner = "delta echo" (fully inside),
    # then three claims over "lima mike november oscar papa".
    spans = {"outer": (6, 43, "verified", True), "inner": (20, 30, "unverified", True),
             "x": (68, 86, "denied", True), "y": (73, 92, "verified", False),
             "z": (78, 97, "unverified", False)}
    article_id, ids = desk_article(live_server, spans)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    coverage = page.evaluate(COVERAGE_JS, "#passages .passage")
    assert covered_by(coverage, ids, 6, 20) == {("outer",)}
    assert covered_by(coverage, ids, 20, 30) == {("inner", "outer")}
    assert covered_by(coverage, ids, 30, 43) == {("outer",)}
    assert covered_by(coverage, ids, 68, 73) == {("x",)}
    assert covered_by(coverage, ids, 73, 78) == {("x", "y")}
    assert covered_by(coverage, ids, 78, 86) == {("x", "y", "z")}
    assert covered_by(coverage, ids, 86, 92) == {("y", "z")}
    assert covered_by(coverage, ids, 92, 97) == {("z",)}
    for name, (start, end, _, _) in spans.items():
        assert page.evaluate(MARKED_TEXT_JS, ids[name]) == TEXT[start:end], name
    assert all(c["hit"] for c in coverage)

    # Both ends of the outer claim and its middle: the middle offers both.
    click_char(page, 8)
    expect_panel(page, ids["outer"])
    close_panel(page)
    click_char(page, 40)
    expect_panel(page, ids["outer"])
    close_panel(page)
    click_char(page, 22)
    chooser = page.locator("#claim-chooser")
    expect(chooser.locator("button")).to_have_count(2, timeout=TIMEOUT_MS)
    chooser.locator(f'button[data-claim-id="{ids["inner"]}"]').click()
    expect_panel(page, ids["inner"])
    close_panel(page)

    # Three at once: all three offered.
    click_char(page, 80)
    expect(chooser.locator("button")).to_have_count(3, timeout=TIMEOUT_MS)
    assert chooser.locator("button").evaluate_all(
        "(buttons) => buttons.map((b) => Number(b.dataset.claimId))") == \
        [ids["z"], ids["y"], ids["x"]]
    chooser.locator(f'button[data-claim-id="{ids["y"]}"]').click()
    expect_panel(page, ids["y"])
    close_panel(page)

    # The keyboard reaches every claim once, in reading order, with n; Enter opens it.
    page.locator("#passages .passage").click(position={"x": 1, "y": 1})  # start from the passage
    focused = []
    for _ in range(len(spans)):
        page.keyboard.press("n")
        focused.append(page.evaluate("() => Number(document.activeElement.dataset.claimId)"))
    assert focused == [ids[n] for n in ("outer", "inner", "x", "y", "z")]
    page.keyboard.press("Enter")
    expect_panel(page, ids["z"])
    assert page.errors == [] and page.dialogs == []


def test_a_mouse_drag_that_starts_on_a_highlight_selects_text(live_server, new_page):
    article_id, ids = desk_article(live_server, {"A": (0, 19, "verified", True),
                                                 "B": (10, 29, "denied", False)})
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    # From inside both highlights ("charlie") to past them, with a real mouse.
    start, end = TEXT.index("charlie") + 2, TEXT.index("india") + len("india")
    first, last = char_box(page, start), char_box(page, end - 1)
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move((first["left"] + last["right"]) / 2, (last["top"] + last["bottom"]) / 2,
                    steps=5)
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=5)
    page.mouse.up()

    expect(page.locator("#claim-panel")).to_have_attribute("open", "", timeout=TIMEOUT_MS)
    expect(page.locator("#panel-title")).to_have_text("New claim")
    expect(page.locator("#panel-quote")).to_have_text(TEXT[start:end])
    expect(page.locator("#claim-chooser")).to_have_count(0)
    assert page.errors == [] and page.dialogs == []


def test_a_reader_reaches_each_overlapping_claim_card(live_server, new_page):
    article_id, ids = desk_article(live_server, {"A": (0, 19, "verified", True),
                                                 "B": (10, 29, "denied", True)})
    page = new_page()
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)
    click_char(page, 3)
    expect(page).to_have_url(f"{live_server.url}/articles/{article_id}#claim-{ids['A']}")
    click_char(page, 15)
    page.locator(f'#claim-chooser button[data-claim-id="{ids["B"]}"]').click()
    expect(page).to_have_url(f"{live_server.url}/articles/{article_id}#claim-{ids['B']}")
    assert page.errors == [] and page.dialogs == []


# -- the extension ------------------------------------------------------------------

JOBS = "The mayor said the project would create 4,000 new jobs within five years."
INNER = "4,000 new jobs"
CROSSING = "within five years. Opponents argued"

EXT_MARKS_JS = """(id) => {
  const marks = [...document.querySelectorAll('mark.fdx-mark[data-fdx-claim="' + id + '"]')];
  return {text: marks.map((m) => m.textContent).join('').replace(/\\s+/g, ' '),
          tabbable: marks.filter((m) => m.tabIndex === 0).length,
          outer: [...new Set(marks.map((m) => {
            const o = m.parentElement.closest('mark.fdx-mark');
            return o ? Number(o.dataset.fdxClaim) : null;
          }))]};
}"""


def test_extension_nests_overlapping_claims_and_each_popover_is_reachable(
        live_server, news_site, extension_context):
    context, worker, _ = extension_context
    article_url = news_site + ARTICLE_PATH
    editor = live_server.user("eddie", "editor")
    checker = live_server.user("fay", "factchecker")
    _, passages = add_article(live_server, article_url, IMPORTED_TEXT, title="Harbour")
    jobs_passage = next(p for p in passages if JOBS in p["text"])
    # Created innermost first: the order the service lists them in must not matter.
    inner = add_claim(live_server, checker, jobs_passage, INNER, "denied", publish_by=editor,
                      label="Inner", rationale="<p>Inner reasons.</p>",
                      citations=({"url": "https://src.example/inner", "title": "Inner"},))["id"]
    crossing = add_claim(live_server, checker, jobs_passage, CROSSING, "unverified",
                         publish_by=editor, rationale="<p>Crossing reasons.</p>")["id"]
    outer = add_claim(live_server, checker, jobs_passage, JOBS, "verified", publish_by=editor,
                      label="Outer", rationale="<p>Outer reasons.</p>",
                      citations=({"url": "https://src.example/outer", "title": "Outer"},))["id"]
    worker.evaluate("(url) => chrome.storage.sync.set({serviceUrl: url})", live_server.url)

    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(article_url)
    page.wait_for_function(
        "ids => ids.every((id) => document.querySelector("
        "'mark.fdx-mark[data-fdx-claim=\"' + id + '\"]'))",
        arg=[inner, crossing, outer], timeout=TIMEOUT_MS)

    # Each claim's marks hold exactly its words; the inner claim sits inside the outer.
    marks = {name: page.evaluate(EXT_MARKS_JS, cid)
             for name, cid in (("outer", outer), ("inner", inner), ("crossing", crossing))}
    assert marks["outer"]["text"] == JOBS and marks["outer"]["outer"] == [None]
    assert marks["inner"]["text"] == INNER and marks["inner"]["outer"] == [outer]
    assert marks["crossing"]["text"] == CROSSING
    assert sorted(marks["crossing"]["outer"], key=str) == sorted([outer, None], key=str)
    assert all(m["tabbable"] == 1 for m in marks.values())
    # One underline per claim: the nested one is drawn lower.
    offsets = page.evaluate("""(ids) => ids.map((id) => parseFloat(getComputedStyle(
        document.querySelector('mark.fdx-mark[data-fdx-claim="' + id + '"]'))
        .textUnderlineOffset))""", [outer, inner])
    assert offsets[1] > offsets[0]

    popover = page.locator(".fdx-popover-host .popover")
    inner_mark = page.locator(f'mark.fdx-mark[data-fdx-claim="{inner}"]')
    outer_first = page.locator(f'mark.fdx-mark.fdx-first[data-fdx-claim="{outer}"]')

    # Hover: the nested claim's popover, not its parent's; it lists the outer one.
    inner_mark.hover()
    expect(popover).to_be_visible(timeout=TIMEOUT_MS)
    expect(popover.locator(".rationale")).to_have_text("Inner reasons.")
    also = popover.locator("button.also-claim")
    expect(also).to_have_count(1)
    expect(also).to_have_text(f"✔ Verified · Outer: “{JOBS[:59]}…”")
    # The outer claim's own words: its popover, with nothing else listed.
    box = outer_first.evaluate("""(m) => { const r = document.createRange();
        r.setStart(m.firstChild, 4); r.setEnd(m.firstChild, 5);
        const b = r.getBoundingClientRect();
        return {x: b.left + b.width / 2, y: b.top + b.height / 2}; }""")
    page.mouse.move(box["x"], box["y"])
    expect(popover.locator(".rationale")).to_have_text("Outer reasons.", timeout=TIMEOUT_MS)
    expect(popover.locator("button.also-claim")).to_have_count(0)

    # Click on the nested mark: its claim; the list switches to the outer claim.
    page.keyboard.press("Escape")
    inner_mark.click()
    expect(popover.locator(".rationale")).to_have_text("Inner reasons.", timeout=TIMEOUT_MS)
    popover.locator("button.also-claim").click()
    expect(popover.locator(".rationale")).to_have_text("Outer reasons.", timeout=TIMEOUT_MS)
    expect(popover.locator("button.also-claim")).to_have_text(f"✘ False · Inner: “{INNER}”")

    # Focus: each claim's own popover, the nested one included.
    page.keyboard.press("Escape")
    inner_mark.focus()
    expect(popover.locator(".rationale")).to_have_text("Inner reasons.", timeout=TIMEOUT_MS)
    outer_first.focus()
    expect(popover.locator(".rationale")).to_have_text("Outer reasons.", timeout=TIMEOUT_MS)
    page.locator(f'mark.fdx-mark.fdx-first[data-fdx-claim="{crossing}"]').focus()
    expect(popover.locator(".rationale")).to_have_text("Crossing reasons.", timeout=TIMEOUT_MS)
    assert page.errors == []
