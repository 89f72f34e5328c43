"""Corrections and retractions as a reader's extension shows them, end to end
in Chromium: the desk works through the live service's API (a factchecker
writes, submits; the editor sends it back; the factchecker revises and
resubmits; the editor approves with a correction note, or retracts with a
reason), then a reader opens the news page and the popover says "Corrected
on DATE" with the note and the previous verdict, or "Retracted on DATE" with
the reason, on a mark drawn in the retracted style. Hostile notes and reasons
stay text. A revision still in review never reaches the page.
"""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from factcheck.auth import new_api_token

from .helpers import TIMEOUT_MS, add_article
from .test_extension import (ARTICLE_PATH, IMPORTED_TEXT, QUOTES, extension_context,  # noqa: F401
                             marks_of, news_site, news_tab, open_popup)

# A note and a reason that would run script, were they ever parsed as HTML.
XSS_NOTE = ("We misread the table <img src=x onerror=\"alert('note')\"> "
            "</script><script>alert('note2')</script>")
XSS_REASON = "Wrong speaker <svg onload=\"alert('reason')\"></svg><b>bold</b>"
XSS_LABEL = "<img src=x onerror=alert(3)>"
CORRECTED_AT = "2026-11-29T10:00:00.000000+00:00"
RETRACTED_AT = "2026-11-30T16:45:00.000000+00:00"

SHADOW_INJECTED_JS = """() => {
  const root = document.querySelector('.fdx-popover-host').shadowRoot;
  return [...root.querySelectorAll('*')].filter((el) =>
    ['img', 'script', 'svg', 'iframe', 'b'].includes(el.localName) ||
    [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.localName);
}"""
PAGE_INJECTED_JS = """() => [...document.querySelectorAll('img, svg, iframe, [onerror], [onload]')]
  .map((el) => el.localName)"""


class DeskApi:
    """One desk member's calls to the live service's JSON API, by token."""

    def __init__(self, server, user: dict):
        self.base = server.url + "/api/v1"
        token, token_hash = new_api_token()
        store = server.store()
        try:
            store.create_token(user["id"], "browser test", token_hash)
        finally:
            store.db.close()
        self.token = token

    def call(self, method: str, path: str, body=None, if_match=None) -> tuple[int, dict, str]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if if_match:
            headers["If-Match"] = if_match
        request = urllib.request.Request(self.base + path, data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null"), \
                    response.headers.get("ETag")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null"), None

    def ok(self, method, path, body=None, if_match=None) -> dict:
        status, answer, _ = self.call(method, path, body, if_match)
        assert status in (200, 201), (method, path, status, answer)
        return answer

    def create(self, passage: dict, quote: str, verdict: str, **fields) -> dict:
        start = passage["text"].index(quote)
        return self.ok("POST", "/claims", {"passage_id": passage["id"], "start": start,
                                           "end": start + len(quote), "verdict": verdict,
                                           **fields})

    def edit(self, claim_id: int, changes: dict) -> dict:
        _, _, etag = self.call("GET", f"/claims/{claim_id}")
        return self.ok("PATCH", f"/claims/{claim_id}", changes, if_match=etag)

    def act(self, claim_id: int, action: str, **body) -> dict:
        return self.ok("POST", f"/claims/{claim_id}/transitions", {"action": action, **body})


def _set_dates(server, corrected: dict, retracted: dict) -> None:
    """Fixed dates, so that the words readers see for them can be asserted."""
    store = server.store()
    try:
        with store.db.conn:
            for claim_id, at in corrected.items():
                store.db.execute("UPDATE claim_corrections SET at = ? WHERE claim_id = ?",
                                 [at, claim_id])
            for claim_id, at in retracted.items():
                store.db.execute("UPDATE claim_publications SET retracted_at = ?"
                                 " WHERE claim_id = ?", [at, claim_id])
    finally:
        store.db.close()


