"""schema.org ClaimReview for published claims: one item, the feed, and the
embeddable <script> snippet. Drafts never appear; a published claim under
revision keeps its published item until the revision is approved; retracted
claims and those a re-import orphaned are left out."""

import json
import re
from html.parser import HTMLParser

import pytest

from annotations.claimreview import (BEST_RATING, CLAIM_REVIEWED_MAX, WORST_RATING,
                                     claim_review, script_snippet, shorten)
from tests.helpers import api_error, as_actor, publish_over_api

BASE = "http://localhost"
LONG_CLAIM = ("The minister said that unemployment fell by three percent over the last year "
              "while wages rose faster than prices in every region")
TEXT = (
    "Jobs report\n"
    "\n"
    f"{LONG_CLAIM}.\n"
    "\n"
    "Critics said the figure was misleading.\n"
    "\n"
    "Мэр сказал, что 東京 мост 🌉 открыт.\n"
    "\n"
    "Someone wrote </script><script>alert(1)</script> in a comment.\n"
    "\n"
    "Another wrote <!--<script> and never closed it.\n"
)
RATINGS = {"verified": (3, "Verified"), "denied": (1, "False"), "unverified": (2, "Unverified")}
SOURCE = {"url": "https://ons.example.gov/lms", "title": "ONS"}


def _claim(factories, article_id, quote, verdict, user, publish_by=None, **fields):
    if verdict in ("verified", "denied"):
        fields.setdefault("citations", (SOURCE,))
    return factories.claim(article_id, quote, verdict, user, publisher=publish_by, **fields)


@pytest.fixture
def data(factories, users):
    fc, ed = users["factchecker"], users["editor"]
    article = factories.article(
        "https://news.example.com/jobs", TEXT, title="Jobs report",
        publisher="Daily News", author="Jane Roe", published_date="2024-03-01")["id"]
    by_publisher = factories.article(
        "https://news.example.com/p", "Prices rose by ten percent.\n",
        title="Prices", publisher="Weekly Post")["id"]
    anonymous = factories.article("https://blog.example.net/x", "Rents fell sharply.\n")["id"]
    claims = {
        "long": _claim(factories, article, LONG_CLAIM, "denied", fc, ed),
        "labelled": _claim(factories, article, "the figure was misleading", "verified", fc, ed,
                           label="Half true"),
        "unicode": _claim(factories, article, "東京 мост 🌉", "unverified", fc, ed),
        "script": _claim(factories, article, "</script><script>alert(1)</script>", "unverified",
                         fc, ed),
        "comment": _claim(factories, article, "<!--<script>", "unverified", fc, ed),
        "publisher": _claim(factories, by_publisher, "ten percent", "denied", fc, ed),
        "anonymous": _claim(factories, anonymous, "Rents fell", "unverified", fc, ed),
        "draft": _claim(factories, article, "Critics said", "unverified", fc),
        "draft_verified": _claim(factories, by_publisher, "Prices rose", "verified", fc),
    }
    retracted = _claim(factories, anonymous, "sharply", "unverified", fc, ed)
    claims["retracted"] = factories.store.transition_claim(
        retracted["id"], "retract", as_actor(ed), note="The quote was misattributed")
    return {"article": article, "publisher_article": by_publisher,
            "anonymous_article": anonymous,
            **{name: claim["id"] for name, claim in claims.items()},
            "claims": claims}


def review(client, claim_id, **query):
    return client.get(f"/api/v1/claims/{claim_id}/claimreview", query_string=query)


