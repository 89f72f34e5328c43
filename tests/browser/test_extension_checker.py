"""Fact-checker mode end to end, in Chromium with the unpacked extension: a
fact-checker enables the mode with an API token, selects a sentence across
inline markup on a page the desk has never seen, and records a claim with a
source in the browser's side panel (opened by the "Check this claim"
button's click; driven over DevTools, tests/browser/sidepanel.py); an
editor approves it; a reader's
browser, opening the page with tracking parameters, marks exactly that
sentence. And a hostile page that tries to reach the token or make the
extension write gets nothing.

The browser's permission prompt cannot be answered in headless Chromium
(no DevTools access to extension dialogs): the fact-checker's profile runs a
copy of the extension whose manifest already grants the service's host, so
chrome.permissions.request() resolves without a prompt, as it does for a
host the user granted before. The real manifest asks for no host at install
(test_extension.py), and its request on enabling is checked here too.
"""

import json
import re
import shutil
from http.server import ThreadingHTTPServer

import pytest

from tests.helpers import make_token

from .a11y import assert_accessible
from .helpers import TIMEOUT_MS, serving, take_action
from .sidepanel import SidePanel
from .test_extension import EXTENSION, MARKS_JS, extension_browser, news_handler

NEWS_HOST = "harbour-courier.example.test"
PAGE_PATH = "/2026/12/tram-line.html"
SENTENCE = "The new tram line will carry 40,000 passengers a day by 2028, the transport office said."
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tram line approved | Harbour Courier</title>
<link rel="canonical" href="/2026/12/tram-line.html"></head>
<body>
<nav><a href="/">Front page</a> · <a href="/city">City</a></nav>
<article id="story">
<h1>Tram line to the eastern districts approved</h1>
<p id="p1">After three years of public hearings, the regional assembly approved the eastern tram
route on Thursday evening by a narrow margin.</p>
<p id="p2">The new tram line will carry <em>40,000 passengers</em> a day by
   <a href="/plans"><strong>2028</strong></a>, the transport office said. Critics in the assembly
   called the forecast generous and asked for an independent audit.</p>
<p id="p3">Construction of the depot is expected to begin in the summer, once the land purchase
has been completed and the tender for the rolling stock has closed.</p>
</article>
<footer>Harbour Courier, all rights reserved</footer>
</body></html>"""

SELECT_JS = """() => {
  const p = document.getElementById('p2');
  const range = document.createRange();
  range.setStart(p.firstChild, 0);
  const strong = p.querySelector('strong');
  const after = strong.parentNode.nextSibling;  // ", the transport office said. Critics…"
  range.setEnd(after, after.data.indexOf('said.') + 'said.'.length);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""
CONTROL_BOX_JS = """() => {
  const host = document.querySelector('[data-fdx-host="control"]');
  if (!host || !host.isConnected) return null;
  const box = host.getBoundingClientRect();
  return box.width ? {x: box.x, y: box.y, width: box.width, height: box.height} : null;
}"""


@pytest.fixture
def news_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), news_handler({PAGE_PATH: PAGE,
                                                                  HOSTILE_PATH: HOSTILE_PAGE}))
    with serving(server):
        yield f"http://{NEWS_HOST}:{server.server_port}"


@pytest.fixture
def granted_extension(tmp_path):
    """A copy of the extension whose manifest grants the service's host
    (127.0.0.1) up front: the permission request then needs no prompt."""
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://127.0.0.1/*"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def enable_checker_mode(context, extension_id, service_url, token):
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.wait_for_function("() => document.getElementById('checker-status').textContent",
                              timeout=TIMEOUT_MS)
    options.fill("#service-url", service_url)
    options.click("#options button[type=submit]")
    options.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')",
                              timeout=TIMEOUT_MS)
    options.fill("#checker-token", token)
    options.click("#checker-enable")
    options.wait_for_function(
        "() => /Fact-checker mode is (on|off:)/.test(document.getElementById('checker-status').textContent)",
        timeout=TIMEOUT_MS)
    return options


