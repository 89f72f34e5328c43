"""The readers' answer cache: one entry per page whatever the URL variant,
bounded by bytes, so anonymous requests cannot grow a worker without end."""

import pytest

from annotations.urls import url_key
from factcheck.api.response_cache import CachedAnswer, ResponseCache
from factcheck.db import database_version

STORY_URL = "https://news.example.com/world/harbour-plan"
# Long rationales make a large answer, as a much fact-checked article has.
RATIONALE = "<p>" + "The figures do not add up. " * 400 + "</p>"


@pytest.fixture
def story(factories):
    text = "\n\n".join(f"Paragraph {n} says the mayor promised {n} jobs." for n in range(20))
    article = factories.article(STORY_URL, text=text, title="Harbour plan")
    for n in range(20):
        factories.claim(article, f"promised {n} jobs", published=True, rationale=RATIONALE)
    return article


def highlights(client, url, headers=None):
    return client.get("/api/v1/highlights", query_string={"url": url}, headers=headers or {})


def cache_of(app) -> ResponseCache:
    return app.extensions["reader_cache"]


def entries(app) -> list[str]:
    return list(cache_of(app)._entries)


@pytest.fixture
def flask_calls(app):
    """How many requests went past the WSGI fast path into Flask."""
    calls = []
    inner = app.wsgi_app.wsgi_app

    def counting(environ, start_response):
        calls.append(environ.get("QUERY_STRING"))
        return inner(environ, start_response)
    app.wsgi_app.wsgi_app = counting
    return calls


def test_tracking_parameter_variants_share_one_entry(app, client, story):
    first = highlights(client, STORY_URL)
    assert first.status_code == 200 and len(first.data) > 200_000
    one_entry = cache_of(app).bytes

    for n in range(300):
        variant = f"{STORY_URL}?utm_source=s{n}&fbclid=f{n}#c{n}"
        response = highlights(client, variant)
        assert response.status_code == 200
        body = response.get_json()
        # Each variant's answer still echoes the URL it asked for.
        assert body["url"] == variant
        assert len(body["claims"]) == 20 and body["article"]["id"] == story["id"]
        assert response.headers["ETag"] == first.headers["ETag"]

    assert entries(app) == [url_key(STORY_URL)]
    assert cache_of(app).bytes == one_entry


def test_variants_are_answered_by_the_fast_path_with_their_own_url(app, client, story,
                                                                  flask_calls):
    first = highlights(client, STORY_URL)
    assert len(flask_calls) == 1
    variant = "http://NEWS.example.com/world/harbour-plan/?utm_medium=email"

    repeat = highlights(client, variant)
    not_modified = highlights(client, variant, {"If-None-Match": first.headers["ETag"]})

    assert len(flask_calls) == 1  # neither entered Flask
    assert repeat.status_code == 200 and not_modified.status_code == 304
    assert repeat.get_json() == {**first.get_json(), "url": variant}
    assert repeat.data == first.data.replace(
        b'"url":"' + STORY_URL.encode() + b'"', b'"url":"' + variant.encode() + b'"', 1)
    assert int(repeat.headers["Content-Length"]) == len(repeat.data)


def test_unknown_urls_stay_within_the_byte_bound(app, client, story):
    app.config["READER_CACHE_BYTES"] = 20_000
    for n in range(300):
        response = highlights(client, f"https://elsewhere.example.org/page-{n}?id={n}")
        assert response.status_code == 200
        assert response.get_json()["claims"] == []
    cache = cache_of(app)
    assert 0 < cache.bytes <= 20_000
    assert 0 < len(cache) < 300
    # The most recent pages are the ones kept.
    assert entries(app)[-1] == url_key("https://elsewhere.example.org/page-299?id=299")


def test_malformed_urls_share_one_entry(app, client, story):
    for url in ("not a url", "javascript:alert(1)", "%%%", "https://", "ftp://x.example/y"):
        response = highlights(client, url)
        assert response.status_code == 200 and response.get_json()["url"] == url
    assert entries(app) == [""]


def test_an_answer_larger_than_the_budget_is_not_kept_but_its_etag_is(app, client, story,
                                                                      flask_calls):
    app.config["READER_CACHE_BYTES"] = 10_000
    first = highlights(client, STORY_URL)
    assert len(first.data) > 10_000

    again = highlights(client, STORY_URL)
    not_modified = highlights(client, STORY_URL, {"If-None-Match": first.headers["ETag"]})

    assert again.data == first.data
    assert cache_of(app).bytes <= 10_000
    assert cache_of(app).get(database_version(app.config["DATABASE"]),
                             url_key(STORY_URL)).body is None
    assert not_modified.status_code == 304
    # The full answer is rebuilt by Flask each time; the 304 came from the fast path.
    assert len(flask_calls) == 2


def test_the_cache_can_be_turned_off(app, client, story, flask_calls):
    app.config["READER_CACHE_BYTES"] = 0
    for _ in range(3):
        assert highlights(client, STORY_URL).status_code == 200
    assert len(cache_of(app)) == 0 and len(flask_calls) == 3


