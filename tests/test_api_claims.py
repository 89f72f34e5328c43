"""Claims through the JSON API: create by offsets or quote, read, edit with
If-Match, delete, publish rules, citations, sanitising, and the audit trail."""

import json
from html.parser import HTMLParser

import pytest

from tests.helpers import (api_error, create_claim, etag_of, import_article, passage_with,
                           publish_over_api, row_counts, take_action)

UNICODE_TEXT = (
    "Заголовок\n"
    "\n"
    "Мэр 😀 сказал, что 東京 👍🏽 мост открыт в 2024 году.\n"
    "\n"
    "The cat sat on the mat and the cat ran off; the cat was fine.\n"
)


@pytest.fixture
def article(client, auth):
    return import_article(client, auth["factchecker"], url="https://news.example.com/u",
                          text=UNICODE_TEXT)


@pytest.fixture
def unicode_passage(article):
    return passage_with(article, "Мэр")


@pytest.fixture
def cats(article):
    return passage_with(article, "cat")


def _post_claim(client, headers, **body):
    body.setdefault("verdict", "unverified")
    return client.post("/api/v1/claims", json=body, headers=headers)


# -- create by offsets ----------------------------------------------------------

@pytest.mark.parametrize("quote", ["мост открыт", "東京", "👍🏽", "сказал", "2024"])
def test_offsets_count_code_points(client, auth, unicode_passage, quote):
    text = unicode_passage["text"]
    start = text.index(quote)

    response = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                           start=start, end=start + len(quote), exact=quote)

    assert response.status_code == 201, response.get_json()
    claim = response.get_json()
    assert (claim["start"], claim["end"], claim["exact"]) == (start, start + len(quote), quote)
    assert claim["passage_id"] == unicode_passage["id"]
    assert claim["status"] == "draft" and claim["version"] == 1
    assert response.headers["Location"].endswith(f"/api/v1/claims/{claim['id']}")
    assert response.headers["ETag"]
    stored = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert text[stored["start"]:stored["end"]] == quote


def test_utf16_offsets_would_point_elsewhere(client, app, auth, unicode_passage):
    text = unicode_passage["text"]
    quote = "мост открыт"
    start = text.index(quote)
    utf16_start = len(text[:start].encode("utf-16-le")) // 2
    utf16_end = utf16_start + len(quote.encode("utf-16-le")) // 2
    assert utf16_start != start  # the emoji before the quote take two UTF-16 units each
    before = row_counts(app)

    wrong = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                        start=utf16_start, end=utf16_end, exact=quote)
    api_error(wrong, 422, "exact")
    assert row_counts(app) == before

    unchecked = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                            start=utf16_start, end=utf16_end)
    assert unchecked.status_code == 201
    assert unchecked.get_json()["exact"] == text[utf16_start:utf16_end] != quote


def test_selector_context_is_kept(client, auth, unicode_passage):
    quote = "東京"
    start = unicode_passage["text"].index(quote)
    claim = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                        start=start, end=start + len(quote)).get_json()
    assert claim["prefix"].endswith("Мэр 😀 сказал, что ")
    assert claim["suffix"].startswith(" 👍🏽 мост")


@pytest.mark.parametrize("offsets, field", [
    ({"start": -1, "end": 3}, "start"),
    ({"start": 5, "end": 2}, "end"),
    ({"start": 4, "end": 4}, "end"),
    ({"start": 0, "end": 10_000}, "end"),
    ({"start": 10_000, "end": 10_001}, "start"),
    ({"start": 0}, "end"),
    ({"end": 4}, "start"),
    ({"start": "0", "end": 4}, "start"),
    ({"start": 0, "end": 4.5}, "end"),
    ({"start": 0, "end": True}, "end"),
])
def test_bad_offsets_are_422_and_write_nothing(client, app, auth, unicode_passage, offsets,
                                               field):
    before = row_counts(app)
    response = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                           **offsets)
    api_error(response, 422, field)
    assert row_counts(app) == before


def test_offsets_at_the_very_end_of_the_passage_are_fine(client, auth, unicode_passage):
    length = len(unicode_passage["text"])
    response = _post_claim(client, auth["factchecker"], passage_id=unicode_passage["id"],
                           start=length - 5, end=length)
    assert response.status_code == 201
    assert response.get_json()["exact"] == "году."


