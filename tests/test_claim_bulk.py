"""POST /api/v1/claims/bulk: one action on a selection of claims, each
audited as if acted on alone, all or nothing."""

import pytest

from annotations.store import SYSTEM
from annotations.store.bulk import BulkRefusal
from tests.helpers import api_error, as_actor, open_store, row_counts

TEXT = ("Port figures\n\n"
        "The minister said the port handled 12 million tonnes.\n\n"
        "Officials in Одеса said traffic doubled; 港口吞吐量翻了一番。\n\n"
        "The mayor said rents fell by 3% last year.\n")
QUOTES = ("handled 12 million tonnes", "traffic doubled", "港口吞吐量翻了一番", "rents fell by 3%")
SOURCE = {"url": "https://port.example.org/figures"}


def _bulk(client, headers, claim_ids, action, **body):
    return client.post("/api/v1/claims/bulk", headers=headers,
                       json={"claim_ids": claim_ids, "action": action, **body})


@pytest.fixture
def article(factories):
    return factories.article("https://news.example.com/port", TEXT)


@pytest.fixture
def drafts(factories, users, article):
    """Four draft claims by the factchecker, the first two with a source."""
    author = users["factchecker"]
    return [factories.claim(article, quote, "verified" if n < 2 else "unverified", author,
                            citations=[SOURCE] if n < 2 else [])
            for n, quote in enumerate(QUOTES)]


def _submitted(store, claims, by):
    for claim in claims:
        store.transition_claim(claim["id"], "submit", as_actor(by))


def _statuses(app, claims) -> list[str]:
    with open_store(app) as store:
        return [store.claim(c["id"])["status"] for c in claims]


def _entries(app, claim, action) -> list[dict]:
    with open_store(app) as store:
        return [e for e in store.history("claim", claim["id"]) if e["action"] == action]


# -- success: each claim audited ---------------------------------------------------------

def test_bulk_submit_moves_each_claim_and_audits_each(client, app, auth, users, drafts):
    ids = [c["id"] for c in drafts[:3]]

    response = _bulk(client, auth["factchecker"], ids, "submit")

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["action"] == "submit"
    assert [c["id"] for c in body["claims"]] == ids
    assert {c["status"] for c in body["claims"]} == {"in_review"}
    assert _statuses(app, drafts) == ["in_review", "in_review", "in_review", "draft"]
    for claim in drafts[:3]:
        (entry,) = _entries(app, claim, "submit")
        assert entry["actor"] == "factchecker"
        assert entry["before"]["status"] == "draft" and entry["after"]["status"] == "in_review"
    assert _entries(app, drafts[3], "submit") == []


def test_bulk_approve_publishes_each_claim_for_readers(client, app, auth, users, store, drafts):
    _submitted(store, drafts[:2], users["factchecker"])

    response = _bulk(client, auth["editor"], [c["id"] for c in drafts[:2]], "approve")

    assert response.status_code == 200, response.get_json()
    for claim in drafts[:2]:
        public = client.get(f"/api/v1/claims/{claim['id']}").get_json()
        assert public["status"] == "published"
        assert len(_entries(app, claim, "approve")) == 1


def test_bulk_retract_gives_every_claim_the_public_reason(client, app, auth, users, factories,
                                                         drafts):
    for claim in drafts[:2]:
        factories.publish(claim, users["factchecker"], users["editor"])

    response = _bulk(client, auth["editor"], [c["id"] for c in drafts[:2]], "retract",
                     note="The port authority withdrew these figures.")

    assert response.status_code == 200, response.get_json()
    for claim in drafts[:2]:
        publication = client.get(f"/api/v1/claims/{claim['id']}",
                                 headers=auth["editor"]).get_json()["publication"]
        assert publication["status"] == "retracted"
        assert publication["retraction_reason"] == "The port authority withdrew these figures."
        assert len(_entries(app, claim, "retract")) == 1


def test_an_editor_assigns_a_selection_each_audited(client, app, auth, users, drafts):
    checker = users["factchecker"]
    ids = [c["id"] for c in drafts]

    response = _bulk(client, auth["editor"], ids, "assign", assignee_id=checker["id"])

    assert response.status_code == 200, response.get_json()
    assert {c["assignee_id"] for c in response.get_json()["claims"]} == {checker["id"]}
    for claim in drafts:
        (entry,) = _entries(app, claim, "assign")
        assert entry["after"] == {"assignee_id": checker["id"]} and entry["actor"] == "editor"
    mine = client.get("/api/v1/claims", query_string={"assignee": "me"},
                      headers=auth["factchecker"]).get_json()["claims"]
    assert sorted(c["id"] for c in mine) == sorted(ids)


