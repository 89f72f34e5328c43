"""Articles through the JSON API: import, list with filters, read, delete."""

import json

import pytest

from tests.helpers import (ARTICLE_TEXT, api_error, create_claim, import_article, passage_with,
                           publish_over_api, row_counts)


# -- import -------------------------------------------------------------------

def test_import_text_creates_the_article(client, app, auth):
    before = row_counts(app)
    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/budget", "text": ARTICLE_TEXT,
        "title": "Budget story", "publisher": "Daily Example", "author": "A. Writer",
        "published_date": "2024-03-01", "language": "en"}, headers=auth["factchecker"])

    assert response.status_code == 201
    body = response.get_json()
    assert body["created"] is True
    assert body["passage_count"] == 3
    assert body["claims_kept"] == 0 and body["claims_orphaned"] == 0
    article = body["article"]
    assert response.headers["Location"].endswith(f"/api/v1/articles/{article['id']}")
    assert [p["text"] for p in article["passages"]] == [
        "Budget cuts announced",
        "The minister said unemployment fell by 3% last year.",
        "Critics said the figure was misleading."]
    assert [p["ordinal"] for p in article["passages"]] == [0, 1, 2]
    assert article["passages"][0]["kind"] == "heading"
    assert article["passages"][1]["kind"] == "paragraph"
    assert (article["url"], article["title"], article["publisher"], article["author"],
            article["published_date"], article["language"]) == (
        "https://news.example.com/budget", "Budget story", "Daily Example", "A. Writer",
        "2024-03-01", "en")
    assert article["claims"] == [] and article["claim_count"] == 0

    after = row_counts(app)
    assert after["articles"] == before["articles"] + 1
    assert after["passages"] == before["passages"] + 3
    assert after["audit_log"] == before["audit_log"] + 1

    fetched = client.get(f"/api/v1/articles/{article['id']}").get_json()
    assert [p["text"] for p in fetched["passages"]] == [p["text"] for p in article["passages"]]


def test_import_html_takes_blocks_and_title_and_drops_scripts(client, auth):
    html = """<!doctype html><html><head><title>Council vote &amp; budget | Town Crier</title>
      <script>var tracking = "do not import me";</script></head>
      <body><nav>Home | World</nav>
      <h1>Council vote &amp; budget</h1>
      <p>The council <b>approved</b> the plan on Tuesday.</p>
      <ul><li>The first point is the road repairs.</li><li>The second is the library.</li></ul>
      <blockquote>We are pleased, said the mayor.</blockquote>
      <footer>Copyright</footer></body></html>"""
    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/council", "html": html}, headers=auth["factchecker"])

    assert response.status_code == 201
    article = response.get_json()["article"]
    # The headline, without the site's name the <title> adds.
    assert article["title"] == "Council vote & budget"
    passages = [(p["kind"], p["text"]) for p in article["passages"]]
    assert passages == [
        ("heading", "Council vote & budget"),
        ("paragraph", "The council approved the plan on Tuesday."),
        ("list_item", "The first point is the road repairs."),
        ("list_item", "The second is the library."),
        ("quote", "We are pleased, said the mayor."),
    ]
    everything = json.dumps(article)
    assert "do not import me" not in everything and "Copyright" not in everything


def test_reimport_same_url_answers_200_and_keeps_claims(client, app, auth):
    article = import_article(client, auth["factchecker"])
    claim = create_claim(client, auth["factchecker"], passage_with(article, "unemployment"),
                         "unemployment fell by 3%")
    before = row_counts(app)

    new_text = ("Budget cuts announced\n\nUpdated: a new first paragraph was added.\n\n"
                "The minister said unemployment fell by 3% last year.\n\n"
                "Critics said the figure was misleading.\n")
    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/budget", "text": new_text},
        headers=auth["factchecker"])

    assert response.status_code == 200
    body = response.get_json()
    assert body["created"] is False
    assert body["article"]["id"] == article["id"]
    assert body["passage_count"] == 4
    assert body["claims_kept"] == 1 and body["claims_orphaned"] == 0
    assert row_counts(app)["articles"] == before["articles"]
    assert row_counts(app)["claims"] == before["claims"]

    moved = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert moved["anchor_state"] == "anchored"
    passage = next(p for p in body["article"]["passages"] if p["id"] == moved["passage_id"])
    assert passage["text"][moved["start"]:moved["end"]] == "unemployment fell by 3%"
    assert [c["id"] for c in body["article"]["claims"]] == [claim["id"]]


