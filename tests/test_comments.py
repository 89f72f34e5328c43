"""Per-claim discussion: internal comments (who, when, text) on a claim,
readable and writable by factcheckers and up, audited, never shown to
readers."""

import pytest

from annotations.models import DomainError, NotFound
from annotations.store.comments import MAX_COMMENT_LENGTH
from tests.helpers import api_error, open_store, row_counts


def _published_claim(factories) -> dict:
    article = factories.article("https://news.example.com/bridge",
                                "The minister said the bridge is open.")
    return factories.claim(article, "minister", citations=(
        {"url": "https://ministry.example.org/bridge"},), published=True)


def _comments(client, headers, claim_id, **query):
    return client.get(f"/api/v1/claims/{claim_id}/comments", query_string=query, headers=headers)


def _post(client, headers, claim_id, body):
    return client.post(f"/api/v1/claims/{claim_id}/comments", json={"body": body},
                       headers=headers)


def _comment_rows(app) -> int:
    with open_store(app) as store:
        return store.db.execute("SELECT count(*) FROM claim_comments").fetchone()[0]


def test_factchecker_comments_and_editor_reads_them(client, auth, factories):
    claim = factories.claim()

    response = _post(client, auth["factchecker"], claim["id"],
                     "  Source?\n\n\n  Call the   ministry. ")

    assert response.status_code == 201, response.get_json()
    comment = response.get_json()
    assert comment["author"] == "factchecker"
    assert comment["body"] == "Source?\n\nCall the ministry."
    assert comment["created_at"] and comment["claim_id"] == claim["id"]
    listed = _comments(client, auth["editor"], claim["id"])
    assert listed.status_code == 200
    assert listed.get_json() == {"claim_id": claim["id"], "comments": [comment], "next": None}


def test_comments_are_paged_oldest_first(client, auth, factories):
    claim = factories.claim()
    ids = [_post(client, auth["factchecker"], claim["id"], f"note {n}").get_json()["id"]
           for n in range(5)]

    first = _comments(client, auth["factchecker"], claim["id"], limit=2).get_json()
    assert [c["id"] for c in first["comments"]] == ids[:2]
    assert first["next"] == ids[1]
    rest = _comments(client, auth["factchecker"], claim["id"], limit=3,
                     after=first["next"]).get_json()
    assert [c["body"] for c in rest["comments"]] == ["note 2", "note 3", "note 4"]
    assert rest["next"] is None


def test_a_comment_is_audited_on_the_claim(client, app, auth, factories):
    claim = factories.claim()
    comment = _post(client, auth["factchecker"], claim["id"],
                    "Checked the press release.").get_json()

    entries = client.get(f"/api/v1/claims/{claim['id']}/history",
                         headers=auth["editor"]).get_json()["entries"]

    assert (entries[-1]["action"], entries[-1]["actor"], entries[-1]["after"]) == (
        "comment", "factchecker",
        {"comment_id": comment["id"], "body": "Checked the press release."})
    # A comment is talk about the claim, not a change to it.
    assert client.get(f"/api/v1/claims/{claim['id']}",
                      headers=auth["editor"]).get_json()["version"] == claim["version"]


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403)])
def test_readers_and_anonymous_cannot_read_or_write(client, app, auth, factories, role, status):
    claim = _published_claim(factories)
    with open_store(app) as store:
        store.add_comment(claim["id"], "internal", factories.actor())
    before = row_counts(app)

    api_error(_comments(client, auth[role], claim["id"]), status)
    api_error(_post(client, auth[role], claim["id"], "let me in"), status)
    assert row_counts(app) == before


@pytest.mark.parametrize("body, field", [
    ({"body": ""}, "body"),
    ({"body": " \n\t \u3000\n"}, "body"),
    ({"body": "x" * (MAX_COMMENT_LENGTH + 1)}, "body"),
    ({}, "body"),
    ({"body": 5}, "body"),
    ({"body": "ok", "author": "someone else"}, "author"),
])
def test_bad_comments_are_422_and_write_nothing(client, app, auth, factories, body, field):
    claim = factories.claim()
    before = row_counts(app), _comment_rows(app)

    response = client.post(f"/api/v1/claims/{claim['id']}/comments", json=body,
                           headers=auth["factchecker"])

    error = api_error(response, 422, field)
    if len(str(body.get("body", ""))) > MAX_COMMENT_LENGTH:
        assert str(MAX_COMMENT_LENGTH) in error["message"]
    assert (row_counts(app), _comment_rows(app)) == before


