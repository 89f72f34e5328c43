"""The annotator as a fact-checker and an editor use it in Chromium: import,
select text, record a claim with sources, edit, submit, approve, delete, filter,
keyboard shortcuts, history and orphaned claims."""

import pytest

from annotations.models import NotFound

from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, api, checked_verdict, highlight,
                      open_claim, open_new_claim, panel_status, refreshed, stored_claim,
                      stored_claims, stored_passage, wait_until_ready)

HEADING = "Election results 2024"
PARA_1 = "The mayor said turnout was 72% 🎉 in the city and the budget grew by 4%."
PARA_2 = "Кандидат сказал 🗳️: 東京 has 14 million people and rents rose 9%."
IMPORTED_TEXT = f"{HEADING}\n\n{PARA_1}\n\n{PARA_2}\n"


def import_through_form(page, server, url, text, title=None):
    page.goto(server.url + "/import")
    page.fill("#url", url)
    if title is not None:
        page.fill("#title", title)
    page.fill("#text", text)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#passages", timeout=TIMEOUT_MS)


def test_login_shows_the_user_and_their_role(live_server, new_page):
    live_server.user("fay", "factchecker")
    page = new_page()
    page.goto(live_server.url + "/login")
    page.fill("#username", "fay")
    page.fill("#password", "not the password")
    page.click("form.stack button[type=submit]")
    assert "Unknown username or wrong password." in page.text_content("p.error")
    assert page.locator(".who").count() == 0

    login(page, live_server, "fay")
    assert page.text_content(".who") == "fay (factchecker)"
    assert page.locator("header nav a", has_text="Import").count() == 1
    assert page.errors == [] and page.dialogs == []


