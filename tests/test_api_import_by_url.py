"""Import by URL through the API: POST /api/v1/articles with only ``url``
fetches the page (from tests/page_server.py, reachable because the tests
turn FETCH_ALLOW_PRIVATE_HOSTS on), extracts its story and metadata, and
keeps the fetch's validators for a cheap re-fetch. Also: correcting an
article's metadata (PATCH), and full pages pasted as ``html``."""

from pathlib import Path

import pytest

from tests.helpers import api_error, create_claim, open_store, passage_with, row_counts
from tests.page_server import page_server  # noqa: F401  (fixture)

PAGES = Path(__file__).parent / "fixtures" / "pages"
NEWS_CANONICAL = "https://www.harbourview-courier.example/news/2026/03/harbour-dredging-audit"


@pytest.fixture
def fetching_app(app):
    app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    return app


def fetch(client, headers, url, **body):
    return client.post("/api/v1/articles", json={"url": url, **body}, headers=headers)


def audit_actions(app, article_id) -> list[str]:
    with open_store(app) as store:
        return [e["action"] for e in store.history("article", article_id)]


def test_url_alone_fetches_the_page_and_imports_its_story_and_metadata(
        client, fetching_app, auth, page_server):
    url = page_server.page("/news/dredging", "news_site.html", etag='"rev-7"',
                           headers={"Last-Modified": "Wed, 04 Mar 2026 07:45:00 GMT"})

    response = fetch(client, auth["factchecker"], url)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    article = body["article"]
    assert body["created"] is True and body["unchanged"] is False
    assert article["url"] == url
    assert (article["title"], article["author"], article["published_date"],
            article["publisher"], article["language"]) == (
        "Harbour dredging plan will cost twice the council's estimate, audit finds",
        "Priya Raman", "2026-03-04", "Harbourview Courier", "en-GB")
    texts = [p["text"] for p in article["passages"]]
    assert texts[0] == article["title"]
    assert not any("Advertisement" in t or "Read more" in t for t in texts)
    assert article["fetched_at"] and article["http_etag"] == '"rev-7"'
    assert article["http_last_modified"] == "Wed, 04 Mar 2026 07:45:00 GMT"
    # The canonical URL is now an alias: the page is found under it too.
    assert body["aliases_added"] == [NEWS_CANONICAL]
    aliases = client.get(f"/api/v1/articles/{article['id']}/aliases",
                         headers=auth["factchecker"]).get_json()
    assert [a["url"] for a in aliases] == [NEWS_CANONICAL]


def test_refetching_an_unchanged_page_sends_its_validators_and_imports_nothing(
        client, fetching_app, auth, page_server):
    url = page_server.page("/news/dredging", "news_site.html", etag='"rev-7"',
                           headers={"Last-Modified": "Wed, 04 Mar 2026 07:45:00 GMT"})
    first = fetch(client, auth["factchecker"], url).get_json()["article"]
    before = row_counts(fetching_app)

    response = fetch(client, auth["factchecker"], url)

    assert response.status_code == 200
    body = response.get_json()
    assert body["unchanged"] is True and body["created"] is False
    assert body["passage_count"] == len(first["passages"])
    assert body["article"]["fetched_at"] >= first["fetched_at"]
    _, headers = page_server.requests[-1]
    assert headers["If-None-Match"] == '"rev-7"'
    assert headers["If-Modified-Since"] == "Wed, 04 Mar 2026 07:45:00 GMT"
    assert row_counts(fetching_app) == before