def test_least_recently_used_entries_leave_first():
    answer = CachedAnswer("tag", 1, b"x" * 1000)
    cache = ResponseCache(max_bytes=3 * 1500)
    cache.get("v1", "a")  # the first get takes the data version
    for key in ("a", "b", "c"):
        cache.put("v1", key, answer)
    assert cache.get("v1", "a") is answer  # a is now the most recent
    cache.put("v1", "d", answer)

    assert list(cache._entries) == ["c", "a", "d"]
    assert cache.bytes <= 3 * 1500
    # Replacing an entry counts its new size only.
    cache.put("v1", "a", CachedAnswer("tag", 1))
    assert cache.bytes == sum(size for _, size in cache._entries.values())
    # A new data version empties it.
    assert cache.get("v2", "a") is None and len(cache) == 0 and cache.bytes == 0


def test_commits_readers_cannot_see_leave_the_cache_warm(app, client, story, flask_calls):
    # A failed login commits (the throttle's record), as a token's last use
    # does: neither changes an answer, so neither may empty the cache, or
    # anyone could keep every worker's cache cold by spraying logins.
    assert highlights(client, STORY_URL).status_code == 200
    calls = len(flask_calls)
    for n in range(3):
        client.post("/api/v1/session", json={"username": f"nobody{n}", "password": "wrong"})
    calls_after_logins = len(flask_calls)

    assert highlights(client, STORY_URL + "?utm_source=x").status_code == 200
    assert len(flask_calls) == calls_after_logins  # answered by the fast path, from the cache
    assert calls_after_logins == calls + 3


def test_a_change_readers_see_empties_the_cache(app, client, story, factories, flask_calls):
    first = highlights(client, STORY_URL)
    factories.claim(story, "promised 3 jobs", published=True, rationale="<p>New.</p>")
    calls = len(flask_calls)

    second = highlights(client, STORY_URL)

    assert len(flask_calls) == calls + 1  # rebuilt by the view
    assert len(second.get_json()["claims"]) == len(first.get_json()["claims"]) + 1


# -- the editorial workflow: approvals and retractions reach cached answers ------------

def _claim_on(client, claim_id):
    response = highlights(client, STORY_URL + "?utm_source=cached")
    assert response.status_code == 200
    return next((c for c in response.get_json()["claims"] if c["id"] == claim_id), None)


def test_approvals_and_retractions_reach_a_warm_cache(app, client, story, factories,
                                                      flask_calls):
    """Each answer below is asked for twice, the second from the fast path:
    neither may be the cached answer from before the change."""
    checker, editor = factories.actor(role="factchecker"), factories.actor(role="editor")
    store = factories.store
    claim = store.claims_for_article(story["id"], published_only=False)[3]
    claim_id = claim["id"]
    assert _claim_on(client, claim_id)["verdict"] == "unverified"

    # A revision: the desk's working copy changes, readers' answer does not.
    revised = store.update_claim(claim_id, {"verdict": "verified", "label": "Checked"}, checker,
                                 claim["version"], citations=[{"url": "https://s.example.org/"}])
    store.transition_claim(claim_id, "submit", checker)
    for _ in range(2):
        shown = _claim_on(client, claim_id)
        assert (shown["verdict"], shown["label"]) == ("unverified", "")
    assert revised["status"] == "draft"

    store.transition_claim(claim_id, "approve", editor, correction_note="A source was found.")
    calls = len(flask_calls)
    for _ in range(2):
        shown = _claim_on(client, claim_id)
        assert (shown["verdict"], shown["label"]) == ("verified", "Checked")
        assert [c["note"] for c in shown["corrections"]] == ["A source was found."]
    assert len(flask_calls) == calls + 1  # rebuilt once, then from the cache

    store.transition_claim(claim_id, "retract", editor, note="The source was forged.")
    for _ in range(2):
        shown = _claim_on(client, claim_id)
        assert shown["status"] == "retracted"
        assert shown["retraction_reason"] == "The source was forged."

    app.config["RETRACTED_CLAIMS"] = "hide"
    app.extensions.pop("reader_cache")  # as a restart with the other setting would
    for _ in range(2):
        assert _claim_on(client, claim_id) is None


WORKFLOW_TABLES = {
    "claim_publications": "UPDATE claim_publications SET retraction_reason = 'x'"
                          " WHERE claim_id = (SELECT min(claim_id) FROM claim_publications)",
    "published_citations": "DELETE FROM published_citations"
                           " WHERE id = (SELECT min(id) FROM published_citations)",
    "claim_corrections": "INSERT INTO claim_corrections (claim_id, at, note, previous_verdict,"
                         " verdict) SELECT min(claim_id), '2026-01-01', 'n', 'denied', 'verified'"
                         " FROM claim_publications",
}


@pytest.mark.parametrize("table", WORKFLOW_TABLES)
def test_each_table_readers_see_moves_the_content_version(app, story, factories, table):
    """The readers' caches follow content_version: a write to any table a
    reader's answer is built from (m0010's too) must move it, whoever writes."""
    factories.claim(story, "promised 0 jobs", published=True,
                    citations=[{"url": "https://s.example.org/"}])
    before = database_version(app.config["DATABASE"])

    with factories.store.db.conn:
        changed = factories.store.db.execute(WORKFLOW_TABLES[table]).rowcount
    assert changed == 1

    assert database_version(app.config["DATABASE"]) != before
