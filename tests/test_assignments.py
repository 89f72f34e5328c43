"""Assigning claims and articles to factcheckers, and "my queue"."""

import random
import re

import pytest

from annotations.models import DomainError, NotAllowed, NotFound
from annotations.store import SYSTEM
from annotations.store.assignments import QUEUE_REASONS
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


@pytest.mark.parametrize("kind", ["claims", "articles"])
def test_assigning_a_disabled_account_is_422_and_writes_nothing(client, app, auth, users,
                                                                factories, kind):
    target = factories.claim() if kind == "claims" else factories.article()
    gone = factories.store.create_user("gone", "h", "factchecker")
    factories.store.update_user(gone["id"], SYSTEM, disabled=True)
    before = row_counts(app)

    error = api_error(_put(client, auth["editor"], kind, target["id"], gone["id"]), 422,
                      "assignee_id")

    assert "this account is disabled" in error["fields"]["assignee_id"][0]
    assert row_counts(app) == before
    got = client.get(f"/api/v1/{kind}/{target['id']}", headers=auth["editor"]).get_json()
    assert got["assignee_id"] is None
    # Enabled again, the same person can be given the work.
    factories.store.update_user(gone["id"], SYSTEM, disabled=False)
    assert _put(client, auth["editor"], kind, target["id"], gone["id"]).status_code == 200


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


# -- my queue: review reasons --------------------------------------------------------

QUEUE_TEXT = ("The minister said the bridge is open.\n\n"
              "Critics said the figure was misleading.\n\n"
              "Officials said the tunnel would close in May.\n")


def _reasons(store, user, **query) -> list[tuple[int, str]]:
    return [(i["id"], i["reason"]) for i in store.queue(user["id"], **query)["items"]]


def _submitted(store, factories, author, article=None, quote="minister"):
    """A claim written by ``author`` and sent for review by them."""
    claim = factories.claim(article or factories.article(text=QUEUE_TEXT), quote,
                            actor=as_actor(author))
    return store.transition_claim(claim["id"], "submit", as_actor(author))


def _orphan(factories, article, text="Nothing of the old text is left here.\n"):
    """Re-import the article with other text: its claims lose their place."""
    return factories.article(url=article["url"], text=text)


def test_to_review_lists_in_review_claims_for_editors_and_admins_only(store, factories):
    author = factories.user(role="factchecker")
    editor, admin = factories.user(role="editor"), factories.user(role="admin")
    colleague = factories.user(role="factchecker")
    waiting = _submitted(store, factories, author)
    factories.claim(factories.article(), actor=as_actor(author))  # a draft: nobody's review

    assert _reasons(store, editor) == [(waiting["id"], "to_review")]
    assert _reasons(store, admin) == [(waiting["id"], "to_review")]
    # Factcheckers cannot approve: not theirs to review.
    assert _reasons(store, colleague) == []
    assert _reasons(store, author) == []


def test_two_person_rule_keeps_my_own_edit_out_of_my_review_list(store, factories):
    me, other_editor = factories.user(role="editor"), factories.user(role="editor")
    mine = _submitted(store, factories, me)
    theirs = _submitted(store, factories, other_editor)

    assert store.two_person_rule is True
    assert _reasons(store, me) == [(theirs["id"], "to_review")]
    assert _reasons(store, other_editor) == [(mine["id"], "to_review")]

    store.two_person_rule = False  # a one-person desk approves its own work
    assert _reasons(store, me) == [(theirs["id"], "to_review"), (mine["id"], "to_review")]


def test_two_person_rule_on_my_own_assigned_claim_leaves_it_assigned(store, factories):
    me = factories.user(role="editor")
    mine = _submitted(store, factories, me)
    store.assign_claim(mine["id"], me["id"], SYSTEM)

    assert _reasons(store, me) == [(mine["id"], "claim_assigned")]
    store.two_person_rule = False
    assert _reasons(store, me) == [(mine["id"], "to_review")]