def assert_claim_review(item: dict, claim_id: int, article_id: int, base: str = BASE):
    """The properties Google's ClaimReview documentation requires, and ours."""
    assert item["@context"] == "https://schema.org"
    assert item["@type"] == "ClaimReview"
    assert item["url"] == f"{base}/claims/{claim_id}"
    assert isinstance(item["claimReviewed"], str)
    assert 0 < len(item["claimReviewed"]) <= CLAIM_REVIEWED_MAX
    rating = item["reviewRating"]
    assert rating["@type"] == "Rating"
    assert (rating["worstRating"], rating["bestRating"]) == (1, 3)
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert isinstance(rating["alternateName"], str) and rating["alternateName"]
    reviewed = item["itemReviewed"]
    assert reviewed["@type"] == "Claim"
    assert reviewed["appearance"][0]["@type"] == "CreativeWork"
    assert reviewed["appearance"][0]["url"].startswith("https://")
    assert item["author"]["@type"] == "Organization"
    assert item["author"]["name"] and item["author"]["url"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["datePublished"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["dateModified"])
    assert item["datePublished"] <= item["dateModified"]


# -- shorten --------------------------------------------------------------------

def _check_cut(original: str, result: str, limit: int = CLAIM_REVIEWED_MAX):
    """``result`` is ``original`` cut at a word boundary, with an ellipsis."""
    normal = " ".join(original.split())
    assert len(result) <= limit
    assert result.endswith("…")
    kept = result[:-1]
    assert kept and normal.startswith(kept)
    following = normal[len(kept)]
    assert following.isspace() or following in ",;:—–-", (kept, following)
    assert not kept[-1].isspace()


@pytest.mark.parametrize("text", [
    "",
    "Short claim.",
    "x" * 75,
    "word " * 14 + "abcd",  # 74 characters
    "a" * 70 + " bcde",  # exactly 75
])
def test_shorten_leaves_short_text_whole(text):
    assert shorten(text) == text
    assert len(text) <= 75


def test_shorten_exactly_75_with_a_space_near_the_end_is_whole():
    text = "Unemployment fell by three percent last year, the minister told parliament."
    assert len(text) == 75
    assert shorten(text) == text


def test_shorten_collapses_whitespace_first():
    assert shorten("  The  minister\n said\tso  ") == "The minister said so"
    text = "word  " * 15  # 90 characters, 74 once collapsed and trimmed
    assert shorten(text) == " ".join(["word"] * 15)


@pytest.mark.parametrize("text", [
    LONG_CLAIM,
    "a" * 70 + " bcdef",  # 76: the last word must go whole
    "The minister said that unemployment fell by three percent over the last year",  # 76
    "The minister said that unemployment fell by three percent over the last year, and more",
    "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
    "Critics — including the union — said the figure was misleading; the office disagreed"
    " entirely",
    "Мэр сказал, что мост через реку будет открыт в следующем году после долгого ремонта и споров",
    "東京 大阪 名古屋 札幌 福岡 " * 10,
    "😀 " * 60,
    "The cat 😀😀😀 sat on the mat 🐈‍⬛ and then the dog 🐕 came along and barked at it loudly",
    "a" * 72 + " 👍🏽 more words after the emoji",
])
def test_shorten_cuts_long_text_at_a_word_boundary(text):
    result = shorten(text)
    _check_cut(text, result)


def test_shorten_keeps_the_most_words_that_fit():
    text = "a" * 70 + " bcd efgh"  # "a"*70 + " bcd" is 74 characters, the ellipsis makes 75
    assert shorten(text) == "a" * 70 + " bcd…"


def test_shorten_never_splits_an_emoji_sequence():
    result = shorten("a" * 72 + " 👍🏽 more words after the emoji")
    assert result == "a" * 72 + "…"
    assert "👍" not in result


def test_shorten_counts_code_points_not_bytes():
    text = "Мэр " * 20  # 79 characters once trimmed, 2 bytes each in UTF-8
    result = shorten(text)
    assert result == " ".join(["Мэр"] * 18) + "…"
    assert len(result) == 72


def test_shorten_single_very_long_word_is_cut_hard():
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 5
    assert shorten(word) == word[:74] + "…"
    assert len(shorten(word)) == 75


def test_shorten_long_first_word_then_more():
    text = "x" * 100 + " tail"
    assert shorten(text) == "x" * 74 + "…"


def test_shorten_drops_trailing_punctuation_before_the_ellipsis():
    text = "a" * 60 + " bcdefgh, ijklmnopqrstuvwxyz"
    assert shorten(text) == "a" * 60 + " bcdefgh…"


def test_shorten_other_limit():
    assert shorten("one two three four", limit=10) == "one two…"


# -- one item -----------------------------------------------------------------------

def test_published_claim_has_every_required_property(client, data, factories):
    response = review(client, data["long"])

    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    item = json.loads(response.data)
    assert_claim_review(item, data["long"], data["article"])
    assert item["claimReviewed"] == shorten(LONG_CLAIM)
    _check_cut(LONG_CLAIM, item["claimReviewed"])
    assert item["itemReviewed"]["appearance"] == [{
        "@type": "CreativeWork", "url": "https://news.example.com/jobs", "headline": "Jobs report"}]
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Roe"}
    assert item["itemReviewed"]["datePublished"] == "2024-03-01"
    publication = factories.store.publication(data["long"])
    assert item["datePublished"] == publication["first_published_at"][:10]
    assert item["dateModified"] == publication["published_at"][:10]
    assert item["author"] == {"@type": "Organization", "name": "Example Fact Desk",
                              "url": "https://factdesk.example.org"}


def test_review_url_leads_to_the_claim_on_the_public_page(client, data):
    item = json.loads(review(client, data["labelled"]).data)
    path, anchor = item["url"][len(BASE):], f"claim-{data['labelled']}"

    page = client.get(path)

    assert page.status_code == 200
    assert f'id="{anchor}"' in page.get_data(as_text=True)


def test_short_claim_is_quoted_whole(client, data):
    assert json.loads(review(client, data["unicode"]).data)["claimReviewed"] == "東京 мост 🌉"


@pytest.mark.parametrize("verdict", ["verified", "denied", "unverified"])
def test_rating_follows_the_verdict(client, factories, users, verdict):
    article = factories.article("https://news.example.com/r", "Prices rose by ten percent.\n")
    claim = _claim(factories, article["id"], "ten percent", verdict, users["factchecker"],
                   users["editor"])

    rating = json.loads(review(client, claim["id"]).data)["reviewRating"]

    value, name = RATINGS[verdict]
    assert rating == {"@type": "Rating", "ratingValue": value, "bestRating": BEST_RATING,
                      "worstRating": WORST_RATING, "name": name, "alternateName": name}


def test_label_overrides_the_rating_name_not_its_value(client, data):
    rating = json.loads(review(client, data["labelled"]).data)["reviewRating"]
    assert rating["alternateName"] == "Half true"
    assert rating["ratingValue"] == 3


def test_item_reviewed_author_is_the_publisher_when_no_author(client, data):
    reviewed = json.loads(review(client, data["publisher"]).data)["itemReviewed"]
    assert reviewed["author"] == {"@type": "Organization", "name": "Weekly Post"}
    assert "datePublished" not in reviewed


def test_item_reviewed_has_no_author_when_unknown(client, data):
    item = json.loads(review(client, data["anonymous"]).data)
    assert_claim_review(item, data["anonymous"], data["anonymous_article"])
    assert "author" not in item["itemReviewed"]
    assert item["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://blog.example.net/x"}]


