"""The annotator's history view with the paged history and the entries that
record only what changed: a long history shows its first page and loads the
rest on demand; citation changes read as sentences; one Save is one request,
one version and one entry."""

from annotations.store import Actor

from .conftest import login
from .helpers import (TIMEOUT_MS, add_article, add_claim, open_claim, panel_status,
                      stored_claim)


def test_a_long_history_loads_page_by_page(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/many",
                                       "The dam holds 9 billion litres.\n")
    claim = add_claim(live_server, fay, passages[0], "9 billion litres")
    actor = Actor(fay["id"], fay["username"])
    with live_server.store() as store:
        citation = store.add_citation(claim["id"], {"url": "https://water.example/0"}, actor)
        for n in range(1, 60):
            store.update_citation(citation["id"], {"title": f"Edition {n}"}, actor)
        store.delete_citation(citation["id"], actor)
    # create, add, 59 edits, remove: 62 entries, the page holds 50.

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    page.click("#show-history")
    entries = page.locator("#history-entries li")
    entries.nth(49).wait_for(timeout=TIMEOUT_MS)
    assert entries.count() == 50
    texts = [" ".join(t.split()) for t in entries.all_text_contents()]
    assert " fay create" in texts[0]
    assert " fay added a source" in texts[1] and "sources: 0 → 1" in texts[1]
    assert "added https://water.example/0" in texts[1]
    assert " fay edited a source" in texts[2] and "title: — → Edition 1" in texts[2]

    more = page.locator("#history-more")
    assert more.is_visible()
    more.click()
    entries.nth(61).wait_for(timeout=TIMEOUT_MS)
    texts = [" ".join(t.split()) for t in entries.all_text_contents()]
    assert len(texts) == 62
    assert "title: Edition 58 → Edition 59" in texts[60]
    assert " fay removed a source" in texts[61] and "sources: 1 → 0" in texts[61]
    assert "removed https://water.example/0" in texts[61]
    assert more.is_hidden()
    assert page.errors == [] and page.dialogs == []


def test_one_save_is_one_version_and_one_history_entry(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    article_id, passages = add_article(live_server, "https://news.example/one-save",
                                       "The dam holds 9 billion litres.\n")
    claim = add_claim(live_server, fay, passages[0], "9 billion litres", citations=(
        {"url": "https://water.example/kept", "title": "Old title"},
        {"url": "https://water.example/dropped"}))
    kept, dropped = claim["citations"]

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    # The verdict, a source retitled, one removed and one added, then Save once.
    page.check("#claim-form input[name=verdict][value=denied]")
    page.fill("#citation-1-title", "New title")
    page.click("#citation-rows li:nth-child(2) .remove-citation")
    page.click("#add-citation")
    page.fill("#citation-2-url", "https://water.example/added")
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url))
            if "/api/v1/c" in r.url and r.method != "GET" else None)
    page.click("#save-claim")
    panel_status(page, "Saved.")
    assert requests == [("PATCH", f"{live_server.url}/api/v1/claims/{claim['id']}")]

    saved = stored_claim(live_server, claim["id"])
    assert saved["version"] == claim["version"] + 1
    assert [(c["id"], c["url"], c["title"]) for c in saved["citations"]][:1] == [
        (kept["id"], "https://water.example/kept", "New title")]
    assert [c["url"] for c in saved["citations"]] == [
        "https://water.example/kept", "https://water.example/added"]

    page.click("#show-history")
    entries = page.locator("#history-entries li")
    entries.nth(1).wait_for(timeout=TIMEOUT_MS)
    texts = [" ".join(t.split()) for t in entries.all_text_contents()]
    assert len(texts) == 2
    assert " fay update" in texts[1]
    detail = page.text_content("#history-entries li:nth-child(2) .history-detail")
    assert detail == (f"verdict: unverified → denied; source {kept['id']}: title: Old title → "
                      f"New title; added https://water.example/added; "
                      f"removed https://water.example/dropped")
    assert dropped["id"] not in [c["id"] for c in saved["citations"]]
    assert page.errors == [] and page.dialogs == []
