"""The anchoring library (extension/anchoring.js, served as
/static/js/anchoring.js) in real Chromium: finding a claim's quote in a page
that changed since the article was imported, or refusing to.

Selectors are built the way the store builds them (ArticleText: passages
joined by a newline, 32 code points of context), so these are the quotes the
extension really receives.
"""

import re
import threading

import pytest
from werkzeug.serving import make_server

import migrations
from annotations.anchoring import ArticleText
from annotations.store import open_database
from factcheck import create_app
from tests.test_anchoring import CASES

ANCHOR_JS = "([text, selector]) => FactAnchoring.anchor(text, selector)"

# Replace the page body with `html`, then do what the extension does: read
# the visible text, anchor every selector, wrap each match in <mark>s.
DOM_JS = """([html, selectors]) => {
  const A = window.FactAnchoring;
  document.body.innerHTML = html;
  // Inline style attributes are blocked by the page's CSP; set them here.
  document.querySelectorAll('[data-display-none]').forEach((el) => { el.style.display = 'none'; });
  document.querySelectorAll('[data-split]').forEach((el) => {
    el.dataset.split.split(',').reverse().forEach((at) => el.firstChild.splitText(Number(at)));
  });
  const text = A.textOf(document.body);
  const results = A.anchorAll(text.text, selectors);
  return results.map((result, i) => {
    if (result.state === 'orphaned') return {state: result.state, reason: result.reason};
    const marks = A.wrapRange(text, result.start, result.end, () => {
      const mark = document.createElement('mark');
      mark.dataset.claim = String(i);
      return mark;
    });
    const range = document.createRange();
    range.setStartBefore(marks[0]);
    range.setEndAfter(marks[marks.length - 1]);
    return {
      state: result.state,
      marks: marks.length,
      shown: range.toString().replace(/\\s+/g, ' '),
      markText: marks.map((m) => m.textContent),
      blocks: [...new Set(marks.map((m) => m.closest('p, h1, li, div').id))],
    };
  });
}"""


@pytest.fixture(scope="module")
def library_page(browser, tmp_path_factory):
    """One page of a live server with the library loaded, shared by the
    module's tests (it keeps no state between calls; each DOM test replaces
    the body). The server is set up as conftest's live_server does, once."""
    db_path = tmp_path_factory.mktemp("anchoring") / "browser.db"
    db = open_database(db_path)
    migrations.apply(db)
    db.close()
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "browser-tests", "TESTING": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        page.goto(url + "/login")
        page.add_script_tag(url=url + "/static/js/anchoring.js")
        yield page
    finally:
        context.close()
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def page(library_page):
    library_page.errors.clear()
    library_page.evaluate("document.body.replaceChildren()")
    assert library_page.evaluate("typeof window.FactAnchoring.anchorAll") == "function"
    yield library_page
    assert library_page.errors == []


def selector(passages: list[str], quote: str) -> dict:
    """The selector the store keeps for the first ``quote`` in the article,
    with the position hint the extension sends along."""
    article = ArticleText(passages)
    at = article.text.index(quote)
    index = max(i for i, start in enumerate(article.starts) if start <= at)
    start = at - article.starts[index]
    return {**article.selector(index, start, start + len(quote)),
            "position": {"start": at}, "textLength": len(article.text)}


def anchor(page, text: str, sel: dict) -> dict:
    return page.evaluate(ANCHOR_JS, [text, sel])


def anchor_in_dom(page, html: str, selectors: list[dict]) -> list[dict]:
    return page.evaluate(DOM_JS, [html, selectors])


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


BUDGET = [
    "Budget cuts announced",
    "The minister said unemployment fell by 3% last year. Wages grew by 2% in the same period.",
    "Critics said the figure was misleading and asked for the full statistics.",
]
QUOTE = "unemployment fell by 3% last year"


# -- exact, whitespace, markup ---------------------------------------------------------

def test_an_unchanged_quote_is_anchored_exactly(page):
    text = "\n".join(BUDGET)
    result = anchor(page, text, selector(BUDGET, QUOTE))
    assert result["state"] == "anchored"
    assert text[result["start"]:result["end"]] == QUOTE == result["text"]
    assert result["start"] == text.index(QUOTE)
    assert result["score"] >= page.evaluate("FactAnchoring.MIN_SCORE")