def test_refetching_a_changed_page_reimports_it_keeping_claims(
        client, fetching_app, auth, page_server):
    html = (PAGES / "news_site.html").read_text(encoding="utf-8")
    url = page_server.route("/news/dredging", body=html.encode(), etag='"rev-7"')
    article = fetch(client, auth["factchecker"], url).get_json()["article"]
    kept = create_claim(client, auth["factchecker"], passage_with(article, "£48m"),
                        "£48m")
    lost = create_claim(client, auth["factchecker"], passage_with(article, "outside engineer"),
                        "reviewed by an outside engineer")
    changed = html.replace(
        "<p>The audit also recommends that future capital projects above £10m be reviewed by "
        "an outside engineer before they reach the committee.</p>",
        "<p>The council said on Wednesday it would publish the full audit next week.</p>")
    page_server.route("/news/dredging", body=changed.encode(), etag='"rev-8"')

    response = fetch(client, auth["factchecker"], url)

    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["unchanged"]) == (False, False)
    assert (body["claims_kept"], body["claims_orphaned"]) == (1, 1)
    assert body["article"]["http_etag"] == '"rev-8"'
    assert any("publish the full audit" in p["text"] for p in body["article"]["passages"])
    states = {c["id"]: c["anchor_state"] for c in body["article"]["claims"]}
    assert states == {kept["id"]: "anchored", lost["id"]: "orphaned"}
    assert "reimport" in audit_actions(fetching_app, article["id"])


def test_metadata_given_with_the_url_wins_over_the_page(client, fetching_app, auth, page_server):
    url = page_server.page("/wire", "wire_story.html")

    article = fetch(client, auth["factchecker"], url, title="Grain talks resume",
                    publisher="Meridian (syndicated)").get_json()["article"]

    assert (article["title"], article["publisher"], article["author"]) == (
        "Grain talks resume", "Meridian (syndicated)", "Jonas Aberg")


def test_a_redirected_fetch_keeps_the_asked_url_and_aliases_the_final_one(
        client, fetching_app, auth, page_server):
    final = page_server.page("/2026/02/velo", "blog.html")
    short = page_server.redirect("/s/velo", final, 301)

    body = fetch(client, auth["factchecker"], short).get_json()

    assert body["article"]["url"] == short
    assert body["aliases_added"] == [
        "https://carnets-de-donnees.example/2026/02/chiffres-velo-lyon/", final]


def test_a_canonical_url_another_article_holds_is_a_warning_not_an_alias(
        client, fetching_app, auth, page_server):
    client.post("/api/v1/articles", json={"url": NEWS_CANONICAL, "text": "Other text."},
                headers=auth["factchecker"])
    url = page_server.page("/copy", "news_site.html")

    body = fetch(client, auth["factchecker"], url).get_json()

    assert body["aliases_added"] == []
    assert body["warnings"] == [f"{NEWS_CANONICAL} is already article 1's URL; "
                                "not added as an alias"]


# -- refusals ------------------------------------------------------------------

def test_with_the_setting_off_the_local_server_is_refused_and_nothing_written(
        client, app, auth, page_server):
    url = page_server.page("/news/dredging", "news_site.html")
    before = row_counts(app)

    response = fetch(client, auth["factchecker"], url)

    error = api_error(response, 422, "url", "address_refused")
    assert "loopback" in error["message"]
    assert page_server.requests == []
    assert row_counts(app) == before


