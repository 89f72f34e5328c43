"""The audit log: entries record what changed with a bounded size, the
citation cap holds on every path, the history is paged, and an entry always
names the real actor (a Web Annotation import's creator is data)."""

import json

import pytest

from annotations.models import MAX_CITATIONS, DomainError
from annotations.store.base import AUDIT_MAX_BYTES
from tests.helpers import (api_error, as_actor, create_claim, import_article, open_store,
                           passage_with, row_counts)

LONG_EXCERPT = "An excerpt long enough to matter. " * 140  # under CitationIn's 5000


def _citation(n: int) -> dict:
    return {"url": f"https://sources.example.org/{n}", "title": f"Source {n}",
            "excerpt": LONG_EXCERPT}


@pytest.fixture
def passage(client, auth):
    return passage_with(import_article(client, auth["factchecker"]), "minister")


def _full_claim(client, auth, passage) -> dict:
    """A claim holding the most citations a claim may hold."""
    return create_claim(client, auth["factchecker"], passage, "minister",
                        citations=[_citation(n) for n in range(MAX_CITATIONS)])


def _audit_rows(app, claim_id: int) -> list[dict]:
    with open_store(app) as store:
        return list(store.db.query(
            "SELECT * FROM audit_log WHERE entity = 'claim' AND entity_id = ? ORDER BY id",
            [claim_id]))


def _size(row: dict) -> int:
    return len((row["before"] or "").encode()) + len((row["after"] or "").encode())


# -- entries record what changed, bounded ------------------------------------------

def test_a_citation_added_is_audited_as_itself_not_the_whole_claim(client, app, auth, passage):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, passage, "minister")
    for n in range(MAX_CITATIONS):
        response = client.post(f"/api/v1/claims/{claim['id']}/citations", json=_citation(n),
                               headers=fc)
        assert response.status_code == 201, response.get_json()

    added = _audit_rows(app, claim["id"])[1:]
    assert [row["action"] for row in added] == ["add_citation"] * MAX_CITATIONS
    # The 50th entry is as small as the first: the claim's other citations are not in it.
    assert max(_size(row) for row in added) < 2 * len(LONG_EXCERPT.encode()) + 1000
    last = json.loads(added[-1]["after"])
    [added_citation] = last["citations"]
    assert added_citation["url"] == f"https://sources.example.org/{MAX_CITATIONS - 1}"
    assert last["citation_count"] == MAX_CITATIONS and last["version"] == MAX_CITATIONS + 1


def test_a_claim_edit_records_only_the_changed_fields(client, app, auth, passage):
    fc = auth["factchecker"]
    claim = _full_claim(client, auth, passage)
    etag = client.get(f"/api/v1/claims/{claim['id']}", headers=fc).headers["ETag"]
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "Misleading"},
                            headers={**fc, "If-Match": etag})
    assert response.status_code == 200

    update = client.get(f"/api/v1/claims/{claim['id']}/history", headers=fc).get_json()[
        "entries"][-1]
    assert update["action"] == "update" and update["actor"] == "factchecker"
    assert update["before"] == {"version": 1, "label": ""}
    assert update["after"] == {"version": 2, "label": "Misleading"}


def test_every_entry_side_is_bounded_with_a_marker(client, app, auth, passage):
    """Created with the longest rationale and 50 long citations: the entry is
    cut to size, saying so, and its short fields are kept as they are."""
    fc = auth["factchecker"]
    claim = create_claim(client, fc, passage, "minister", label="Big",
                         rationale="<p>" + "word " * 3990 + "</p>",
                         citations=[_citation(n) for n in range(MAX_CITATIONS)])

    [row] = _audit_rows(app, claim["id"])
    assert len(row["after"].encode()) <= AUDIT_MAX_BYTES
    after = json.loads(row["after"])
    assert after["label"] == "Big" and after["exact"] == "minister"
    assert "more characters]" in after["rationale"]
    assert len(after["citations"]) == MAX_CITATIONS
    assert after["citations"][0]["url"] == "https://sources.example.org/0"


def test_a_small_change_is_kept_whole(client, app, auth, passage):
    """A long rationale edited: both texts are in the entry, uncut."""
    fc = auth["factchecker"]
    claim = create_claim(client, fc, passage, "minister")
    long_text = "<p>" + "fact " * 3000 + "</p>"
    etag = client.get(f"/api/v1/claims/{claim['id']}", headers=fc).headers["ETag"]
    client.patch(f"/api/v1/claims/{claim['id']}", json={"rationale": long_text},
                 headers={**fc, "If-Match": etag})
    update = json.loads(_audit_rows(app, claim["id"])[-1]["after"])
    assert update["rationale"] == long_text


# -- the citation cap holds on every path ------------------------------------------

def test_the_51st_citation_is_refused_and_writes_nothing(client, app, auth, passage):
    claim = _full_claim(client, auth, passage)
    before = row_counts(app)

    response = client.post(f"/api/v1/claims/{claim['id']}/citations",
                           json={"url": "https://one.too.many/"}, headers=auth["factchecker"])

    error = api_error(response, 422, "citations")
    assert str(MAX_CITATIONS) in error["message"]
    assert row_counts(app) == before
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]
                      ).get_json()["version"] == 1