def test_organisation_comes_from_the_configuration(app, client, data):
    app.config["ORGANISATION_NAME"] = "Faktencheck Nord"
    app.config["ORGANISATION_URL"] = "https://faktencheck.example.de"
    app.config["PUBLIC_BASE_URL"] = "https://check.example.de"

    item = json.loads(review(client, data["long"]).data)
    feed = json.loads(client.get("/api/v1/claimreview").data)

    assert item["author"] == {"@type": "Organization", "name": "Faktencheck Nord",
                              "url": "https://faktencheck.example.de"}
    assert_claim_review(item, data["long"], data["article"], base="https://check.example.de")
    assert feed["name"] == "Faktencheck Nord fact checks"
    assert {json.dumps(i["author"]) for i in feed["dataFeedElement"]} == {json.dumps(item["author"])}


# -- drafts never appear ---------------------------------------------------------

@pytest.mark.parametrize("name", ["draft", "draft_verified", "retracted"])
@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_unpublished_claim_has_no_claimreview(client, auth, data, name, role):
    for query in ({}, {"format": "snippet"}):
        response = client.get(f"/api/v1/claims/{data[name]}/claimreview", query_string=query,
                              headers=auth[role])
        api_error(response, 404, "claim_id")


def test_missing_claim_is_404(client, data):
    api_error(review(client, 99999), 404, "claim_id")


def test_feed_lists_every_published_claim_and_nothing_else(client, data):
    response = client.get("/api/v1/claimreview")

    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    feed = json.loads(response.data)
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    items = feed["dataFeedElement"]
    published = ["long", "labelled", "unicode", "script", "comment", "publisher", "anonymous"]
    articles = [{"publisher": data["publisher_article"],
                 "anonymous": data["anonymous_article"]}.get(name, data["article"])
                for name in published]
    assert [i["url"] for i in items] == [f"{BASE}/claims/{data[name]}" for name in published]
    for item, name, article in zip(items, published, articles):
        assert_claim_review(item, data[name], article)
        assert item["claimReviewed"] == shorten(data["claims"][name]["exact"])
        assert item == json.loads(review(client, data[name]).data)
    text = response.get_data(as_text=True)
    assert "Critics said" not in text and "Prices rose" not in text and "sharply" not in text


def feed_urls(client) -> list[str]:
    return [i["url"] for i in json.loads(client.get("/api/v1/claimreview").data)
            ["dataFeedElement"]]