def test_whitespace_and_inline_markup_do_not_stop_an_exact_match(page):
    html = """
      <h1 id="h">Budget cuts announced</h1>
      <p id="p1">The minister   said <b>unemployment</b>
         fell by <a href="#figures">3%</a>
         last year. <i>Wages</i> grew by 2% in the same period.</p>
      <p id="p2" data-split="7,20">Critics said the figure was misleading and asked for the full statistics.</p>
    """
    critics = "the figure was misleading and asked"
    [jobs, figure] = anchor_in_dom(page, html, [selector(BUDGET, QUOTE),
                                                selector(BUDGET, critics)])

    assert jobs["state"] == "anchored"
    assert jobs["shown"] == QUOTE
    assert jobs["blocks"] == ["p1"]
    # One mark per text node crossed: "unemployment", " fell by ", "3%", " last year".
    assert jobs["marks"] == 4
    assert collapse("".join(jobs["markText"])) == QUOTE
    # A quote over text nodes split by script is found and wrapped whole.
    assert figure["state"] == "anchored"
    assert figure["shown"] == critics and figure["marks"] == 2 and figure["blocks"] == ["p2"]
    # The page reads the same after wrapping.
    assert collapse(page.text_content("#p1")).strip() == BUDGET[1]


def test_a_line_break_element_counts_as_a_space(page):
    html = ('<p id="p1">The minister said unemployment fell by 3% last<br>year. Wages grew by 2%'
            ' in the same period.</p><p id="p2">' + BUDGET[2] + "</p>")
    [result] = anchor_in_dom(page, html, [selector(BUDGET, QUOTE)])
    assert result["state"] == "anchored"
    assert result["blocks"] == ["p1"]
    assert result["markText"] == ["unemployment fell by 3% last", "year"]


# -- the page changed a little ----------------------------------------------------------

def test_a_fixed_typo_is_anchored_with_changes_at_the_corrected_words(page):
    passages = ["Port story",
                "A spokesperson said the goverment had already approved the environmental "
                "assessment last month."]
    quote = "the goverment had already approved the environmental assessment"
    html = ('<h1 id="h">Port story</h1><p id="p">A spokesperson said the <em>government</em> '
            "had already approved the environmental assessment last month.</p>")

    [result] = anchor_in_dom(page, html, [selector(passages, quote)])

    assert result["state"] == "anchored-with-changes"
    assert result["shown"] == "the government had already approved the environmental assessment"
    assert result["blocks"] == ["p"]


def test_an_inserted_sentence_before_the_quote_does_not_move_the_claim(page):
    text = "\n".join(BUDGET).replace(
        "The minister said", "Heavy rain flooded the capital on Monday. The minister said")
    result = anchor(page, text, selector(BUDGET, QUOTE))
    assert result["state"] == "anchored"
    assert result["start"] == text.index(QUOTE)
    assert text[result["start"]:result["end"]] == QUOTE


def test_an_inserted_paragraph_and_typo_fix_together(page):
    passages = ["Port story", "Dredging starts in May. The goverment approved the plan in 2023."]
    quote = "The goverment approved the plan in 2023"
    text = "Port story\nAdvertisement: subscribe now.\nDredging starts in May. " \
           "The government approved the plan in 2023."
    result = anchor(page, text, selector(passages, quote))
    assert result["state"] == "anchored-with-changes"
    assert result["text"] == "The government approved the plan in 2023"
    assert result["start"] == text.index("The government")


def test_a_quote_across_a_split_paragraph_is_anchored_in_both_parts(page):
    passages = ["Harbour", "The expansion will cost 310 million euros in total. Construction is "
                           "scheduled to begin next spring and finish by 2029."]
    quote = "310 million euros in total. Construction is scheduled"
    html = ('<h1 id="h">Harbour</h1>\n<p id="a">The expansion will cost 310 million euros in '
            'total.</p>\n<p id="b">Construction is scheduled to begin next spring and finish by '
            "2029.</p>")

    [result] = anchor_in_dom(page, html, [selector(passages, quote)])

    assert result["state"] == "anchored"
    assert result["blocks"] == ["a", "b"]
    assert result["markText"] == ["310 million euros in total.", "Construction is scheduled"]
    assert result["shown"] == quote


# -- the same sentence twice -----------------------------------------------------------

