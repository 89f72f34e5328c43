"""The browser extension end to end, unpacked in Debian's Chromium: a reader
opens a news page (which changed a little since the article was imported, and
is visited with tracking parameters), and sees the published claims marked by
verdict, with a popover, a badge count, and a popup listing what could not
be found. The service is the live server; the news site is a tiny local
HTTP server reached under a made-up host name.
"""

import json
import re
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import vocabulary_for_js

from .a11y import assert_accessible
from .conftest import CHROMIUM, CHROMIUM_ARGS
from .helpers import TIMEOUT_MS, add_article, add_claim, serving

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
NEWS_HOST = "news.example.test"
ARTICLE_PATH = "/2025/05/harbour-plan.html"

HEADING = "City council approves harbour plan"
P_JOBS = ("The council voted on Tuesday to approve the harbour expansion. The mayor said the "
          "project would create 4,000 new jobs within five years. Opponents argued that the "
          "estimate was far too optimistic.")
P_COST = ("According to the city budget office, the expansion will cost 310 million euros in "
          "total. Construction is scheduled to begin next spring and finish by 2029.")
P_SEALS = ("Environmental groups warned that the dredging would harm the local seal population. "
           "A spokesperson for the port authority said the goverment had already approved the "
           "environmental assessment.")
P_RESIDENTS = ("Residents will be able to comment on the plans until the end of March. The "
               "council will hold three public meetings in the old town hall.")
P_DELETED = "The deputy mayor resigned last week over an unrelated dispute."
P_LATE = "Officials expect the first cruise ships to dock at the new pier in 2030."
IMPORTED_TEXT = "\n\n".join([HEADING, P_JOBS, P_COST, P_SEALS, P_RESIDENTS, P_DELETED, P_LATE])

# The page as the publisher serves it now: an advertisement inserted, markup
# and odd whitespace inside a claim, the cost paragraph split in two, a typo
# fixed ("goverment"), the deputy mayor sentence deleted (its words survive
# only in a hidden teaser and a script), and the last paragraph added by
# script later.
NEWS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour plan | Example News</title></head>
<body>
<header><h1 id="headline">{HEADING}</h1></header>
<article id="story">
  <p id="p-jobs">The council voted on Tuesday to approve the harbour expansion. The mayor
     said the project would   create <b>4,000 new jobs</b>
     within five years. Opponents argued that the estimate was far too optimistic.</p>
  <p id="ad" class="ad">Advertisement: subscribe now for unlimited access to local news.</p>
  <p id="p-cost-1">According to the city budget office, the expansion will cost 310 million
     euros in total.</p>
  <p id="p-cost-2">Construction is scheduled to begin next spring and finish by 2029.</p>
  <p id="p-seals">Environmental groups warned that the dredging would harm the local seal
     population. A spokesperson for the port authority said the government had already
     approved the environmental assessment.</p>
  <p id="p-residents">{P_RESIDENTS}</p>
  <div id="teaser" style="display:none">{P_DELETED}</div>
  <p id="hidden-note" hidden>{P_DELETED}</p>
  <script>
    var related = "{P_DELETED}";
    window.addLateParagraph = function () {{
      setTimeout(function () {{
        var p = document.createElement('p');
        p.id = 'late';
        p.textContent = 'Update: {P_LATE}';
        document.getElementById('story').appendChild(p);
      }}, 100);
    }};
  </script>
</article>
</body></html>
"""

QUOTES = {
    "jobs": "The mayor said the project would create 4,000 new jobs within five years.",
    "cost": "the expansion will cost 310 million euros in total. Construction is scheduled "
            "to begin next spring",
    "seals": "the goverment had already approved the environmental assessment",
    "residents": "Residents will be able to comment on the plans until the end of March.",
    "draft": "Opponents argued that the estimate was far too optimistic.",
    "deleted": P_DELETED,
    "late": P_LATE,
}
# What the reader sees marked: the page's wording, typo fixed.
SHOWN = {**QUOTES, "seals": "the government had already approved the environmental assessment"}
BLOCKS = {"jobs": ["p-jobs"], "cost": ["p-cost-1", "p-cost-2"], "seals": ["p-seals"],
          "residents": ["p-residents"], "late": ["late"]}

JAVASCRIPT_TITLE = "javascript:alert(document.domain)"
DIRTY_RATIONALE = ('<p>The statistics office counts <strong>2,500</strong> jobs.</p>'
                   '<img src="x" onerror="document.title=\'pwned\'">'
                   '<script>document.title="pwned"</script>'
                   '<a href="javascript:document.title=\'pwned\'">details</a>')


def news_handler(pages: dict[str, str]):
    """A request handler serving ``pages`` (path -> HTML; the dict may be
    filled later), whatever the query and host; 404 for any other path."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            html = pages.get(self.path.split("?")[0])
            if html is None:
                self.send_error(404)
                return
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    return Handler