def test_exact_that_does_not_match_the_offsets_is_422(client, app, auth, cats):
    before = row_counts(app)
    response = _post_claim(client, auth["factchecker"], passage_id=cats["id"], start=4, end=7,
                           exact="dog")
    api_error(response, 422, "exact")
    assert row_counts(app) == before


# -- create by TextQuoteSelector ------------------------------------------------------

def _by_quote(client, headers, passage, **selector):
    return _post_claim(client, headers, passage_id=passage["id"],
                       selector={"type": "TextQuoteSelector", **selector})


def test_unique_quote_is_placed(client, auth, unicode_passage):
    response = _by_quote(client, auth["factchecker"], unicode_passage, exact="мост открыт")
    assert response.status_code == 201
    claim = response.get_json()
    text = unicode_passage["text"]
    assert claim["start"] == text.index("мост открыт")
    assert text[claim["start"]:claim["end"]] == "мост открыт"


@pytest.mark.parametrize("context, occurrence", [
    ({"suffix": " sat on"}, 0),
    ({"prefix": "the mat and the "}, 1),
    ({"suffix": " ran off"}, 1),
    ({"prefix": "off; the ", "suffix": " was"}, 2),
    ({"prefix": "ran off; the "}, 2),
    ({"prefix": "The ", "suffix": " sat"}, 0),
])
def test_duplicated_quote_is_told_apart_by_prefix_or_suffix(client, auth, cats, context,
                                                             occurrence):
    text = cats["text"]
    expected = [i for i in range(len(text)) if text.startswith("cat", i)][occurrence]

    response = _by_quote(client, auth["factchecker"], cats, exact="cat", **context)

    assert response.status_code == 201, response.get_json()
    claim = response.get_json()
    assert (claim["start"], claim["end"]) == (expected, expected + 3)


@pytest.mark.parametrize("context", [{}, {"prefix": "zzz"}, {"suffix": " "},
                                     {"prefix": "ran off; "}])
def test_ambiguous_quote_is_422_naming_prefix(client, app, auth, cats, context):
    before = row_counts(app)
    response = _by_quote(client, auth["factchecker"], cats, exact="cat", **context)
    api_error(response, 422, "selector.prefix")
    assert row_counts(app) == before


@pytest.mark.parametrize("exact", ["dog", "Cat sat", "cat  sat", "Заголовок"])
def test_quote_not_in_the_passage_is_422_naming_exact(client, app, auth, cats, exact):
    before = row_counts(app)
    response = _by_quote(client, auth["factchecker"], cats, exact=exact)
    api_error(response, 422, "selector.exact")
    assert row_counts(app) == before


@pytest.mark.parametrize("body, field", [
    ({"selector": {"type": "TextPositionSelector", "exact": "cat sat"}}, "selector.type"),
    ({"selector": {"exact": ""}}, "selector.exact"),
    ({"selector": {"prefix": "The "}}, "selector.exact"),
    ({"selector": {"exact": "cat sat", "start": 1}}, "selector.start"),
    ({"selector": {"exact": "cat sat"}, "start": 4, "end": 11}, "selector"),
    ({"selector": "cat sat"}, "selector"),
    ({}, "selector"),
])
def test_malformed_selector_is_422(client, app, auth, cats, body, field):
    before = row_counts(app)
    response = _post_claim(client, auth["factchecker"], passage_id=cats["id"], **body)
    api_error(response, 422, field)
    assert row_counts(app) == before


# -- other bad input ---------------------------------------------------------------

@pytest.mark.parametrize("change, status, field", [
    ({"passage_id": 4242}, 404, "passage_id"),
    ({"passage_id": "1"}, 422, "passage_id"),
    ({"passage_id": None}, 422, "passage_id"),
    ({"verdict": "maybe"}, 422, "verdict"),
    ({"verdict": None}, 422, "verdict"),
    ({"label": 7}, 422, "label"),
    ({"label": "x" * 101}, 422, "label"),
    ({"rationale": ["<p>x</p>"]}, 422, "rationale"),
    ({"colour": "red"}, 422, "colour"),
    ({"status": "published"}, 422, "status"),
    ({"citations": [{"url": "ftp://files.example.org/x"}]}, 422, "citations.0.url"),
    ({"citations": [{"url": "https://ok.example.org"}, {"url": "javascript:alert(1)"}]}, 422,
     "citations.1.url"),
    ({"citations": [{"url": "https://ok.example.org", "stance": "likes"}]}, 422,
     "citations.0.stance"),
    ({"citations": [{"url": "https://ok.example.org", "rank": 1}]}, 422, "citations.0.rank"),
    ({"citations": "https://ok.example.org"}, 422, "citations"),
    ({"citations": ["https://ok.example.org"]}, 422, "citations.0"),
])
def test_bad_claim_bodies_are_refused_and_write_nothing(client, app, auth, cats, change,
                                                        status, field):
    body = {"passage_id": cats["id"], "start": 4, "end": 7, "verdict": "verified", **change}
    before = row_counts(app)
    api_error(client.post("/api/v1/claims", json=body, headers=auth["factchecker"]), status,
              field)
    assert row_counts(app) == before