SELECT_NAV_JS = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('nav'));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return getSelection().toString();
}"""


def select_text(page, select_js=SELECT_JS, selected=SENTENCE):
    page.wait_for_function("() => document.querySelector('#p2')")
    assert " ".join(page.evaluate(select_js).split()) == selected


def open_panel_on_selection(page, extension_id, select_js=SELECT_JS, selected=SENTENCE):
    """Select the sentence (or what ``select_js`` selects), click the "Check
    this claim" button (a real click, at its place: the button lives in a
    closed shadow root), and return the browser's side panel it opens."""
    select_text(page, select_js, selected)
    page.wait_for_function(CONTROL_BOX_JS, timeout=TIMEOUT_MS)
    box = page.evaluate(CONTROL_BOX_JS)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    panel = SidePanel.find(page, f"chrome-extension://{extension_id}/checker/panel.html?tab=")
    panel.wait_for_function("() => document.getElementById('status').textContent"
                            " || !document.getElementById('claim').hidden")
    # The side panel, not a panel in the page.
    assert page.evaluate("() => document.querySelector('[data-fdx-host=\"panel\"]')") is None
    return panel


def in_page_panel(page):
    """The panel the content script puts in the page where the side panel did not open."""
    page.wait_for_function(
        "() => document.querySelector('[data-fdx-host=\"panel\"]')", timeout=TIMEOUT_MS)
    for _ in range(50):
        frames = [f for f in page.frames if f.url.endswith("/checker/panel.html")]
        if frames:
            frames[0].wait_for_selector("#claim:not([hidden])", timeout=TIMEOUT_MS)
            return frames[0]
        page.wait_for_timeout(100)
    raise AssertionError("no panel frame")


LISTED_JS = """() => [...document.querySelectorAll('#claims li')].map((item) => ({
  text: item.textContent, claim: Number(item.dataset.claim),
  link: item.querySelector('a') && item.querySelector('a').href}))"""


def test_a_checker_records_a_claim_on_the_live_page_and_readers_see_it(
        browser, live_server, news_site, granted_extension, tmp_path):
    checker = live_server.user("noor", "factchecker")
    editor = live_server.user("ed", "editor")
    token, _ = make_token(live_server.app, checker["id"], "extension")
    page_url = news_site + PAGE_PATH

    with extension_browser(browser, tmp_path / "checker", hosts=(NEWS_HOST,),
                           extension=granted_extension) as (context, worker, extension_id):
        options = enable_checker_mode(context, extension_id, live_server.url, token)
        assert options.text_content("#checker-status") == \
            f"Fact-checker mode is on for {live_server.url}, signed in as noor."
        # The token went to the worker's storage; the page shows it nowhere.
        assert options.input_value("#checker-token") == ""
        assert worker.evaluate("chrome.storage.local.get('checker')")["checker"]["token"] == token
        assert_accessible(options, where="options, fact-checker mode on")
        options.close()

        page = context.new_page()
        page.goto(page_url)
        # The navigation is not the story's text: refused, with the reason, nothing saved.
        panel = open_panel_on_selection(page, extension_id, SELECT_NAV_JS, "Front page · City")
        panel.check("input[name=verdict][value=verified]")
        panel.click("#save")
        panel.wait_for_function("() => document.getElementById('status').textContent.startsWith('Not saved')",
                                timeout=TIMEOUT_MS)
        assert panel.text_content("#status").startswith(
            "Not saved: the selected text is not in the article as the desk has it")
        assert panel.text_content("#status").endswith("nothing was saved")
        with live_server.store() as store:
            assert store.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        panel.click("#close")
        panel.wait_until_closed()

        panel = open_panel_on_selection(page, extension_id)
        assert " ".join(panel.text_content("#quote").split()) == SENTENCE
        assert panel.text_content("#who") == f"Recording on {live_server.url} as noor"
        assert panel.text_content("#list-empty") == "No claims on this page yet."
        assert_accessible(panel, where="the claim panel")
        panel.check("input[name=verdict][value=denied]")
        panel.fill("#label", "Passenger forecast")
        panel.fill("#rationale", "The office's own model says **25,000** <passengers>.")
        panel.fill("#source-1-url", "https://transport.example.org/tram-model")
        panel.fill("#source-1-title", "Tram demand model")
        panel.select_option("#source-1-stance", "refutes")
        panel.click("#save")
        panel.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')",
                                timeout=TIMEOUT_MS)
        assert panel.text_content("#status") == \
            "Saved as a draft; the page was imported to the fact desk."
        [item] = panel.evaluate(LISTED_JS)
        assert "(draft)" in item["text"] and "Passenger forecast" in item["text"]
        claim_id = item["claim"]
        assert re.fullmatch(re.escape(live_server.url) + r"/articles/\d+#claim-" + str(claim_id),
                            item["link"])

        assert_accessible(panel, where="the claim panel after saving")
        # Closing the panel closes the side panel.
        panel.click("#close")
        panel.wait_until_closed()

    with live_server.store() as store:
        claim = store.claim(claim_id)
        article = store.article(claim["article_id"])
        passage = store.passage(claim["passage_id"])
    assert claim["exact"] == SENTENCE
    assert passage["text"][claim["start_offset"]:claim["end_offset"]] == SENTENCE
    # The annotator's rules: Markdown, typed tags shown as text.
    assert claim["rationale_markdown"] == "The office's own model says **25,000** <passengers>."
    assert claim["rationale"] == \
        "<p>The office's own model says <strong>25,000</strong> &lt;passengers&gt;.</p>"
    assert [(c["url"], c["title"], c["stance"]) for c in claim["citations"]] == [
        ("https://transport.example.org/tram-model", "Tram demand model", "refutes")]
    assert article["title"] == "Tram line to the eastern districts approved"

    take_action(live_server, checker, claim_id, "submit")
    take_action(live_server, editor, claim_id, "approve")

    with extension_browser(browser, tmp_path / "reader", hosts=(NEWS_HOST,)) as (context, worker, _):
        worker.evaluate("url => chrome.storage.sync.set({serviceUrl: url})", live_server.url)
        reader = context.new_page()
        reader.goto(page_url + "?utm_source=newsletter&utm_medium=email&fbclid=abc")
        reader.wait_for_function(
            "id => document.querySelector('mark.fdx-mark[data-fdx-claim=\"' + id + '\"]')",
            arg=claim_id, timeout=TIMEOUT_MS)
        marks = reader.evaluate(MARKS_JS, claim_id)
        assert marks["shown"] == SENTENCE
        assert marks["blocks"] == ["p2"]
        # Readers' mode has no fact-checker button.
        assert reader.evaluate("""() => {
          const range = document.createRange();
          range.selectNodeContents(document.getElementById('p3'));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          return getSelection().toString();
        }""")
        reader.wait_for_timeout(400)
        assert reader.evaluate(CONTROL_BOX_JS) is None