def test_feed_follows_publishing(client, auth, data):
    before = len(feed_urls(client))
    publish_over_api(client, auth["editor"], data["draft"], submitter=auth["factchecker"])
    after = feed_urls(client)
    assert len(after) == before + 1
    assert after[-1].endswith(f"/claims/{data['draft']}")
    assert review(client, data["draft"]).status_code == 200


def test_revision_keeps_the_published_item_until_approved(client, auth, data, factories,
                                                          users):
    store = factories.store
    claim_id = data["labelled"]
    # Published on an earlier day, so that the two dates differ.
    store.db.execute("UPDATE claim_publications SET first_published_at = ?, published_at = ?"
                     " WHERE claim_id = ?", ["2024-01-05T09:00:00+00:00",
                                             "2024-01-05T09:00:00+00:00", claim_id])
    store.db.conn.commit()
    before = json.loads(review(client, claim_id).data)
    assert (before["datePublished"], before["dateModified"]) == ("2024-01-05", "2024-01-05")

    fc, ed = as_actor(users["factchecker"]), as_actor(users["editor"])
    revision = store.update_claim(claim_id, {"verdict": "denied", "label": "False"}, fc, None)
    assert revision["status"] == "draft"
    store.transition_claim(claim_id, "submit", fc)

    # Under revision, readers and search engines still see what was published.
    assert json.loads(review(client, claim_id).data) == before
    assert before in json.loads(client.get("/api/v1/claimreview").data)["dataFeedElement"]
    snippet = review(client, claim_id, format="snippet").get_data(as_text=True)
    assert assert_safe_script(snippet) == before

    store.transition_claim(claim_id, "approve", ed, correction_note="The figure was wrong")
    after = json.loads(review(client, claim_id).data)
    assert after["reviewRating"]["ratingValue"] == 1
    assert after["reviewRating"]["alternateName"] == "False"
    assert after["datePublished"] == "2024-01-05"
    assert after["dateModified"] == store.publication(claim_id)["published_at"][:10]
    assert after["dateModified"] > after["datePublished"]
    assert after in json.loads(client.get("/api/v1/claimreview").data)["dataFeedElement"]


def test_retracting_takes_the_claim_out_of_the_feed(client, auth, data):
    url = f"{BASE}/claims/{data['long']}"
    assert url in feed_urls(client)

    response = client.post(f"/api/v1/claims/{data['long']}/transitions",
                           json={"action": "retract", "note": "The source was forged"},
                           headers=auth["editor"])
    assert response.status_code == 200, response.get_json()

    assert url not in feed_urls(client)
    assert len(feed_urls(client)) == 6
    for query in ({}, {"format": "snippet"}):
        api_error(review(client, data["long"], **query), 404, "claim_id")


def test_orphaned_claim_leaves_the_feed_until_its_reattachment_is_approved(
        client, auth, data, factories, users):
    store = factories.store
    text = "Prices rose by ten percent.\n"
    article = factories.article("https://news.example.com/orphan", text + "Rents doubled.\n")
    claim = _claim(factories, article["id"], "Rents doubled", "unverified",
                   users["factchecker"], users["editor"])
    url = f"{BASE}/claims/{claim['id']}"
    assert url in feed_urls(client)

    factories.article("https://news.example.com/orphan", text + "Rents rose by half.\n")
    assert store.publication(claim["id"])["anchor_state"] == "orphaned"

    assert url not in feed_urls(client)
    api_error(review(client, claim["id"]), 404, "claim_id")
    # Re-attached by the desk: a revision; readers still have the orphan.
    fc = as_actor(users["factchecker"])
    passage = store.passages(article["id"])[1]
    claim = store.reattach_claim(claim["id"], passage["id"], 0, len("Rents rose"), fc, None)
    store.transition_claim(claim["id"], "submit", fc)
    assert url not in feed_urls(client)
    api_error(review(client, claim["id"]), 404, "claim_id")

    store.transition_claim(claim["id"], "approve", as_actor(users["editor"]))
    assert url in feed_urls(client)
    item = json.loads(review(client, claim["id"]).data)
    assert item["claimReviewed"] == "Rents rose"


def test_empty_feed(client):
    feed = json.loads(client.get("/api/v1/claimreview").data)
    assert feed["dataFeedElement"] == []


# -- the snippet ------------------------------------------------------------------