def test_missing_verdict_is_422(client, app, auth, cats):
    before = row_counts(app)
    response = client.post("/api/v1/claims", json={"passage_id": cats["id"], "start": 4,
                                                   "end": 7}, headers=auth["factchecker"])
    api_error(response, 422, "verdict")
    assert row_counts(app) == before


@pytest.mark.parametrize("data, content_type, status, field", [
    ('{"passage_id": 1, "start": 4,', "application/json", 400, "body"),
    ("", "application/json", 400, "body"),
    ('"just a string"', "application/json", 422, "body"),
    ('{"passage_id": 1, "start": 4, "end": 7, "verdict": "verified"}', "text/plain", 415,
     "Content-Type"),
    ('{"passage_id": 1, "start": 4, "end": 7, "verdict": "verified"}', None, 415,
     "Content-Type"),
])
def test_unparseable_claim_bodies(client, app, auth, cats, data, content_type, status, field):
    before = row_counts(app)
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.post("/api/v1/claims", data=data, headers=auth["factchecker"], **kwargs)
    api_error(response, status, field)
    assert row_counts(app) == before


def test_claim_body_over_one_megabyte_is_413(client, app, auth, cats):
    before = row_counts(app)
    data = json.dumps({"passage_id": cats["id"], "start": 4, "end": 7, "verdict": "verified",
                       "rationale": "x" * (1024 * 1024)})
    api_error(client.post("/api/v1/claims", data=data, content_type="application/json",
                          headers=auth["factchecker"]), 413)
    assert row_counts(app) == before


# -- reading --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_drafts_are_hidden_from_readers_as_404(client, auth, cats, who):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    missing = api_error(client.get("/api/v1/claims/4242", headers=auth[who]), 404, "claim_id")
    hidden = api_error(client.get(f"/api/v1/claims/{claim['id']}", headers=auth[who]), 404,
                       "claim_id")
    assert hidden["code"] == missing["code"]

    publish_over_api(client, auth["editor"], claim["id"])
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=auth[who])
    assert shown.status_code == 200
    assert shown.get_json()["exact"] == "cat sat"


@pytest.mark.parametrize("who", ["factchecker", "editor", "admin"])
def test_drafts_are_visible_to_factcheckers_and_up(client, auth, cats, who):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    response = client.get(f"/api/v1/claims/{claim['id']}", headers=auth[who])
    assert response.status_code == 200
    assert response.get_json()["status"] == "draft"


def test_get_claim_carries_an_etag_that_changes_with_each_version(client, auth, cats):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat")
    first = client.get(f"/api/v1/claims/{claim['id']}", headers=fc)
    again = client.get(f"/api/v1/claims/{claim['id']}", headers=fc)
    assert first.headers["ETag"] == again.headers["ETag"]
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "Mostly true"},
                 headers={**fc, "If-Match": first.headers["ETag"]})
    assert etag_of(client, fc, claim["id"]) != first.headers["ETag"]


# -- PATCH with If-Match ----------------------------------------------------------------

def test_patch_with_current_etag(client, app, auth, cats):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat", "unverified")
    etag = etag_of(client, fc, claim["id"])
    audit_before = row_counts(app)["audit_log"]

    response = client.patch(f"/api/v1/claims/{claim['id']}", json={
        "verdict": "denied", "label": "False", "rationale": "<p>The cat <em>stood</em>.</p>"},
        headers={**fc, "If-Match": etag})

    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == claim["version"] + 1
    assert (body["verdict"], body["label"], body["rationale"]) == (
        "denied", "False", "<p>The cat <em>stood</em>.</p>")
    assert body["exact"] == "cat sat"
    assert response.headers["ETag"] != etag
    assert response.headers["ETag"] == etag_of(client, fc, claim["id"])
    assert row_counts(app)["audit_log"] == audit_before + 1