def test_the_longest_comment_is_accepted(client, auth, factories):
    claim = factories.claim()
    body = "x" * MAX_COMMENT_LENGTH + "   "
    assert _post(client, auth["factchecker"], claim["id"], body).status_code == 201


def test_unknown_claim_is_404(client, app, auth):
    before = row_counts(app)
    api_error(_comments(client, auth["factchecker"], 4242), 404, "claim_id")
    api_error(_post(client, auth["factchecker"], 4242, "hello"), 404, "claim_id")
    assert row_counts(app) == before


def test_bad_paging_is_422(client, auth, factories):
    claim = factories.claim()
    api_error(_comments(client, auth["factchecker"], claim["id"], limit=0), 422, "limit")
    api_error(_comments(client, auth["factchecker"], claim["id"], after=-1), 422, "after")


def test_comments_per_claim_are_capped(client, app, auth, factories, monkeypatch):
    from annotations.store import comments as module
    monkeypatch.setattr(module, "MAX_COMMENTS_PER_CLAIM", 3)
    claim = factories.claim()
    for n in range(3):
        assert _post(client, auth["factchecker"], claim["id"], f"n{n}").status_code == 201
    before = row_counts(app), _comment_rows(app)

    error = api_error(_post(client, auth["factchecker"], claim["id"], "one too many"), 422,
                      "comments")

    assert "3 comments" in error["message"]
    assert (row_counts(app), _comment_rows(app)) == before


def test_store_refuses_unknown_claims_and_empty_bodies(store, factories):
    claim = factories.claim()
    with pytest.raises(NotFound):
        store.comments(4242)
    with pytest.raises(NotFound):
        store.add_comment(4242, "hello", factories.actor())
    with pytest.raises(DomainError) as refused:
        store.add_comment(claim["id"], "\n \n", factories.actor())
    assert refused.value.field == "body"
    assert store.comments(claim["id"]) == []


def test_comments_go_with_the_claim_but_stay_in_its_history(client, auth, factories):
    claim = factories.claim()
    _post(client, auth["factchecker"], claim["id"], "Going, going")
    etag = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["editor"]).headers["ETag"]
    assert client.delete(f"/api/v1/claims/{claim['id']}", headers={
        **auth["editor"], "If-Match": etag}).status_code == 204

    history = client.get(f"/api/v1/claims/{claim['id']}/history",
                         headers=auth["editor"]).get_json()["entries"]
    assert "Going, going" in str(history)
    api_error(_comments(client, auth["editor"], claim["id"]), 404)


def test_comments_outlive_their_author(client, app, auth, users, factories):
    claim = factories.claim()
    _post(client, auth["factchecker"], claim["id"], "Mine")
    assert client.delete(f"/api/v1/users/{users['factchecker']['id']}",
                         headers=auth["editor"]).status_code == 204

    (comment,) = _comments(client, auth["editor"], claim["id"]).get_json()["comments"]
    assert (comment["author"], comment["author_id"]) == ("factchecker", None)


def test_comments_never_reach_readers(client, app, auth, factories):
    claim = _published_claim(factories)
    secret = "INTERNAL-ONLY-7f3a"
    assert _post(client, auth["editor"], claim["id"], secret).status_code == 201

    editor = auth["editor"]
    # (path, query, headers): what readers get, and the exports that leave the desk.
    answers = [
        ("/api/v1/highlights", {"url": "https://news.example.com/bridge"}, {}),
        (f"/api/v1/claims/{claim['id']}", {}, {}),
        (f"/api/v1/claims/{claim['id']}/claimreview", {}, {}),
        ("/api/v1/claimreview", {}, {}),
        (f"/api/v1/articles/{claim['article_id']}", {}, {}),
        (f"/articles/{claim['article_id']}", {}, {}),
        ("/api/v1/annotations", {}, editor),
        ("/api/v1/exports/claims.json", {}, editor),
        ("/api/v1/exports/claims.csv", {}, editor),
    ]

    for path, query, headers in answers:
        # Each streamed answer is read whole before the next request.
        response = client.get(path, query_string=query, headers=headers)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, (path, response.status_code)
        assert secret not in text, path
        if path == "/api/v1/highlights":
            # The claim really is shown (so the check above means something).
            assert "ministry.example.org" in text
