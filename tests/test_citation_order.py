"""A claim's sources in the order the desk gives them (m0020): a PATCH with
the list in a new order moves them (same ids, one version, the history says
so), and readers, exports and linked claims show that order."""

import csv
import io
import json

from annotations.models import DomainError
from annotations.store import SYSTEM
from tests.helpers import api_error, as_actor, row_counts

import pytest

SOURCES = ({"url": "https://one.example/a", "title": "One"},
           {"url": "https://two.example/b", "title": "Two", "stance": "context"},
           {"url": "https://three.example/c", "title": "Three"})


def _urls(citations) -> list[str]:
    return [c["url"] for c in citations]


@pytest.fixture
def claim(factories):
    return factories.claim(verdict="verified", citations=SOURCES)


def _patch(client, headers, claim_id, body):
    etag = client.get(f"/api/v1/claims/{claim_id}", headers=headers).headers["ETag"]
    return client.patch(f"/api/v1/claims/{claim_id}", json=body,
                        headers={**headers, "If-Match": etag})


def _reversed_rows(claim) -> list[dict]:
    return [{"id": c["id"], "url": c["url"], "title": c["title"]}
            for c in reversed(claim["citations"])]


# -- the API --------------------------------------------------------------------------

def test_a_patch_in_a_new_order_moves_the_sources_keeping_their_ids(client, app, auth, claim,
                                                                   store):
    ids = [c["id"] for c in claim["citations"]]
    before = row_counts(app)

    response = _patch(client, auth["factchecker"], claim["id"],
                      {"citations": _reversed_rows(claim)})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [c["id"] for c in body["citations"]] == ids[::-1]
    assert _urls(body["citations"]) == ["https://three.example/c", "https://two.example/b",
                                        "https://one.example/a"]
    assert body["citations"][1]["stance"] == "context"  # fields left out are kept
    assert body["version"] == claim["version"] + 1
    # Nothing removed or added: the same rows, one audit entry.
    assert row_counts(app) == {**before, "audit_log": before["audit_log"] + 1}
    again = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert [c["id"] for c in again["citations"]] == ids[::-1]

    entry = client.get(f"/api/v1/claims/{claim['id']}/history",
                       headers=auth["factchecker"]).get_json()["entries"][-1]
    assert entry["action"] == "update"
    assert "citations" not in entry["after"]  # no source removed, added or edited
    assert [c["id"] for c in entry["before"]["citation_order"]] == ids
    assert entry["after"]["citation_order"] == [
        {"id": ids[2], "url": "https://three.example/c"},
        {"id": ids[1], "url": "https://two.example/b"},
        {"id": ids[0], "url": "https://one.example/a"}]


def test_the_same_order_again_is_no_new_version(client, auth, claim):
    rows = [{"id": c["id"], "url": c["url"]} for c in claim["citations"]]
    response = _patch(client, auth["factchecker"], claim["id"], {"citations": rows})
    assert response.status_code == 200
    assert response.get_json()["version"] == claim["version"]


def test_moving_editing_and_adding_at_once_is_one_version(client, auth, claim):
    one, two, three = claim["citations"]
    response = _patch(client, auth["factchecker"], claim["id"], {"citations": [
        {"id": two["id"], "url": two["url"], "title": "Two, retitled"},
        {"url": "https://new.example/d"},
        {"id": one["id"], "url": one["url"]},
    ]})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [(c["id"] if c["url"] != "https://new.example/d" else "new", c["title"])
            for c in body["citations"]] == [(two["id"], "Two, retitled"), ("new", ""),
                                            (one["id"], "One")]
    assert body["version"] == claim["version"] + 1
    # A source added later goes after the others.
    added = client.post(f"/api/v1/claims/{claim['id']}/citations",
                        json={"url": "https://last.example/e"}, headers=auth["factchecker"])
    assert added.status_code == 201, added.get_json()
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert _urls(shown["citations"]) == ["https://two.example/b", "https://new.example/d",
                                         "https://one.example/a", "https://last.example/e"]
    assert three["id"] not in [c["id"] for c in shown["citations"]]