def test_import_select_and_record_a_claim_with_two_sources(live_server, new_page):
    live_server.user("fay", "factchecker")
    page = new_page()
    login(page, live_server, "fay")
    import_through_form(page, live_server, "https://news.example/turnout", IMPORTED_TEXT,
                        title="Turnout story")

    assert page.text_content("p.flash") == "Imported 3 passages."
    assert page.text_content("#article h1") == "Turnout story"
    passages = page.locator("#passages .passage")
    assert passages.count() == 3
    assert page.locator("#passages h2.passage.kind-heading").text_content() == HEADING
    assert page.text_content("#passage-1") == PARA_1
    assert page.text_content("#passage-2") == PARA_2
    assert page.text_content("#claim-count") == "0"

    # A span after the emoji: UTF-16 and code point offsets differ there.
    open_new_claim(page, "#passage-1", "in the city")
    page.keyboard.press("d")
    assert checked_verdict(page) == "denied"
    page.fill("#claim-label", "Mostly false")
    page.fill("#claim-rationale", "Turnout was *61%* per the official count.")
    page.click("#add-citation")
    page.fill("#citation-1-url", "https://elections.example/official-count")
    page.fill("#citation-1-title", "Official count")
    page.fill("#citation-1-publisher", "Election board")
    # Stance, excerpt and archive URL are behind each source's "More".
    page.click("#citation-rows li:nth-child(1) .more-citation")
    page.fill("#citation-1-excerpt", "Turnout: 61.2%")
    page.select_option("#citation-1-stance", "refutes")
    page.click("#add-citation")
    page.fill("#citation-2-url", "https://archive.example/report")
    page.fill("#citation-2-title", "Independent report")
    page.click("#citation-rows li:nth-child(2) .more-citation")
    page.fill("#citation-2-archive_url", "https://web.archive.org/web/2024/report")
    page.select_option("#citation-2-stance", "context")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")

    claim = stored_claims(live_server, page.evaluate(
        "() => Number(document.getElementById('annotator').dataset.articleId)"))[0]
    mark = highlight(page, claim["id"])
    assert mark.text_content() == "in the city"
    assert "verdict-denied" in mark.get_attribute("class")
    assert "status-draft" in mark.get_attribute("class")
    assert page.text_content("#claim-count") == "1"
    assert page.text_content("#panel-title") == f"Claim {claim['id']}"

    passage = stored_passage(live_server, claim["passage_id"])
    assert passage["text"] == PARA_1
    assert claim["exact"] == "in the city"
    assert passage["text"][claim["start_offset"]:claim["end_offset"]] == claim["exact"]
    # Code points: the emoji counts once, not as two UTF-16 units.
    assert claim["start_offset"] == PARA_1.index("in the city")
    assert claim["verdict"] == "denied" and claim["label"] == "Mostly false"
    assert claim["rationale"] == "<p>Turnout was <em>61%</em> per the official count.</p>"
    cited = [(c["url"], c["title"], c["publisher"], c["excerpt"], c["archive_url"], c["stance"])
             for c in claim["citations"]]
    assert cited == [
        ("https://elections.example/official-count", "Official count", "Election board",
         "Turnout: 61.2%", None, "refutes"),
        ("https://archive.example/report", "Independent report", "", "",
         "https://web.archive.org/web/2024/report", "context"),
    ]

    # A second span in Cyrillic/CJK text, after an emoji with a variation selector.
    page.keyboard.press("Escape")
    open_new_claim(page, "#passage-2", "東京 has 14 million people")
    page.keyboard.press("u")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    second = stored_claim(live_server, int(page.text_content("#panel-title").split()[-1]))
    assert second["exact"] == "東京 has 14 million people"
    assert PARA_2[second["start_offset"]:second["end_offset"]] == second["exact"]
    assert "verdict-unverified" in highlight(page, second["id"]).get_attribute("class")

    # Reopen the first claim from its highlight and change the verdict.
    page.keyboard.press("Escape")
    open_claim(page, claim["id"])
    assert checked_verdict(page) == "denied"
    assert page.input_value("#claim-label") == "Mostly false"
    assert page.input_value("#citation-1-url") == "https://elections.example/official-count"
    assert page.input_value("#citation-2-archive_url") == "https://web.archive.org/web/2024/report"
    page.check("#claim-form input[name=verdict][value=verified]")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert "verdict-verified" in highlight(page, claim["id"]).get_attribute("class")
    saved = stored_claim(live_server, claim["id"])
    assert saved["verdict"] == "verified" and saved["version"] == 2
    assert len(saved["citations"]) == 2

    # A fact-checker submits for review but cannot approve: no button, and
    # the API says 403 if asked.
    assert page.locator("#workflow-actions button").all_text_contents() == ["Submit for review"]
    assert page.locator("#action-approve").count() == 0
    assert page.locator("#delete-claim").is_hidden()
    assert page.locator("#save-claim").is_visible()
    forced = api(page, "POST", f"/api/v1/claims/{claim['id']}/transitions", {"action": "approve"})
    assert forced["status"] == 403
    assert stored_claim(live_server, claim["id"])["status"] == "draft"
    assert page.errors == [] and page.dialogs == []


def test_import_refuses_empty_text_and_takes_an_html_file(live_server, new_page):
    live_server.user("fay", "factchecker")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(live_server.url + "/import")
    page.fill("#url", "https://news.example/upload")
    page.fill("#publisher", "Upload Daily")
    page.click("form.stack button[type=submit]")
    # No text: the page is fetched from the URL (.example never resolves).
    assert page.text_content("#import-error") == "Article URL: the host news.example was not found"
    # What was typed is still there to correct.
    assert page.input_value("#url") == "https://news.example/upload"
    assert page.input_value("#publisher") == "Upload Daily"

    page.set_input_files("#file", files=[{
        "name": "story.html", "mimeType": "text/html",
        "buffer": ("<html><head><title>Uploaded &amp; Co | Upload Daily</title></head><body>"
                   "<h1>Uploaded &amp; Co</h1><p>First <b>bold</b> para.</p>"
                   "<script>alert(1)</script><p onclick=alert(1)>Второй абзац 🎉.</p>"
                   "</body></html>").encode("utf-8")}])
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#passages", timeout=TIMEOUT_MS)
    assert page.text_content("p.flash") == "Imported 3 passages."
    assert page.text_content("#article h1") == "Uploaded & Co"
    assert "Upload Daily" in page.text_content("#article .meta")
    assert page.locator("#passages .passage").all_text_contents() == [
        "Uploaded & Co", "First bold para.", "Второй абзац 🎉."]
    assert page.locator("#passages h2.passage").text_content() == "Uploaded & Co"
    assert page.locator("#passages [onclick]").count() == 0
    assert page.errors == [] and page.dialogs == []


