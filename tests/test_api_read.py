"""Reading the JSON API: the article list and one article with its claims."""


import pytest

from tests.helpers import log_in_with_form


login = log_in_with_form


# -- list --------------------------------------------------------------------

@pytest.fixture
def five_articles(factories):
    return [factories.article(f"https://ex.org/story-{n}", f"Story number {n} happened.",
                              title=f"Story {n}")["id"] for n in range(5)]


def test_list_without_articles(client):
    response = client.get("/api/v1/articles")
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_list_defaults(client, five_articles):
    body = client.get("/api/v1/articles").get_json()

    assert body["total"] == 5
    assert body["limit"] == 50 and body["offset"] == 0
    assert sorted(item["id"] for item in body["items"]) == sorted(five_articles)
    story = next(item for item in body["items"] if item["title"] == "Story 3")
    assert story["url"] == "https://ex.org/story-3"
    assert story["claim_count"] == 0 and story["published_count"] == 0


def test_list_pages_with_limit_and_offset(client, five_articles):
    pages = []
    for offset in (0, 2, 4, 6):
        response = client.get(f"/api/v1/articles?limit=2&offset={offset}")
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == 5
        assert body["limit"] == 2 and body["offset"] == offset
        pages.append([item["id"] for item in body["items"]])

    assert [len(page) for page in pages] == [2, 2, 1, 0]
    seen = [article_id for page in pages for article_id in page]
    assert sorted(seen) == sorted(five_articles)  # every article once, none twice


def test_list_is_newest_first(client, five_articles):
    items = client.get("/api/v1/articles").get_json()["items"]
    assert [item["id"] for item in items] == list(reversed(five_articles))


def test_list_counts_published_and_all_claims(client, factories, make_user):
    article = factories.article("https://ex.org/c", "One claim here. Another claim there.")["id"]
    factories.claim(article, "One claim here.", published=True)
    factories.claim(article, "Another claim there.", published=False)

    anonymous = client.get("/api/v1/articles").get_json()["items"][0]
    make_user("fiona", "factchecker")
    login(client, "fiona")
    factchecker = client.get("/api/v1/articles").get_json()["items"][0]

    assert anonymous["published_count"] == 1
    assert factchecker["published_count"] == 1
    assert factchecker["claim_count"] == 2


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten", ""])
def test_limit_out_of_range_is_422_naming_limit(client, limit):
    response = client.get(f"/api/v1/articles?limit={limit}")

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "limit"
    assert "limit" in error["fields"]


@pytest.mark.parametrize("limit", ["1", "500"])
def test_limit_bounds_are_accepted(client, five_articles, limit):
    response = client.get(f"/api/v1/articles?limit={limit}")
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == min(int(limit), 5)


def test_negative_offset_is_422_naming_offset(client):
    response = client.get("/api/v1/articles?offset=-1")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "offset"


# -- one article ---------------------------------------------------------------

ARTICLE = """Election night

Polls closed at eight.

Turnout was 61 percent, officials said.

> We expect a recount.

- Counting continues overnight.
"""


@pytest.fixture
def article(factories):
    article_id = factories.article("https://ex.org/election", ARTICLE, title="Election",
                                   publisher="Example News")["id"]
    published = factories.claim(article_id, "Turnout was 61 percent", published=True)
    draft = factories.claim(article_id, "We expect a recount.", published=False)
    return {"id": article_id, "published": published, "draft": draft}


def test_article_has_its_passages_in_order(client, article):
    response = client.get(f"/api/v1/articles/{article['id']}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == article["id"]
    assert body["title"] == "Election"
    assert body["publisher"] == "Example News"
    assert body["url"] == "https://ex.org/election"
    assert [(p["ordinal"], p["kind"], p["text"]) for p in body["passages"]] == [
        (0, "heading", "Election night"),
        (1, "paragraph", "Polls closed at eight."),
        (2, "paragraph", "Turnout was 61 percent, officials said."),
        (3, "quote", "We expect a recount."),
        (4, "list_item", "Counting continues overnight."),
    ]


def test_anonymous_gets_published_claims_only(client, article):
    body = client.get(f"/api/v1/articles/{article['id']}").get_json()

    assert [c["id"] for c in body["claims"]] == [article["published"]["id"]]
    assert body["claims"][0]["status"] == "published"
    assert body["claim_count"] == 1 and body["published_count"] == 1
    assert "We expect a recount." not in {c["exact"] for c in body["claims"]}


def test_reader_account_gets_published_claims_only(client, article, make_user):
    make_user("rita", "reader")
    login(client, "rita")

    body = client.get(f"/api/v1/articles/{article['id']}").get_json()

    assert [c["id"] for c in body["claims"]] == [article["published"]["id"]]


def test_factchecker_gets_drafts_too(client, article, make_user):
    make_user("fiona", "factchecker")
    login(client, "fiona")

    body = client.get(f"/api/v1/articles/{article['id']}").get_json()

    by_id = {c["id"]: c for c in body["claims"]}
    assert set(by_id) == {article["published"]["id"], article["draft"]["id"]}
    assert by_id[article["draft"]["id"]]["status"] == "draft"
    assert body["claim_count"] == 2 and body["published_count"] == 1


def test_claims_point_into_their_passages(client, article):
    body = client.get(f"/api/v1/articles/{article['id']}").get_json()
    passages = {p["id"]: p for p in body["passages"]}

    claim = body["claims"][0]
    text = passages[claim["passage_id"]]["text"]
    assert text[claim["start"]:claim["end"]] == claim["exact"] == "Turnout was 61 percent"
    assert claim["anchor_state"] == "anchored"
    assert claim["verdict"] == "unverified"


def test_claim_offsets_count_code_points(client, factories):
    text = "Привет 🌍 мир: 中文测试 “кавычки” and 👍🏽 done; Ελλάδα."
    article_id = factories.article("https://ex.org/unicode", text)["id"]
    quotes = ["мир", "中文测试 “кавычки”", "done", "Ελλάδα"]
    for quote in quotes:
        factories.claim(article_id, quote, published=True)

    body = client.get(f"/api/v1/articles/{article_id}").get_json()

    passage = body["passages"][0]
    assert passage["text"] == text
    claims = {c["exact"]: c for c in body["claims"]}
    assert set(claims) == set(quotes)
    for quote in quotes:
        claim = claims[quote]
        assert passage["text"][claim["start"]:claim["end"]] == quote
        assert claim["end"] - claim["start"] == len(quote)
    # Not UTF-16 units (🌍 is two) nor UTF-8 bytes: "Привет 🌍 " is 9 code points.
    assert claims["мир"]["start"] == 9
    # 👍🏽 is two code points (hand and skin tone), four UTF-16 units.
    assert claims["done"]["start"] == text.index("👍🏽") + 3
    assert claims["done"]["start"] == 36


def test_missing_article_is_404(client):
    response = client.get("/api/v1/articles/12345")
    assert response.status_code == 404
    assert response.get_json()["error"]["field"] == "article_id"