def _desk_works(live_server, article_url: str) -> dict:
    editor = DeskApi(live_server, live_server.user("eddie", "editor"))
    checker = DeskApi(live_server, live_server.user("fay", "factchecker"))
    _, passages = add_article(live_server, article_url, IMPORTED_TEXT, title="Harbour plan")

    def passage(quote):
        return next(p for p in passages if quote in p["text"])

    def published(name, verdict, **fields):
        claim = checker.create(passage(QUOTES[name]), QUOTES[name], verdict, **fields)
        checker.act(claim["id"], "submit")
        assert editor.act(claim["id"], "approve")["status"] == "published"
        return claim["id"]

    jobs = published("jobs", "verified", label="Jobs figure",
                     rationale="<p>The office counts 4,000 jobs.</p>",
                     citations=[{"url": "https://stats.example.org/jobs", "title": "Jobs report"}])
    # The revision: written, submitted, sent back, revised, submitted, approved with a note.
    assert checker.edit(jobs, {"verdict": "denied", "label": XSS_LABEL})["status"] == "draft"
    checker.act(jobs, "submit")
    editor.act(jobs, "request_changes", note="Say what the table shows.")
    checker.edit(jobs, {"rationale": "<p>Table 4 counts <strong>2,500</strong> jobs.</p>"})
    checker.act(jobs, "submit")
    status, refused, _ = editor.call("POST", f"/claims/{jobs}/transitions", {"action": "approve"})
    assert status == 422 and refused["error"]["field"] == "correction_note"
    approved = editor.act(jobs, "approve", correction_note=XSS_NOTE)
    assert approved["status"] == "published"
    assert approved["publication"]["corrections"][0]["note"] == XSS_NOTE

    cost = published("cost", "denied", rationale="<p>It costs 450 million.</p>",
                     citations=[{"url": "https://budget.example.org/", "title": "Budget"}])
    assert editor.act(cost, "retract", note=XSS_REASON)["status"] == "retracted"

    residents = published("residents", "verified", rationale="<p>The notice says March.</p>",
                          citations=[{"url": "https://city.example.org/notice",
                                      "title": "Public notice"}])
    # A revision waiting for review: readers keep the published version.
    checker.edit(residents, {"verdict": "denied", "label": "SECRET-LABEL",
                             "rationale": "<p>SECRET-RATIONALE</p>"})
    checker.act(residents, "submit")

    _set_dates(live_server, {jobs: CORRECTED_AT}, {cost: RETRACTED_AT})
    return {"jobs": jobs, "cost": cost, "residents": residents}


