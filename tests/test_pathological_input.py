"""Bodies and quotes built to be expensive: each refused (or answered)
cheaply, with a 4xx naming the problem and nothing written."""

import time

import pytest

from annotations.importer import ParsedArticle
from annotations.models import Passage
from tests.helpers import api_error, open_store, row_counts


def _legacy_article(app, texts: list[str]) -> list[int]:
    """An article as one imported before the import limits existed could be:
    made through the store, past parse_article's limits. Its passage ids."""
    with open_store(app) as store:
        result = store.import_article("https://news.example.com/legacy",
                                      ParsedArticle([Passage("paragraph", t) for t in texts]))
        return [p["id"] for p in store.passages(result.article_id)]


# -- JSON nested past the recursion limit ------------------------------------------------

@pytest.mark.parametrize("path, content_type, role", [
    ("/api/v1/claims", "application/json", "factchecker"),
    ("/api/v1/articles", "application/json", "factchecker"),
    ("/api/v1/annotations/import", "application/ld+json", "editor"),
])
def test_deeply_nested_json_is_malformed_json_not_a_500(app, client, auth, path,
                                                        content_type, role):
    before = row_counts(app)
    response = client.post(path, data="[" * 100_000, content_type=content_type,
                           headers=auth[role])
    api_error(response, 400, "body", "malformed_json")
    assert row_counts(app) == before


# -- a list in a body counted before its items are loaded -----------------------------

def test_too_many_citations_are_refused_before_each_is_loaded(app, client, auth):
    passage_id = _legacy_article(app, ["The plan was sound."])[0]
    before = row_counts(app)
    started = time.perf_counter()
    response = client.post("/api/v1/claims", json={
        "passage_id": passage_id, "start": 0, "end": 3, "verdict": "unverified",
        "citations": [{}] * 200_000}, headers=auth["factchecker"])
    elapsed = time.perf_counter() - started
    error = api_error(response, 422, "citations")
    assert "50" in error["message"]
    # Only the count is reported, not 200,000 missing urls (13 s before).
    assert list(error["fields"]) == ["citations"]
    assert elapsed < 3
    assert row_counts(app) == before


def test_fifty_citations_are_still_loaded_and_checked_one_by_one(app, client, auth):
    passage_id = _legacy_article(app, ["The plan was sound."])[0]
    response = client.post("/api/v1/claims", json={
        "passage_id": passage_id, "start": 0, "end": 3, "verdict": "unverified",
        "citations": [{}] * 50}, headers=auth["factchecker"])
    api_error(response, 422, "citations.0.url")


# -- quotes that occur too often ------------------------------------------------------

def test_a_quote_occurring_too_often_is_refused_at_once_naming_the_bound(app, client, auth):
    passage_id = _legacy_article(app, ["ab" * 150_000])[0]
    before = row_counts(app)
    started = time.perf_counter()
    response = client.post("/api/v1/claims", json={
        "passage_id": passage_id, "verdict": "unverified",
        "selector": {"exact": "ab" * 500, "prefix": "ab" * 500}},
        headers=auth["factchecker"])
    elapsed = time.perf_counter() - started
    error = api_error(response, 422, "selector.exact")
    assert "more than 1000 times" in error["message"] and "start/end" in error["message"]
    assert elapsed < 2
    assert row_counts(app) == before


def test_a_repeated_quote_is_placed_by_its_context_in_a_20k_passage_article(app, client, auth):
    """Every occurrence in the whole article used to be looked at, each
    placed by a scan of all passage starts: 20 s for this request."""
    ids = _legacy_article(app, ["The plan was sound, and sound it was."] * 20_000)
    started = time.perf_counter()
    response = client.post("/api/v1/claims", json={
        "passage_id": ids[10_000], "verdict": "unverified",
        "selector": {"exact": "sound", "prefix": "and "}}, headers=auth["factchecker"])
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()
    assert (claim["start"], claim["end"]) == (24, 29)
    # The context runs on into the passage before, as in the whole text.
    assert claim["prefix"] == "it was.\nThe plan was sound, and "
    assert claim["suffix"] == " it was.\nThe plan was sound, and"
    assert elapsed < 2


def test_context_of_a_claim_crosses_into_neighbouring_passages(app, client, auth):
    ids = _legacy_article(app, [f"P{i}." for i in range(100)])
    response = client.post("/api/v1/claims", json={
        "passage_id": ids[50], "start": 0, "end": 3, "verdict": "unverified"},
        headers=auth["factchecker"])
    claim = response.get_json()
    whole = "\n".join(f"P{i}." for i in range(100))
    at = whole.index("P50.")
    assert claim["prefix"] == whole[at - 32:at]
    assert claim["suffix"] == whole[at + 3:at + 3 + 32]