def test_patch_with_stale_etag_is_412_with_the_current_claim(client, app, auth, cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat")
    stale = etag_of(client, fc, claim["id"])
    assert client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "Theirs"},
                        headers={**ed, "If-Match": stale}).status_code == 200
    before = row_counts(app)

    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "Mine"},
                            headers={**fc, "If-Match": stale})

    api_error(response, 412, "If-Match", "precondition_failed")
    current = response.get_json()["current"]
    now = client.get(f"/api/v1/claims/{claim['id']}", headers=fc)
    assert current == now.get_json()
    assert current["label"] == "Theirs" and current["version"] == 2
    assert response.headers["ETag"] == now.headers["ETag"]
    assert row_counts(app) == before

    retry = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "Mine"},
                         headers={**fc, "If-Match": response.headers["ETag"]})
    assert retry.status_code == 200 and retry.get_json()["label"] == "Mine"


def test_etag_of_another_claim_is_stale(client, auth, cats):
    fc = auth["factchecker"]
    one = create_claim(client, fc, cats, "cat sat")
    two = create_claim(client, fc, cats, "the mat")
    response = client.patch(f"/api/v1/claims/{two['id']}", json={"label": "x"},
                            headers={**fc, "If-Match": etag_of(client, fc, one["id"])})
    api_error(response, 412, "If-Match")


def test_patch_without_if_match_is_428(client, app, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    before = row_counts(app)
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "x"},
                            headers=auth["factchecker"])
    api_error(response, 428, "If-Match", "precondition_required")
    assert row_counts(app) == before
    assert client.get(f"/api/v1/claims/{claim['id']}",
                      headers=auth["factchecker"]).get_json()["label"] == ""


@pytest.mark.parametrize("body, field", [
    ({}, None),
    ({"verdict": "perhaps"}, "verdict"),
    ({"label": ["x"]}, "label"),
    ({"start": 0}, "start"),
    ({"status": "published"}, "status"),
    ({"exact": "cat"}, "exact"),
])
def test_bad_patch_bodies_are_422(client, app, auth, cats, body, field):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat")
    etag = etag_of(client, fc, claim["id"])
    before = row_counts(app)
    response = client.patch(f"/api/v1/claims/{claim['id']}", json=body,
                            headers={**fc, "If-Match": etag})
    error = api_error(response, 422, field)
    assert error["field"] is not None
    assert row_counts(app) == before
    assert etag_of(client, fc, claim["id"]) == etag


def test_patch_missing_claim_is_404(client, auth):
    response = client.patch("/api/v1/claims/4242", json={"label": "x"},
                            headers={**auth["factchecker"], "If-Match": '"claim-4242-v1"'})
    api_error(response, 404, "claim_id")


# -- DELETE with If-Match -----------------------------------------------------------------

def test_delete_with_if_match(client, app, auth, cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat",
                         citations=[{"url": "https://vets.example.org/cats"}])
    before = row_counts(app)

    response = client.delete(f"/api/v1/claims/{claim['id']}",
                             headers={**ed, "If-Match": etag_of(client, ed, claim["id"])})

    assert response.status_code == 204
    after = row_counts(app)
    assert after["claims"] == before["claims"] - 1
    assert after["citations"] == before["citations"] - 1
    assert after["audit_log"] == before["audit_log"] + 1
    api_error(client.get(f"/api/v1/claims/{claim['id']}", headers=ed), 404)


def test_delete_with_stale_etag_is_412(client, app, auth, cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat")
    stale = etag_of(client, ed, claim["id"])
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "changed"},
                 headers={**fc, "If-Match": stale})
    before = row_counts(app)

    response = client.delete(f"/api/v1/claims/{claim['id']}", headers={**ed, "If-Match": stale})

    api_error(response, 412, "If-Match")
    assert response.get_json()["current"]["label"] == "changed"
    assert row_counts(app) == before


