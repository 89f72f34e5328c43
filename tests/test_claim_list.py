"""The claim desk's list, GET /api/v1/claims: every claim across articles,
filtered, searched (any script) and paged by keyset."""

import pytest

from annotations.store import SYSTEM
from tests.helpers import api_error, bearer, make_token

TEXT_A = ("Harbour plan approved\n\n"
          "The mayor said the harbour plan creates 4,000 jobs by 2030.\n\n"
          "Кандидат заявил, что безработица упала до 3%.\n")
TEXT_B = ("Rents in the capital\n\n"
          "東京の家賃は昨年9%上昇したと報告書は述べた。\n\n"
          "The EU report says rents rose 🏠 faster than wages.\n")


@pytest.fixture
def desk(app, store, factories):
    fay = factories.user("fay", "factchecker")
    gus = factories.user("gus", "factchecker")
    reader = factories.user("rita", "reader")
    a = factories.article("https://news.example.com/harbour", TEXT_A)
    b = factories.article("https://www.other-news.example.org/rents?id=3", TEXT_B)
    claims = {
        "jobs": factories.claim(a, "creates 4,000 jobs", "verified", fay, label="Jobs figure",
                                citations=[{"url": "https://stats.example.org/jobs"}]),
        "unemployment": factories.claim(a, "безработица упала до 3%", "denied", gus,
                                        citations=[{"url": "https://stats.example.org/u"}]),
        "tokyo": factories.claim(b, "東京の家賃は昨年9%上昇した", "unverified", fay,
                                 rationale="<p>Tokyo rents: the ministry's survey.</p>"),
        "eu": factories.claim(b, "rents rose 🏠 faster than wages", "denied", gus,
                              label="EU rents"),
    }
    store.assign_claim(claims["tokyo"]["id"], gus["id"], SYSTEM, False)
    # Distinct times, oldest first, so "newest first" has one answer.
    for n, name in enumerate(["jobs", "unemployment", "tokyo", "eu"]):
        store.db.execute("UPDATE claims SET created_at = ?, updated_at = ? WHERE id = ?",
                         [f"2026-0{n + 1}-15T10:00:00Z", f"2026-0{n + 1}-20T10:00:00Z",
                          claims[name]["id"]])
    store.db.conn.commit()
    tokens = {user["username"]: bearer(make_token(app, user["id"])[0])
              for user in (fay, gus, reader)}
    return {"claims": claims, "users": {"fay": fay, "gus": gus}, "tokens": tokens,
            "articles": {"a": a, "b": b}}


def listed(client, desk, as_user="fay", **query):
    response = client.get("/api/v1/claims", query_string=query, headers=desk["tokens"][as_user])
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def names(client, desk, as_user="fay", **query) -> list[str]:
    by_id = {claim["id"]: name for name, claim in desk["claims"].items()}
    return [by_id[c["id"]] for c in listed(client, desk, as_user, **query)["claims"]]


def test_every_claim_across_articles_newest_update_first(client, desk):
    body = listed(client, desk, counts="true")
    assert [c["id"] for c in body["claims"]] == [
        desk["claims"][n]["id"] for n in ("eu", "tokyo", "unemployment", "jobs")]
    first = body["claims"][0]
    assert first["article_url"] == "https://www.other-news.example.org/rents?id=3"
    assert first["author"] == "gus" and first["exact"] == "rents rose 🏠 faster than wages"
    assert body["claims"][1]["assignee"] == "gus"
    assert body["claims"][3]["citation_count"] == 1
    assert body["counts"] == {"verified": 1, "denied": 2, "unverified": 1}
    assert body["next"] is None
    assert names(client, desk, sort="created") == ["eu", "tokyo", "unemployment", "jobs"]


def test_readers_and_strangers_see_no_desk_list(client, desk):
    api_error(client.get("/api/v1/claims"), 401)
    api_error(client.get("/api/v1/claims", headers=desk["tokens"]["rita"]), 403)