SENTENCE = "Officials said the bridge will reopen in May."
BEFORE = "The river rose overnight after days of heavy rain."
AFTER = "Repairs will cost two million euros, the council said."
PARAGRAPH = f"{BEFORE} {SENTENCE} {AFTER}"
ORIGINAL = ["Bridge news", PARAGRAPH, "Traffic is diverted through the old town for now."]
# The sentence again elsewhere on the page; 32 characters of context each side
# (what the store keeps) tell the copies apart, one side or both.
ELSEWHERE = {
    "different prefix and suffix": f"Most read today on our site: {SENTENCE} Share this story with "
                                   "your friends.",
    "same prefix, different suffix": f"{BEFORE} {SENTENCE} Read our live blog for all the updates.",
    "different prefix, same suffix": f"This is our weekly briefing for you. {SENTENCE} {AFTER}",
}


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
@pytest.mark.parametrize("original_first", [True, False], ids=["original-first", "copy-first"])
def test_a_duplicated_sentence_is_anchored_where_its_context_matches(page, elsewhere,
                                                                     original_first):
    original = "\n".join(ORIGINAL)
    copy = ELSEWHERE[elsewhere]
    text = f"{original}\n{copy}" if original_first else f"{copy}\n{original}"

    result = anchor(page, text, selector(ORIGINAL, SENTENCE))

    assert result["state"] == "anchored"
    assert result["start"] == text.index(original) + original.index(SENTENCE)


def test_a_duplicated_sentence_in_the_dom_marks_only_the_matching_copy(page):
    html = (f'<div id="aside">{ELSEWHERE["different prefix and suffix"]}</div>'
            f'<h1 id="h">Bridge news</h1><p id="p1">{BEFORE} <b>{SENTENCE}</b> {AFTER}</p>'
            f'<p id="p2">{ORIGINAL[2]}</p>')
    [result] = anchor_in_dom(page, html, [selector(ORIGINAL, SENTENCE)])
    assert result["state"] == "anchored"
    assert result["blocks"] == ["p1"] and result["shown"] == SENTENCE
    assert page.locator("#aside mark").count() == 0


def test_a_duplicated_sentence_with_identical_context_is_orphaned(page):
    # The paragraph printed twice (a pull quote, a teaser box): nothing tells
    # which one was checked, so neither is marked.
    text = "\n".join(["Bridge news", PARAGRAPH, PARAGRAPH, ORIGINAL[2]])
    result = anchor(page, text, selector(ORIGINAL, SENTENCE))
    assert result["state"] == "orphaned"
    html = "".join(f'<p id="p{i}">{p}</p>' for i, p in enumerate(text.split("\n")))
    assert anchor_in_dom(page, html, [selector(ORIGINAL, SENTENCE)])[0]["state"] == "orphaned"
    assert page.locator("mark").count() == 0


# -- gone or rewritten ---------------------------------------------------------------------

REWRITES = {
    "deleted": lambda t: t.replace("The minister said unemployment fell by 3% last year. ", ""),
    "word changed": lambda t: t.replace("fell by 3%", "rose by 3%"),
    "negation added": lambda t: t.replace("unemployment fell", "unemployment did not fall"),
    "number changed": lambda t: t.replace("3%", "5%"),
    "year changed": lambda t: t.replace("last year", "this year"),
    "rewritten": lambda t: t.replace("The minister said unemployment fell by 3% last year.",
                                     "Joblessness, the minister claimed, dropped a little."),
}


@pytest.mark.parametrize("rewrite", REWRITES)
def test_a_deleted_or_rewritten_quote_is_orphaned(page, rewrite):
    text = REWRITES[rewrite]("\n".join(BUDGET))
    assert QUOTE not in text
    result = anchor(page, text, selector(BUDGET, QUOTE))
    assert result["state"] == "orphaned", result

    html = "".join(f'<p id="p{i}">{p}</p>' for i, p in enumerate(text.split("\n")))
    assert anchor_in_dom(page, html, [selector(BUDGET, QUOTE)])[0]["state"] == "orphaned"
    assert page.locator("mark").count() == 0


# -- code points and UTF-16 ---------------------------------------------------------------

UNICODE_TEXT = ("Семья 👩‍👩‍👧 переехала в 東京 в 2024 году. Мир 🕊️ пришёл: "
                "the treaty was signed by 12 countries 🎉 on Friday.")
UNICODE_QUOTES = ["переехала в 東京", "the treaty was signed by 12 countries", "👩‍👩‍👧",
                  "Мир 🕊️ пришёл", "東京", "🎉 on Friday"]