def test_delete_without_if_match_is_428(client, app, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    before = row_counts(app)
    api_error(client.delete(f"/api/v1/claims/{claim['id']}", headers=auth["editor"]), 428,
              "If-Match")
    assert row_counts(app) == before


def test_delete_missing_claim_is_404(client, auth):
    api_error(client.delete("/api/v1/claims/4242", headers={**auth["editor"], "If-Match": "*"}),
              404, "claim_id")


# -- publishing (the whole workflow: tests/test_api_workflow.py) ---------------------------

@pytest.mark.parametrize("verdict", ["verified", "denied"])
def test_verified_or_denied_claim_needs_a_citation_to_publish(client, app, auth, cats,
                                                               verdict):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", verdict)
    take_action(client, auth["factchecker"], claim["id"], "submit")
    before = row_counts(app)

    response = take_action(client, auth["editor"], claim["id"], "approve")

    api_error(response, 422, "citations")
    assert row_counts(app) == before
    api_error(client.get(f"/api/v1/claims/{claim['id']}"), 404)
    assert client.get(f"/api/v1/claims/{claim['id']}",
                      headers=auth["editor"]).get_json()["status"] == "in_review"


def test_unverified_claim_publishes_without_citation(client, auth, users, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", "unverified")

    body = publish_over_api(client, auth["editor"], claim["id"], submitter=auth["factchecker"])

    assert body["status"] == "published"
    assert body["published_by"] == users["editor"]["id"]
    assert body["published_at"]
    assert body["version"] == claim["version"] + 2  # submitted, approved
    assert body["publication"]["verdict"] == "unverified"
    assert etag_of(client, auth["editor"], claim["id"]) == f'"claim-{claim["id"]}-v3"'
    public = client.get(f"/api/v1/claims/{claim['id']}")
    assert public.status_code == 200 and public.get_json()["status"] == "published"


@pytest.mark.parametrize("verdict", ["verified", "denied"])
def test_claim_with_citation_publishes(client, auth, cats, verdict):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", verdict)
    assert client.post(f"/api/v1/claims/{claim['id']}/citations",
                       json={"url": "https://vets.example.org/cats", "stance": "refutes"},
                       headers=auth["factchecker"]).status_code == 201

    body = publish_over_api(client, auth["editor"], claim["id"], submitter=auth["factchecker"])

    assert body["status"] == "published"
    public = client.get(f"/api/v1/claims/{claim['id']}").get_json()
    assert [c["url"] for c in public["citations"]] == ["https://vets.example.org/cats"]


def test_approve_with_stale_if_match_is_412(client, app, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    take_action(client, auth["factchecker"], claim["id"], "submit")
    stale = etag_of(client, auth["editor"], claim["id"])
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "new"},
                 headers={**auth["factchecker"], "If-Match": stale})
    before = row_counts(app)
    response = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={
        "action": "approve"}, headers={**auth["editor"], "If-Match": stale})
    api_error(response, 412, "If-Match")
    assert row_counts(app) == before


def test_the_old_publish_endpoints_are_gone(client, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    for action in ("publish", "unpublish"):
        api_error(client.post(f"/api/v1/claims/{claim['id']}/{action}", headers=auth["editor"]),
                  404)


def test_a_revision_may_drop_the_last_citation_but_cannot_be_approved_so(client, app, auth,
                                                                         cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat", "verified",
                         citations=[{"url": "https://vets.example.org/cats"}])
    publish_over_api(client, ed, claim["id"], submitter=fc)
    citation_id = claim["citations"][0]["id"]

    response = client.delete(f"/api/v1/citations/{citation_id}", headers=fc)

    assert response.status_code == 200 and response.get_json()["status"] == "draft"
    take_action(client, fc, claim["id"], "submit")
    api_error(take_action(client, ed, claim["id"], "approve"), 422, "citations")
    public = client.get(f"/api/v1/claims/{claim['id']}").get_json()
    assert [c["url"] for c in public["citations"]] == ["https://vets.example.org/cats"]


@pytest.mark.parametrize("action", ["submit", "approve"])
def test_an_action_on_a_missing_claim_is_404(client, auth, action):
    api_error(take_action(client, auth["editor"], 4242, action), 404, "claim_id")


# -- citations ----------------------------------------------------------------------------

def test_add_edit_remove_citation(client, app, auth, cats):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat", "verified")
    etag = etag_of(client, fc, claim["id"])

    added = client.post(f"/api/v1/claims/{claim['id']}/citations", json={
        "url": "https://vets.example.org/cats", "title": "Cats <i>sit</i>",
        "publisher": "Vets", "excerpt": "Cats sit.", "accessed_date": "2024-05-01",
        "archive_url": "https://web.archive.org/web/2024/https://vets.example.org/cats",
        "stance": "supports"}, headers=fc)

    assert added.status_code == 201
    citation = added.get_json()
    assert citation["claim_id"] == claim["id"]
    assert citation["title"] == "Cats <i>sit</i>"
    assert citation["accessed_date"] == "2024-05-01"
    assert citation["archive_url"].startswith("https://web.archive.org/")
    assert added.headers["ETag"] != etag
    assert added.headers["ETag"] == etag_of(client, fc, claim["id"])

    edited = client.patch(f"/api/v1/citations/{citation['id']}",
                          json={"title": "Cats sit, mostly", "stance": "context"}, headers=fc)
    assert edited.status_code == 200
    assert edited.get_json()["title"] == "Cats sit, mostly"
    assert edited.get_json()["stance"] == "context"
    assert edited.get_json()["url"] == "https://vets.example.org/cats"

    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=fc).get_json()
    assert [(c["id"], c["title"]) for c in shown["citations"]] == [
        (citation["id"], "Cats sit, mostly")]
    assert shown["version"] == claim["version"] + 2

    removed = client.delete(f"/api/v1/citations/{citation['id']}", headers=fc)
    assert removed.status_code == 200
    assert removed.get_json()["citations"] == []
    assert removed.get_json()["version"] == claim["version"] + 3
    assert row_counts(app)["citations"] == 0