def test_sent_back_reaches_the_author_and_the_assignee_with_the_editors_note(store, factories):
    author, assignee = factories.user(role="factchecker"), factories.user(role="factchecker")
    bystander = factories.user(role="factchecker")
    editor = factories.user(role="editor")
    claim = _submitted(store, factories, author)
    store.assign_claim(claim["id"], assignee["id"], SYSTEM)
    store.transition_claim(claim["id"], "request_changes", as_actor(editor),
                           note="First try: name the source")
    store.transition_claim(claim["id"], "submit", as_actor(author))
    store.transition_claim(claim["id"], "request_changes", as_actor(editor),
                           note="Cite the   2023 report")

    for person in (author, assignee):
        [item] = store.queue(person["id"])["items"]
        assert (item["id"], item["reason"], item["status"]) == (claim["id"], "sent_back",
                                                                "changes_requested")
        assert item["request_note"] == "Cite the 2023 report"  # the latest, as saved
        assert item["requested_by"] == editor["username"]
        assert item["requested_at"]
    assert _reasons(store, bystander) == []
    assert _reasons(store, editor) == []  # nothing to review until it is resubmitted

    store.transition_claim(claim["id"], "submit", as_actor(author))
    assert _reasons(store, author) == []
    assert _reasons(store, assignee) == [(claim["id"], "claim_assigned")]
    assert _reasons(store, editor) == [(claim["id"], "to_review")]
    assert store.queue(assignee["id"])["items"][0]["request_note"] is None


def test_needs_attention_lists_orphaned_publications_for_the_whole_desk(store, factories):
    checker, editor = factories.user(role="factchecker"), factories.user(role="editor")
    admin, reader = factories.user(role="admin"), factories.user(role="reader")
    article = factories.article(text=QUEUE_TEXT)
    published = factories.claim(article, "minister", published=True)
    retracted = factories.claim(article, "Critics", published=True)
    store.transition_claim(retracted["id"], "retract", as_actor(editor), note="Wrong quote")
    draft = factories.claim(article, "tunnel")  # orphaned too, but readers never saw it

    _orphan(factories, article)

    assert store.claim(draft["id"])["anchor_state"] == "orphaned"
    for person in (checker, editor, admin):
        [item] = store.queue(person["id"])["items"]
        assert (item["id"], item["reason"]) == (published["id"], "needs_attention")
        assert item["publication_orphaned"] is True
        assert item["anchor_state"] == "orphaned"
    assert _reasons(store, reader) == []


def test_a_reattached_fix_leaves_needs_attention_for_review_then_the_queue(store, factories):
    checker, editor = factories.user(role="factchecker"), factories.user(role="editor")
    article = factories.article(text=QUEUE_TEXT)
    claim = factories.claim(article, "minister", published=True)
    moved = _orphan(factories, article, "Update.\n\nThe secretary said the bridge is open.\n")
    assert store.publication(claim["id"])["anchor_state"] == "orphaned"
    passage = moved["passages"][1]
    start = passage["text"].index("secretary")

    fixed = store.reattach_claim(claim["id"], passage["id"], start, start + len("secretary"),
                                 as_actor(checker), store.claim(claim["id"])["version"])
    # Re-attached but not yet submitted: readers' copy is still off the page.
    assert _reasons(store, checker) == [(claim["id"], "needs_attention")]

    store.transition_claim(fixed["id"], "submit", as_actor(checker))
    assert _reasons(store, checker) == []
    [item] = store.queue(editor["id"])["items"]
    assert (item["reason"], item["publication_orphaned"]) == ("to_review", True)

    store.transition_claim(fixed["id"], "approve", as_actor(editor))
    assert _reasons(store, checker) == [] and _reasons(store, editor) == []