RANGE_RECT_JS = """([selector, quote]) => {
  const node = document.querySelector(selector).firstChild;
  const at = node.data.indexOf(quote);
  const rect = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                         return r.getBoundingClientRect(); };
  const first = rect(at), last = rect(at + quote.length - 1);
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}"""


def test_selecting_with_the_mouse_opens_the_panel(live_server, new_page):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/mouse",
                                "Exports rose 12% to 東京 last spring.\n\nImports fell.\n")
    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)

    box = page.evaluate(RANGE_RECT_JS, ["#passage-0", "rose 12% to 東京"])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-quote") == "rose 12% to 東京"
    page.keyboard.press("Escape")

    # A selection across two passages is refused with a hint, no panel.
    page.evaluate("""() => {
      const range = document.createRange();
      range.setStart(document.getElementById('passage-0').firstChild, 8);
      range.setEnd(document.getElementById('passage-1').firstChild, 4);
      getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.keyboard.press("c")
    assert page.text_content("#select-hint") == "Select text inside a single passage."
    assert page.evaluate("() => document.getElementById('claim-panel').open") is False

    # A double click selects a word and opens the panel on it.
    word = page.evaluate(RANGE_RECT_JS, ["#passage-1", "Imports"])
    page.mouse.dblclick((word["x1"] + word["x2"]) / 2, word["y1"])
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-quote") == "Imports"
    page.keyboard.press("u")
    with refreshed(page):
        page.keyboard.press("Control+Enter")
    panel_status(page, "Saved as draft.")
    claim = stored_claims(live_server, article_id)[0]
    assert (claim["exact"], claim["start_offset"], claim["end_offset"]) == ("Imports", 0, 7)
    assert page.errors == [] and page.dialogs == []


def test_editor_approves_and_only_published_claims_reach_readers(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    live_server.user("ed", "editor")
    article_id, passages = add_article(
        live_server, "https://news.example/budget",
        "Budget news\n\nThe budget grew by 4% this year.\n\nSchools got 12 new buildings.\n")
    unsourced = add_claim(live_server, fay, passages[0], "Budget", "verified", submit=True)
    cited = add_claim(live_server, fay, passages[1], "grew by 4%", "verified", submit=True,
                      citations=({"url": "https://budget.example/2024"},))
    draft = add_claim(live_server, fay, passages[2], "12 new buildings", "denied",
                      citations=({"url": "https://schools.example/list"},))

    editor = new_page()
    login(editor, live_server, "ed")
    editor.goto(f"{live_server.url}/articles/{article_id}")
    assert editor.text_content(f"#claim-{cited['id']} .status") == "in review"
    assert editor.get_attribute(f"#claim-{cited['id']}", "data-status") == "in_review"
    open_claim(editor, cited["id"])
    assert editor.text_content("#panel-meta").startswith("in review · version 2")
    assert editor.locator("#workflow-actions button").all_text_contents() == [
        "Withdraw from review", "Request changes", "Approve and publish"]
    assert editor.locator("#delete-claim").is_visible()
    with refreshed(editor):
        editor.click("#action-approve")
    panel_status(editor, "Approved and published: readers see this version now.")
    assert "status-published" in highlight(editor, cited["id"]).get_attribute("class")
    assert editor.text_content("#panel-meta").startswith("published · version 3")
    # Readers have seen it: it is retracted (with a reason), not deleted.
    assert editor.locator("#workflow-actions button").all_text_contents() == ["Retract"]
    assert editor.locator("#delete-claim").is_hidden()
    assert stored_claim(live_server, cited["id"])["status"] == "published"
    assert editor.text_content(f"#claim-{cited['id']} .status") == "published"
    assert "status-draft" in highlight(editor, draft["id"]).get_attribute("class")
    # A verified claim with no source cannot be published; the panel says why.
    editor.keyboard.press("Escape")
    open_claim(editor, unsourced["id"])
    editor.click("#action-approve")
    editor.wait_for_function("() => document.getElementById('panel-error').textContent",
                             timeout=TIMEOUT_MS)
    assert editor.text_content("#panel-error") == \
        "Sources: a verified or denied claim needs a citation before publishing"
    assert editor.locator("#action-approve").is_visible()
    assert stored_claim(live_server, unsourced["id"])["status"] == "in_review"

    visitor = new_page()
    visitor.goto(f"{live_server.url}/articles/{article_id}")
    assert "status-published" in highlight(visitor, cited["id"]).get_attribute("class")
    assert highlight(visitor, draft["id"]).count() == 0
    assert highlight(visitor, unsourced["id"]).count() == 0
    assert visitor.text_content("#passage-2") == "Schools got 12 new buildings."
    assert visitor.text_content("#claim-count") == "1"
    assert visitor.locator(f"#claim-{draft['id']}").count() == 0
    assert visitor.locator("#claim-panel").count() == 0
    assert api(visitor, "GET", f"/api/v1/claims/{draft['id']}")["status"] == 404
    assert api(visitor, "GET", f"/api/v1/claims/{cited['id']}")["status"] == 200
    # Clicking a published highlight as a visitor jumps to its card, no editor.
    highlight(visitor, cited["id"]).click()
    assert visitor.url.endswith(f"#claim-{cited['id']}")
    visitor.goto(live_server.url + "/")
    assert visitor.text_content("p.count") == "1 article"
    for page in (editor, visitor):
        assert page.errors == [] and page.dialogs == []


def test_editor_deletes_a_claim_and_its_history_stays(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    live_server.user("ed", "editor")
    article_id, passages = add_article(live_server, "https://news.example/rain",
                                       "It rained for 40 days in May.\n")
    claim = add_claim(live_server, fay, passages[0], "40 days", "denied")

    page = new_page()
    login(page, live_server, "ed")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    assert page.locator("#confirm-delete").is_hidden()
    page.click("#delete-claim")
    # Nothing is gone until the second, explicit button.
    assert page.locator("#confirm-delete").is_visible()
    assert stored_claim(live_server, claim["id"])["id"] == claim["id"]
    page.click("#confirm-delete")
    page.wait_for_selector("#claim-panel:not([open])", state="attached", timeout=TIMEOUT_MS)
    highlight(page, claim["id"]).wait_for(state="detached", timeout=TIMEOUT_MS)
    assert page.text_content("#claim-count") == "0"
    assert page.locator(".claim-card").count() == 0
    assert page.text_content("#passage-0") == "It rained for 40 days in May."
    with pytest.raises(NotFound):
        stored_claim(live_server, claim["id"])

    history = api(page, "GET", f"/api/v1/claims/{claim['id']}/history")
    assert history["status"] == 200
    assert [(e["action"], e["actor"]) for e in history["data"]["entries"]] == [
        ("create", "fay"), ("delete", "ed")]
    page.reload()
    assert highlight(page, claim["id"]).count() == 0
    assert page.errors == [] and page.dialogs == []


def visible_cards(page) -> list[int]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#claim-list .claim-card'))
        .filter(card => !card.hidden && card.getClientRects().length > 0)
        .map(card => Number(card.dataset.claimId))""")