def test_reimport_without_the_quote_orphans_the_claim_but_keeps_it(client, auth):
    article = import_article(client, auth["factchecker"])
    claim = create_claim(client, auth["factchecker"], passage_with(article, "Critics"),
                         "the figure was misleading")

    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/budget",
        "text": "Budget cuts announced\n\nThe minister said unemployment fell by 3% last year.\n"},
        headers=auth["factchecker"])

    assert response.status_code == 200
    assert response.get_json()["claims_orphaned"] == 1
    orphan = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert orphan["anchor_state"] == "orphaned"
    assert orphan["exact"] == "the figure was misleading"
    assert orphan["passage_id"] is None


@pytest.mark.parametrize("variant", [
    "https://news.example.com/budget?utm_source=twitter&utm_medium=social",
    "https://news.example.com/budget?fbclid=IwAR0abc",
    "http://NEWS.example.com/budget/#comments",
    "https://news.example.com:443/budget?gclid=xyz&utm_campaign=spring",
])
def test_url_with_tracking_params_is_the_same_article(client, app, auth, variant):
    article = import_article(client, auth["factchecker"])

    response = client.post("/api/v1/articles", json={"url": variant, "text": ARTICLE_TEXT},
                           headers=auth["factchecker"])

    assert response.status_code == 200
    assert response.get_json()["created"] is False
    assert response.get_json()["article"]["id"] == article["id"]
    assert row_counts(app)["articles"] == 1


def test_url_with_a_meaningful_query_is_another_article(client, auth):
    first = import_article(client, auth["factchecker"])
    response = client.post("/api/v1/articles", json={
        "url": "https://news.example.com/budget?page=2", "text": ARTICLE_TEXT},
        headers=auth["factchecker"])
    assert response.status_code == 201
    assert response.get_json()["article"]["id"] != first["id"]


def test_article_fields_are_plain_text(client, auth):
    article = import_article(client, auth["factchecker"], title="<b>Bold</b> & <i>claims</i>",
                             publisher="<script>x()</script>")
    fetched = client.get(f"/api/v1/articles/{article['id']}").get_json()
    assert fetched["title"] == "<b>Bold</b> & <i>claims</i>"
    assert fetched["publisher"] == "<script>x()</script>"


# -- bad input ----------------------------------------------------------------

def _post_raw(client, headers, data, content_type="application/json"):
    return client.post("/api/v1/articles", data=data, content_type=content_type,
                       headers=headers)


GOOD = {"url": "https://news.example.com/new", "text": "Some text to import."}


@pytest.mark.parametrize("body, field", [
    ({**GOOD, "text": 5}, "text"),
    ({**GOOD, "title": ["a list"]}, "title"),
    ({**GOOD, "colour": "red"}, "colour"),
    ({**GOOD, "url": "javascript:alert(1)"}, "url"),
    ({**GOOD, "url": "ftp://news.example.com/x"}, "url"),
    ({**GOOD, "url": "data:text/html,hello"}, "url"),
    ({**GOOD, "url": "https://"}, "url"),
    ({"text": "No URL given."}, "url"),
    ({**GOOD, "html": "<p>both</p>"}, "text"),
    # Neither text nor html: the page is fetched, and loopback is refused.
    ({"url": "http://127.0.0.1:9/article"}, "url"),
    ({**GOOD, "text": "   \n\n  "}, "text"),
    ({"url": GOOD["url"], "html": "<script>only code</script>"}, "html"),
    ({**GOOD, "published_date": "yesterday"}, "published_date"),
    ({**GOOD, "title": "x" * 501}, "title"),
])
def test_invalid_import_is_422_naming_the_field_and_writes_nothing(client, app, auth, body,
                                                                    field):
    import_article(client, auth["factchecker"])
    before = row_counts(app)

    response = client.post("/api/v1/articles", json=body, headers=auth["factchecker"])

    api_error(response, 422, field)
    assert row_counts(app) == before