def test_enabling_asks_the_browser_for_the_service_host(browser, live_server, tmp_path):
    """The real manifest: clicking Enable requests the service's host from
    the browser, and the mode stays off while the user has not allowed it."""
    checker = live_server.user("noor", "factchecker")
    token, _ = make_token(live_server.app, checker["id"], "extension")
    with extension_browser(browser, tmp_path / "profile") as (context, worker, extension_id):
        options = context.new_page()
        options.goto(f"chrome-extension://{extension_id}/options.html")
        options.fill("#service-url", live_server.url)
        options.click("#options button[type=submit]")
        options.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')",
                                  timeout=TIMEOUT_MS)
        options.fill("#checker-token", token)
        options.click("#checker-enable")
        options.wait_for_function(
            "() => document.getElementById('checker-status').textContent.startsWith('Asking the browser')",
            timeout=TIMEOUT_MS)
        options.wait_for_timeout(500)
        # The prompt is up (headless Chromium cannot answer it): nothing enabled.
        assert options.text_content("#checker-status").startswith(
            f"Asking the browser to let the extension reach {live_server.url}")
        assert worker.evaluate("chrome.storage.local.get(null)") == {}
        assert not worker.evaluate("chrome.permissions.contains({origins: ['http://127.0.0.1/*']})")


