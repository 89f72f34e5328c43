"""Articles stored before the import limits existed may hold more passages or
claims than any page can show: their page, fragment and API answer are
refused (409, naming the limit) instead of tying up a worker, and an editor
can still delete them."""

import pytest

from annotations.importer import ImportLimits, parse_article
from annotations.store import SYSTEM
from tests.helpers import api_error, open_store

TEXT = "\n\n".join(f"Paragraph {n} of a very long article." for n in range(6))


@pytest.fixture
def legacy_article(app):
    # Stored under looser limits, as before they existed.
    with open_store(app) as store:
        parsed = parse_article(TEXT, "text", limits=ImportLimits(max_passages=100))
        return store.import_article("https://news.example.com/legacy", parsed, SYSTEM).article_id


@pytest.mark.parametrize("path", ["/articles/{id}", "/articles/{id}/fragment"])
def test_the_page_of_an_oversized_article_is_refused_naming_the_limit(app, client,
                                                                      legacy_article, path):
    app.config["MAX_PASSAGES"] = 5

    response = client.get(path.format(id=legacy_article))

    assert response.status_code == 409
    assert "6 passages" in response.get_data(as_text=True)
    assert "max_passages: 5" in response.get_data(as_text=True)


def test_the_api_answer_is_refused_too_and_deleting_still_works(app, client, auth,
                                                                legacy_article):
    app.config["MAX_PASSAGES"] = 5

    error = api_error(client.get(f"/api/v1/articles/{legacy_article}"), 409, "article_id")
    assert "max_passages: 5" in error["message"]
    assert client.delete(f"/api/v1/articles/{legacy_article}",
                         headers=auth["editor"]).status_code == 204


def test_too_many_claims_is_refused_the_same_way(app, client, legacy_article):
    app.config["MAX_CLAIMS_PER_ARTICLE"] = 1
    with open_store(app) as store:
        passage = store.passages(legacy_article)[0]
        for start in (0, 10):
            store.create_claim(passage["id"], start, start + 5, "unverified", SYSTEM)

    error = api_error(client.get(f"/api/v1/articles/{legacy_article}"), 409, "article_id")
    assert "2 claims" in error["message"] and "max_claims_per_article: 1" in error["message"]


def test_articles_within_the_limits_are_shown_as_before(app, client, legacy_article):
    assert client.get(f"/articles/{legacy_article}").status_code == 200
    assert client.get(f"/api/v1/articles/{legacy_article}").status_code == 200