def test_each_claim_is_listed_once_under_its_first_reason(store, factories):
    me, editor = factories.user(role="editor"), factories.user(role="editor")
    article = factories.article(text=QUEUE_TEXT)
    store.assign_article(article["id"], me["id"], SYSTEM)
    sent_back = factories.claim(article, "minister", actor=as_actor(me))
    store.transition_claim(sent_back["id"], "submit", as_actor(me))
    store.transition_claim(sent_back["id"], "request_changes", as_actor(editor), note="Why?")
    to_review = _submitted(store, factories, editor, article, "Critics")
    plain = factories.claim(article, "tunnel")
    for claim in (sent_back, to_review, plain):
        store.assign_claim(claim["id"], me["id"], SYSTEM)
    other = factories.article(text=QUEUE_TEXT)
    orphaned = factories.claim(other, "bridge", published=True)
    store.assign_claim(orphaned["id"], me["id"], SYSTEM)
    _orphan(factories, other)

    assert _reasons(store, me) == [(orphaned["id"], "needs_attention"),
                                   (plain["id"], "claim_assigned"),
                                   (to_review["id"], "to_review"),
                                   (sent_back["id"], "sent_back")]


def test_reason_filter_keeps_the_claims_listed_under_that_reason(store, factories):
    me, author = factories.user(role="editor"), factories.user(role="factchecker")
    article = factories.article(text=QUEUE_TEXT)
    waiting = _submitted(store, factories, author, article, "minister")
    assigned_and_waiting = _submitted(store, factories, author, article, "Critics")
    assigned = factories.claim(article, "tunnel")
    for claim in (assigned_and_waiting, assigned):
        store.assign_claim(claim["id"], me["id"], SYSTEM)

    assert _reasons(store, me, reason="to_review") == [
        (assigned_and_waiting["id"], "to_review"), (waiting["id"], "to_review")]
    # Listed under its first reason only.
    assert _reasons(store, me, reason="claim_assigned") == [(assigned["id"], "claim_assigned")]
    assert _reasons(store, me, reason="sent_back") == []
    with pytest.raises(DomainError) as error:
        store.queue(me["id"], reason="everything")
    assert error.value.field == "reason"


def _mixed_queue(store, factories, me, editor):
    """A queue holding every reason, in id order: returns the expected
    (id, reason) list, newest first."""
    expected = []
    for round_ in range(3):
        article = factories.article(text=QUEUE_TEXT)
        a = factories.claim(article, "minister", actor=as_actor(me))
        store.transition_claim(a["id"], "submit", as_actor(me))
        store.transition_claim(a["id"], "request_changes", as_actor(editor), note=f"n{round_}")
        expected.append((a["id"], "sent_back"))
        b = _submitted(store, factories, editor, article, "Critics")
        expected.append((b["id"], "to_review"))
        c = factories.claim(article, "tunnel")
        store.assign_claim(c["id"], me["id"], SYSTEM)
        expected.append((c["id"], "claim_assigned"))
        gone = factories.article(text=QUEUE_TEXT)
        d = factories.claim(gone, "bridge", published=True)
        _orphan(factories, gone)
        expected.append((d["id"], "needs_attention"))
        whole = factories.article(text=QUEUE_TEXT)
        e = factories.claim(whole, "figure")
        store.assign_article(whole["id"], me["id"], SYSTEM)
        expected.append((e["id"], "article_assigned"))
        factories.claim(factories.article(text=QUEUE_TEXT), "figure")  # nobody's
    return sorted(expected, reverse=True)


def _all_pages(store, user, limit, **query) -> list[tuple[int, str]]:
    seen, after = [], None
    while True:
        page = store.queue(user["id"], limit=limit, after=after, **query)
        assert len(page["items"]) <= limit
        seen += [(i["id"], i["reason"]) for i in page["items"]]
        if page["next"] is None:
            return seen
        assert page["next"] == page["items"][-1]["id"]
        after = page["next"]


@pytest.mark.parametrize("limit", [1, 2, 4, 7, 200])
def test_queue_pages_across_reasons_without_gaps_or_repeats(store, factories, limit):
    me, editor = factories.user(role="editor"), factories.user(role="editor")
    expected = _mixed_queue(store, factories, me, editor)
    assert {reason for _, reason in expected} == set(QUEUE_REASONS)

    assert _all_pages(store, me, limit) == expected
    for reason in QUEUE_REASONS:
        assert _all_pages(store, me, limit, reason=reason) == [
            entry for entry in expected if entry[1] == reason]