BAD_URLS = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "ftp://files.example.org/a",
            "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "//evil.example/x",
            "file:///etc/passwd", "https://", "not a url", ""]


@pytest.mark.parametrize("url", BAD_URLS)
def test_add_citation_refuses_non_http_urls(client, app, auth, cats, url):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    before = row_counts(app)
    response = client.post(f"/api/v1/claims/{claim['id']}/citations", json={"url": url},
                           headers=auth["factchecker"])
    error = api_error(response, 422)
    assert error["field"] in ("url", "citation.url")
    assert row_counts(app) == before


@pytest.mark.parametrize("url", BAD_URLS[:-1])
def test_archive_url_must_be_http_too(client, app, auth, cats, url):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    before = row_counts(app)
    response = client.post(f"/api/v1/claims/{claim['id']}/citations",
                           json={"url": "https://ok.example.org", "archive_url": url},
                           headers=auth["factchecker"])
    error = api_error(response, 422)
    assert error["field"] in ("archive_url", "citation.archive_url")
    assert row_counts(app) == before


@pytest.mark.parametrize("change, fields", [
    ({"url": "javascript:alert(1)"}, ("url", "citation.url")),
    ({"url": "data:text/html,x"}, ("url", "citation.url")),
    ({"archive_url": "ftp://files.example.org/a"}, ("archive_url", "citation.archive_url")),
    ({"stance": "neutral"}, ("stance",)),
    ({"claim_id": 99}, ("claim_id",)),
    ({"accessed_date": "last week"}, ("accessed_date",)),
])
def test_edit_citation_refuses_bad_values(client, app, auth, cats, change, fields):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat",
                         citations=[{"url": "https://vets.example.org/cats"}])
    citation_id = claim["citations"][0]["id"]
    before = row_counts(app)
    response = client.patch(f"/api/v1/citations/{citation_id}", json=change, headers=fc)
    assert api_error(response, 422)["field"] in fields
    assert row_counts(app) == before
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=fc).get_json()
    assert shown["citations"][0]["url"] == "https://vets.example.org/cats"
    assert shown["version"] == claim["version"]


def test_citation_on_missing_claim_or_missing_citation_is_404(client, app, auth):
    fc = auth["factchecker"]
    before = row_counts(app)
    api_error(client.post("/api/v1/claims/4242/citations", json={"url": "https://a.example"},
                          headers=fc), 404, "claim_id")
    api_error(client.patch("/api/v1/citations/4242", json={"title": "x"}, headers=fc), 404,
              "citation_id")
    api_error(client.delete("/api/v1/citations/4242", headers=fc), 404, "citation_id")
    assert row_counts(app) == before


# -- rationale and plain-text fields --------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


ALLOWED = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "br"}
LINK_REL = "nofollow noopener noreferrer"


def test_allowed_rationale_markup_is_kept(client, auth, cats):
    html = ("<p>A <em>b</em> <strong>c</strong> <code>d</code></p>"
            "<ul><li>x</li></ul><ol><li>y</li></ol><blockquote>q</blockquote>")
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", rationale=html)
    assert claim["rationale"] == html


