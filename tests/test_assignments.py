"""Assigning claims and articles to factcheckers, and "my queue"."""

import pytest

from annotations.models import DomainError, NotAllowed, NotFound
from annotations.store import SYSTEM
from tests.helpers import api_error, as_actor, row_counts
from tests.test_ui import login


def _put(client, headers, kind, entity_id, assignee_id):
    return client.put(f"/api/v1/{kind}/{entity_id}/assignee", headers=headers,
                      json={"assignee_id": assignee_id})


# -- store -------------------------------------------------------------------------

def test_assigning_a_claim_is_audited_and_keeps_its_version(store, factories):
    checker = factories.user(role="factchecker")
    editor = factories.actor(role="editor")
    claim = factories.claim()

    assigned = store.assign_claim(claim["id"], checker["id"], editor)
    unassigned = store.assign_claim(claim["id"], None, editor)

    assert assigned["assignee_id"] == checker["id"]
    assert unassigned["assignee_id"] is None
    assert unassigned["version"] == claim["version"]
    entries = [e for e in store.history("claim", claim["id"]) if e["action"] == "assign"]
    assert [(e["before"], e["after"]) for e in entries] == [
        ({"assignee_id": None}, {"assignee_id": checker["id"]}),
        ({"assignee_id": checker["id"]}, {"assignee_id": None})]
    assert entries[0]["actor"] == editor.username


def test_assigning_the_same_person_again_writes_nothing(store, factories):
    checker = factories.user(role="factchecker")
    article = factories.article()
    store.assign_article(article["id"], checker["id"], SYSTEM)
    before = len(store.history("article", article["id"]))

    store.assign_article(article["id"], checker["id"], SYSTEM)

    assert len(store.history("article", article["id"])) == before


@pytest.mark.parametrize("role", ["reader", None])
def test_only_factcheckers_and_up_can_be_assigned(store, factories, role):
    assignee_id = factories.user(role=role)["id"] if role else 999_999
    claim = factories.claim()
    with pytest.raises(DomainError) as error:
        store.assign_claim(claim["id"], assignee_id, SYSTEM)
    assert error.value.field == "assignee_id"
    assert store.claim(claim["id"])["assignee_id"] is None


def test_unknown_claim_or_article_is_not_found(store, factories):
    checker = factories.user(role="factchecker")
    with pytest.raises(NotFound):
        store.assign_claim(999_999, checker["id"], SYSTEM)
    with pytest.raises(NotFound):
        store.assign_article(999_999, checker["id"], SYSTEM)


def test_deleting_the_assignee_unassigns(store, factories):
    checker = factories.user(role="factchecker")
    claim = factories.claim()
    store.assign_claim(claim["id"], checker["id"], SYSTEM)
    store.delete_user(checker["id"], SYSTEM)
    assert store.claim(claim["id"])["assignee_id"] is None


def test_queue_holds_my_claims_and_my_articles_claims_newest_first(store, factories):
    me, other = factories.user(role="factchecker"), factories.user(role="factchecker")
    mine = factories.claim(factories.article(title="Mine"))
    not_mine = factories.claim(factories.article())
    article = factories.article(title="Whole article")
    on_article = [factories.claim(article, "minister"), factories.claim(article, "Critics")]
    store.assign_claim(mine["id"], me["id"], SYSTEM)
    store.assign_claim(not_mine["id"], other["id"], SYSTEM)
    store.assign_article(article["id"], me["id"], SYSTEM)
    # Assigned both ways: listed once.
    store.assign_claim(on_article[0]["id"], me["id"], SYSTEM)

    page = store.queue(me["id"])

    assert [i["id"] for i in page["items"]] == [on_article[1]["id"], on_article[0]["id"],
                                               mine["id"]]
    assert page["next"] is None
    first = page["items"][0]
    assert first["article_id"] == article["id"]
    assert first["article_title"] == "Whole article"
    assert (first["verdict"], first["status"], first["exact"]) == ("unverified", "draft",
                                                                   "Critics")
    assert [i["reason"] for i in page["items"]] == ["article_assigned", "claim_assigned",
                                                    "claim_assigned"]
    assert store.queue(other["id"])["items"][0]["id"] == not_mine["id"]


