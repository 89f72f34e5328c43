"""The annotator's history view with the paged history and the entries that
record only what changed: a long history shows its first page and loads the
rest on demand; citation changes read as sentences."""

from annotations.store import Actor

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, open_claim


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
