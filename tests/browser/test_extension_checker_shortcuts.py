"""Fact-checker mode's context-menu entry and keyboard shortcut (Alt+Shift+K).

A headless browser can neither click a context menu nor press a browser
shortcut, so the test calls the worker's two registered listeners by name
(FactCheckerWorker.menuClicked / commandPressed, the very functions given
to chrome.contextMenus.onClicked and chrome.commands.onCommand) in the
extension's service worker. Called from a test they carry no user gesture:
the browser refuses sidePanel.open(), and the panel opens in the page, the
path every browser without a side panel takes. The side panel itself,
opened by a real click's gesture, is tested in test_extension_checker.py.
"""

from tests.helpers import make_token

from .a11y import assert_accessible
from .helpers import TIMEOUT_MS
from .test_extension import extension_browser, news_tab
from .test_extension_checker import (NEWS_HOST, PAGE_PATH, SENTENCE, enable_checker_mode,  # noqa: F401
                                     granted_extension, in_page_panel, news_site, select_text)

P3_SENTENCE = "Construction of the depot is expected to begin in the summer"
SELECT_P3_JS = """() => {
  const text = document.getElementById('p3').firstChild;
  const range = document.createRange();
  range.setStart(text, 0);
  range.setEnd(text, text.data.indexOf(' summer') + ' summer'.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return getSelection().toString();
}"""
NO_PANEL_JS = "() => document.querySelector('[data-fdx-host=\"panel\"]') === null"


def news_tab_id(page, worker, news_url) -> int:
    """The news page's tab (its content script's lookup report names it)."""
    for _ in range(TIMEOUT_MS // 100):
        try:
            return news_tab(worker, news_url)[0]
        except AssertionError:
            page.wait_for_timeout(100)
    return news_tab(worker, news_url)[0]


def save_denied(panel, label):
    panel.check("input[name=verdict][value=denied]")
    panel.fill("#label", label)
    panel.locator("#rationale").type("Checked against the office's figures.")
    panel.click("#save")
    panel.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')",
                            timeout=TIMEOUT_MS)
    return panel.text_content("#status")


def test_the_context_menu_and_the_shortcut_open_the_panel_for_the_selection(
        browser, live_server, news_site, granted_extension, tmp_path):
    checker = live_server.user("noor", "factchecker")
    token, _ = make_token(live_server.app, checker["id"], "extension")
    with extension_browser(browser, tmp_path / "checker", hosts=(NEWS_HOST,),
                           extension=granted_extension) as (context, worker, extension_id):
        enable_checker_mode(context, extension_id, live_server.url, token).close()
        page = context.new_page()
        page.goto(news_site + PAGE_PATH)
        tab_id = news_tab_id(page, worker, news_site)

        # -- "Check this claim" in the context menu ------------------------------------
        select_text(page)
        outcome = worker.evaluate("""(tabId) => FactCheckerWorker.menuClicked(
            {menuItemId: 'fdx-check-claim', selectionText: 'ignored: the page is asked'}, {id: tabId})""",
                                  tab_id)
        # No gesture here, so no side panel: the panel opened in the page.
        assert outcome == {"opened": False, "failure": None}
        panel = in_page_panel(page)
        assert " ".join(panel.text_content("#quote").split()) == SENTENCE
        assert_accessible(panel, where="the in-page claim panel")
        assert save_denied(panel, "Forecast") == \
            "Saved as a draft; the page was imported to the fact desk."
        panel.click("#close")
        page.wait_for_function(NO_PANEL_JS, timeout=TIMEOUT_MS)

        # Another menu's click is not ours.
        assert worker.evaluate("(tabId) => FactCheckerWorker.menuClicked({menuItemId: 'other'}, {id: tabId})",
                               tab_id) is None

        # -- the keyboard shortcut, on another sentence -----------------------------------
        assert " ".join(page.evaluate(SELECT_P3_JS).split()) == P3_SENTENCE
        outcome = worker.evaluate("(tabId) => FactCheckerWorker.commandPressed('check-claim', {id: tabId})",
                                  tab_id)
        assert outcome == {"opened": False, "failure": None}
        panel = in_page_panel(page)
        assert panel.text_content("#quote") == P3_SENTENCE
        # The page's claims are listed: the one saved from the context menu.
        panel.wait_for_function("() => document.querySelectorAll('#claims li').length === 1",
                                timeout=TIMEOUT_MS)
        assert "Forecast" in panel.text_content("#claims")
        assert save_denied(panel, "Depot date") == "Saved as a draft."
        assert panel.locator("#claims li").count() == 2
        panel.click("#close")
        page.wait_for_function(NO_PANEL_JS, timeout=TIMEOUT_MS)

        # -- the shortcut with nothing selected: nothing opens, nothing is saved --------------
        page.evaluate("() => getSelection().removeAllRanges()")
        outcome = worker.evaluate("(tabId) => FactCheckerWorker.commandPressed('check-claim', {id: tabId})",
                                  tab_id)
        assert outcome == {"opened": False,
                           "failure": "Select the words of a claim on a news page first."}
        page.wait_for_timeout(300)
        assert page.evaluate(NO_PANEL_JS)

    with live_server.store() as store:
        saved = [(row["exact"], row["label"], row["verdict"], row["status"]) for row in store.db.query(
            "SELECT exact, label, verdict, status FROM claims ORDER BY id")]
    assert saved == [(SENTENCE, "Forecast", "denied", "draft"),
                     (P3_SENTENCE, "Depot date", "denied", "draft")]


def test_the_shortcut_does_nothing_for_a_reader(browser, live_server, news_site, tmp_path):
    """Readers (fact-checker mode off) get no panel from Alt+Shift+K."""
    with extension_browser(browser, tmp_path / "reader", hosts=(NEWS_HOST,)) as (context, worker, _):
        worker.evaluate("url => chrome.storage.sync.set({serviceUrl: url})", live_server.url)
        page = context.new_page()
        page.goto(news_site + PAGE_PATH)
        tab_id = news_tab_id(page, worker, news_site)
        select_text(page)
        outcome = worker.evaluate("(tabId) => FactCheckerWorker.commandPressed('check-claim', {id: tabId})",
                                  tab_id)
        assert outcome is None
        page.wait_for_timeout(300)
        assert page.evaluate(NO_PANEL_JS)
        assert worker.evaluate("chrome.storage.session.get(null)").keys() == {f"tab-{tab_id}"}