def test_a_reader_sees_corrections_and_retractions_in_the_popover(live_server, news_site,
                                                                 extension_context):
    context, worker, extension_id = extension_context
    article_url = news_site + ARTICLE_PATH
    ids = _desk_works(live_server, article_url)
    worker.evaluate("(url) => chrome.storage.sync.set({serviceUrl: url})", live_server.url)

    page = context.new_page()
    page.errors, page.dialogs = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(article_url)
    for name in ("jobs", "cost", "residents"):
        expect(page.locator(f'mark.fdx-mark[data-fdx-claim="{ids[name]}"]').first) \
            .to_be_attached(timeout=TIMEOUT_MS)

    # -- the marks: the corrected verdict's colour; the retracted one in its own style --------
    jobs_classes = marks_of(page, ids["jobs"])["classes"][0].split()
    assert "fdx-denied" in jobs_classes and "fdx-verified" not in jobs_classes
    cost_marks = marks_of(page, ids["cost"])
    assert all("fdx-retracted" in c.split() and "fdx-denied" not in c.split()
               for c in cost_marks["classes"])
    retracted_style = page.evaluate("""(id) => {
        const mark = document.querySelector('mark.fdx-mark[data-fdx-claim="' + id + '"]');
        const style = getComputedStyle(mark);
        return {line: style.textDecorationLine, background: style.backgroundColor,
                icon: getComputedStyle(mark, '::before').content,
                label: mark.getAttribute('aria-label'), status: mark.dataset.fdxStatus};
    }""", ids["cost"])
    assert retracted_style["line"] == "line-through"
    assert retracted_style["icon"] == '"⊘"'
    assert retracted_style["background"] != "rgb(251, 228, 226)"  # not the denied colour
    assert retracted_style["status"] == "retracted"
    assert retracted_style["label"] == "Retracted fact check. Show why."

    box = page.locator(".fdx-popover-host .popover")

    # -- a corrected claim ----------------------------------------------------------------
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["jobs"]}"] >> nth=0')
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    expect(box.locator(".verdict strong")).to_have_text("False")
    expect(box.locator(".verdict .label")).to_have_text(f" · {XSS_LABEL}")
    expect(box.locator(".corrected")).to_have_text(f"Corrected on 29 November 2026: {XSS_NOTE}")
    expect(box.locator(".previous")).to_have_text("Previously: Verified · Jobs figure")
    expect(box.locator(".rationale")).to_contain_text("Table 4 counts 2,500 jobs.")
    review = box.locator("a.review")
    expect(review).to_have_text("Read the full fact-check")
    expect(review).to_have_attribute("href", f"{live_server.url}/claims/{ids['jobs']}")
    assert page.evaluate(SHADOW_INJECTED_JS) == []

    page.mouse.move(5, 5)
    expect(box).to_be_hidden(timeout=TIMEOUT_MS)

    # -- a retracted claim ----------------------------------------------------------------
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["cost"]}"] >> nth=0')
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    expect(box.locator(".retracted-head")).to_have_text("⊘ Retracted on 30 November 2026")
    expect(box.locator(".reason")).to_have_text(XSS_REASON)
    expect(box.locator(".was")).to_have_text("It said: ✘ False")
    assert box.locator(".was strong").evaluate(
        "el => getComputedStyle(el).textDecorationLine") == "line-through"
    # Its verdict is no longer asserted: no verdict line, rationale or sources.
    expect(box.locator(".verdict:not(.was), .rationale, .sources")).to_have_count(0)
    expect(box.locator("a.review")).to_have_attribute(
        "href", f"{live_server.url}/claims/{ids['cost']}")
    assert page.evaluate(SHADOW_INJECTED_JS) == []

    # -- a claim under revision: readers see what was published -----------------------------
    page.mouse.move(5, 5)
    expect(box).to_be_hidden(timeout=TIMEOUT_MS)
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["residents"]}"] >> nth=0')
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    expect(box.locator(".verdict strong")).to_have_text("Verified")
    expect(box.locator(".corrected")).to_have_count(0)
    expect(box).not_to_contain_text("SECRET")
    assert "fdx-verified" in marks_of(page, ids["residents"])["classes"][0].split()

    # -- the toolbar popup ------------------------------------------------------------------
    tab_id, report = news_tab(worker, news_site)
    popup = open_popup(context, extension_id, tab_id)
    rows = popup.locator("#claims li")
    expect(rows.filter(has_text=QUOTES["cost"][:30])).to_contain_text("⊘ Retracted")
    expect(rows.filter(has_text=QUOTES["jobs"][:30])).to_contain_text(
        "Corrected on 29 November 2026")
    expect(rows.filter(has_text=QUOTES["residents"][:30])).not_to_contain_text("Corrected")
    popup.close()

    # -- the full fact-check keeps the log -------------------------------------------------
    page.bring_to_front()
    page.hover(f'mark.fdx-mark[data-fdx-claim="{ids["jobs"]}"] >> nth=0')
    expect(box.locator(".corrected")).to_be_visible(timeout=TIMEOUT_MS)
    with context.expect_page(timeout=TIMEOUT_MS) as opened:
        box.locator("a.review").click()
    full = opened.value
    full.wait_for_load_state()
    expect(full.locator(".correction-note")).to_have_text(XSS_NOTE)
    expect(full.locator(".correction-verdict")).to_have_text("Verdict: ✔ Verified → ✘ False")
    full.close()

    # Nothing ran and nothing was injected, in the page or the popover.
    assert page.dialogs == [] and page.errors == []
    assert page.evaluate(PAGE_INJECTED_JS) == []
    assert page.title() == "Harbour plan | Example News"