HOSTILE = [
    '<script>alert("x")</script><p>kept</p>',
    '<img src=x onerror="alert(1)"><p>kept</p>',
    '<p onclick="alert(1)" style="color:red" class="c">kept</p>',
    '<iframe src="https://evil.example"></iframe><p>kept</p>',
    '<a href="javascript:alert(1)">kept</a>',
    '<a href="JaVaScRiPt:alert(1)">kept</a>',
    '<a href=" javascript:alert(1)">kept</a>',
    '<a href="jav&#x09;ascript:alert(1)">kept</a>',
    '<a href="javascript:1">kept</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">kept</a>',
    '<a href="https://ok.example" onmouseover="alert(1)" target="_blank" title="t">kept</a>',
    '<h1>kept</h1><div><span>too</span></div>',
    '<style>p { color: red }</style><p>kept</p>',
    '<svg><script>alert(1)</script></svg><p>kept</p>',
    '<!-- <script>alert(1)</script> --><p>kept</p>',
    '<form action="https://evil.example"><input name="x"></form><p>kept</p>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_rationale_is_cleaned(client, auth, cats, html):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", rationale=html)
    rationale = claim["rationale"]

    assert "kept" in rationale
    assert "alert" not in rationale and "javascript" not in rationale.lower()
    for tag, attrs in _tags(rationale):
        assert tag in ALLOWED, rationale
        if tag == "a":
            assert set(attrs) <= {"href", "rel"}, rationale
            assert attrs["rel"] == LINK_REL
            assert "href" not in attrs or attrs["href"].startswith(("http://", "https://"))
        else:
            assert attrs == {}, rationale
    stored = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"])
    assert stored.get_json()["rationale"] == rationale


def test_links_in_rationale_get_rel(client, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", rationale=(
        '<p>See <a href="https://vets.example.org/cats">the vets</a> and '
        "https://stats.example.org/pets</p>"))
    links = [attrs for tag, attrs in _tags(claim["rationale"]) if tag == "a"]
    assert links == [
        {"href": "https://vets.example.org/cats", "rel": LINK_REL},
        {"href": "https://stats.example.org/pets", "rel": LINK_REL},
    ]


def test_patched_rationale_is_cleaned_too(client, auth, cats):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat")
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={
        "rationale": '<p>ok <a href="javascript:alert(1)" onclick="x()">link</a></p>'
                     "<script>alert(2)</script>"},
        headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    assert response.status_code == 200
    assert response.get_json()["rationale"] == f'<p>ok <a rel="{LINK_REL}">link</a></p>'


@pytest.mark.parametrize("label", ["<b>x</b>", "<script>alert(1)</script>", "A & B < C",
                                   "&lt;escaped&gt;"])
def test_label_is_plain_text_returned_verbatim(client, auth, cats, label):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat", label=label)
    assert claim["label"] == label
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=fc).get_json()["label"] == label
    article = client.get(f"/api/v1/articles/{claim['article_id']}", headers=fc).get_json()
    assert [c["label"] for c in article["claims"]] == [label]

    patched = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": label + " (2)"},
                           headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    assert patched.get_json()["label"] == label + " (2)"


def test_citation_text_fields_are_plain_text(client, auth, cats):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat", citations=[{
        "url": "https://vets.example.org/cats?a=1&b=2", "title": "<b>Cats</b>",
        "publisher": "Vets & Co <Ltd>", "excerpt": "<script>alert(1)</script>"}])
    citation = claim["citations"][0]
    assert citation["url"] == "https://vets.example.org/cats?a=1&b=2"
    assert citation["title"] == "<b>Cats</b>"
    assert citation["publisher"] == "Vets & Co <Ltd>"
    assert citation["excerpt"] == "<script>alert(1)</script>"


# -- history ---------------------------------------------------------------------------------

def test_history_records_every_change_in_order(client, app, auth, users, cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat", "unverified", label="first")
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "second"},
                 headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    take_action(client, fc, claim["id"], "submit")
    take_action(client, ed, claim["id"], "request_changes", note="Name the vet")
    assert client.delete(f"/api/v1/claims/{claim['id']}",
                         headers={**ed, "If-Match": etag_of(client, ed, claim["id"])}
                         ).status_code == 204

    response = client.get(f"/api/v1/claims/{claim['id']}/history", headers=fc)

    assert response.status_code == 200
    body = response.get_json()
    assert body["claim_id"] == claim["id"]
    entries = body["entries"]
    assert [e["action"] for e in entries] == ["create", "update", "submit", "request_changes",
                                              "delete"]
    assert [e["actor"] for e in entries] == ["factchecker", "factchecker", "factchecker",
                                             "editor", "editor"]
    assert [e["actor_id"] for e in entries] == [users["factchecker"]["id"]] * 3 + \
        [users["editor"]["id"]] * 2
    assert all(e["entity_id"] == claim["id"] for e in entries)
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    assert all(e["at"] for e in entries)

    create, update, submit, sent_back, delete = entries
    assert create["before"] is None and create["after"]["label"] == "first"
    assert update["before"]["label"] == "first" and update["after"]["label"] == "second"
    assert update["after"]["version"] == update["before"]["version"] + 1
    assert submit["before"]["status"] == "draft" and submit["after"]["status"] == "in_review"
    assert sent_back["after"] == {"status": "changes_requested", "note": "Name the vet",
                                  "version": submit["after"]["version"] + 1}
    assert delete["before"]["label"] == "second" and delete["after"] is None