class _Elements(HTMLParser):
    """Elements and the text inside each <script>, as an HTML parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags = []
        self.scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _script_content(snippet: str) -> str:
    opening = '<script type="application/ld+json">'
    assert snippet.startswith(opening)
    assert snippet.endswith("</script>")
    return snippet[len(opening):-len("</script>")]


def assert_safe_script(snippet: str) -> dict:
    """One script element whose content is the whole JSON, with nothing in it
    that could end the element early or keep it open past its end tag (the
    HTML rules for script data: no "</script", no "<!--" with "<script")."""
    content = _script_content(snippet)
    lowered = content.lower()
    assert "</script" not in lowered
    assert "<!--" not in lowered
    assert "<script" not in lowered
    parser = _Elements()
    parser.feed(snippet + "<p>after</p>")
    parser.close()
    assert [t for t, _ in parser.tags] == ["script", "p"]
    assert parser.tags[0][1] == {"type": "application/ld+json"}
    assert parser.scripts == [content]
    return json.loads(content)


def test_snippet_is_the_item_inside_a_json_ld_script(client, data):
    response = review(client, data["labelled"], format="snippet")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    snippet = response.get_data(as_text=True)
    assert assert_safe_script(snippet) == json.loads(review(client, data["labelled"]).data)


@pytest.mark.parametrize("name,quote", [
    ("script", "</script><script>alert(1)</script>"),
    ("comment", "<!--<script>"),
])
def test_snippet_quote_cannot_break_out_of_the_script(client, data, name, quote):
    snippet = review(client, data[name], format="snippet").get_data(as_text=True)

    item = assert_safe_script(snippet)
    assert item["claimReviewed"] == quote
    assert json.loads(review(client, data[name]).data)["claimReviewed"] == quote


@pytest.mark.parametrize("hostile", [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!--<script>",
    "<!-- <script> </script> -->",
    "</scr" + "ipt",
    "\u2028\u2029 line separators",
])
def test_snippet_from_hostile_fields(hostile):
    item = claim_review(
        {"id": 7, "exact": f"The claim {hostile}", "verdict": "denied", "label": hostile,
         "first_published_at": "2024-05-01T10:00:00+00:00",
         "published_at": "2024-05-01T10:00:00+00:00"},
        {"url": "https://news.example.com/a", "title": hostile, "author": hostile},
        "https://check.example.org/articles/1", {"name": hostile, "url": "https://o.example.org"})

    assert assert_safe_script(script_snippet(item)) == item


def test_snippet_keeps_non_latin_text_readable(client, data):
    snippet = review(client, data["unicode"], format="snippet").get_data(as_text=True)
    assert "東京 мост 🌉" in snippet
    assert assert_safe_script(snippet)["claimReviewed"] == "東京 мост 🌉"


# -- claim summary, item reviewed, corrections ----------------------------------------------

def _passage(client, headers, article_id, needle):
    article = client.get(f"/api/v1/articles/{article_id}", headers=headers).get_json()
    return next(p for p in article["passages"] if needle in p["text"])


def test_the_claim_summary_is_what_was_reviewed_the_quote_the_fallback(client, auth, data):
    from tests.helpers import create_claim
    passage = _passage(client, auth["factchecker"], data["article"], "Critics said")
    claim = create_claim(client, auth["factchecker"], passage, "the figure was misleading",
                         "denied", summary="  Critics   called the jobs figure misleading ",
                         citations=[SOURCE])
    # Stored with its spacing normalised, given back by the API.
    assert claim["summary"] == "Critics called the jobs figure misleading"
    publish_over_api(client, auth["editor"], claim["id"], auth["factchecker"])

    item = json.loads(review(client, claim["id"]).data)

    assert item["claimReviewed"] == "Critics called the jobs figure misleading"
    assert json.loads(review(client, data["long"]).data)["claimReviewed"] == shorten(LONG_CLAIM)


def test_a_summary_longer_than_75_characters_is_refused(client, auth, data):
    from tests.helpers import etag_of
    passage = _passage(client, auth["factchecker"], data["article"], "Critics said")
    start = passage["text"].index("Critics")
    too_long = "x" * (CLAIM_REVIEWED_MAX + 1)
    response = client.post("/api/v1/claims", json={
        "passage_id": passage["id"], "start": start, "end": start + 7, "verdict": "unverified",
        "summary": too_long}, headers=auth["factchecker"])
    api_error(response, 422, "summary")
    response = client.patch(f"/api/v1/claims/{data['draft']}", json={"summary": too_long},
                            headers={**auth["factchecker"],
                                     "If-Match": etag_of(client, auth["factchecker"],
                                                         data["draft"])})
    api_error(response, 422, "summary")


def test_a_summary_edit_reaches_readers_only_when_approved(client, auth, data):
    from tests.helpers import etag_of
    headers = {**auth["factchecker"],
               "If-Match": etag_of(client, auth["factchecker"], data["labelled"])}
    response = client.patch(f"/api/v1/claims/{data['labelled']}",
                            json={"summary": "The jobs figure was misleading"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert json.loads(review(client, data["labelled"]).data)["claimReviewed"] == \
        "the figure was misleading"

    publish_over_api(client, auth["editor"], data["labelled"], auth["factchecker"],
                     minor_edit=True)

    assert json.loads(review(client, data["labelled"]).data)["claimReviewed"] == \
        "The jobs figure was misleading"
    public = client.get(f"/api/v1/claims/{data['labelled']}", headers=auth["editor"]).get_json()
    assert public["summary"] == "The jobs figure was misleading"


def test_item_reviewed_first_appearance_author_and_date_come_from_the_article(client, data):
    reviewed = json.loads(review(client, data["long"]).data)["itemReviewed"]
    work = {"@type": "CreativeWork", "url": "https://news.example.com/jobs",
            "headline": "Jobs report"}
    assert reviewed["firstAppearance"] == work
    assert reviewed["appearance"] == [work]
    assert reviewed["author"] == {"@type": "Person", "name": "Jane Roe"}
    assert reviewed["datePublished"] == "2024-03-01"


def test_the_rating_has_a_name(client, data):
    assert json.loads(review(client, data["labelled"]).data)["reviewRating"]["name"] == \
        "Half true"
    assert json.loads(review(client, data["long"]).data)["reviewRating"]["name"] == "False"


def test_date_modified_follows_a_correction(client, data, factories, users):
    store = factories.store
    store.db.execute("UPDATE claim_publications SET first_published_at = ?, published_at = ?"
                     " WHERE claim_id = ?", ["2024-01-02T00:00:00+00:00"] * 2 + [data["long"]])
    before = json.loads(review(client, data["long"]).data)
    assert before["dateModified"] == "2024-01-02"
    fc, ed = as_actor(users["factchecker"]), as_actor(users["editor"])
    store.update_claim(data["long"], {"verdict": "unverified"}, fc, None)
    store.transition_claim(data["long"], "submit", fc)
    store.transition_claim(data["long"], "approve", ed, correction_note="Newer figures")

    after = json.loads(review(client, data["long"]).data)

    correction = store.corrections(data["long"])[0]
    assert after["dateModified"] == correction["at"][:10] > before["dateModified"]
    assert after["datePublished"] == "2024-01-02"
    assert after["reviewRating"]["name"] == "Unverified"


# -- the feed: pages, caching, one query ---------------------------------------------------

def test_the_feed_is_paginated_with_links(client, data, monkeypatch):
    from factcheck.api import exports as api_exports
    monkeypatch.setattr(api_exports, "FEED_PAGE_SIZE", 3)
    everything = []
    response = client.get("/api/v1/claimreview")
    pages = 0
    while True:
        pages += 1
        assert response.status_code == 200
        feed = json.loads(response.data)
        assert len(feed["dataFeedElement"]) <= 3
        everything.extend(item["url"] for item in feed["dataFeedElement"])
        links = dict((rel, url) for url, rel in
                     re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"]))
        assert links["first"] == "http://localhost/api/v1/claimreview?page=1"
        assert feed["url"] == f"http://localhost/api/v1/claimreview?page={pages}"
        if "next" not in links:
            break
        response = client.get(links["next"])
    assert pages == 3 and links["last"] == "http://localhost/api/v1/claimreview?page=3"
    assert int(response.headers["X-Total-Count"]) == len(everything) == 7
    assert len(set(everything)) == 7
    api_error(client.get("/api/v1/claimreview?page=4"), 404, "page")
    api_error(client.get("/api/v1/claimreview?page=0"), 422, "page")


def test_the_feed_is_cacheable_and_revalidates(client, auth, data):
    response = client.get("/api/v1/claimreview")
    etag = response.headers["ETag"]
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]

    unchanged = client.get("/api/v1/claimreview", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""

    publish_over_api(client, auth["editor"], data["draft"], auth["factchecker"])
    changed = client.get("/api/v1/claimreview", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_feed_page_is_one_query_however_many_claims(factories, data):
    store = factories.store
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        rows = store.claim_review_rows(100)
    finally:
        store.db.conn.set_trace_callback(None)
    assert len(rows) == 7
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