@pytest.mark.parametrize("data, content_type, status, field", [
    ('{"url": "https://news.example.com/new", "text": ', "application/json", 400, "body"),
    ("[1, 2, 3]", "application/json", 422, "body"),
    (json.dumps(GOOD), "text/plain", 415, "Content-Type"),
    ("url=https://news.example.com/new&text=hi", "application/x-www-form-urlencoded", 415,
     "Content-Type"),
])
def test_unparseable_import_bodies(client, app, auth, data, content_type, status, field):
    before = row_counts(app)
    response = _post_raw(client, auth["factchecker"], data, content_type)
    api_error(response, status, field)
    assert row_counts(app) == before


def test_body_over_one_megabyte_is_413(client, app, auth):
    before = row_counts(app)
    big = json.dumps({"url": GOOD["url"], "text": "word " * (1024 * 1024 // 5 + 10)})
    assert len(big) > 1024 * 1024
    api_error(_post_raw(client, auth["factchecker"], big), 413)
    assert row_counts(app) == before


def test_body_just_under_one_megabyte_is_accepted(client, auth):
    line = "A sentence of a long article that goes on and on.\n"
    text = line * ((1024 * 1024 - 200) // len(json.dumps(line)))
    data = json.dumps({"url": GOOD["url"], "text": text})
    assert len(data) < 1024 * 1024
    assert _post_raw(client, auth["factchecker"], data).status_code == 201


# -- list ---------------------------------------------------------------------

def _import_n(client, headers, n):
    return [import_article(client, headers, url=f"https://news.example.com/story-{i}",
                           text=f"Story number {i} happened today.", title=f"Story {i}")
            for i in range(n)]


def test_list_pages_newest_first(client, auth):
    ids = [a["id"] for a in _import_n(client, auth["factchecker"], 5)]

    pages = [client.get("/api/v1/articles", query_string={"limit": 2, "offset": offset})
             .get_json() for offset in (0, 2, 4, 6)]

    assert [[item["id"] for item in page["items"]] for page in pages] == [
        ids[4:2:-1], ids[2:0:-1], ids[:1], []]
    assert all(page["total"] == 5 and page["limit"] == 2 for page in pages)
    assert [page["offset"] for page in pages] == [0, 2, 4, 6]


@pytest.mark.parametrize("query, field", [
    ({"limit": 0}, "limit"),
    ({"limit": 501}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"verdict": "maybe"}, "verdict"),
    ({"status": "archived"}, "status"),
    ({"q": "x" * 201}, "q"),
    ({"sort": "title"}, "sort"),
])
def test_bad_list_arguments_are_422_naming_the_argument(client, query, field):
    api_error(client.get("/api/v1/articles", query_string=query), 422, field)


@pytest.fixture
def filtered_articles(client, auth):
    """verified: a published verified claim; denied: a draft denied claim;
    mixed: a published unverified and a draft verified claim; bare: no claims."""
    fc, ed = auth["factchecker"], auth["editor"]
    citation = [{"url": "https://stats.example.org/report"}]
    made = {}
    for name in ("verified", "denied", "mixed", "bare"):
        made[name] = import_article(client, fc, url=f"https://news.example.com/{name}")
    claim = create_claim(client, fc, passage_with(made["verified"], "minister"), "minister",
                         "verified", citations=citation)
    publish_over_api(client, ed, claim["id"], submitter=fc)
    create_claim(client, fc, passage_with(made["denied"], "Critics"), "Critics", "denied")
    claim = create_claim(client, fc, passage_with(made["mixed"], "Critics"), "Critics",
                         "unverified")
    publish_over_api(client, ed, claim["id"], submitter=fc)
    create_claim(client, fc, passage_with(made["mixed"], "minister"), "minister", "verified")
    return {name: article["id"] for name, article in made.items()}


def _ids(client, headers, **query):
    body = client.get("/api/v1/articles", query_string=query, headers=headers).get_json()
    ids = {item["id"] for item in body["items"]}
    assert body["total"] == len(ids)
    return ids


def test_filters_for_factcheckers_see_drafts(client, auth, filtered_articles):
    a, fc = filtered_articles, auth["factchecker"]
    assert _ids(client, fc) == set(a.values())
    assert _ids(client, fc, verdict="verified") == {a["verified"], a["mixed"]}
    assert _ids(client, fc, verdict="denied") == {a["denied"]}
    assert _ids(client, fc, verdict="unverified") == {a["mixed"]}
    assert _ids(client, fc, status="draft") == {a["denied"], a["mixed"]}
    assert _ids(client, fc, status="published") == {a["verified"], a["mixed"]}
    assert _ids(client, fc, verdict="verified", status="draft") == {a["mixed"]}


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_filters_for_readers_count_published_claims_only(client, auth, filtered_articles, who):
    a, headers = filtered_articles, auth[who]
    assert _ids(client, headers) == set(a.values())
    assert _ids(client, headers, verdict="verified") == {a["verified"]}
    assert _ids(client, headers, verdict="denied") == set()
    assert _ids(client, headers, verdict="unverified") == {a["mixed"]}
    assert _ids(client, headers, status="draft") == set()
    assert _ids(client, headers, status="published") == {a["verified"], a["mixed"]}

    items = {item["id"]: item for item in
             client.get("/api/v1/articles", headers=headers).get_json()["items"]}
    mixed = items[a["mixed"]]
    assert (mixed["claim_count"], mixed["published_count"], mixed["verified_count"],
            mixed["unverified_count"]) == (1, 1, 0, 1)
    assert items[a["denied"]]["claim_count"] == 0
    assert items[a["denied"]]["denied_count"] == 0


def test_list_counts_all_claims_for_factcheckers(client, auth, filtered_articles):
    items = {item["id"]: item for item in
             client.get("/api/v1/articles", headers=auth["factchecker"]).get_json()["items"]}
    mixed = items[filtered_articles["mixed"]]
    assert (mixed["claim_count"], mixed["published_count"], mixed["verified_count"],
            mixed["unverified_count"]) == (2, 1, 1, 1)
    assert items[filtered_articles["denied"]]["denied_count"] == 1


@pytest.fixture
def multilingual(client, auth):
    fc = auth["factchecker"]
    return {
        "en": import_article(client, fc, url="https://news.example.com/en",
                             text="The harbour bridge reopened after repairs.",
                             title="Bridge news")["id"],
        "ru": import_article(client, fc, url="https://news.example.ru/ru",
                             text="Москва. Мэр сказал, что новый мост открыт.",
                             title="Новости города")["id"],
        "zh": import_article(client, fc, url="https://news.example.cn/zh",
                             text="北京今天下雨了。新的大桥已经开放。",
                             title="城市新闻")["id"],
        "ja": import_article(client, fc, url="https://news.example.jp/ja",
                             text="東京都は新しい橋を開通させた。",
                             title="東京ニュース")["id"],
    }


@pytest.mark.parametrize("q, expected", [
    ("bridge", {"en"}),
    ("BRIDGE reopened", {"en"}),
    ("harbour nonexistentword", set()),
    ("мост", {"ru"}),
    ("МОСТ", {"ru"}),
    ("Мэр мост", {"ru"}),
    ("новости", {"ru"}),
    ("北京", {"zh"}),
    ("大桥", {"zh"}),
    ("城市", {"zh"}),
    ("東京", {"ja"}),
    ("新しい橋", {"ja"}),
    ("上海", set()),
    ("京%", set()),
    ("北_", set()),
])
def test_full_text_search(client, multilingual, q, expected):
    found = _ids(client, {}, q=q)
    assert found == {multilingual[name] for name in expected}


@pytest.mark.parametrize("q", ['"', '""', "   ", "*", "AND", "NEAR(", 'bridge"', "-bridge",
                               "bridge OR x", "a:b", "(", "^"])
def test_search_syntax_characters_do_not_break_the_list(client, multilingual, q):
    response = client.get("/api/v1/articles", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    assert isinstance(response.get_json()["items"], list)


def test_search_combines_with_filters(client, auth, filtered_articles):
    fc = auth["factchecker"]
    other = import_article(client, fc, url="https://news.example.com/weather",
                           text="Rain is expected tomorrow.")
    assert _ids(client, fc, q="minister") == set(filtered_articles.values())
    assert _ids(client, fc, q="rain") == {other["id"]}
    assert _ids(client, fc, q="minister", verdict="denied") == {filtered_articles["denied"]}
    assert _ids(client, {}, q="minister", verdict="denied") == set()


# -- get one ------------------------------------------------------------------

def test_get_article_with_passages_and_visible_claims(client, auth):
    fc, ed = auth["factchecker"], auth["editor"]
    article = import_article(client, fc)
    draft = create_claim(client, fc, passage_with(article, "Critics"), "Critics", "denied")
    published = create_claim(client, fc, passage_with(article, "minister"),
                             "unemployment fell by 3%", "verified",
                             citations=[{"url": "https://stats.example.org/jobs",
                                         "title": "Labour statistics"}])
    publish_over_api(client, ed, published["id"], submitter=fc)

    full = client.get(f"/api/v1/articles/{article['id']}", headers=fc).get_json()
    public = client.get(f"/api/v1/articles/{article['id']}").get_json()

    assert {c["id"] for c in full["claims"]} == {draft["id"], published["id"]}
    assert [c["id"] for c in public["claims"]] == [published["id"]]
    assert public["claim_count"] == 1 and public["published_count"] == 1
    assert public["denied_count"] == 0 and full["denied_count"] == 1
    claim = public["claims"][0]
    assert claim["citations"][0]["url"] == "https://stats.example.org/jobs"
    passage = next(p for p in public["passages"] if p["id"] == claim["passage_id"])
    assert passage["text"][claim["start"]:claim["end"]] == "unemployment fell by 3%"
    assert public["passages"] == full["passages"]


def test_get_missing_article_is_404(client):
    api_error(client.get("/api/v1/articles/4242"), 404, "article_id")


def test_unknown_api_path_is_a_json_404(client):
    api_error(client.get("/api/v1/articels"), 404)


# -- delete -------------------------------------------------------------------

def test_editor_deletes_article_with_its_claims_and_history_remains(client, app, auth):
    fc, ed = auth["factchecker"], auth["editor"]
    article = import_article(client, fc)
    keep = import_article(client, fc, url="https://news.example.com/other")
    claim = create_claim(client, fc, passage_with(article, "minister"), "minister", "verified",
                         citations=[{"url": "https://stats.example.org/a"}])
    other_claim = create_claim(client, fc, passage_with(keep, "minister"), "minister")
    before = row_counts(app)

    response = client.delete(f"/api/v1/articles/{article['id']}", headers=ed)

    assert response.status_code == 204
    after = row_counts(app)
    assert after["articles"] == before["articles"] - 1
    assert after["passages"] == before["passages"] - 3
    assert after["claims"] == before["claims"] - 1
    assert after["citations"] == before["citations"] - 1
    assert after["audit_log"] > before["audit_log"]
    api_error(client.get(f"/api/v1/articles/{article['id']}", headers=ed), 404, "article_id")
    api_error(client.get(f"/api/v1/claims/{claim['id']}", headers=ed), 404)
    assert client.get(f"/api/v1/claims/{other_claim['id']}", headers=ed).status_code == 200

    history = client.get(f"/api/v1/claims/{claim['id']}/history", headers=ed)
    assert history.status_code == 200
    entries = history.get_json()["entries"]
    assert [e["action"] for e in entries] == ["create", "delete"]
    assert entries[-1]["actor"] == "editor"
    assert entries[-1]["before"]["exact"] == "minister"
    assert entries[-1]["after"] is None


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("reader", 403),
                                         ("factchecker", 403)])
def test_only_editors_delete_articles(client, app, auth, who, status):
    article = import_article(client, auth["factchecker"])
    before = row_counts(app)
    api_error(client.delete(f"/api/v1/articles/{article['id']}", headers=auth[who]), status)
    assert row_counts(app) == before


def test_delete_missing_article_is_404(client, app, auth):
    before = row_counts(app)
    api_error(client.delete("/api/v1/articles/4242", headers=auth["editor"]), 404, "article_id")
    assert row_counts(app) == before