def test_the_store_refuses_more_citations_than_the_cap(store, factories):
    user = factories.user(role="factchecker")
    claim = factories.claim(actor=user)
    actor = as_actor(user)
    with pytest.raises(DomainError) as refused:
        store.create_claim(claim["passage_id"], claim["start_offset"], claim["end_offset"],
                           "unverified", actor,
                           citations=[_citation(n) for n in range(MAX_CITATIONS + 1)])
    assert refused.value.field == "citations"
    for n in range(MAX_CITATIONS - len(claim["citations"])):
        store.add_citation(claim["id"], _citation(n), actor)
    with pytest.raises(DomainError, match=str(MAX_CITATIONS)) as refused:
        store.add_citation(claim["id"], _citation(99), actor)
    assert refused.value.field == "citations"
    assert len(store.claim(claim["id"])["citations"]) == MAX_CITATIONS


def test_a_web_annotation_with_too_many_citations_is_refused(client, app, auth, passage):
    document = {"type": "Annotation", "motivation": "assessing",
                "target": {"source": "https://news.example.com/budget",
                           "selector": [{"type": "TextQuoteSelector", "exact": "minister"}]},
                "body": [{"type": "TextualBody", "purpose": "assessing", "value": "verified"}]
                + [{"id": f"https://sources.example.org/{n}", "type": "Text",
                    "purpose": "linking"} for n in range(MAX_CITATIONS + 1)]}
    before = row_counts(app)

    response = client.post("/api/v1/annotations/import", data=json.dumps(document),
                           content_type="application/ld+json", headers=auth["editor"])

    error = api_error(response, 422, "items.0.body")
    assert str(MAX_CITATIONS) in error["message"]
    assert row_counts(app) == before


# -- history is paged ------------------------------------------------------------------

def _history(client, auth, claim_id, **query):
    response = client.get(f"/api/v1/claims/{claim_id}/history", query_string=query,
                          headers=auth["factchecker"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_history_pages_follow_the_next_cursor(client, app, auth, passage):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, passage, "minister")
    for n in range(6):
        client.post(f"/api/v1/claims/{claim['id']}/citations", json=_citation(n), headers=fc)
    everything = [row["id"] for row in _audit_rows(app, claim["id"])]
    assert len(everything) == 7

    first = _history(client, auth, claim["id"], limit=3)
    assert [e["id"] for e in first["entries"]] == everything[:3]
    assert first["next"] == everything[2]
    second = _history(client, auth, claim["id"], limit=3, after=first["next"])
    assert [e["id"] for e in second["entries"]] == everything[3:6]
    last = _history(client, auth, claim["id"], limit=3, after=second["next"])
    assert [e["id"] for e in last["entries"]] == everything[6:]
    assert last["next"] is None
    # The default page holds them all here, and says there is no more.
    default = _history(client, auth, claim["id"])
    assert [e["id"] for e in default["entries"]] == everything and default["next"] is None
    # Past the end: an empty page, not a 404, for a claim that has a history.
    assert _history(client, auth, claim["id"], after=everything[-1]) == {
        "claim_id": claim["id"], "entries": [], "next": None}


def test_history_default_page_is_bounded(client, app, auth, passage):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, passage, "minister")
    for n in range(MAX_CITATIONS):
        client.post(f"/api/v1/claims/{claim['id']}/citations", json=_citation(n), headers=fc)
    page = _history(client, auth, claim["id"])
    assert len(page["entries"]) == 50 and page["next"] == page["entries"][-1]["id"]


@pytest.mark.parametrize("query, field", [
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "x"}, "limit"),
    ({"after": -1}, "after"), ({"after": "x"}, "after"), ({"offset": 3}, "offset"),
])
def test_bad_history_paging_is_refused_by_name(client, auth, passage, query, field):
    claim = create_claim(client, auth["factchecker"], passage, "minister")
    response = client.get(f"/api/v1/claims/{claim['id']}/history", query_string=query,
                          headers=auth["factchecker"])
    api_error(response, 422, field)


def test_history_after_of_a_claim_that_never_existed_is_404(client, auth):
    api_error(client.get("/api/v1/claims/4242/history?after=1", headers=auth["factchecker"]),
              404)


# -- the audit names the real actor ----------------------------------------------------

def test_an_import_audits_the_importer_not_the_documents_creator(client, app, auth, users,
                                                                 passage):
    document = {"type": "Annotation", "motivation": "assessing",
                "creator": {"type": "Person", "nickname": "factchecker"},
                "factdesk:status": "published",
                "target": {"source": "https://news.example.com/budget",
                           "selector": [{"type": "TextQuoteSelector", "exact": "minister"}]},
                "body": [{"type": "TextualBody", "purpose": "assessing", "value": "denied"},
                         {"id": "https://sources.example.org/1", "type": "Text",
                          "purpose": "linking"}]}
    with open_store(app) as store:
        last_id = store.db.execute("SELECT max(id) FROM audit_log").fetchone()[0]

    response = client.post("/api/v1/annotations/import", data=json.dumps(document),
                           content_type="application/ld+json", headers=auth["editor"])

    assert response.status_code == 201, response.get_json()
    [claim_id] = response.get_json()["claim_ids"]
    with open_store(app) as store:
        written = list(store.db.query("SELECT * FROM audit_log WHERE id > ?", [last_id]))
        claim = store.claim(claim_id)
    # Published in the document: in review here, for this desk's editors.
    assert [(e["entity"], e["action"]) for e in written] == [("claim", "create"),
                                                             ("claim", "submit")]
    assert {(e["actor"], e["actor_id"]) for e in written} == {
        ("editor", users["editor"]["id"])}
    # The document's authorship is kept as data.
    assert claim["created_by"] == users["factchecker"]["id"]