@pytest.fixture
def news_site():
    """The publisher's site on 127.0.0.1, visited as http://news.example.test:PORT."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), news_handler({ARTICLE_PATH: NEWS_PAGE}))
    with serving(server):
        yield f"http://{NEWS_HOST}:{server.server_port}"


@contextmanager
def extension_browser(browser, profile, hosts=(NEWS_HOST,), extension=EXTENSION):
    """Chromium with the unpacked extension, ``hosts`` resolving to
    127.0.0.1; (context, service worker, extension id).

    Asks for ``browser`` for conftest's Chromium check (skip locally, fail
    under CI=true) and reuses its Playwright for the persistent context
    that extensions need."""
    rules = ", ".join(f"MAP {host} 127.0.0.1" for host in hosts)
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--headless=new", f"--disable-extensions-except={extension}",
                              f"--load-extension={extension}", f"--host-resolver-rules={rules}"])
    try:
        workers = context.service_workers
        worker = workers[0] if workers else context.wait_for_event("serviceworker",
                                                                   timeout=TIMEOUT_MS)
        extension_id = worker.url.split("/")[2]
        yield context, worker, extension_id
    finally:
        context.close()


@pytest.fixture
def extension_context(browser, tmp_path):
    """Chromium with the unpacked extension; (context, service worker, extension id)."""
    with extension_browser(browser, tmp_path / "profile") as launched:
        yield launched


def test_manifest_asks_for_no_host_at_install():
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    # The context menu and the side panel are fact-checker mode's; its
    # service's host is asked for at run time (tests/browser/test_extension_checker.py).
    assert manifest["permissions"] == ["storage", "contextMenus", "sidePanel"]
    for key in ("host_permissions", "optional_permissions", "externally_connectable"):
        assert key not in manifest
    assert manifest["optional_host_permissions"] == ["http://*/*", "https://*/*"]


def _published_story(live_server, url: str) -> dict:
    """The article at ``url`` with a claim of each verdict, a draft, and a
    published claim whose sentence the page no longer has; claim ids by name."""
    editor = live_server.user("eddie", "editor")
    checker = live_server.user("fay", "factchecker")
    _, passages = add_article(live_server, url, IMPORTED_TEXT, title="Harbour plan story")

    def passage(quote):
        return next(p for p in passages if quote in p["text"])

    def claim(name, verdict, publish=True, **fields):
        return add_claim(live_server, checker, passage(QUOTES[name]), QUOTES[name], verdict,
                         publish_by=editor if publish else None, **fields)["id"]

    return {
        "jobs": claim("jobs", "verified", label="Jobs figure", rationale=DIRTY_RATIONALE,
                      citations=({"url": "https://stats.example.org/harbour-jobs",
                                  "title": JAVASCRIPT_TITLE, "publisher": "Statistics office",
                                  "stance": "supports"},
                                 {"url": "https://news.example.org/jobs-report",
                                  "title": "Jobs report", "stance": "context",
                                  "archive_url": "https://archive.example.org/jobs-report"})),
        "cost": claim("cost", "denied", rationale="<p>The budget office puts the cost at "
                                                  "<strong>450 million euros</strong>.</p>",
                      citations=({"url": "https://budget.example.org/harbour",
                                  "title": "Budget office report", "stance": "refutes"},)),
        "seals": claim("seals", "unverified", rationale="<p>Not yet confirmed.</p>"),
        "residents": claim("residents", "verified", rationale="<p>The notice says March.</p>",
                           citations=({"url": "https://city.example.org/notice",
                                       "title": "Public notice"},)),
        "draft": claim("draft", "denied", publish=False, rationale="<p>Draft reasons.</p>"),
        "deleted": claim("deleted", "unverified", rationale="<p>Gone.</p>"),
        "late": claim("late", "unverified", rationale="<p>The pier opens later.</p>"),
    }


MARKS_JS = """(id) => {
  const marks = [...document.querySelectorAll('mark.fdx-mark[data-fdx-claim="' + id + '"]')];
  if (!marks.length) return null;
  const range = document.createRange();
  range.setStartBefore(marks[0]);
  range.setEndAfter(marks[marks.length - 1]);
  return {
    shown: range.toString().replace(/\\s+/g, ' ').trim(),
    classes: marks.map((m) => m.className),
    blocks: [...new Set(marks.map((m) => m.closest('[id]').id))],
    tabbable: marks.filter((m) => m.tabIndex === 0).length,
  };
}"""


def marks_of(page, claim_id):
    return page.evaluate(MARKS_JS, claim_id)


def session_reports(worker) -> dict:
    return worker.evaluate("chrome.storage.session.get(null)")


def news_tab(worker, news_url) -> tuple[int, dict]:
    """The news page's tab id and the report its content script stored."""
    for key, report in session_reports(worker).items():
        if key.startswith("tab-") and report["url"].startswith(news_url):
            return int(key[4:]), report
    raise AssertionError("no report stored for the news page")


