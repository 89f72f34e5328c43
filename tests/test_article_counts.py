"""The article list's counts: what readers see counted from the publications,
and for the desk the claims waiting for review and the published claims a
re-import orphaned."""

import re

import pytest

from annotations.store import SYSTEM
from tests.test_ui import login

TEXT = ("The minister said the bridge is open.\n\n"
        "Critics said the figure was misleading.\n\n"
        "Officials said the tunnel would close in May.\n")
SOURCE = [{"url": "https://stats.example.org/report"}]


@pytest.fixture
def counted(factories):
    """"Revised": a published verified claim under revision (now denied, not
    yet approved) and a claim in review. "Orphaned": a published claim, a
    retracted one and a draft, all orphaned by a re-import."""
    store = factories.store
    editor = factories.actor(role="editor")
    revised = factories.article(text=TEXT, title="Revised")
    published = factories.claim(revised, "minister", "verified", citations=SOURCE,
                                published=True)
    store.update_claim(published["id"], {"verdict": "denied"}, editor, None)
    waiting = factories.claim(revised, "Critics")
    store.transition_claim(waiting["id"], "submit", SYSTEM)

    orphaned = factories.article(text=TEXT, title="Orphaned")
    factories.claim(orphaned, "minister", published=True)
    retracted = factories.claim(orphaned, "Critics", published=True)
    store.transition_claim(retracted["id"], "retract", editor, note="Wrong quote")
    factories.claim(orphaned, "tunnel")
    factories.article(url=orphaned["url"], text="Nothing of the old text is left.\n")
    assert {c["anchor_state"] for c in store.claims_for_article(orphaned["id"], False)} == {
        "orphaned"}
    return {"revised": revised["id"], "orphaned": orphaned["id"]}


COUNTS = ("claim_count", "published_count", "verified_count", "denied_count",
          "unverified_count")
DESK = ("in_review_count", "orphaned_count")


def _by_id(items) -> dict[int, dict]:
    return {item["id"]: item for item in items}


def test_desk_counts_work_waiting_for_review_and_orphaned_publications(store, counted):
    rows = _by_id(store.list_articles())

    revised, orphaned = rows[counted["revised"]], rows[counted["orphaned"]]
    # Working copies: the revision's denied verdict; the published claim under
    # revision is still published (readers see it).
    assert [revised[k] for k in COUNTS + DESK] == [2, 1, 0, 1, 1, 1, 0]
    # The retracted and the never-published orphans are not "published orphaned".
    assert [orphaned[k] for k in COUNTS + DESK] == [3, 1, 0, 0, 3, 0, 1]


def test_readers_counts_are_of_the_publications(store, counted):
    rows = _by_id(store.list_articles(published_only=True))

    revised, orphaned = rows[counted["revised"]], rows[counted["orphaned"]]
    # The published verdict, not the unapproved revision; the claim in review unseen.
    assert [revised[k] for k in COUNTS] == [1, 1, 1, 0, 0]
    # Retracted claims are listed on the article's page, as retracted: counted,
    # but not as published.
    assert [orphaned[k] for k in COUNTS] == [2, 1, 0, 0, 2]
    assert [revised[k] for k in DESK] == [None, None]


def test_article_list_counts_read_claims_through_the_article_index(store, counted):
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.list_articles()
    finally:
        store.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "SELECT" in s]
    plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
    assert any("SEARCH c USING" in step and "(article_id=?)" in step for step in plan), plan
    assert any(step.startswith("SEARCH p USING INTEGER PRIMARY KEY") for step in plan), plan
    assert not [step for step in plan if re.match(r"SCAN (c|p|claims|claim_publications)\b",
                                                  step)], plan