def test_queue_with_every_reason_is_still_one_query(store, factories):
    me, editor = factories.user(role="editor"), factories.user(role="editor")
    _mixed_queue(store, factories, me, editor)
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        page = store.queue(me["id"], limit=200)
    finally:
        store.db.conn.set_trace_callback(None)
    assert {i["reason"] for i in page["items"]} == set(QUEUE_REASONS)
    assert len([s for s in statements if "SELECT" in s]) == 1


def test_queue_reads_every_reason_through_an_index(store, factories):
    me, editor = factories.user(role="editor"), factories.user(role="editor")
    _mixed_queue(store, factories, me, editor)
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.queue(me["id"], limit=5)
    finally:
        store.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "SELECT" in s]

    plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]

    # Tables are only searched (an index or a key); the only scan is of the
    # page the lookups made (its few rows).
    scans = [step for step in plan if step.startswith("SCAN")]
    assert all(step.startswith("SCAN (subquery") or step == "SCAN page" for step in scans), plan
    for index in ("idx_claims_last_edited_by", "idx_claims_assignee", "idx_claims_status ",
                  "idx_claim_publications_anchor", "idx_articles_assignee"):
        assert any(f"INDEX {index}" in step + " " for step in plan), (index, plan)
    # The merge reads each lookup in id order: only the claims of assigned
    # articles (and the page itself) are sorted.
    assert len([step for step in plan if "TEMP B-TREE" in step]) == 2, plan


def _reference_queue(store, user_id: int) -> list[tuple[int, str]]:
    """What the queue should hold, worked out claim by claim in Python."""
    role = store.user(user_id)["role"]
    claims = store.db.query("SELECT c.*, a.assignee_id AS article_assignee FROM claims c"
                            " JOIN articles a ON a.id = c.article_id ORDER BY c.id DESC")
    expected = []
    for c in claims:
        publication = store.publication(c["id"])
        if c["status"] == "changes_requested" and user_id in (c["last_edited_by"],
                                                              c["assignee_id"]):
            reason = "sent_back"
        elif (c["status"] == "in_review" and role in ("editor", "admin")
              and not (store.two_person_rule and c["last_edited_by"] == user_id)):
            reason = "to_review"
        elif (c["status"] != "in_review" and role != "reader" and publication
              and publication["anchor_state"] == "orphaned"
              and publication["retracted_at"] is None):
            reason = "needs_attention"
        elif c["assignee_id"] == user_id:
            reason = "claim_assigned"
        elif c["article_assignee"] == user_id:
            reason = "article_assigned"
        else:
            continue
        expected.append((c["id"], reason))
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_queue_agrees_with_a_claim_by_claim_reading_of_the_rules(store, factories, seed):
    rng = random.Random(seed)
    people = [factories.user(role=role) for role in
              ("reader", "factchecker", "factchecker", "editor", "editor", "admin")]
    desk = [p for p in people if p["role"] != "reader"]
    editors = [p for p in people if p["role"] in ("editor", "admin")]
    for _ in range(6):
        article = factories.article(text=QUEUE_TEXT)
        if rng.random() < 0.4:
            store.assign_article(article["id"], rng.choice(desk)["id"], SYSTEM)
        for quote in ("minister", "bridge", "Critics", "figure", "tunnel", "May"):
            author = rng.choice(desk)
            claim = factories.claim(article, quote, actor=as_actor(author))
            if rng.random() < 0.3:
                store.assign_claim(claim["id"], rng.choice(desk)["id"], SYSTEM)
            step = rng.choice(["draft", "submit", "sent_back", "publish", "retract"])
            if step != "draft":
                store.transition_claim(claim["id"], "submit", as_actor(author))
            if step == "sent_back":
                store.transition_claim(claim["id"], "request_changes",
                                       as_actor(rng.choice(editors)), note="Again")
            if step in ("publish", "retract"):
                store.transition_claim(claim["id"], "approve", SYSTEM)
            if step == "retract":
                store.transition_claim(claim["id"], "retract", SYSTEM, note="Withdrawn")
        if rng.random() < 0.5:
            _orphan(factories, article, "The minister said it.\n")
    for two_person in (True, False):
        store.two_person_rule = two_person
        for person in people:
            expected = _reference_queue(store, person["id"])
            assert _all_pages(store, person, 3) == expected, (person["role"], two_person)