def badge(worker, tab_id) -> str:
    return worker.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id)


def wait_for_badge(page, worker, tab_id, text):
    for _ in range(50):
        if badge(worker, tab_id) == text:
            return
        page.wait_for_timeout(100)
    assert badge(worker, tab_id) == text


def open_popup(context, extension_id, tab_id):
    """The toolbar popup as a tab; it asks for the active tab, which would
    be itself here, so it is told the news page's tab."""
    popup = context.new_page()
    popup.add_init_script(f"chrome.tabs.query = async () => [{{id: {tab_id}}}];")
    popup.goto(f"chrome-extension://{extension_id}/popup.html")
    popup.wait_for_function(
        "() => document.getElementById('summary').textContent !== 'Looking…'",
        timeout=TIMEOUT_MS)
    return popup


def test_a_reader_sees_published_verdicts_on_the_news_page(live_server, news_site,
                                                           extension_context):
    context, worker, extension_id = extension_context
    article_url = news_site + ARTICLE_PATH
    ids = _published_story(live_server, article_url)

    # No host permissions: the service answers by CORS.
    assert worker.evaluate("chrome.runtime.getManifest().permissions") == \
        ["storage", "contextMenus", "sidePanel"]
    assert worker.evaluate("chrome.runtime.getManifest().host_permissions || []") == []

    # -- the options page points the extension at the service -------------------------
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.wait_for_function(
        "() => document.getElementById('service-url').value === 'http://127.0.0.1:8000'",
        timeout=TIMEOUT_MS)
    options.fill("#service-url", live_server.url + "/")
    options.click("#options button[type=submit]")
    options.wait_for_function(
        "text => document.getElementById('status').textContent === text",
        arg=f"Saved: {live_server.url}", timeout=TIMEOUT_MS)
    # What the reader is told the service learns: not the page's address.
    assert "without telling it the page's address" in options.text_content("#privacy")
    assert worker.evaluate("chrome.storage.sync.get('serviceUrl')") == \
        {"serviceUrl": live_server.url}
    options.close()

    # -- the news page, visited from a link with tracking parameters --------------------
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(article_url + "?utm_source=x&fbclid=y#frag")
    page.wait_for_function(
        "ids => ids.every((id) => document.querySelector("
        "'mark.fdx-mark[data-fdx-claim=\"' + id + '\"]'))",
        arg=[ids[name] for name in ("jobs", "cost", "seals", "residents")], timeout=TIMEOUT_MS)

    verdicts = {"jobs": "verified", "cost": "denied", "seals": "unverified",
                "residents": "verified"}
    for name, verdict in verdicts.items():
        found = marks_of(page, ids[name])
        assert found["shown"] == SHOWN[name], name
        assert found["blocks"] == BLOCKS[name], name
        assert all(f"fdx-{verdict}" in c.split() for c in found["classes"]), (name, found)
        assert found["tabbable"] == 1, name
    # The typo fix is marked as changed wording; exact matches are not.
    assert "fdx-changed" in marks_of(page, ids["seals"])["classes"][0].split()
    assert "fdx-changed" not in marks_of(page, ids["jobs"])["classes"][0].split()
    # A non-colour cue: the first mark of a claim carries an icon before it.
    icon = page.evaluate("""(id) => getComputedStyle(document.querySelector(
        'mark.fdx-mark[data-fdx-claim="' + id + '"]'), '::before').content""", ids["cost"])
    assert icon == '"✘"'
    # Nothing else: not the draft, not the deleted sentence (its words are
    # still in a hidden teaser and a script), not the advertisement.
    for name in ("draft", "deleted", "late"):
        assert marks_of(page, ids[name]) is None, name
    assert page.locator("#teaser mark, #hidden-note mark, script mark, #ad mark").count() == 0
    assert page.locator("mark.fdx-mark").count() == 3 + 2 + 1 + 1  # one per text node
    # The page reads as before.
    assert re.sub(r"\s+", " ", page.text_content("#p-jobs")).strip() == P_JOBS

    # -- badge and popup ---------------------------------------------------------------------
    tab_id, report = news_tab(worker, news_site)
    states = {c["id"]: c["state"] for c in report["claims"]}
    assert states == {ids["jobs"]: "anchored", ids["cost"]: "anchored",
                      ids["seals"]: "anchored-with-changes", ids["residents"]: "anchored",
                      ids["deleted"]: "orphaned", ids["late"]: "orphaned"}
    wait_for_badge(page, worker, tab_id, "4")
    # The service worker has the shared vocabulary (vocabulary.js) and takes
    # the badge colour, the most serious verdict's, from it.
    vocabulary = worker.evaluate("Object.fromEntries(Object.entries(FactVocabulary)"
                                 ".filter(([, value]) => typeof value !== 'function'))")
    assert vocabulary == vocabulary_for_js()
    denied = vocabulary["verdictDisplay"]["denied"]["colour"]
    assert worker.evaluate("(tabId) => chrome.action.getBadgeBackgroundColor({tabId})", tab_id) \
        == [int(denied[i:i + 2], 16) for i in (1, 3, 5)] + [255]

    popup = open_popup(context, extension_id, tab_id)
    assert popup.text_content("#summary") == "4 of 6 checked claims found on this page."
    assert popup.locator("#claims li").count() == 4
    assert popup.is_visible("#orphaned-title")
    orphans = popup.locator("#orphaned li").all_text_contents()
    assert orphans == [f"? Unverified“{P_DELETED}”", f"? Unverified“{P_LATE}”"]
    assert popup.evaluate("Object.isFrozen(FactVocabulary) && FactVocabulary.verdictWord('unverified')") \
        == "Unverified"
    assert "wording changed slightly" in popup.text_content("#claims")
    assert_accessible(popup, where="the popup with found and lost claims")
    popup.close()

    # -- the popover, by mouse -------------------------------------------------------------------
    box = page.locator(".fdx-popover-host .popover")
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["jobs"]}"] >> nth=1')  # the <b> part
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert page.evaluate("document.querySelector('.fdx-popover-host').shadowRoot.mode") == "open"
    assert box.locator(".verdict strong").text_content() == "Verified"
    # Word and icon as the vocabulary has them (content.js has no table of its own).
    shown = vocabulary["verdictDisplay"]["verified"]
    assert box.locator(".verdict").text_content().startswith(f"{shown['icon']} {shown['word']}")
    assert "Jobs figure" in box.locator(".verdict").text_content()
    rationale = box.locator(".rationale")
    assert re.sub(r"\s+", " ", rationale.text_content()) == \
        "The statistics office counts 2,500 jobs.details"
    assert rationale.locator("strong").text_content() == "2,500"
    assert rationale.locator("img, script").count() == 0
    assert rationale.locator("a[href]").count() == 0  # the javascript: link lost its href
    links = box.locator(".sources a")
    assert links.count() == 3  # two sources and one archived copy
    first = links.nth(0)
    assert first.text_content() == JAVASCRIPT_TITLE  # shown as text, links to the https URL
    assert first.get_attribute("href") == "https://stats.example.org/harbour-jobs"
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith("https://")
        assert link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel").split()
    assert box.locator(".sources a.archive").get_attribute("href") == \
        "https://archive.example.org/jobs-report"
    assert page.title() == "Harbour plan | Example News"
    # The full fact-check: the claim's public page on the service, in a new tab.
    review = box.locator("a.review")
    assert review.text_content() == "Read the full fact-check"
    assert review.get_attribute("href") == f"{live_server.url}/claims/{ids['jobs']}"
    assert review.get_attribute("target") == "_blank"
    assert "noopener" in review.get_attribute("rel").split()

    page.mouse.move(5, 5)
    box.wait_for(state="hidden", timeout=TIMEOUT_MS)

    # -- the popover, by keyboard -----------------------------------------------------------------
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.fdxClaim") == str(ids["jobs"])
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert box.locator(".verdict strong").text_content() == "Verified"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.fdxClaim") == str(ids["cost"])
    page.wait_for_function(
        "() => document.querySelector('.fdx-popover-host').shadowRoot"
        ".querySelector('.verdict strong').textContent === 'False'", timeout=TIMEOUT_MS)
    assert "450 million euros" in box.locator(".rationale").text_content()
    assert box.locator(".sources a").text_content() == "Budget office report"
    page.keyboard.press("Escape")
    box.wait_for(state="hidden", timeout=TIMEOUT_MS)

    # -- content that arrives later -------------------------------------------------------------
    page.evaluate("window.addLateParagraph()")
    page.wait_for_selector(f'#late mark.fdx-mark[data-fdx-claim="{ids["late"]}"]',
                           timeout=TIMEOUT_MS)
    late = marks_of(page, ids["late"])
    assert late["shown"] == P_LATE and "fdx-unverified" in late["classes"][0].split()
    wait_for_badge(page, worker, tab_id, "5")
    # The marks placed before are untouched.
    assert marks_of(page, ids["jobs"])["shown"] == SHOWN["jobs"]

    popup = open_popup(context, extension_id, tab_id)
    assert popup.text_content("#summary") == "5 of 6 checked claims found on this page."
    assert popup.locator("#orphaned li").all_text_contents() == [f"? Unverified“{P_DELETED}”"]
    # Choosing a claim in the popup shows it on the page.
    popup.click(f"#claims button:has-text('{QUOTES['residents'][:30]}')")
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "The notice says March." in box.locator(".rationale").text_content()
    popup.close()

    # -- the full fact-check, opened from the popover ------------------------------------------
    page.bring_to_front()
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["cost"]}"] >> nth=0')
    page.wait_for_function(
        "() => document.querySelector('.fdx-popover-host').shadowRoot"
        ".querySelector('.verdict strong').textContent === 'False'", timeout=TIMEOUT_MS)
    with context.expect_page(timeout=TIMEOUT_MS) as opened:
        box.locator("a.review").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url == f"{live_server.url}/claims/{ids['cost']}"
    assert full.text_content(".review-word") == "False"
    assert "450 million euros" in full.text_content(".rationale")
    full.close()

    assert page.errors == []