def test_queue_pages_by_id_and_caps_the_limit(store, factories):
    me = factories.user(role="factchecker")
    article = factories.article(text="one two three four five six seven")
    claims = [factories.claim(article, word) for word in "one two three four five".split()]
    store.assign_article(article["id"], me["id"], SYSTEM)
    newest_first = [c["id"] for c in reversed(claims)]

    first = store.queue(me["id"], limit=2)
    second = store.queue(me["id"], limit=2, after=first["next"])
    last = store.queue(me["id"], limit=2, after=second["next"])

    assert [i["id"] for i in first["items"] + second["items"] + last["items"]] == newest_first
    assert last["next"] is None
    assert len(store.queue(me["id"], limit=10**6)["items"]) == 5


def test_queue_is_one_query_whatever_its_size(store, factories):
    me = factories.user(role="factchecker")
    article = factories.article(text=" ".join(f"w{i}" for i in range(30)))
    for i in range(30):
        factories.claim(article, f"w{i}")
    store.assign_article(article["id"], me["id"], SYSTEM)
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        assert len(store.queue(me["id"], limit=200)["items"]) == 30
    finally:
        store.db.conn.set_trace_callback(None)
    assert len([s for s in statements if "SELECT" in s]) == 1


def test_queue_uses_the_assignee_indexes(store):
    sql = ("SELECT c.id FROM claims c WHERE c.id IN (SELECT id FROM claims WHERE assignee_id = 1"
           " UNION SELECT claims.id FROM claims JOIN articles ON articles.id = claims.article_id"
           " WHERE articles.assignee_id = 1)")
    plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
    assert not [step for step in plan if step.startswith("SCAN")], plan


# -- API ---------------------------------------------------------------------------

def test_editor_assigns_a_claim_and_the_factchecker_sees_it(client, auth, users, factories):
    claim = factories.claim()
    checker = users["factchecker"]

    response = _put(client, auth["editor"], "claims", claim["id"], checker["id"])

    assert response.status_code == 200
    assert response.get_json()["assignee_id"] == checker["id"]
    assert response.headers["ETag"]
    got = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["editor"]).get_json()
    assert got["assignee_id"] == checker["id"]
    queue = client.get("/api/v1/queue", headers=auth["factchecker"]).get_json()
    assert [i["id"] for i in queue["items"]] == [claim["id"]]
    assert queue["next"] is None


def test_article_assignment_shows_in_the_article_and_the_list(client, auth, users, factories):
    article = factories.article()
    factories.claim(article)

    response = _put(client, auth["editor"], "articles", article["id"], users["factchecker"]["id"])

    assert response.status_code == 200
    assert response.get_json() == {"id": article["id"], "title": article["title"],
                                   "assignee_id": users["factchecker"]["id"]}
    listed = client.get("/api/v1/articles", headers=auth["editor"]).get_json()["items"]
    assert listed[0]["assignee_id"] == users["factchecker"]["id"]
    full = client.get(f"/api/v1/articles/{article['id']}", headers=auth["editor"]).get_json()
    assert full["assignee_id"] == users["factchecker"]["id"]
    assert len(client.get("/api/v1/queue", headers=auth["factchecker"]).get_json()["items"]) == 1


def test_factchecker_takes_and_gives_back_but_not_others_work(client, app, auth, users,
                                                               factories):
    me, editor = users["factchecker"], users["editor"]
    free, theirs = factories.claim(), factories.claim()
    factories.store.assign_claim(theirs["id"], editor["id"], SYSTEM)

    assert _put(client, auth["factchecker"], "claims", free["id"], me["id"]).status_code == 200
    assert _put(client, auth["factchecker"], "claims", free["id"], None).status_code == 200
    before = row_counts(app)
    # Handing work to someone else, or taking or dropping a colleague's: editors only.
    api_error(_put(client, auth["factchecker"], "claims", free["id"], editor["id"]), 403,
              "assignee_id")
    api_error(_put(client, auth["factchecker"], "claims", theirs["id"], me["id"]), 403,
              "assignee_id")
    api_error(_put(client, auth["factchecker"], "claims", theirs["id"], None), 403,
              "assignee_id")
    assert row_counts(app) == before
    assert factories.store.claim(theirs["id"])["assignee_id"] == editor["id"]