def test_a_selection_is_not_assigned_to_a_disabled_account(client, app, auth, users, store,
                                                          drafts):
    gone = store.create_user("gone", "h", "factchecker")
    store.update_user(gone["id"], SYSTEM, disabled=True)
    before = row_counts(app)

    response = _bulk(client, auth["editor"], [c["id"] for c in drafts], "assign",
                     assignee_id=gone["id"])

    error = api_error(response, 422, "assignee_id")
    assert "this account is disabled" in error["fields"]["assignee_id"][0]
    assert row_counts(app) == before
    assert {store.claim(c["id"])["assignee_id"] for c in drafts} == {None}


# -- all or nothing -------------------------------------------------------------------------

def test_one_claim_in_the_wrong_state_in_the_middle_changes_nothing(client, app, auth, users,
                                                                    store, drafts):
    _submitted(store, [drafts[1]], users["factchecker"])  # already in review: cannot submit
    before = row_counts(app)
    versions = [store.claim(c["id"])["version"] for c in drafts]

    response = _bulk(client, auth["factchecker"], [c["id"] for c in drafts], "submit")

    error = api_error(response, 409, "claim_ids.1", "conflict")
    assert f"claim {drafts[1]['id']}: a in review claim cannot be sent to in review" in \
        error["fields"]["claim_ids.1"][0]
    assert "nothing was changed" in error["message"]
    assert row_counts(app) == before  # the audit log included
    assert _statuses(app, drafts) == ["draft", "in_review", "draft", "draft"]
    assert [store.claim(c["id"])["version"] for c in drafts] == versions


def test_an_unknown_claim_in_the_selection_is_404_and_changes_nothing(client, app, auth, drafts):
    before = row_counts(app)
    ids = [drafts[0]["id"], 987654, drafts[2]["id"]]

    error = api_error(_bulk(client, auth["factchecker"], ids, "submit"), 404, "claim_ids.1")

    assert error["fields"]["claim_ids.1"] == ["claim 987654: claim 987654 not found"]
    assert row_counts(app) == before


def test_approving_a_verified_claim_without_a_source_refuses_the_whole_selection(
        client, app, auth, users, store, factories, article, drafts):
    unsourced = factories.claim(article, "The mayor said", "denied", users["factchecker"])
    selection = [drafts[0], unsourced, drafts[1]]
    _submitted(store, selection, users["factchecker"])
    before = row_counts(app)

    response = _bulk(client, auth["editor"], [c["id"] for c in selection], "approve")

    error = api_error(response, 422, "claim_ids.1")
    assert "needs a citation" in error["fields"]["claim_ids.1"][0]
    assert row_counts(app) == before
    assert _statuses(app, selection) == ["in_review"] * 3
    assert client.get(f"/api/v1/claims/{drafts[0]['id']}").status_code == 404  # not public


# -- roles ------------------------------------------------------------------------------------

@pytest.mark.parametrize("action, allowed", [
    ("submit", {"factchecker", "editor", "admin"}),
    ("withdraw", {"factchecker", "editor", "admin"}),
    ("request_changes", {"editor", "admin"}),
    ("approve", {"editor", "admin"}),
    ("retract", {"editor", "admin"}),
])
@pytest.mark.parametrize("role", ["anonymous", "reader", "factchecker", "editor", "admin"])
def test_each_action_keeps_its_single_claim_role(client, app, auth, users, store, factories,
                                                 drafts, action, allowed, role):
    selection = drafts[:2]
    if action in ("withdraw", "request_changes", "approve"):
        _submitted(store, selection, users["factchecker"])
    if action == "retract":
        for claim in selection:
            factories.publish(claim, users["factchecker"], users["admin"])
    before = row_counts(app)

    response = _bulk(client, auth[role], [c["id"] for c in selection], action, note="Because.")

    if role == "anonymous":
        api_error(response, 401)
    elif role not in allowed:
        error = api_error(response, 403)
        assert error["field"] in (None, "action")
    else:
        assert response.status_code == 200, response.get_json()
        return
    assert row_counts(app) == before


def test_a_factchecker_takes_unassigned_claims_but_not_a_colleagues(client, app, auth, users,
                                                                     store, drafts):
    checker = users["factchecker"]
    store.assign_claim(drafts[2]["id"], users["editor"]["id"], SYSTEM)
    before = row_counts(app)

    response = _bulk(client, auth["factchecker"], [c["id"] for c in drafts], "assign",
                     assignee_id=checker["id"])

    error = api_error(response, 403, "claim_ids.2")
    assert error["fields"]["claim_ids.2"][0].startswith(
        f"claim {drafts[2]['id']}: a factchecker may only assign to themselves")
    assert row_counts(app) == before
    ok = _bulk(client, auth["factchecker"], [c["id"] for c in drafts[:2]], "assign",
               assignee_id=checker["id"])
    assert ok.status_code == 200, ok.get_json()