@pytest.mark.parametrize("url, reason", [
    ("http://10.20.30.40/story", "private"),
    ("http://192.168.0.10/story", "private"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[::1]:8080/story", "loopback"),
])
def test_private_addresses_are_refused(client, app, auth, url, reason):
    before = row_counts(app)
    error = api_error(fetch(client, auth["factchecker"], url), 422, "url", "address_refused")
    assert reason in error["message"]
    assert row_counts(app) == before


def test_a_page_that_is_not_html_is_415(client, fetching_app, auth, page_server):
    url = page_server.route("/report.pdf", body=b"%PDF-1.7",
                            headers={"Content-Type": "application/pdf"})
    error = api_error(fetch(client, auth["factchecker"], url), 415, "url", "not_html")
    assert "application/pdf" in error["message"]


def test_a_page_over_the_import_limit_is_413(client, fetching_app, auth, page_server):
    fetching_app.config["MAX_IMPORT_BYTES"] = 2000
    url = page_server.page("/big", "news_site.html")
    error = api_error(fetch(client, auth["factchecker"], url), 413, "url", "too_large")
    assert "2000 bytes" in error["message"]


def test_an_upstream_error_is_422_naming_it(client, fetching_app, auth, page_server):
    error = api_error(fetch(client, auth["factchecker"], page_server.url("/gone")), 422, "url",
                      "upstream_status")
    assert "HTTP 404" in error["message"]


def test_fetching_needs_the_factchecker_role(client, fetching_app, auth, page_server):
    url = page_server.page("/news", "news_site.html")
    api_error(fetch(client, auth["reader"], url), 403)
    assert page_server.requests == []


# -- a full page pasted as html ------------------------------------------------

def test_a_pasted_full_page_gets_its_metadata_and_canonical_alias(client, app, auth):
    html = (PAGES / "paywall.html").read_text(encoding="utf-8")

    body = client.post("/api/v1/articles", json={
        "url": "https://mirror.example/saved/broadband", "html": html},
        headers=auth["factchecker"]).get_json()

    article = body["article"]
    assert (article["title"], article["author"], article["publisher"]) == (
        "Inside the state's missing broadband millions", "Dana Whitfield, Luis Ortega",
        "The Prairie Ledger")
    assert len(article["passages"]) == 3
    assert article["fetched_at"] is None
    assert body["aliases_added"] == [
        "https://prairieledger.example/investigations/broadband-millions"]


# -- correcting metadata -------------------------------------------------------

def test_metadata_can_be_corrected_and_the_change_is_audited(client, app, auth):
    html = (PAGES / "wire_story.html").read_text(encoding="utf-8")
    article = client.post("/api/v1/articles", json={"url": "https://mirror.example/wire",
                                                    "html": html},
                          headers=auth["factchecker"]).get_json()["article"]

    response = client.patch(f"/api/v1/articles/{article['id']}", json={
        "author": "Jonas Åberg", "published_date": "2026-01-13", "language": ""},
        headers=auth["factchecker"])

    assert response.status_code == 200
    changed = response.get_json()
    assert (changed["author"], changed["published_date"], changed["language"]) == (
        "Jonas Åberg", "2026-01-13", "")
    assert changed["title"] == article["title"]
    with open_store(app) as store:
        entry = store.history("article", article["id"])[-1]
    assert entry["action"] == "update" and entry["actor"] == "factchecker"
    assert entry["before"] == {"author": "Jonas Aberg", "published_date": "2026-01-12",
                               "language": "en"}
    assert entry["after"] == {"author": "Jonas Åberg", "published_date": "2026-01-13",
                              "language": ""}

    # A re-import of the page keeps the correction (the page only fills gaps).
    again = client.post("/api/v1/articles", json={"url": "https://mirror.example/wire",
                                                  "html": html},
                        headers=auth["factchecker"]).get_json()["article"]
    assert (again["author"], again["published_date"], again["language"]) == (
        "Jonas Åberg", "2026-01-13", "en")


@pytest.mark.parametrize("body, field", [
    ({}, "_schema"),
    ({"url": "https://elsewhere.example/"}, "url"),
    ({"title": "x" * 501}, "title"),
    ({"published_date": "last week"}, "published_date"),
    ({"author": 7}, "author"),
])
def test_bad_metadata_corrections_are_422_and_change_nothing(client, app, auth, body, field):
    client.post("/api/v1/articles", json={"url": "https://news.example.com/a", "text": "Text."},
                headers=auth["factchecker"])
    before = row_counts(app)
    api_error(client.patch("/api/v1/articles/1", json=body, headers=auth["factchecker"]), 422,
              field)
    assert row_counts(app) == before


def test_correcting_metadata_needs_the_factchecker_role(client, app, auth):
    client.post("/api/v1/articles", json={"url": "https://news.example.com/a", "text": "Text."},
                headers=auth["factchecker"])
    api_error(client.patch("/api/v1/articles/1", json={"title": "New"},
                           headers=auth["reader"]), 403)
    api_error(client.patch("/api/v1/articles/99", json={"title": "New"},
                           headers=auth["factchecker"]), 404)