# -- my queue over the API and on its page -------------------------------------------

def _desk_scenario(factories, users):
    """One claim per workflow reason, seen from the desk accounts of ``users``:
    the factchecker's claim sent back to them, the factchecker's claim
    waiting for review, and a published claim orphaned by a re-import."""
    store = factories.store
    checker, editor = as_actor(users["factchecker"]), as_actor(users["editor"])
    article = factories.article(text=QUEUE_TEXT, title="Budget story")
    sent_back = factories.claim(article, "minister", actor=checker)
    store.transition_claim(sent_back["id"], "submit", checker)
    store.transition_claim(sent_back["id"], "request_changes", editor,
                           note="Add the <b>2023</b> report & a quote")
    waiting = factories.claim(article, "Critics", actor=checker)
    store.transition_claim(waiting["id"], "submit", checker)
    gone = factories.article(text=QUEUE_TEXT, title="Tunnel story")
    orphaned = factories.claim(gone, "tunnel", published=True)
    _orphan(factories, gone)
    return {"sent_back": sent_back, "to_review": waiting, "needs_attention": orphaned}


def _api_queue(client, headers, query=""):
    response = client.get(f"/api/v1/queue{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_queue_api_gives_each_role_its_reasons(client, auth, users, factories):
    made = _desk_scenario(factories, users)

    checker = _api_queue(client, auth["factchecker"])["items"]
    editor = _api_queue(client, auth["editor"])["items"]
    admin = _api_queue(client, auth["admin"])["items"]

    assert [(i["id"], i["reason"]) for i in checker] == [
        (made["needs_attention"]["id"], "needs_attention"),
        (made["sent_back"]["id"], "sent_back")]
    assert [(i["id"], i["reason"]) for i in editor] == [
        (made["needs_attention"]["id"], "needs_attention"),
        (made["to_review"]["id"], "to_review")]
    assert [i["reason"] for i in admin] == ["needs_attention", "to_review"]
    sent = checker[1]
    assert sent["request_note"] == "Add the <b>2023</b> report & a quote"
    assert sent["requested_by"] == "editor" and sent["requested_at"]
    assert sent["status"] == "changes_requested" and sent["article_title"] == "Budget story"
    attention = checker[0]
    assert attention["publication_orphaned"] is True and attention["request_note"] is None
    assert attention["article_title"] == "Tunnel story"


def test_queue_api_follows_the_two_person_setting(app, client, auth, users, factories):
    mine = factories.claim(factories.article(text=QUEUE_TEXT), "minister",
                           actor=as_actor(users["editor"]))
    factories.store.transition_claim(mine["id"], "submit", as_actor(users["editor"]))

    assert _api_queue(client, auth["editor"])["items"] == []
    app.config["TWO_PERSON_RULE"] = False
    assert [(i["id"], i["reason"]) for i in _api_queue(client, auth["editor"])["items"]] == [
        (mine["id"], "to_review")]


def test_queue_api_filters_by_reason_and_pages(client, auth, users, factories):
    author = as_actor(users["factchecker"])
    article = factories.article(text=QUEUE_TEXT)
    waiting = []
    for quote in ("minister", "Critics", "tunnel"):
        claim = factories.claim(article, quote, actor=author)
        waiting.append(factories.store.transition_claim(claim["id"], "submit", author))
    assigned = factories.claim(article, "figure")
    factories.store.assign_claim(assigned["id"], users["editor"]["id"], SYSTEM)

    first = _api_queue(client, auth["editor"], "?reason=to_review&limit=2")
    rest = _api_queue(client, auth["editor"], f"?reason=to_review&limit=2&after={first['next']}")
    assigned_only = _api_queue(client, auth["editor"], "?reason=claim_assigned")

    assert [i["id"] for i in first["items"] + rest["items"]] == [c["id"] for c in waiting[::-1]]
    assert {i["reason"] for i in first["items"] + rest["items"]} == {"to_review"}
    assert rest["next"] is None
    assert [i["id"] for i in assigned_only["items"]] == [assigned["id"]]
    assert _api_queue(client, auth["editor"], "?reason=sent_back")["items"] == []


@pytest.mark.parametrize("query", ["reason=", "reason=everything", "reason=TO_REVIEW"])
def test_bad_queue_reason_is_422(client, auth, query):
    api_error(client.get(f"/api/v1/queue?{query}", headers=auth["editor"]), 422, "reason")


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403)])
def test_queue_reasons_are_not_for_readers(client, auth, users, factories, role, status):
    _desk_scenario(factories, users)
    api_error(client.get("/api/v1/queue?reason=needs_attention", headers=auth[role]), status)