@pytest.mark.parametrize("query, expected", [
    ({"verdict": "denied"}, ["eu", "unemployment"]),
    ({"verdict": ["denied", "verified"]}, ["eu", "unemployment", "jobs"]),
    ({"status": "draft"}, ["eu", "tokyo", "unemployment", "jobs"]),
    ({"status": "published"}, []),
    ({"assignee": "none"}, ["eu", "unemployment", "jobs"]),
    ({"site": "news.example.com"}, ["unemployment", "jobs"]),
    ({"site": "NEWS.example.com"}, ["unemployment", "jobs"]),
    ({"site": "example.com"}, []),            # a host, not a domain suffix
    ({"site": "news.example.co"}, []),
    ({"site": "www.other-news.example.org"}, ["eu", "tokyo"]),
    ({"created_from": "2026-02-15", "created_to": "2026-03-15"}, ["tokyo", "unemployment"]),
    ({"updated_to": "2026-01-20"}, ["jobs"]),  # inclusive of the whole day
    ({"updated_from": "2026-04-21"}, []),
    ({"has_sources": "true"}, ["unemployment", "jobs"]),
    ({"has_sources": "false"}, ["eu", "tokyo"]),
    ({"orphaned": "false"}, ["eu", "tokyo", "unemployment", "jobs"]),
])
def test_filters(client, desk, query, expected):
    assert names(client, desk, **query) == expected


def test_people_filters_name_me_or_an_id(client, desk):
    gus = desk["users"]["gus"]
    assert names(client, desk, "gus", assignee="me") == ["tokyo"]
    assert names(client, desk, assignee=str(gus["id"])) == ["tokyo"]
    assert names(client, desk, author="me") == ["tokyo", "jobs"]
    assert names(client, desk, author=str(gus["id"]), verdict="denied") == ["eu", "unemployment"]
    assert names(client, desk, article=desk["articles"]["a"]["id"]) == ["unemployment", "jobs"]


def test_an_orphaned_claim_is_found_as_such(client, store, desk):
    store.db.execute("UPDATE claims SET anchor_state = 'orphaned', passage_id = NULL"
                     " WHERE id = ?", [desk["claims"]["jobs"]["id"]])
    store.db.conn.commit()
    assert names(client, desk, orphaned="true") == ["jobs"]


@pytest.mark.parametrize("q, expected", [
    ("jobs", ["jobs"]),
    ("JOBS figure", ["jobs"]),               # every word, any case
    ("jobs rents", []),
    ("безработица", ["unemployment"]),
    ("УПАЛА", ["unemployment"]),
    ("家賃は", ["tokyo"]),                    # inside a sentence with no spaces
    ("東京", ["tokyo"]),                      # two characters: shorter than a trigram
    ("eu", ["eu"]),                           # found in the label, not inside "Tokyo"?
    ("🏠", ["eu"]),
    ("ministry", ["tokyo"]),                  # the rationale
    ("rent", ["eu", "tokyo"]),                # the start of a word
])
def test_search_finds_words_in_any_script(client, desk, q, expected):
    assert names(client, desk, q=q) == expected


def test_search_follows_edits(client, store, desk):
    claim = desk["claims"]["jobs"]
    store.update_claim(claim["id"], {"label": "Harbour employment"}, SYSTEM, claim["version"])
    assert names(client, desk, q="employment") == ["jobs"]
    assert names(client, desk, q="figure") == []
    assert listed(client, desk, q="employment", counts="true")["counts"] == {
        "verified": 1, "denied": 0, "unverified": 0}


def test_relevance_puts_the_best_match_first(client, desk, factories, store):
    article = desk["articles"]["b"]
    factories.claim(article, "rents rose", "unverified",
                    rationale="<p>rents rents rents: the rents survey on rents.</p>")
    ranked = listed(client, desk, q="rents", sort="relevance")["claims"]
    assert ranked[0]["exact"] == "rents rose"
    assert len(ranked) == 3


def test_keyset_pages_walk_every_claim_once(client, desk, factories):
    article = desk["articles"]["a"]
    for _ in range(7):
        factories.claim(article, "The mayor said")  # same second: ties broken by id
    seen, after, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"after": after} if after else {})}
        body = listed(client, desk, **query)
        assert body["counts"] is None  # not asked for
        seen += [c["id"] for c in body["claims"]]
        pages += 1
        after = body["next"]
        if after is None:
            break
    assert pages == 4 and len(seen) == 11 and len(set(seen)) == 11
    assert seen == [c["id"] for c in listed(client, desk, limit=50)["claims"]]


def test_relevance_pages_too(client, desk, factories):
    for n in range(5):
        factories.claim(desk["articles"]["b"], "rents rose", rationale=f"<p>rents {n}</p>")
    first = listed(client, desk, q="rents", sort="relevance", limit=4)
    rest = listed(client, desk, q="rents", sort="relevance", limit=4, after=first["next"])
    ids = [c["id"] for c in first["claims"] + rest["claims"]]
    assert len(ids) == len(set(ids)) == 7 and rest["next"] is None


