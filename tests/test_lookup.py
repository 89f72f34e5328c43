"""The readers' private lookup, GET /api/v1/lookup/{prefix}: a bucket of
published articles by the first hex digits of their URL keys' SHA-256.

What a reader's extension gets without telling the service its page: every
published article hashing into the bucket with its full hash and claims
(the same claim objects as /api/v1/highlights), cacheable by any HTTP cache,
and changed at once by whatever changes what readers see.
"""

import gzip
import hashlib

import pytest

from annotations.lookup import bucket_prefix, key_hash
from annotations.store import SYSTEM
from annotations.urls import url_key
from factcheck import create_app
from factcheck.api.lookup import BucketAnswers
from tests.helpers import api_error, open_store

STORY_URL = "https://news.example.com/2026/harbour-plan?id=7"
STORY_TEXT = ("Harbour plan approved\n\n"
              "The council approved the plan. The mayor said it creates 4,000 jobs.\n\n"
              "Кандидат сказал 🗳️: 東京 rents rose 9% in 2024.\n")


def hash_of(url: str) -> str:
    return hashlib.sha256(url_key(url).encode("utf-8")).hexdigest()


def bucket(client, url_or_prefix: str, headers=None):
    prefix = url_or_prefix if "/" not in url_or_prefix else hash_of(url_or_prefix)[:4]
    return client.get(f"/api/v1/lookup/{prefix}", headers=headers or {})


def entries_for(response, url: str) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [e for e in response.get_json()["entries"] if e["hash"] == hash_of(url)]


@pytest.fixture
def story(factories):
    article = factories.article(STORY_URL, STORY_TEXT, title="Harbour plan", publisher="Ledger")
    jobs = factories.claim(article, "creates 4,000 jobs", "verified", published=True,
                           rationale="<p>The jobs report agrees.</p>",
                           citations=[{"url": "https://stats.example.org/jobs",
                                       "title": "Jobs report"}])
    rents = factories.claim(article, "東京 rents rose 9%", "unverified", published=True)
    draft = factories.claim(article, "The council approved", "unverified")
    return {"article": article, "jobs": jobs, "rents": rents, "draft": draft}


def test_the_key_hash_is_sha256_of_the_url_key():
    assert key_hash("example.com/caf%C3%A9") == hashlib.sha256(
        b"example.com/caf%C3%A9").hexdigest()
    assert bucket_prefix(key_hash("a")) == key_hash("a")[:4]


def test_a_published_article_is_in_its_bucket_with_the_claims_readers_see(client, story):
    response = bucket(client, STORY_URL)
    (entry,) = entries_for(response, STORY_URL)
    assert response.get_json()["prefix"] == hash_of(STORY_URL)[:4]
    assert entry["article"]["title"] == "Harbour plan"
    assert entry["article"]["publisher"] == "Ledger"
    # Drafts never reach readers; the published ones come with their selectors.
    assert sorted(c["id"] for c in entry["claims"]) == sorted(
        [story["jobs"]["id"], story["rents"]["id"]])
    jobs = next(c for c in entry["claims"] if c["id"] == story["jobs"]["id"])
    assert jobs["selector"]["exact"] == "creates 4,000 jobs"
    assert jobs["verdict"] == "verified"
    assert jobs["citations"][0]["url"] == "https://stats.example.org/jobs"
    assert jobs["review_url"] == f"claims/{jobs['id']}"
    # Exactly what the URL-bearing endpoint answers for the page.
    old = client.get("/api/v1/highlights", query_string={"url": STORY_URL}).get_json()
    assert entry["claims"] == old["claims"]
    assert entry["article"] == old["article"]


def test_the_variants_of_a_url_hash_to_the_same_entry(client, story):
    variant = "HTTPS://News.Example.com:443/2026/harbour-plan/?utm_source=x&id=7#top"
    assert hash_of(variant) == hash_of(STORY_URL)
    assert entries_for(bucket(client, variant), variant)


def test_an_article_with_drafts_only_is_in_no_bucket(client, factories):
    article = factories.article("https://news.example.com/unchecked", STORY_TEXT)
    factories.claim(article, "creates 4,000 jobs")
    assert entries_for(bucket(client, article["url"]), article["url"]) == []