def test_citation_changes_are_in_the_history(client, auth, cats):
    fc = auth["factchecker"]
    claim = create_claim(client, fc, cats, "cat sat")
    citation = client.post(f"/api/v1/claims/{claim['id']}/citations",
                           json={"url": "https://vets.example.org/cats"}, headers=fc).get_json()
    client.patch(f"/api/v1/citations/{citation['id']}", json={"title": "Vets"}, headers=fc)
    client.delete(f"/api/v1/citations/{citation['id']}", headers=fc)

    entries = client.get(f"/api/v1/claims/{claim['id']}/history", headers=fc).get_json()[
        "entries"]
    assert len(entries) == 4
    added, edited, removed = entries[1:]
    # Each entry holds the citation it touched and the claim's version, not the whole claim.
    assert [e["action"] for e in entries[1:]] == ["add_citation", "update_citation",
                                                  "remove_citation"]
    assert added["before"]["citation_count"] == 0 and added["after"]["citation_count"] == 1
    assert [c["url"] for c in added["after"]["citations"]] == ["https://vets.example.org/cats"]
    assert added["after"]["version"] == added["before"]["version"] + 1
    assert edited["before"]["citations"] == [{"id": citation["id"], "title": ""}]
    assert edited["after"]["citations"] == [{"id": citation["id"], "title": "Vets"}]
    assert removed["before"]["citations"][0]["url"] == "https://vets.example.org/cats"
    assert removed["after"]["citation_count"] == 0


def test_failed_writes_leave_no_history(client, auth, cats):
    fc, ed = auth["factchecker"], auth["editor"]
    claim = create_claim(client, fc, cats, "cat sat", "verified")
    take_action(client, ed, claim["id"], "approve")  # refused: not in review
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "x"}, headers=fc)  # 428
    client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "x"},
                 headers={**fc, "If-Match": '"stale"'})  # 412
    entries = client.get(f"/api/v1/claims/{claim['id']}/history", headers=fc).get_json()[
        "entries"]
    assert [e["action"] for e in entries] == ["create"]


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("reader", 403)])
def test_history_needs_a_factchecker(client, auth, cats, who, status):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    publish_over_api(client, auth["editor"], claim["id"])
    api_error(client.get(f"/api/v1/claims/{claim['id']}/history", headers=auth[who]), status)


def test_history_of_a_claim_that_never_existed_is_404(client, auth):
    api_error(client.get("/api/v1/claims/4242/history", headers=auth["factchecker"]), 404)


@pytest.mark.parametrize("method", ["delete", "patch", "put", "post"])
def test_no_endpoint_changes_the_history(client, app, auth, cats, method):
    claim = create_claim(client, auth["factchecker"], cats, "cat sat")
    url = f"/api/v1/claims/{claim['id']}/history"
    before = client.get(url, headers=auth["admin"]).get_json()
    counts = row_counts(app)

    response = getattr(client, method)(url, json={"entries": []}, headers=auth["admin"])

    assert response.status_code in (404, 405)
    assert client.get(url, headers=auth["admin"]).get_json() == before
    assert row_counts(app) == counts


def test_no_route_writes_to_audit_entries(app):
    for rule in app.url_map.iter_rules():
        if "history" in rule.rule or "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_ids_and_etags_beyond_sqlite_integers_are_refused_not_500(client, auth, cats):
    fc = auth["factchecker"]
    response = client.post("/api/v1/claims", json={
        "passage_id": 2**70, "start": 0, "end": 3, "verdict": "unverified"}, headers=fc)
    api_error(response, 422, "passage_id")
    claim = create_claim(client, fc, cats, "cat sat")
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "x"},
                            headers={**fc, "If-Match": '"claim-1-v' + "9" * 5000 + '"'})
    api_error(response, 412, "If-Match")