def utf16_offset(text: str, code_points: int) -> int:
    return len(text[:code_points].encode("utf-16-le")) // 2


def test_code_point_and_utf16_offsets_convert_both_ways(page):
    text = UNICODE_TEXT
    expected = [utf16_offset(text, k) for k in range(len(text) + 1)]
    converted = page.evaluate("""(text) => {
      const A = FactAnchoring, out = [];
      for (let k = 0; k <= A.codePointLength(text); k++) {
        const units = A.codePointsToUtf16(text, k);
        out.push([units, A.utf16ToCodePoints(text, units)]);
      }
      return out;
    }""", text)
    assert [units for units, _ in converted] == expected
    assert [back for _, back in converted] == list(range(len(text) + 1))
    assert len(expected) == len(text) + 1 < len(text.encode("utf-16-le")) // 2 + 1


@pytest.mark.parametrize("quote", UNICODE_QUOTES)
def test_anchor_reports_python_code_point_offsets(page, quote):
    passages = ["Новости", UNICODE_TEXT]
    text = "\n".join(passages)
    result = anchor(page, text, selector(passages, quote))
    assert result["state"] == "anchored"
    assert result["text"] == quote
    assert (result["startCodePoint"], result["endCodePoint"]) == \
        (text.index(quote), text.index(quote) + len(quote))
    assert (result["start"], result["end"]) == \
        (utf16_offset(text, text.index(quote)), utf16_offset(text, text.index(quote) + len(quote)))


def test_unicode_quotes_are_marked_in_the_dom(page):
    passages = ["Новости", UNICODE_TEXT]
    html = ('<h1 id="h">Новости</h1><p id="p">Семья <b>👩‍👩‍👧</b> переехала в 東京 в 2024 году. '
            "Мир 🕊️ пришёл: the treaty was signed by <a href='#'>12</a> countries 🎉 on Friday.</p>")
    results = anchor_in_dom(page, html, [selector(passages, q) for q in UNICODE_QUOTES])
    assert [r["state"] for r in results] == ["anchored"] * len(UNICODE_QUOTES)
    assert [r["shown"] for r in results] == UNICODE_QUOTES


# -- what counts as page text -----------------------------------------------------------------

HIDDEN_HTML = """
  <p id="a">Visible one.</p>
  <script>var teaser = "The secret plan was leaked.";</script>
  <style>.x { color: red } /* The secret plan was leaked. */</style>
  <noscript>The secret plan was leaked.</noscript>
  <div id="b" hidden>The secret plan was leaked.</div>
  <div id="c" data-display-none>The secret plan was leaked, <span>twice.</span></div>
  <template><p>The secret plan was leaked.</p></template>
  <p id="d">Visible <span hidden>secret</span>two.</p>
"""


def test_text_of_skips_script_style_and_hidden_elements(page):
    page.evaluate("""(html) => {
      document.body.innerHTML = html;
      document.querySelectorAll('[data-display-none]').forEach((el) => { el.style.display = 'none'; });
    }""", HIDDEN_HTML)
    text = page.evaluate("FactAnchoring.textOf(document.body).text")
    assert "secret" not in text and "teaser" not in text and "color" not in text
    assert collapse(text).strip() == "Visible one. Visible two."


def test_a_quote_only_in_hidden_text_is_orphaned(page):
    passages = ["Leak", "Officials confirmed it. The secret plan was leaked. Nobody resigned."]
    html = HIDDEN_HTML + '<p id="e">Officials confirmed it. Nobody resigned.</p>'
    results = anchor_in_dom(page, html, [selector(passages, "The secret plan was leaked."),
                                         selector(passages, "Officials confirmed it.")])
    assert results[0]["state"] == "orphaned"
    assert results[1]["state"] == "anchored" and results[1]["blocks"] == ["e"]
    assert page.locator("#b mark, #c mark, script mark").count() == 0


# -- the shared cases (tests/fixtures/anchoring_cases.json) -----------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_shared_case(page, case):
    """The browser makes the decision the fixture expects, the one
    annotations/anchoring.py makes on re-import (tests/test_anchoring.py)."""
    result = anchor(page, case["new_text"], case["selector"])
    assert result["state"] == case["state"], (case["note"], result)
    if case["expected"] is not None:
        assert (result["startCodePoint"], result["endCodePoint"]) == case["expected"], case["note"]
        start, end = case["expected"]
        assert result["text"] == case["new_text"][start:end]