@pytest.mark.parametrize("query, field", [
    ({"verdict": "maybe"}, "verdict.0"),  # the first value given
    ({"status": ["draft", "live"]}, "status.1"),
    ({"assignee": "everyone"}, "assignee"),
    ({"author": "none"}, "author"),
    ({"limit": 0}, "limit"),
    ({"limit": 201}, "limit"),
    ({"sort": "random"}, "sort"),
    ({"created_from": "yesterday"}, "created_from"),
    ({"after": "not-a-cursor"}, "after"),
    ({"after": "WyJ4IiwxXQ"}, "after"),       # ["x", 1] is no relevance cursor
    ({"q": "x" * 201}, "q"),
    ({"colour": "red"}, "colour"),
])
def test_bad_arguments_name_the_field(client, desk, query, field):
    if field == "after" and query["after"] == "WyJ4IiwxXQ":
        query = {**query, "sort": "relevance", "q": "rents"}
    api_error(client.get("/api/v1/claims", query_string=query, headers=desk["tokens"]["fay"]),
              422, field)


@pytest.mark.parametrize("q, expected", [
    ("rents", ["eu", "tokyo"]),
    ("rente", []),                  # a word's start...
    ("ents", []),                   # ...not any piece of it
    ("4,000", ["jobs"]),            # punctuation inside: the trigram index
    ("безработ", ["unemployment"]),  # a prefix, in Cyrillic too
])
def test_whole_words_are_asked_of_the_word_index(client, desk, q, expected):
    assert names(client, desk, q=q) == expected


def test_a_short_word_is_a_word_not_a_prefix(client, store, desk, factories):
    article = factories.article("https://news.example.com/europe",
                                "Europe\n\nEurope votes in June.\n")
    factories.claim(article, "Europe votes in June")
    assert names(client, desk, q="eu") == ["eu"]


def test_search_ignores_accents_and_case_in_words(client, desk, factories):
    article = factories.article("https://news.example.com/cafe",
                                "Café prices\n\nCafé prices doubled.\n")
    claim = factories.claim(article, "Café prices doubled")
    found = listed(client, desk, q="CAFE")["claims"]
    assert [c["id"] for c in found] == [claim["id"]]


@pytest.mark.parametrize("expansions", [300, 0])
def test_short_terms_are_found_by_index_or_by_scan_alike(client, desk, monkeypatch,
                                                          expansions):
    # 0: every short term starts "too many" trigrams, so it is only scanned for.
    from annotations.store import claim_list
    monkeypatch.setattr(claim_list, "_MAX_EXPANSIONS", expansions)
    assert names(client, desk, q="東京") == ["tokyo"]
    assert names(client, desk, q="京") == ["tokyo"]
    assert names(client, desk, q="🏠") == ["eu"]
    assert names(client, desk, q="の 3%") == []
    assert names(client, desk, q="%") == ["tokyo", "unemployment"]


def test_a_term_is_found_however_it_is_composed_or_cased(client, desk, factories):
    article = factories.article("https://news.example.com/istanbul",
                                "Istanbul\n\nİstanbul café prices rose.\n")
    claim = factories.claim(article, "İstanbul café prices rose")
    for q in ("İstanbul", "istanbul", "ISTANBUL", "cafe\u0301", "CAFÉ"):
        assert [c["id"] for c in listed(client, desk, q=q)["claims"]] == [claim["id"]], q


def test_a_latin_word_inside_a_run_of_chinese_or_japanese_is_found(client, desk, factories):
    article = factories.article("https://news.example.jp/covid",
                                "対策\n\n政府はCOVIDの対策費を増やした。\n\n首相はGDPは伸びると述べたAI。\n")
    inside = factories.claim(article, "政府はCOVIDの対策費を増やした")
    gdp = factories.claim(article, "首相はGDPは伸びると述べたAI")
    assert [c["id"] for c in listed(client, desk, q="covid")["claims"]] == [inside["id"]]
    assert [c["id"] for c in listed(client, desk, q="gdp")["claims"]] == [gdp["id"]]
    assert [c["id"] for c in listed(client, desk, q="COVID 対策")["claims"]] == [inside["id"]]
    # Not every word holding the letters: "rents" is no "ents".
    assert names(client, desk, q="ents") == []