def test_sidebar_filters_by_verdict_and_status(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    ed = live_server.user("ed", "editor")
    article_id, passages = add_article(
        live_server, "https://news.example/filters",
        "Crime fell by 10% last year.\n\nThe river is 300 km long.\n\nThe bridge cost 2 billion.\n")
    verified = add_claim(live_server, fay, passages[0], "fell by 10%", "verified", publish_by=ed,
                         citations=({"url": "https://stats.example/crime"},))
    denied = add_claim(live_server, fay, passages[1], "300 km", "denied")
    unverified = add_claim(live_server, fay, passages[2], "2 billion", "unverified")
    everything = [verified["id"], denied["id"], unverified["id"]]

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    wait_until_ready(page)
    assert visible_cards(page) == everything
    page.select_option("#filter-verdict", "denied")
    assert visible_cards(page) == [denied["id"]]
    page.select_option("#filter-verdict", "")
    page.select_option("#filter-status", "draft")
    assert visible_cards(page) == [denied["id"], unverified["id"]]
    page.select_option("#filter-status", "published")
    assert visible_cards(page) == [verified["id"]]
    page.select_option("#filter-verdict", "unverified")
    assert visible_cards(page) == []
    page.select_option("#filter-status", "")
    assert visible_cards(page) == [unverified["id"]]
    # The filter survives the refresh after a save.
    open_claim(page, unverified["id"])
    page.fill("#claim-label", "Needs data")
    with refreshed(page):
        page.click("#save-claim")
    panel_status(page, "Saved.")
    assert page.text_content(f"#claim-{unverified['id']} .label") == "Needs data"
    assert visible_cards(page) == [unverified["id"]]
    page.keyboard.press("Escape")
    page.select_option("#filter-verdict", "")
    assert visible_cards(page) == everything
    assert page.errors == [] and page.dialogs == []


def focused_claim(page):
    return page.evaluate("() => document.activeElement.dataset.claimId || null")


def test_keyboard_shortcuts(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(
        live_server, "https://news.example/keys",
        "Prices rose 5% in June.\n\nWages rose 2% in June.\n\nRent rose 8% in June.\n")
    first = add_claim(live_server, fay, passages[0], "rose 5%", "verified")
    third = add_claim(live_server, fay, passages[2], "rose 8%", "denied")

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")

    open_new_claim(page, "#passage-1", "rose 2%")
    assert page.evaluate("() => document.activeElement.name") == "verdict"
    for key, verdict in (("d", "denied"), ("v", "verified"), ("u", "unverified"), ("d", "denied")):
        page.keyboard.press(key)
        assert checked_verdict(page) == verdict
    # In a text box the letters are text, not shortcuts.
    page.click("#claim-label")
    page.keyboard.type("vud")
    assert page.input_value("#claim-label") == "vud"
    assert checked_verdict(page) == "denied"
    with refreshed(page):
        page.keyboard.press("Control+Enter")
    panel_status(page, "Saved as draft.")
    second_id = int(page.text_content("#panel-title").split()[-1])
    saved = stored_claim(live_server, second_id)
    assert (saved["exact"], saved["verdict"], saved["label"]) == ("rose 2%", "denied", "vud")
    assert "verdict-denied" in highlight(page, second_id).get_attribute("class")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.getElementById('claim-panel').open") is False

    # n / p walk the highlights in reading order, wrapping around.
    page.evaluate("() => document.activeElement.blur()")
    order = [str(first["id"]), str(second_id), str(third["id"])]
    for expected in order + order[:1]:
        page.keyboard.press("n")
        assert focused_claim(page) == expected
    page.keyboard.press("p")
    assert focused_claim(page) == order[2]
    page.keyboard.press("p")
    assert focused_claim(page) == order[1]
    # Enter opens the focused highlight; Escape closes it again.
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.getElementById('claim-panel').open &&"
        " document.getElementById('panel-title').textContent === 'Claim ' + id",
        arg=second_id, timeout=TIMEOUT_MS)
    assert page.input_value("#claim-label") == "vud"
    # Focus is on the checked verdict, so arrow keys move from it.
    assert page.evaluate("() => [document.activeElement.name, document.activeElement.value,"
                         " document.activeElement.checked]") == ["verdict", "denied", True]
    page.keyboard.press("u")
    page.keyboard.press("Control+Enter")
    panel_status(page, "Saved.")
    assert stored_claim(live_server, second_id)["verdict"] == "unverified"
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.getElementById('claim-panel').open") is False
    assert page.errors == [] and page.dialogs == []


def test_history_lists_each_change_with_who_made_it(live_server, new_page):
    live_server.user("fay", "factchecker")
    live_server.user("ed", "editor")
    article_id, passages = add_article(live_server, "https://news.example/history",
                                       "The dam holds 9 billion litres.\n")

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_new_claim(page, "#passage-0", "9 billion litres")
    page.keyboard.press("u")
    page.click("#save-claim")
    panel_status(page, "Saved as draft.")
    claim_id = int(page.text_content("#panel-title").split()[-1])
    # One Save changing the verdict and adding a source: one version, one entry.
    page.check("#claim-form input[name=verdict][value=denied]")
    page.click("#add-citation")
    page.fill("#citation-1-url", "https://water.example/dams")
    page.click("#save-claim")
    panel_status(page, "Saved.")
    assert stored_claim(live_server, claim_id)["version"] == 2
    page.click("#action-submit")
    panel_status(page, "Submitted for review.")

    editor = new_page()
    login(editor, live_server, "ed")
    editor.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(editor, claim_id)
    editor.click("#action-approve")
    panel_status(editor, "Approved and published: readers see this version now.")
    editor.click("#show-history")
    entries = editor.locator("#history-entries li")
    entries.nth(3).wait_for(timeout=TIMEOUT_MS)
    texts = [" ".join(t.split()) for t in entries.all_text_contents()]
    assert len(texts) == 4
    assert " fay create" in texts[0]
    assert " fay update" in texts[1] and "verdict: unverified → denied" in texts[1]
    assert "sources: 0 → 1" in texts[1] and "added https://water.example/dams" in texts[1]
    assert " fay submitted it for review" in texts[2]
    assert "status: draft → in review" in texts[2]
    assert " ed approved and published it" in texts[3]
    assert "status: in review → published" in texts[3]
    assert editor.locator("#history").is_visible()
    for p in (page, editor):
        assert p.errors == [] and p.dialogs == []


def test_reimport_without_the_quote_lists_the_claim_as_orphaned(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    url = "https://news.example/orphans"
    article_id, passages = add_article(
        live_server, url, "The port handled 3 million containers.\n\nThe mayor opened it in 1999.\n")
    kept = add_claim(live_server, fay, passages[0], "3 million containers", "verified")
    lost = add_claim(live_server, fay, passages[1], "in 1999", "denied", label="Wrong year")

    page = new_page()
    login(page, live_server, "fay")
    import_through_form(page, live_server, url,
                        "The port handled 3 million containers.\n\nThe mayor opened it in 2001.\n")
    assert page.text_content("p.flash") == "Re-imported 2 passages; 1 claims kept, 1 orphaned."
    assert page.url.startswith(f"{live_server.url}/articles/{article_id}")
    assert highlight(page, kept["id"]).text_content() == "3 million containers"
    assert highlight(page, lost["id"]).count() == 0
    assert page.text_content("#claim-count") == "1"
    assert page.locator(f"#claim-cards #claim-{lost['id']}").count() == 0
    orphan = page.locator(f"section.orphaned #claim-{lost['id']}")
    assert orphan.locator("blockquote.quote").text_content() == "in 1999"
    assert orphan.locator(".label").text_content() == "Wrong year"
    assert "(1)" in page.text_content("#orphaned-title")
    # Its panel opens from the card's button and says it is orphaned.
    wait_until_ready(page)
    orphan.locator("button.open-claim").click()
    page.wait_for_function(
        "() => document.getElementById('panel-meta').textContent.includes('orphaned')",
        timeout=TIMEOUT_MS)
    assert page.text_content("#panel-quote") == "in 1999"
    assert stored_claim(live_server, lost["id"])["anchor_state"] == "orphaned"
    assert page.errors == [] and page.dialogs == []


def test_clearing_a_sources_fields_is_saved(live_server, new_page):
    # A cleared title, publisher or excerpt used to be left out of the PATCH,
    # so the server kept the old text while saying "Saved."
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/bridges",
                                       "The bridge opened in 1932.\n")
    claim = add_claim(live_server, fay, passages[0], "opened in 1932", citations=[
        {"url": "https://archive.example.org/bridge", "title": "Old title",
         "publisher": "Old publisher", "excerpt": "Old excerpt",
         "archive_url": "https://web.archive.example/bridge"}])

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    row = page.locator("#citation-rows li").first
    # Its "More" button says what is behind it.
    assert " ".join(row.locator(".more-citation").text_content().split()) == \
        "More about source 1: excerpt · archived"
    row.locator(".more-citation").click()
    for name in ("title", "publisher", "excerpt", "archive_url"):
        row.locator(f"[name={name}]").fill("")
    page.click("#save-claim")
    page.wait_for_function("() => document.getElementById('panel-status').textContent === 'Saved.'",
                           timeout=TIMEOUT_MS)

    stored = stored_claim(live_server, claim["id"])["citations"][0]
    assert (stored["title"], stored["publisher"], stored["excerpt"], stored["archive_url"]) == \
        ("", "", "", None)
    assert stored["url"] == "https://archive.example.org/bridge"
    assert page.errors == [] and page.dialogs == []