def test_queue_reasons_are_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/queue"]["get"]["parameters"]}
    assert parameters["reason"]["schema"]["enum"] == list(QUEUE_REASONS)


def _queue_rows(html: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(0) for m in
            re.finditer(r'<tr data-claim-id="(\d+)".*?</tr>', html, re.S)}


def test_queue_page_says_why_each_claim_is_there(app, users, factories):
    made = _desk_scenario(factories, users)
    client = app.test_client()
    _login(client, "factchecker")

    html = client.get("/queue").get_data(as_text=True)

    rows = _queue_rows(html)
    assert list(rows) == [made["needs_attention"]["id"], made["sent_back"]["id"]]
    assert "Needs attention: orphaned by a re-import" in rows[made["needs_attention"]["id"]]
    sent = rows[made["sent_back"]["id"]]
    assert "Sent back to you" in sent
    # The editor's note, escaped: no markup of its own.
    assert "Add the &lt;b&gt;2023&lt;/b&gt; report &amp; a quote" in sent
    assert "<b>2023" not in html
    assert re.search(r'<div class="meta">editor, <time datetime="[^"]+">'
                     r'\d{4}-\d\d-\d\d</time>', sent)
    assert "changes requested" in sent

    _login(client, "editor")
    rows = _queue_rows(client.get("/queue").get_data(as_text=True))
    assert "To review" in rows[made["to_review"]["id"]]
    assert made["sent_back"]["id"] not in rows


def test_queue_page_tabs_filter_by_reason_and_keep_it_when_paging(app, users, factories):
    made = _desk_scenario(factories, users)
    app.config["PAGE_SIZE"] = 1
    extra = factories.claim(factories.article(text=QUEUE_TEXT), "minister",
                            actor=as_actor(users["factchecker"]))
    factories.store.transition_claim(extra["id"], "submit", as_actor(users["factchecker"]))
    client = app.test_client()
    _login(client, "editor")

    html = client.get("/queue?reason=to_review").get_data(as_text=True)

    assert list(_queue_rows(html)) == [extra["id"]]
    assert 'href="/queue?reason=to_review" data-reason="to_review" aria-current="page"' in html
    older = f'href="/queue?after={extra["id"]}&amp;reason=to_review"'
    assert older in html
    html = client.get(f"/queue?after={extra['id']}&reason=to_review").get_data(as_text=True)
    assert list(_queue_rows(html)) == [made["to_review"]["id"]]
    html = client.get("/queue?reason=sent_back").get_data(as_text=True)
    assert _queue_rows(html) == {} and "Nothing here: Sent back." in html
    # A hand-edited reason shows every reason.
    response = client.get("/queue?reason=<script>")
    assert response.status_code == 200
    assert list(_queue_rows(response.get_data(as_text=True))) == [extra["id"]]
    assert "<script>" not in response.get_data(as_text=True)