@pytest.mark.parametrize("role", ["factchecker", "editor", "admin"])
def test_api_article_list_gives_the_desk_its_counts(client, auth, counted, role):
    items = _by_id(client.get("/api/v1/articles", headers=auth[role]).get_json()["items"])

    assert [items[counted["revised"]][k] for k in DESK] == [1, 0]
    assert [items[counted["orphaned"]][k] for k in DESK] == [0, 1]
    assert items[counted["revised"]]["published_count"] == 1


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_api_keeps_desk_counts_from_readers(client, auth, counted, role):
    items = _by_id(client.get("/api/v1/articles", headers=auth[role]).get_json()["items"])

    for item in items.values():
        assert [item[k] for k in DESK] == [None, None]
    assert [items[counted["revised"]][k] for k in COUNTS] == [1, 1, 1, 0, 0]
    for article_id in counted.values():
        one = client.get(f"/api/v1/articles/{article_id}", headers=auth[role]).get_json()
        assert [one[k] for k in DESK] == [None, None]


def test_api_article_gives_the_desk_the_same_counts_as_the_list(client, auth, counted):
    for article_id, expected in ((counted["revised"], [1, 0]), (counted["orphaned"], [0, 1])):
        one = client.get(f"/api/v1/articles/{article_id}", headers=auth["factchecker"])
        assert [one.get_json()[k] for k in DESK] == expected


def test_article_list_documents_the_desk_counts(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    properties = spec["components"]["schemas"]["ArticleSummaryOut"]["properties"]
    assert {"in_review_count", "orphaned_count"} <= set(properties)


def _index_rows(client) -> dict[int, str]:
    html = client.get("/").get_data(as_text=True)
    return {int(m.group(1)): row for row in re.findall(r"<tr>.*?</tr>", html, re.S)
            if (m := re.search(r'href="/articles/(\d+)"', row))}


def _text(row: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


@pytest.mark.parametrize("role", ["factchecker", "editor"])
def test_index_shows_the_desk_its_counts(app, users, counted, role):
    client = app.test_client()
    assert login(client, role).status_code in (302, 303)

    rows = _index_rows(client)

    assert "1 waiting for review" in _text(rows[counted["revised"]])
    assert "0 published claims orphaned" in _text(rows[counted["revised"]])
    assert "0 waiting for review" in _text(rows[counted["orphaned"]])
    assert "1 published claim orphaned" in _text(rows[counted["orphaned"]])
    assert "1 / 2" in _text(rows[counted["revised"]])  # published / claims


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_index_shows_readers_no_desk_counts(app, users, counted, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, role).status_code in (302, 303)

    html = client.get("/").get_data(as_text=True)

    assert "waiting for review" not in html and "orphaned" not in html
    assert ">Desk<" not in html
    assert "1 / 1" in _text(_index_rows(client)[counted["revised"]])


def test_readers_filters_read_what_readers_see(client, factories, users):
    """A published claim under revision is found by its published verdict,
    not by the desk's new one; a retracted one only when asked for."""
    from tests.helpers import as_actor
    author = as_actor(users["factchecker"])
    revised = factories.article("https://news.example.com/revised", "The port is open.")
    claim = factories.claim(revised, "The port is open", "verified", author,
                            citations=[{"url": "https://port.example.org/"}], published=True)
    factories.store.update_claim(claim["id"], {"verdict": "denied"}, author, None)
    withdrawn = factories.article("https://news.example.com/withdrawn", "The bridge is shut.")
    gone = factories.claim(withdrawn, "The bridge is shut", "unverified", author, published=True)
    factories.store.transition_claim(gone["id"], "retract", as_actor(users["editor"]),
                                     note="Wrong story.")

    def ids(query):
        return {a["id"] for a in client.get(f"/api/v1/articles?{query}").get_json()["items"]}

    assert revised["id"] in ids("verdict=verified")
    assert revised["id"] not in ids("verdict=denied")
    assert withdrawn["id"] not in ids("verdict=unverified")
    assert withdrawn["id"] in ids("status=retracted")
    assert revised["id"] in ids("status=published")
    one = client.get(f"/api/v1/articles/{revised['id']}").get_json()
    assert one["published_count"] == 1 and one["verified_count"] == 1