def test_a_page_without_checked_claims_gets_no_marks_and_no_badge(live_server, news_site,
                                                                  extension_context):
    context, worker, extension_id = extension_context
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.fill("#service-url", live_server.url)
    options.click("#options button[type=submit]")
    # What was saved, shown on failure: a stale address gives a "!" badge later.
    expect(options.locator("#status")).to_have_text(f"Saved: {live_server.url}",
                                                    timeout=TIMEOUT_MS)
    options.close()

    page = context.new_page()
    page.goto(news_site + ARTICLE_PATH)
    for _ in range(50):  # until the content script has reported
        if any(k.startswith("tab-") for k in session_reports(worker)):
            break
        page.wait_for_timeout(100)
    tab_id, report = news_tab(worker, news_site)
    assert report["claims"] == []
    assert badge(worker, tab_id) == ""
    assert page.locator("mark.fdx-mark").count() == 0
    popup = open_popup(context, extension_id, tab_id)
    assert popup.text_content("#summary") == "No checked claims for this page."
    assert_accessible(popup, where="the popup with no claims")


# Holds back the options page's first read of the stored settings until the
# test releases it, as a loaded machine does: the reader types first.
SLOW_SETTINGS_JS = """
const storedRead = chrome.storage.sync.get.bind(chrome.storage.sync);
let release;
const released = new Promise((resolve) => { release = resolve; });
window.releaseStoredSettings = release;
window.storedSettingsReads = [];
chrome.storage.sync.get = (...args) => {
  const read = released.then(() => storedRead(...args));
  window.storedSettingsReads.push(read);
  return read;
};
"""


def test_a_service_url_typed_before_the_settings_load_is_the_one_saved(live_server,
                                                                       extension_context):
    context, worker, extension_id = extension_context
    options = context.new_page()
    options.add_init_script(SLOW_SETTINGS_JS)
    options.goto(f"chrome-extension://{extension_id}/options.html")
    options.fill("#service-url", live_server.url)
    options.evaluate("window.releaseStoredSettings()")
    # The stored (default) address arrives late (the page's own handlers of
    # the reads run before a task queued after them) and must not replace the typed one.
    options.evaluate("Promise.all(window.storedSettingsReads)"
                     ".then(() => new Promise((done) => setTimeout(done)))")
    assert options.input_value("#service-url") == live_server.url
    options.click("#options button[type=submit]")
    expect(options.locator("#status")).to_have_text(f"Saved: {live_server.url}",
                                                    timeout=TIMEOUT_MS)
    assert worker.evaluate("chrome.storage.sync.get('serviceUrl')") == \
        {"serviceUrl": live_server.url}