def test_a_factchecker_cannot_hand_claims_to_someone_else(client, app, auth, users, drafts):
    before = row_counts(app)
    response = _bulk(client, auth["factchecker"], [drafts[0]["id"]], "assign",
                     assignee_id=users["editor"]["id"])
    api_error(response, 403, "assignee_id")
    response = _bulk(client, auth["editor"], [drafts[0]["id"]], "assign",
                     assignee_id=users["reader"]["id"])
    api_error(response, 422, "assignee_id")
    assert row_counts(app) == before


def test_the_two_person_rule_applies_to_each_claim(client, app, auth, users, store, factories,
                                                   article, drafts):
    editor = users["editor"]
    own = factories.claim(article, "the port handled", "unverified", editor)
    selection = [drafts[2], own]
    _submitted(store, [drafts[2]], users["factchecker"])
    _submitted(store, [own], editor)
    before = row_counts(app)

    response = _bulk(client, auth["editor"], [c["id"] for c in selection], "approve")

    error = api_error(response, 403, "claim_ids.1", "forbidden")
    assert error["fields"]["claim_ids.1"][0].startswith(f"claim {own['id']}: ")
    assert row_counts(app) == before
    assert _statuses(app, selection) == ["in_review", "in_review"]

    app.config["TWO_PERSON_RULE"] = False
    assert _bulk(client, auth["editor"], [c["id"] for c in selection], "approve").status_code \
        == 200


# -- bad input: 422 naming the field, nothing written -------------------------------------

@pytest.mark.parametrize("body, field", [
    ({"claim_ids": list(range(1, 202)), "action": "submit"}, "claim_ids"),
    ({"claim_ids": [], "action": "submit"}, "claim_ids"),
    ({"claim_ids": "DUPLICATE", "action": "submit"}, "claim_ids.2"),
    ({"claim_ids": "ONE", "action": "publish"}, "action"),
    ({"claim_ids": "ONE"}, "action"),
    ({"action": "submit"}, "claim_ids"),
    ({"claim_ids": ["1"], "action": "submit"}, "claim_ids.0"),
    ({"claim_ids": [0], "action": "submit"}, "claim_ids.0"),
    ({"claim_ids": [2**63], "action": "submit"}, "claim_ids.0"),
    ({"claim_ids": "ONE", "action": "assign"}, "assignee_id"),
    ({"claim_ids": "ONE", "action": "submit", "assignee_id": 1}, "assignee_id"),
    ({"claim_ids": "ONE", "action": "retract"}, "note"),
    ({"claim_ids": "ONE", "action": "request_changes", "note": "   "}, "note"),
    ({"claim_ids": "ONE", "action": "approve", "correction_note": "x" * 5001},
     "correction_note"),
    ({"claim_ids": "ONE", "action": "submit", "everything": True}, "everything"),
])
def test_bad_bodies_are_422_naming_the_field(client, app, auth, drafts, body, field):
    ids = [c["id"] for c in drafts]
    if body.get("claim_ids") == "ONE":
        body = {**body, "claim_ids": ids[:1]}
    elif body.get("claim_ids") == "DUPLICATE":
        body = {**body, "claim_ids": [ids[0], ids[1], ids[0]]}
    before = row_counts(app)

    response = client.post("/api/v1/claims/bulk", json=body, headers=auth["editor"])

    error = api_error(response, 422, field)
    if field == "claim_ids.2":
        assert error["fields"][field] == [f"claim {ids[0]} is listed twice (also at 0)"]
    assert row_counts(app) == before
    assert _statuses(app, drafts) == ["draft"] * 4


def test_the_store_refuses_like_the_api(store, users, drafts):
    fay = as_actor(users["factchecker"])
    with pytest.raises(BulkRefusal) as refusal:
        store.bulk_claim_action([drafts[0]["id"], 424242], "submit", fay)
    assert (refusal.value.index, refusal.value.claim_id) == (1, 424242)
    assert store.claim(drafts[0]["id"])["status"] == "draft"


# -- sessions ---------------------------------------------------------------------------------

def test_a_session_write_needs_the_csrf_token(app, users, drafts):
    client = app.test_client()
    login = client.post("/api/v1/session", json={"username": "factchecker",
                                                  "password": "correct horse battery"})
    token = login.get_json()["csrf_token"]
    before = row_counts(app)
    ids = [drafts[0]["id"]]

    api_error(_bulk(client, {}, ids, "submit"), 403, "X-CSRFToken")
    assert row_counts(app) == before
    assert _bulk(client, {"X-CSRFToken": token}, ids, "submit").status_code == 200
