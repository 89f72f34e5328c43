"""Earlier fact-checks like a new claim, GET /api/v1/claims/similar: check
once, show everywhere. Published claims of other articles, best first, with
the words they share, in any script."""

import pytest

from annotations.similarity import matched_words, similarity
from annotations.store import SYSTEM
from tests.helpers import api_error, bearer, make_token

EARLIER = ("Budget talks\n\n"
           "The minister said unemployment fell to 4 percent last year.\n\n"
           "Опрос показал, что цены на жильё выросли на 12%.\n\n"
           "報告によると東京の家賃は昨年9%上昇した。\n\n"
           "The harbour bridge will reopen in May.\n")
NEW = ("Election debate\n\n"
       "Unemployment fell to four percent, the minister claimed.\n")


@pytest.fixture
def desk(app, factories):
    fay = factories.user("fay", "factchecker")
    earlier = factories.article("https://news.example.com/budget", EARLIER)
    claims = {
        "jobs": factories.claim(earlier, "unemployment fell to 4 percent last year", "denied",
                                published=True,
                                citations=[{"url": "https://stats.example.org/jobs"}]),
        "housing": factories.claim(earlier, "цены на жильё выросли на 12%", published=True),
        "tokyo": factories.claim(earlier, "東京の家賃は昨年9%上昇した", published=True),
        "bridge": factories.claim(earlier, "The harbour bridge will reopen in May"),  # a draft
    }
    new = factories.article("https://other.example.org/debate", NEW)
    claims["own"] = factories.claim(new, "Unemployment fell to four percent", published=True)
    return {"claims": claims, "new": new, "headers": bearer(make_token(app, fay["id"])[0])}


def similar(client, desk, **query):
    response = client.get("/api/v1/claims/similar", query_string=query, headers=desk["headers"])
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_measure():
    assert similarity("Unemployment fell", "UNEMPLOYMENT   fell") == 1
    assert similarity("unemployment fell to 4 percent", "the harbour bridge reopens") < 0.1
    assert 0.3 < similarity("unemployment fell to 4 percent", "unemployment fell to four percent")
    assert matched_words("Unemployment FELL sharply", "unemployment fell to 4") == [
        "unemployment", "fell"]
    # Words as words: "to" is not found inside "tokyo".
    assert matched_words("to Tokyo", "tokyo rents") == ["tokyo"]
    # A run of Japanese is one "word": its shared three-character pieces.
    assert matched_words("東京の家賃が上昇", "東京の家賃は昨年9%上昇した") == ["東京の", "京の家", "の家賃"]


def test_an_earlier_check_of_the_same_claim_in_other_words_comes_first(client, desk):
    found = similar(client, desk, text="Unemployment fell to four percent",
                    article=desk["new"]["id"])
    assert [c["id"] for c in found] == [desk["claims"]["jobs"]["id"]]
    best = found[0]
    assert best["verdict"] == "denied" and best["article_url"] == "https://news.example.com/budget"
    assert best["matched_words"] == ["unemployment", "percent", "fell", "to"]
    assert 0 < best["score"] < 1


def test_the_articles_own_claims_are_left_out_only_when_named(client, desk):
    found = similar(client, desk, text="Unemployment fell to four percent")
    assert desk["claims"]["own"]["id"] in [c["id"] for c in found]
    assert found[0]["id"] == desk["claims"]["own"]["id"]  # the same words: the best match


@pytest.mark.parametrize("text, name", [
    ("цены на жильё выросли", "housing"),
    ("東京の家賃が上昇", "tokyo"),
])
def test_other_scripts(client, desk, text, name):
    found = similar(client, desk, text=text, article=desk["new"]["id"])
    assert [c["id"] for c in found][:1] == [desk["claims"][name]["id"]]


def test_drafts_retractions_and_unrelated_claims_are_not_suggested(client, store, desk):
    assert similar(client, desk, text="The harbour bridge will reopen in May") == []
    assert similar(client, desk, text="a completely different statement about rivers") == []
    store.transition_claim(desk["claims"]["jobs"]["id"], "retract", SYSTEM,
                           note="The figure was revised.")
    found = similar(client, desk, text="Unemployment fell to four percent",
                    article=desk["new"]["id"])
    assert found == []


def test_what_is_shown_is_the_published_version(client, store, desk):
    claim = store.claim(desk["claims"]["jobs"]["id"])
    store.update_claim(claim["id"], {"label": "Revised, not yet approved"}, SYSTEM,
                       claim["version"])
    (found,) = similar(client, desk, text="Unemployment fell to four percent",
                       article=desk["new"]["id"])
    assert found["label"] == "" and found["verdict"] == "denied"


@pytest.mark.parametrize("query, field", [
    ({}, "text"), ({"text": ""}, "text"), ({"text": "x" * 2001}, "text"),
    ({"text": "jobs", "limit": 0}, "limit"), ({"text": "jobs", "article": 0}, "article"),
    ({"text": "jobs", "colour": "red"}, "colour"),
])
def test_bad_arguments_name_the_field(client, desk, query, field):
    api_error(client.get("/api/v1/claims/similar", query_string=query,
                         headers=desk["headers"]), 422, field)


def test_only_the_desk_asks(client, app, factories):
    reader = factories.user("rita", "reader")
    api_error(client.get("/api/v1/claims/similar", query_string={"text": "jobs"}), 401)
    api_error(client.get("/api/v1/claims/similar", query_string={"text": "jobs"},
                         headers=bearer(make_token(app, reader["id"])[0])), 403)


def test_words_most_claims_hold_are_not_asked_and_rare_ones_weigh_most(store, desk,
                                                                     factories, monkeypatch):
    from annotations.store import similar
    harbour = factories.article("https://news.example.com/harbour",
                                "Harbour\n\nThe port. The dock. The pier.\n")
    for quote in ("The port", "The dock", "The pier"):
        factories.claim(harbour, quote)
    # "the": four claims of eight; "pier": one; "unemployment": two; "tokyo": none.
    asked = [("claims_words", word) for word in ("unemployment", "the", "pier", "tokyo")]
    monkeypatch.setattr(similar, "_known_common", {})
    monkeypatch.setattr(similar, "_COMMON_FLOOR", 2)
    assert list(store._weights(asked)) == [("claims_words", "pier"),
                                           ("claims_words", "unemployment")]
    # With few claims no share means anything: every word held is asked.
    monkeypatch.setattr(similar, "_known_common", {})
    monkeypatch.setattr(similar, "_COMMON_FLOOR", 1000)
    assert list(store._weights(asked)) == [("claims_words", "pier"),
                                           ("claims_words", "unemployment"),
                                           ("claims_words", "the")]


def test_accented_words_are_asked_as_the_index_keeps_them(client, desk, factories):
    earlier = factories.article("https://news.example.fr/zurich",
                                "Prix\n\nLe café coûte désormais cinq euros à Zürich.\n")
    claim = factories.claim(earlier, "Le café coûte désormais cinq euros à Zürich",
                            published=True)
    found = similar(client, desk, text="café coûte désormais à Zürich",
                    article=desk["new"]["id"])
    assert [c["id"] for c in found] == [claim["id"]]
    assert found[0]["matched_words"] == ["désormais", "zürich", "coûte", "café", "à"]