def test_an_alias_has_an_entry_of_its_own(client, store, factories, story):
    alias = "https://amp.news.example.com/harbour-plan.amp"
    store.add_alias(story["article"]["id"], alias, SYSTEM)
    (entry,) = entries_for(bucket(client, alias), alias)
    assert entry["article"]["id"] == story["article"]["id"]
    store.remove_alias(story["article"]["id"], store.aliases(story["article"]["id"])[0]["id"],
                       SYSTEM)
    assert entries_for(bucket(client, alias), alias) == []


@pytest.mark.parametrize("prefix", ["AB12", "ab1", "ab123", "zz12", "ab1g", "ab%20", "-1ab", "１２３４"])
def test_a_prefix_other_than_four_lower_case_hex_digits_is_refused(client, store, prefix):
    response = client.get(f"/api/v1/lookup/{prefix}")
    api_error(response, 422, "prefix")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert store.db.execute("SELECT count(*) FROM reader_buckets").fetchone()[0] == 0


def test_a_bucket_is_public_cacheable_and_answers_304(client, story):
    first = bucket(client, STORY_URL)
    etag = first.headers["ETag"]
    # Strong: a proxy may serve byte ranges and compare it.
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in first.headers and "Cookie" not in first.headers.get("Vary", "")
    again = bucket(client, STORY_URL, {"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    # A compressing proxy's weak form of the same tag is also "unchanged".
    assert bucket(client, STORY_URL, {"If-None-Match": f"W/{etag}"}).status_code == 304
    assert bucket(client, STORY_URL, {"If-None-Match": '"other"'}).status_code == 200


def test_an_empty_bucket_is_a_tiny_cacheable_answer(client):
    response = bucket(client, "0000")
    assert response.get_json() == {"prefix": "0000", "entries": []}
    assert response.headers["ETag"] and "public" in response.headers["Cache-Control"]


def test_the_cache_lifetimes_are_settings(tmp_path, db_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x",
                      "LOOKUP_MAX_AGE": "5", "LOOKUP_STALE_WHILE_REVALIDATE": 0})
    assert app.test_client().get("/api/v1/lookup/0000").headers["Cache-Control"] == (
        "public, max-age=5, stale-while-revalidate=0")
    for wrong in (-1, "soon", True, 1.5):
        with pytest.raises(ValueError, match="LOOKUP_MAX_AGE"):
            create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x",
                        "LOOKUP_MAX_AGE": wrong})


def test_a_kept_bucket_is_answered_before_flask(app, client, story):
    first = bucket(client, STORY_URL)

    def flask_is_gone(environ, start_response):
        raise AssertionError("a kept bucket reached Flask")

    layer = app.wsgi_app
    while not isinstance(layer, BucketAnswers):
        layer = layer.wsgi_app
    layer.wsgi_app = flask_is_gone
    kept = bucket(client, STORY_URL)
    assert kept.status_code == 200 and kept.data == first.data
    assert kept.headers["ETag"] == first.headers["ETag"]
    assert kept.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert kept.headers["Content-Type"] == "application/json"
    assert bucket(client, STORY_URL, {"If-None-Match": first.headers["ETag"]}).status_code == 304


def _etag(client, url=STORY_URL):
    response = bucket(client, url)
    assert response.status_code == 200
    return response.headers["ETag"], response.get_json()


def test_every_change_readers_see_changes_the_bucket_at_once(client, store, factories, story):
    seen = [_etag(client)[0]]

    def changed() -> dict:
        etag, body = _etag(client)
        assert etag not in seen, "the bucket still answers as before the change"
        seen.append(etag)
        return entries_for_body(body)

    def entries_for_body(body):
        return [e for e in body["entries"] if e["hash"] == hash_of(STORY_URL)]

    editor = factories.actor("ed", "editor")
    # A third claim published.
    draft = factories.publish(story["draft"])
    (entry,) = changed()
    assert draft["id"] in [c["id"] for c in entry["claims"]]
    # A revision with a correction approved.
    claim_id = story["jobs"]["id"]
    version = store.claim(claim_id)["version"]
    store.update_claim(claim_id, {"verdict": "denied"}, editor, version)
    store.transition_claim(claim_id, "submit", editor)
    store.transition_claim(claim_id, "approve", SYSTEM, correction_note="The report was wrong.")
    (entry,) = changed()
    jobs = next(c for c in entry["claims"] if c["id"] == claim_id)
    assert jobs["verdict"] == "denied" and jobs["corrections"]
    # Retracted.
    store.transition_claim(story["rents"]["id"], "retract", editor, note="Misread the chart.")
    (entry,) = changed()
    assert next(c for c in entry["claims"]
                if c["id"] == story["rents"]["id"])["status"] == "retracted"
    # The article's metadata re-imported.
    factories.article(STORY_URL, STORY_TEXT, title="Harbour plan, updated")
    (entry,) = changed()
    assert entry["article"]["title"] == "Harbour plan, updated"
    # The published claim deleted with its article: out of the bucket.
    store.delete_article(story["article"]["id"], editor)
    assert changed() == []