@pytest.mark.parametrize("body, field", [
    ({}, "assignee_id"),
    ({"assignee_id": "someone"}, "assignee_id"),
    ({"assignee_id": 0}, "assignee_id"),
    ({"assignee_id": 2**63}, "assignee_id"),
    ({"assignee_id": 1, "extra": 1}, "extra"),
])
def test_bad_assignment_bodies_are_422(client, app, auth, factories, body, field):
    claim = factories.claim()
    before = row_counts(app)
    response = client.put(f"/api/v1/claims/{claim['id']}/assignee", headers=auth["editor"],
                          json=body)
    api_error(response, 422, field)
    assert row_counts(app) == before


@pytest.mark.parametrize("kind", ["claims", "articles"])
def test_assigning_a_reader_or_nobody_is_422_and_unknown_ids_404(client, app, auth, users,
                                                                 factories, kind):
    target = factories.claim() if kind == "claims" else factories.article()
    before = row_counts(app)
    api_error(_put(client, auth["editor"], kind, target["id"], users["reader"]["id"]), 422,
              "assignee_id")
    api_error(_put(client, auth["editor"], kind, target["id"], 999_999), 422, "assignee_id")
    api_error(_put(client, auth["editor"], kind, 999_999, users["factchecker"]["id"]), 404)
    assert row_counts(app) == before


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403),
                                          ("factchecker", 200), ("editor", 200)])
def test_queue_needs_a_factchecker(client, auth, role, status):
    assert client.get("/api/v1/queue", headers=auth[role]).status_code == status


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=201", "limit"),
                                          ("after=-1", "after"), ("after=x", "after"),
                                          ("other=1", "other")])
def test_bad_queue_arguments_are_422(client, auth, query, field):
    api_error(client.get(f"/api/v1/queue?{query}", headers=auth["factchecker"]), 422, field)


def test_queue_api_pages(client, auth, users, factories):
    article = factories.article(text="one two three")
    claims = [factories.claim(article, w) for w in ("one", "two", "three")]
    factories.store.assign_article(article["id"], users["factchecker"]["id"], SYSTEM)

    first = client.get("/api/v1/queue?limit=2", headers=auth["factchecker"]).get_json()
    rest = client.get(f"/api/v1/queue?limit=2&after={first['next']}",
                      headers=auth["factchecker"]).get_json()

    assert [i["id"] for i in first["items"] + rest["items"]] == [c["id"] for c in claims[::-1]]
    assert rest["next"] is None


# -- UI ----------------------------------------------------------------------------

def _login(client, username):
    response = login(client, username)
    assert response.status_code in (302, 303), response.get_data(as_text=True)


def test_queue_page_links_each_claim_at_its_anchor(app, users, factories):
    article = factories.article(title="Bridge story")
    claim = factories.claim(article, "minister")
    factories.store.assign_claim(claim["id"], users["factchecker"]["id"], SYSTEM)
    client = app.test_client()
    _login(client, "factchecker")

    page = client.get("/queue")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="/articles/{article["id"]}#claim-{claim["id"]}"' in html
    assert "Bridge story" in html
    assert 'href="/queue">My queue</a>' in client.get("/").get_data(as_text=True)


def test_queue_page_needs_a_factchecker(app, users):
    client = app.test_client()
    assert client.get("/queue").status_code == 302
    _login(client, "reader")
    assert client.get("/queue").status_code == 403
    assert "My queue" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/queue?after={2**70}").status_code == 403


def test_queue_page_ignores_a_bad_after(app, users):
    client = app.test_client()
    _login(client, "factchecker")
    for after in ("x", "-5", str(2**70)):
        assert client.get(f"/queue?after={after}").status_code == 200


def test_the_store_decides_who_may_take_work_inside_its_transaction(store, factories):
    # The rule is checked against the assignee read in the same write
    # transaction: of two factcheckers taking one claim, the second is refused.
    first, second = factories.user(role="factchecker"), factories.user(role="factchecker")
    article = factories.article()
    claim = factories.claim(article, "the bridge is open")

    store.assign_claim(claim["id"], first["id"], as_actor(first), only_self=True)
    with pytest.raises(NotAllowed) as refused:
        store.assign_claim(claim["id"], second["id"], as_actor(second), only_self=True)

    assert refused.value.field == "assignee_id"
    assert store.claim(claim["id"])["assignee_id"] == first["id"]