HOSTILE_PATH = "/2026/12/hostile.html"
HOSTILE_PAGE = PAGE.replace("<title>", """<script>
// Globals the content scripts use, planted in the page's world (they run
// in their own world and never see these).
window.__factDeskChecker = true;
window.FactSelection = {selectorOf: () => ({exact: 'planted'}), pageHtml: () => 'planted'};
window.FactPageUrls = {pageUrls: () => ({url: 'https://evil.example/'})};
</script><title>""").replace("</body>", """<script>
window.attempts = [];
window.keys = '';
addEventListener('keydown', (e) => { window.keys += e.key.length === 1 ? e.key : ''; }, true);
addEventListener('input', (e) => { window.keys += '[input]'; }, true);
window.attack = async (extensionId) => {
  const note = (what) => window.attempts.push(what);
  // A selection made by script, then synthetic events to bring up the button and click it.
  const p = document.getElementById('p2');
  const range = document.createRange();
  range.selectNodeContents(p);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  await new Promise((r) => setTimeout(r, 400));
  const host = document.querySelector('[data-fdx-host="control"]');
  note('shadowRoot:' + (host ? String(host.shadowRoot) : 'no host'));
  if (host) {
    host.click();
    for (const type of ['mousedown', 'mouseup', 'click']) {
      host.dispatchEvent(new MouseEvent(type, {bubbles: true, composed: true}));
    }
  }
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'K', altKey: true, shiftKey: true, bubbles: true}));
  // Messages the extension's scripts might be listening for.
  for (const type of ['checker-open', 'checker-start', 'panel-save', 'checker-enable', 'panel-load']) {
    window.postMessage({type, nonce: 'guess', claim: {verdict: 'denied'}, token: 'x',
                        selector: {exact: 'The new tram line'}}, '*');
  }
  // The extension's runtime, from the page: there is none without externally_connectable.
  note('runtime:' + (window.chrome && chrome.runtime && typeof chrome.runtime.sendMessage));
  // The panel page framed by the page itself, without the nonce.
  const frame = document.createElement('iframe');
  frame.src = 'chrome-extension://' + extensionId + '/checker/panel.html';
  frame.name = 'guess';
  frame.id = 'framed-panel';
  document.body.appendChild(frame);
  await new Promise((r) => frame.onload = r);
  try { note('frame-doc:' + frame.contentDocument); } catch (e) { note('frame-doc:blocked'); }
  frame.contentWindow.postMessage({type: 'panel-save', claim: {verdict: 'denied'}}, '*');
  return window.attempts;
};
</script></body>""")


def test_a_hostile_page_cannot_read_the_token_or_make_the_extension_write(
        browser, live_server, news_site, granted_extension, tmp_path):
    checker = live_server.user("noor", "factchecker")
    token, _ = make_token(live_server.app, checker["id"], "extension")
    with live_server.store() as store:
        articles_before = store.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    with extension_browser(browser, tmp_path / "checker", hosts=(NEWS_HOST,),
                           extension=granted_extension) as (context, worker, extension_id):
        enable_checker_mode(context, extension_id, live_server.url, token).close()
        page = context.new_page()
        page.goto(news_site + HOSTILE_PATH)
        page.wait_for_function("() => window.attack")
        attempts = page.evaluate("id => window.attack(id)", extension_id)
        page.wait_for_timeout(800)

        assert "shadowRoot:null" in attempts
        assert "runtime:undefined" in attempts or "runtime:false" in attempts \
            or "runtime:null" in attempts
        assert "frame-doc:blocked" in attempts or "frame-doc:null" in attempts
        # Nothing the page can read holds the token.
        readable = page.evaluate("""() => document.documentElement.outerHTML +
            JSON.stringify(Object.assign({}, localStorage, sessionStorage)) + document.cookie +
            JSON.stringify(window.attempts)""")
        assert token not in readable
        # Synthetic clicks and keys opened no panel, in the page or the side panel.
        assert page.evaluate("() => document.querySelector('[data-fdx-host=\"panel\"]')") is None
        assert worker.evaluate("chrome.runtime.getContexts({contextTypes: ['SIDE_PANEL']})") == []
        # The page's own frame of the panel page has nothing to check and offers no form.
        framed = next(f for f in page.frames if f.url.endswith("/checker/panel.html"))
        framed.wait_for_function("() => document.getElementById('status').textContent",
                                 timeout=TIMEOUT_MS)
        assert framed.text_content("#status") == "Open this panel from a selection on a news page."
        assert framed.locator("#claim").is_hidden()

        # The checker's own panel: what is typed there never reaches the page.
        page.evaluate("() => document.getElementById('framed-panel').remove()")
        panel = open_panel_on_selection(page, extension_id)
        # The selection, as the content script took it: not the planted one.
        assert " ".join(panel.text_content("#quote").split()) == SENTENCE
        page.evaluate("() => { window.keys = ''; }")
        panel.fill("#label", "secret label")
        panel.fill("#rationale", "private notes")
        assert page.evaluate("() => window.keys") == ""
        assert page.evaluate("() => document.documentElement.outerHTML").count("private notes") == 0
        # Messages posted to every frame, the open panel's included, save nothing.
        page.evaluate("""() => { for (let i = 0; i < frames.length; i++) {
            frames[i].postMessage({type: 'panel-save', claim: {verdict: 'denied'}}, '*'); } }""")
        page.wait_for_timeout(500)
        assert panel.text_content("#status") == ""

    with live_server.store() as store:
        assert store.db.execute("SELECT count(*) FROM articles").fetchone()[0] == articles_before
        assert store.db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