def test_a_working_copy_edit_leaves_the_bucket_alone(client, store, factories, story):
    before = _etag(client)
    editor = factories.actor("ed", "editor")
    claim_id = story["jobs"]["id"]
    store.update_claim(claim_id, {"label": "Jobs (revised)"}, editor,
                       store.claim(claim_id)["version"])
    store.update_claim(story["draft"]["id"], {"verdict": "denied"}, editor,
                       store.claim(story["draft"]["id"])["version"])
    # Readers keep the published version until the revision is approved.
    assert _etag(client) == before


def test_hidden_retractions_are_a_rendering_of_their_own(tmp_path, db_path, monkeypatch, store,
                                                         factories, story):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    store.transition_claim(story["rents"]["id"], "retract", factories.actor("ed", "editor"),
                           note="Wrong chart.")

    def claims_with(setting):
        app = create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x",
                          "RETRACTED_CLAIMS": setting})
        (entry,) = entries_for(bucket(app.test_client(), STORY_URL), STORY_URL)
        return sorted(c["id"] for c in entry["claims"])

    shown = claims_with("show")
    assert story["rents"]["id"] in shown
    assert story["rents"]["id"] not in claims_with("hide")
    assert claims_with("show") == shown


def test_migration_hashes_the_keys_already_stored(app, story):
    with open_store(app) as store:
        for table in ("articles", "article_aliases"):
            for key, hashed in store.db.execute(f"SELECT url_key, key_hash FROM {table}"):
                assert hashed == key_hash(key)
        stored = store.article(story["article"]["id"])
    assert stored["key_hash"] == hash_of(STORY_URL)


def test_export_buckets_writes_the_published_buckets_as_static_files(app, client, runner, store,
                                                                      factories, story, tmp_path):
    other = factories.article("https://other.example.org/story", STORY_TEXT)
    factories.claim(other, "creates 4,000 jobs", published=True)
    factories.article("https://drafts.example.org/story", STORY_TEXT)  # nothing published
    folder = tmp_path / "site" / "api" / "v1" / "lookup"
    folder.mkdir(parents=True)
    (folder / "ffff").write_text("a bucket emptied since the last export")
    (folder / "notes.txt").write_text("not ours")

    result = runner.invoke(args=["export-buckets", str(tmp_path / "site")])

    assert result.exit_code == 0, result.output
    expected = {hash_of(STORY_URL)[:4], hash_of(other["url"])[:4]}
    assert {p.name for p in folder.iterdir()} == expected | {"notes.txt"}
    for prefix in expected:
        # Byte for byte what the service answers for that bucket.
        assert (folder / prefix).read_bytes() == bucket(client, prefix).data
    assert "wrote 2 buckets" in result.output and "removed 1" in result.output



def test_a_bucket_comes_gzipped_to_clients_that_ask_with_its_own_etag(app, client, store,
                                                                      story):
    plain = bucket(client, STORY_URL)
    for path in ("first render", "kept"):
        if path == "first render":
            store.db.execute("DELETE FROM reader_buckets")
            store.db.conn.commit()
        packed = bucket(client, STORY_URL, {"Accept-Encoding": "gzip, deflate, br"})
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.data) == plain.data
        assert len(packed.data) < len(plain.data)
        # One ETag per representation; caches keep them apart by Vary.
        assert packed.headers["ETag"] != plain.headers["ETag"]
        assert packed.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"
        assert bucket(client, STORY_URL, {"Accept-Encoding": "gzip",
                                          "If-None-Match": packed.headers["ETag"]}
                      ).status_code == 304
        # The gzipped copy's tag does not validate the plain one.
        assert bucket(client, STORY_URL, {"If-None-Match": packed.headers["ETag"]}
                      ).status_code == 200
    refused = bucket(client, STORY_URL, {"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data