def test_a_source_named_twice_is_422_and_nothing_moves(client, app, auth, claim):
    one, two, _ = claim["citations"]
    before = row_counts(app)
    response = _patch(client, auth["factchecker"], claim["id"], {"citations": [
        {"id": two["id"], "url": two["url"]}, {"id": two["id"], "url": two["url"]}]})
    api_error(response, 422, "citations.1.id")
    assert row_counts(app) == before
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert [c["id"] for c in shown["citations"]] == [c["id"] for c in claim["citations"]]


# -- readers and exports --------------------------------------------------------------

def _export(client, headers, fmt):
    return client.get(f"/api/v1/exports/claims.{fmt}", headers=headers).get_data(as_text=True)


def test_readers_and_exports_show_the_approved_order(client, auth, users, factories, claim):
    factories.publish(claim, users["factchecker"], users["editor"])
    assert _patch(client, auth["factchecker"], claim["id"],
                  {"citations": _reversed_rows(claim)}).status_code == 200
    new_order = ["https://three.example/c", "https://two.example/b", "https://one.example/a"]

    # Until approved, readers and the exports keep the published order.
    assert _urls(client.get(f"/api/v1/claims/{claim['id']}").get_json()["citations"]) == \
        new_order[::-1]
    (row,) = json.loads(_export(client, auth["editor"], "json"))
    assert _urls(row["citations"]) == new_order[::-1]

    factories.store.transition_claim(claim["id"], "submit", as_actor(users["factchecker"]))
    factories.store.transition_claim(claim["id"], "approve", as_actor(users["editor"]))

    assert _urls(client.get(f"/api/v1/claims/{claim['id']}").get_json()["citations"]) == \
        new_order
    (row,) = json.loads(_export(client, auth["editor"], "json"))
    assert _urls(row["citations"]) == new_order
    (table_row,) = csv.DictReader(io.StringIO(_export(client, auth["editor"], "csv")))
    assert table_row["Citations"] == ("Three <https://three.example/c>; "
                                      "Two <https://two.example/b>; One <https://one.example/a>")
    assert table_row["Citation stances"] == "supports; context; supports"


def test_a_draft_exports_its_working_order(client, auth, claim):
    assert _patch(client, auth["factchecker"], claim["id"],
                  {"citations": _reversed_rows(claim)}).status_code == 200
    (row,) = json.loads(_export(client, auth["editor"], "json"))
    assert _urls(row["citations"]) == ["https://three.example/c", "https://two.example/b",
                                       "https://one.example/a"]
    (table_row,) = csv.DictReader(io.StringIO(_export(client, auth["editor"], "csv")))
    assert table_row["Citations"].startswith("Three <https://three.example/c>; Two")


def test_a_linked_claim_follows_its_originals_order(store, factories, users):
    fay, ed = as_actor(users["factchecker"]), users["editor"]
    original = factories.claim(verdict="verified", citations=SOURCES)
    factories.publish(original, users["factchecker"], ed)
    follower = factories.claim(verdict="unverified")
    store.link_claim(follower["id"], original["id"], fay, None)

    current = store.claim(original["id"])
    store.update_claim(original["id"], {}, fay, current["version"],
                       citations=[{"id": c["id"]} for c in reversed(current["citations"])])
    store.transition_claim(original["id"], "submit", fay)
    store.transition_claim(original["id"], "approve", as_actor(ed))

    new_order = ["https://three.example/c", "https://two.example/b", "https://one.example/a"]
    assert _urls(store.claim(follower["id"])["citations"]) == new_order
    # Its own rows too (kept should the original go), in that order.
    assert _urls(store.citations(follower["id"])) == new_order


def test_an_unknown_id_in_the_list_names_the_row(store, claim):
    with pytest.raises(DomainError) as refused:
        store.update_claim(claim["id"], {}, SYSTEM, claim["version"],
                           citations=[{"id": 999_999}])
    assert refused.value.field == "citations.0.id"
