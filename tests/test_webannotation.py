"""W3C Web Annotation: the export's shape, a round trip into an empty
database, and imports refused whole (nothing written) with the reason.

Orphaned claims (their quote is gone from the article's text) export with a
TextQuoteSelector only and factdesk:anchorState "orphaned"; the importer
brings them back orphaned, keeping quote and context. An annotation *not*
marked orphaned whose quote is not in the text is refused.

The export is the desk's working copies; ``published=1`` exports what
readers see (the publications, with dates, corrections and retraction).
Claims a document calls published wait for this desk's review when an
editor imports it over the API; the CLI (the system restoring an export)
publishes them again.
"""

import copy
import json

import pytest

from annotations.importer import parse_article
from annotations.store import Actor
from annotations import webannotation
from annotations.webannotation.vocabulary import model_time
from tests.helpers import FAST_HASH, api_error, bearer, make_token, open_store, row_counts
from factcheck import create_app

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

BUDGET_TEXT = (
    "Budget cuts announced\n"
    "\n"
    "The minister said unemployment fell by 3% last year.\n"
    "\n"
    "Critics said the figure was misleading, and the figure was old.\n"
    "\n"
    "A spokesperson declined to comment.\n"
)
WORLD_TEXT = (
    "Мир 世界 🌍\n"
    "\n"
    "Мэр 😀 сказал, что 東京 👍🏽 мост открыт в 2024 году.\n"
    "\n"
    "- 第一 point 🎉\n"
)
SOURCE = {"url": "https://ons.example.gov/lms", "title": "ONS labour stats", "publisher": "ONS",
          "excerpt": "Unemployment fell to 4.1%", "accessed_date": "2024-03-01",
          "archive_url": "https://archive.example.org/ons", "stance": "supports"}


def _actor(user):
    return Actor(user["id"], user["username"])


def _claim(factories, article_id, quote, verdict, user, publish_by=None, occurrence=0,
           **fields):
    return factories.claim(article_id, quote, verdict, user, publisher=publish_by,
                           occurrence=occurrence, **fields)


@pytest.fixture
def data(factories, users):
    """Two articles with claims of every kind; the spokesperson claim is
    orphaned by a re-import that drops its passage."""
    fc, ed = users["factchecker"], users["editor"]
    budget = factories.article(
        "https://news.example.com/budget", BUDGET_TEXT,
        title="Budget cuts", publisher="Daily News", author="Jane Roe",
        published_date="2024-03-01", language="en")["id"]
    world = factories.article(
        "https://news.example.com/world", WORLD_TEXT,
        title="Мир 世界 🌍", publisher="Новости", language="ru")["id"]
    claims = {
        "verified": _claim(factories, budget, "unemployment fell by 3%", "verified", fc, ed,
                           label="Mostly true",
                           rationale='<p>Per the <a href="https://ons.example.gov/lms" '
                                     'rel="nofollow noopener noreferrer">ONS</a>.</p>',
                           citations=(SOURCE, {"url": "https://other.example.org/x",
                                               "stance": "context"})),
        # "the figure" occurs twice in its passage: the second one.
        "second": _claim(factories, budget, "the figure", "denied", ed, occurrence=1,
                         citations=({"url": "https://stats.example.org/a", "title": "Stats",
                                     "stance": "refutes"},)),
        "draft": _claim(factories, budget, "Critics said", "unverified", fc),
        "orphan": _claim(factories, budget, "declined to comment", "unverified", fc, ed,
                         label="Gone", rationale="<p>Was here.</p>"),
        "unicode": _claim(factories, world, "東京 👍🏽 мост", "unverified", fc, label="Проверка 🔍",
                          rationale="<p>Источник: 新闻 😀</p>",
                          citations=({"url": "https://xinwen.example.cn/1",
                                      "title": "新闻 📰", "stance": "context"},)),
        "emoji": _claim(factories, world, "第一 point 🎉", "unverified", ed, users["admin"]),
    }
    factories.article("https://news.example.com/budget",
                      BUDGET_TEXT.replace("A spokesperson declined to comment.\n", ""))
    assert factories.store.claim(claims["orphan"]["id"])["anchor_state"] == "orphaned"
    return {"budget": budget, "world": world, **{k: v["id"] for k, v in claims.items()}}


@pytest.fixture
def second_app(tmp_path, monkeypatch, new_database):
    """Another service on its own, empty database."""
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "second-instance"))
    path = new_database(tmp_path / "second.db")
    return create_app({"TESTING": True, "DATABASE": str(path), "SECRET_KEY": "second"})


def _editor_headers(app, username="importer") -> dict:
    store = open_store(app)
    try:
        user = store.create_user(username, FAST_HASH, "editor")
    finally:
        store.db.close()
    token, _ = make_token(app, user["id"])
    return bearer(token)


def export_document(client, headers, **query) -> dict:
    """The whole export, in one file (every page and the articles' text)."""
    response = client.get("/api/v1/exports/annotations.jsonld", headers=headers,
                          query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.data)


def import_document(client, headers, document):
    return client.post("/api/v1/annotations/import", data=json.dumps(document),
                       content_type="application/ld+json", headers=headers)


def snapshot(app) -> dict:
    """Every article with its passages and claims, as comparable values
    (no ids, times or users, which a new database gives anew)."""
    store = open_store(app)
    try:
        result = {}
        for (article_id,) in store.db.execute("SELECT id FROM articles ORDER BY url"):
            article = store.article(article_id)
            passages = store.passages(article_id)
            ordinal = {p["id"]: p["ordinal"] for p in passages}
            claims = []
            for claim in store.claims_for_article(article_id, published_only=False):
                claims.append({
                    **{k: claim[k] for k in ("exact", "prefix", "suffix", "start_offset",
                                             "end_offset", "anchor_state", "verdict", "label",
                                             "rationale", "status")},
                    "passage": ordinal.get(claim["passage_id"]),
                    "citations": [{k: c[k] for k in ("url", "title", "publisher", "excerpt",
                                                     "accessed_date", "archive_url", "stance")}
                                  for c in claim["citations"]],
                })
            claims.sort(key=lambda c: (c["passage"] is None, c["passage"] or 0,
                                       c["start_offset"] or 0, c["exact"]))
            result[article["url"]] = {
                **{k: article[k] for k in ("title", "publisher", "author", "published_date",
                                           "language")},
                "passages": [(p["kind"], p["text"]) for p in passages],
                "claims": claims,
            }
        return result
    finally:
        store.db.close()


def _awaiting_review(state: dict) -> dict:
    """A snapshot as an editor's import over the API leaves it: claims that
    were published wait in review here."""
    return {url: {**article, "claims": [
        {**c, "status": "in_review" if c["status"] == "published" else c["status"]}
        for c in article["claims"]]} for url, article in state.items()}


def _statuses(app) -> list[str]:
    return [c["status"] for article in snapshot(app).values() for c in article["claims"]]


def feed(client) -> list[dict]:
    return json.loads(client.get("/api/v1/claimreview").data)["dataFeedElement"]


def _bodies(item, purpose):
    return [b for b in item["body"] if b.get("purpose") == purpose]


def _selector(item, kind):
    return next((s for s in item["target"]["selector"] if s["type"] == kind), None)


def _item_for(document, claim_id):
    return next(i for i in document["first"]["items"]
                if i["id"].endswith(f"/api/v1/annotations/{claim_id}"))


# -- export shape ---------------------------------------------------------------------

def test_export_is_an_annotation_collection(client, auth, data):
    response = client.get("/api/v1/exports/annotations.jsonld", headers=auth["editor"])

    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert 'profile="http://www.w3.org/ns/anno.jsonld"' in response.headers["Content-Type"]
    assert 'filename="annotations.jsonld"' in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["@context"][0] == ANNO_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"] == "http://localhost/api/v1/annotations"
    assert document["total"] == 6
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == {"id": document["id"], "type": "AnnotationCollection",
                              "label": "Fact desk claims", "total": 6}
    assert page["startIndex"] == 0
    assert "next" not in page
    assert len(page["items"]) == 6
    for item in page["items"]:
        assert item["type"] == "Annotation"
        assert item["motivation"] == "assessing"
        assert item["id"].startswith("http://localhost/api/v1/annotations/")
        assert item["created"] and item["modified"]
        assert item["target"]["source"].startswith("https://news.example.com/")
        assert _selector(item, "TextQuoteSelector")["exact"]
        assert len(_bodies(item, "assessing")) == 1


def test_each_claim_is_an_annotation_with_selectors_and_bodies(client, auth, data):
    document = export_document(client, auth["editor"])
    item = _item_for(document, data["verified"])

    assert item["target"]["source"] == "https://news.example.com/budget"
    quote = _selector(item, "TextQuoteSelector")
    assert quote["exact"] == "unemployment fell by 3%"
    assert quote["prefix"].endswith("The minister said ")
    assert quote["suffix"].startswith(" last year.")
    position = _selector(item, "TextPositionSelector")
    article = next(a for a in document["factdesk:articles"]
                   if a["url"] == "https://news.example.com/budget")
    text = "\n".join(p["text"] for p in article["passages"])
    assert text[position["start"]:position["end"]] == "unemployment fell by 3%"
    assert item["body"][:3] == [
        {"type": "TextualBody", "purpose": "assessing", "value": "verified",
         "format": "text/plain"},
        {"type": "TextualBody", "purpose": "tagging", "value": "Mostly true",
         "format": "text/plain"},
        {"type": "TextualBody", "purpose": "describing", "format": "text/html",
         "value": '<p>Per the <a href="https://ons.example.gov/lms" '
                  'rel="nofollow noopener noreferrer">ONS</a>.</p>'},
    ]
    # A body with a purpose is a SpecificResource; the cited page its source.
    assert _bodies(item, "linking") == [
        {"type": "SpecificResource", "purpose": "linking", "factdesk:stance": "supports",
         "source": {"id": "https://ons.example.gov/lms", "type": "Text",
                    "factdesk:title": "ONS labour stats", "factdesk:publisher": "ONS",
                    "factdesk:excerpt": "Unemployment fell to 4.1%",
                    "factdesk:archive_url": "https://archive.example.org/ons",
                    "factdesk:accessed_date": "2024-03-01"}},
        {"type": "SpecificResource", "purpose": "linking", "factdesk:stance": "context",
         "source": {"id": "https://other.example.org/x", "type": "Text"}},
    ]
    assert item["creator"] == {"type": "Person", "nickname": "factchecker"}
    assert item["factdesk:status"] == "published"
    assert item["factdesk:anchorState"] == "anchored"


def test_positions_count_code_points_across_passages(client, auth, data):
    document = export_document(client, auth["editor"])
    article = next(a for a in document["factdesk:articles"]
                   if a["url"] == "https://news.example.com/world")
    text = "\n".join(p["text"] for p in article["passages"])
    for claim_id, quote in ((data["unicode"], "東京 👍🏽 мост"), (data["emoji"], "第一 point 🎉")):
        item = _item_for(document, claim_id)
        position = _selector(item, "TextPositionSelector")
        assert text[position["start"]:position["end"]] == quote
        assert position["start"] == text.index(quote)
    assert _bodies(_item_for(document, data["unicode"]), "tagging")[0]["value"] == "Проверка 🔍"


def test_second_occurrence_is_told_apart_by_position_and_context(client, auth, data):
    item = _item_for(export_document(client, auth["editor"]), data["second"])
    quote = _selector(item, "TextQuoteSelector")
    assert quote["exact"] == "the figure"
    assert quote["prefix"].endswith("misleading, and ")


def test_orphaned_claim_exports_without_a_position(client, auth, data):
    item = _item_for(export_document(client, auth["editor"]), data["orphan"])

    assert item["factdesk:anchorState"] == "orphaned"
    assert [s["type"] for s in item["target"]["selector"]] == ["TextQuoteSelector"]
    assert _selector(item, "TextQuoteSelector")["exact"] == "declined to comment"


def test_export_carries_the_articles_text_and_metadata(client, auth, data):
    articles = {a["url"]: a for a in export_document(client, auth["editor"])["factdesk:articles"]}
    budget = articles["https://news.example.com/budget"]
    assert (budget["title"], budget["publisher"], budget["author"], budget["published_date"],
            budget["language"]) == ("Budget cuts", "Daily News", "Jane Roe", "2024-03-01", "en")
    assert budget["passages"][0] == {"kind": "heading", "text": "Budget cuts announced"}
    assert articles["https://news.example.com/world"]["passages"][2] == \
        {"kind": "list_item", "text": "第一 point 🎉"}


def test_export_filters(client, auth, data):
    published = export_document(client, auth["editor"], published=1)
    assert published["total"] == 3  # verified, orphan, emoji
    assert {i["factdesk:status"] for i in published["first"]["items"]} == {"published"}

    world = export_document(client, auth["editor"], article_id=data["world"])
    assert world["total"] == 2
    assert [a["url"] for a in world["factdesk:articles"]] == ["https://news.example.com/world"]

    api_error(client.get("/api/v1/annotations?article_id=9999", headers=auth["editor"]), 404,
              "article_id")


def test_empty_database_exports_an_empty_collection(client, auth):
    document = export_document(client, auth["editor"])
    assert document["total"] == 0
    # A collection with no annotations has no pages (a page holds some).
    assert "first" not in document and "last" not in document
    assert document["factdesk:articles"] == []


# -- round trip ---------------------------------------------------------------------

def test_round_trip_into_an_empty_database_gives_the_same_claims(client, auth, data, app,
                                                                  second_app):
    document = export_document(client, auth["editor"])
    target = second_app.test_client()

    response = import_document(target, _editor_headers(second_app), document)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["articles"] == 2 and body["claims"] == 6 and len(body["claim_ids"]) == 6
    assert snapshot(second_app) == _awaiting_review(snapshot(app))
    # And the copy exports the same annotations again, in review here.
    again = export_document(target, _editor_headers(second_app, "checker"))
    strip = lambda items: [{k: v for k, v in i.items()  # noqa: E731
                            if k not in ("id", "created", "modified", "creator")}
                           for i in items]
    expected = [{**i, "factdesk:status": "in_review"}
                if i["factdesk:status"] == "published" else i
                for i in strip(document["first"]["items"])]
    assert strip(again["first"]["items"]) == expected
    assert again["factdesk:articles"] == document["factdesk:articles"]


def test_round_trip_keeps_the_orphaned_claim_orphaned(client, auth, data, second_app):
    document = export_document(client, auth["editor"])
    assert import_document(second_app.test_client(), _editor_headers(second_app),
                           document).status_code == 201

    store = open_store(second_app)
    try:
        orphans = [c for c in store.claims_for_article(
            store.find_article_by_url("https://news.example.com/budget")["id"], published_only=False)
            if c["anchor_state"] == "orphaned"]
    finally:
        store.db.close()
    assert len(orphans) == 1
    orphan = orphans[0]
    assert (orphan["exact"], orphan["passage_id"], orphan["start_offset"], orphan["end_offset"]) \
        == ("declined to comment", None, None, None)
    assert orphan["prefix"].endswith("A spokesperson ")
    assert (orphan["verdict"], orphan["label"], orphan["status"]) == \
        ("unverified", "Gone", "in_review")


def test_round_trip_of_unicode_claims(client, auth, data, app, second_app):
    document = export_document(client, auth["editor"], article_id=data["world"])
    assert import_document(second_app.test_client(), _editor_headers(second_app),
                           document).status_code == 201

    copy_ = snapshot(second_app)["https://news.example.com/world"]
    assert copy_ == _awaiting_review(snapshot(app))["https://news.example.com/world"]
    assert [c["exact"] for c in copy_["claims"]] == ["東京 👍🏽 мост", "第一 point 🎉"]
    passage = copy_["passages"][1][1]
    claim = copy_["claims"][0]
    assert passage[claim["start_offset"]:claim["end_offset"]] == "東京 👍🏽 мост"


def test_import_onto_an_article_already_in_the_database(client, auth, data, app, second_app):
    """Without factdesk:articles the claims land on the article of that URL."""
    store = open_store(second_app)
    try:
        store.import_article("https://news.example.com/world", parse_article(WORLD_TEXT, "text"))
    finally:
        store.db.close()
    document = export_document(client, auth["editor"], article_id=data["world"])
    del document["factdesk:articles"]

    response = import_document(second_app.test_client(), _editor_headers(second_app), document)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["articles"] == 0
    assert [c["exact"] for c in snapshot(second_app)["https://news.example.com/world"]["claims"]] \
        == ["東京 👍🏽 мост", "第一 point 🎉"]


def test_imported_claims_keep_their_creator_when_the_account_exists(client, auth, data,
                                                                    second_app):
    store = open_store(second_app)
    try:
        store.create_user("factchecker", FAST_HASH, "factchecker")
    finally:
        store.db.close()
    document = export_document(client, auth["editor"], article_id=data["world"])
    claim_ids = import_document(second_app.test_client(), _editor_headers(second_app),
                                document).get_json()["claim_ids"]

    store = open_store(second_app)
    try:
        creators = [store.user(store.claim(i)["created_by"])["username"] for i in claim_ids]
    finally:
        store.db.close()
    # The unicode claim was the factchecker's; the other's author has no
    # account here, so the importing editor stands in.
    assert creators == ["factchecker", "importer"]


def test_multi_page_export_round_trips_through_the_cli(app, users, tmp_path, second_app,
                                                       monkeypatch):
    # Small pages, so that a few dozen claims make several of them.
    page_size = 10
    monkeypatch.setattr(webannotation.exporting, "PAGE_SIZE", page_size)
    count = 2 * page_size + 5
    store = open_store(app)
    try:
        text = "\n\n".join(f"Statement {n} was made on day {n}." for n in range(count))
        article = store.import_article("https://news.example.com/many",
                                       parse_article(text, "text"), title="Many").article_id
        with store.transaction():
            for n, passage in enumerate(store.passages(article)):
                verdict = ("verified", "denied", "unverified")[n % 3]
                start = passage["text"].index(f"{n} was")
                store.create_claim(passage["id"], start, start + len(f"{n} was made"), verdict,
                                   _actor(users["editor"]), label=f"label {n}",
                                   citations=({"url": f"https://src.example.org/{n}",
                                               "stance": "refutes"},) if n % 2 else ())
    finally:
        store.db.close()
    path = tmp_path / "annotations.jsonld"

    result = app.test_cli_runner().invoke(args=["export-annotations", str(path),
                                                "--base-url", "https://check.example.org/"])

    assert result.exit_code == 0, result.output
    assert f"exported {count} annotations to {path}" in result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["total"] == count
    pages = [document["first"], *document["factdesk:pages"]]
    assert [len(p["items"]) for p in pages] == [page_size, page_size, 5]
    assert [p["startIndex"] for p in pages] == [0, page_size, 2 * page_size]
    ids = [f"https://check.example.org/api/v1/annotations?page={n}" for n in range(3)]
    assert [p["id"] for p in pages] == ids
    # Linked by IRIs, each page naming the collection it is part of.
    assert [p.get("next") for p in pages] == [ids[1], ids[2], None]
    assert [p.get("prev") for p in pages] == [None, ids[0], ids[1]]
    assert document["last"] == ids[2]
    assert {p["partOf"]["id"] for p in pages} == {"https://check.example.org/api/v1/annotations"}
    assert {p["partOf"]["total"] for p in pages} == {count}

    result = second_app.test_cli_runner().invoke(args=["import-annotations", str(path)])

    assert result.exit_code == 0, result.output
    assert f"imported {count} claims on 1 articles" in result.output
    assert snapshot(second_app) == snapshot(app)


# -- review on import ---------------------------------------------------------------

def test_an_editors_import_sends_published_claims_to_review(client, auth, data, app,
                                                            second_app):
    document = export_document(client, auth["editor"])
    assert sorted(i["factdesk:status"] for i in document["first"]["items"]) == \
        ["draft", "draft", "draft", "published", "published", "published"]
    target = second_app.test_client()

    response = import_document(target, _editor_headers(second_app), document)

    assert response.status_code == 201, response.get_json()
    assert sorted(_statuses(second_app)) == \
        ["draft", "draft", "draft", "in_review", "in_review", "in_review"]
    # Nothing reached readers: no publication, no ClaimReview, no highlight.
    checker = _editor_headers(second_app, "checker")
    assert export_document(target, checker, published=1)["total"] == 0
    assert feed(target) == []
    highlights = target.get("/api/v1/highlights",
                            query_string={"url": "https://news.example.com/budget"}).get_json()
    assert highlights["claims"] == []
    # This desk's editor reviews and approves; then readers see it.
    store = open_store(second_app)
    try:
        verified = next(c for c in store.claims_for_article(
            store.find_article_by_url("https://news.example.com/budget")["id"],
            published_only=False) if c["exact"] == "unemployment fell by 3%")
    finally:
        store.db.close()
    approved = target.post(f"/api/v1/claims/{verified['id']}/transitions",
                           json={"action": "approve"}, headers=checker)
    assert approved.status_code == 200, approved.get_json()
    assert [i["claimReviewed"] for i in feed(target)] == ["unemployment fell by 3%"]


def test_the_cli_restores_what_was_published(client, auth, data, app, second_app, tmp_path):
    path = tmp_path / "annotations.jsonld"
    assert app.test_cli_runner().invoke(args=["export-annotations", str(path)]).exit_code == 0

    result = second_app.test_cli_runner().invoke(args=["import-annotations", str(path)])

    assert result.exit_code == 0, result.output
    assert snapshot(second_app) == snapshot(app)
    # What readers see is the same too; the orphaned publication stays out
    # of the ClaimReview feed, as at home.
    strip = lambda document: [  # noqa: E731
        {k: v for k, v in i.items() if k not in (
            "id", "created", "modified", "creator", "factdesk:firstPublished",
            "factdesk:lastApproved")} for i in document["first"]["items"]]
    home = export_document(client, auth["editor"], published=1)
    restored = export_document(second_app.test_client(), _editor_headers(second_app),
                               published=1)
    assert restored["total"] == home["total"] == 3
    assert strip(restored) == strip(home)
    assert [i["claimReviewed"] for i in feed(second_app.test_client())] == \
        [i["claimReviewed"] for i in feed(client)] == ["unemployment fell by 3%", "第一 point 🎉"]


# -- the published export ---------------------------------------------------------

def test_published_export_is_what_readers_see_not_the_revision(client, auth, data, factories,
                                                               users):
    store = factories.store
    fc, ed = _actor(users["factchecker"]), _actor(users["editor"])
    first_published = store.publication(data["verified"])["first_published_at"]
    store.update_claim(data["verified"], {"verdict": "denied", "label": "False"}, fc, None)

    desk = _item_for(export_document(client, auth["editor"]), data["verified"])
    public = _item_for(export_document(client, auth["editor"], published=1), data["verified"])

    assert (_bodies(desk, "assessing")[0]["value"], _bodies(desk, "tagging")[0]["value"],
            desk["factdesk:status"]) == ("denied", "False", "draft")
    assert "factdesk:firstPublished" not in desk
    assert (_bodies(public, "assessing")[0]["value"], _bodies(public, "tagging")[0]["value"],
            public["factdesk:status"]) == ("verified", "Mostly true", "published")
    assert public["factdesk:firstPublished"] == public["factdesk:lastApproved"] == \
        public["modified"] == model_time(first_published)
    assert "factdesk:corrections" not in public and "factdesk:retracted" not in public

    store.transition_claim(data["verified"], "submit", fc)
    store.transition_claim(data["verified"], "approve", ed,
                           correction_note="The ONS revised its figures")
    store.transition_claim(data["emoji"], "retract", ed, note="The list was satire")
    document = export_document(client, auth["editor"], published=1)
    public = _item_for(document, data["verified"])
    correction = store.corrections(data["verified"])[0]
    assert (_bodies(public, "assessing")[0]["value"], public["factdesk:status"]) == \
        ("denied", "published")
    assert public["factdesk:firstPublished"] == model_time(first_published)
    assert public["factdesk:lastApproved"] == model_time(correction["at"]) > \
        model_time(first_published)
    assert public["factdesk:corrections"] == [
        {"factdesk:date": model_time(correction["at"]), "factdesk:note": "The ONS revised its figures",
         "factdesk:previousVerdict": "verified", "factdesk:verdict": "denied",
         "factdesk:previousLabel": "Mostly true", "factdesk:label": "False"}]
    retracted = _item_for(document, data["emoji"])
    assert retracted["factdesk:status"] == "retracted"
    assert retracted["factdesk:retractionReason"] == "The list was satire"
    assert retracted["factdesk:retracted"] == retracted["modified"] == \
        model_time(store.publication(data["emoji"])["retracted_at"])
    assert {_item_for(document, data["orphan"])["factdesk:status"]} == {"published"}


def test_orphaned_publication_exports_without_a_position(client, auth, data, factories, users):
    store = factories.store
    # The desk re-attaches the orphan (a revision); readers still have the orphan.
    passage = store.passages(data["budget"])[0]
    store.reattach_claim(data["orphan"], passage["id"], 0, len("Budget cuts"),
                         _actor(users["factchecker"]), None)

    desk = _item_for(export_document(client, auth["editor"]), data["orphan"])
    public = _item_for(export_document(client, auth["editor"], published=1), data["orphan"])

    assert (desk["factdesk:anchorState"], desk["factdesk:status"]) == ("anchored", "draft")
    assert _selector(desk, "TextPositionSelector") == {"type": "TextPositionSelector",
                                                       "start": 0, "end": len("Budget cuts")}
    assert (public["factdesk:anchorState"], public["factdesk:status"]) == \
        ("orphaned", "published")
    assert [s["type"] for s in public["target"]["selector"]] == ["TextQuoteSelector"]
    assert _selector(public, "TextQuoteSelector")["exact"] == "declined to comment"


# -- refused imports ------------------------------------------------------------

def _set_verdict(item, value):
    _bodies(item, "assessing")[0]["value"] = value


def _body_index(item, purpose):
    return next(n for n, b in enumerate(item["body"]) if b.get("purpose") == purpose)


def _break_citation_url(doc):
    item = doc["first"]["items"][1]
    n = _body_index(item, "linking")
    item["body"][n]["source"]["id"] = "javascript:alert(1)"
    return f"items.1.body.{n}.source.id", "only http and https"


def _break_stance(doc):
    item = doc["first"]["items"][1]
    n = _body_index(item, "linking")
    item["body"][n]["factdesk:stance"] = "agrees"
    return f"items.1.body.{n}.factdesk:stance", "must be one of"


def _quote_not_in_text(doc):
    _selector(doc["first"]["items"][1], "TextQuoteSelector")["exact"] = "words nowhere to be seen"
    return "items.1.target.selector", "the quote is not in the article text"


def _published_verified_without_citation(doc):
    item = doc["first"]["items"][1]
    _set_verdict(item, "verified")
    item["factdesk:status"] = "published"
    item["body"] = [b for b in item["body"] if b.get("purpose") != "linking"]
    return "items.1.body", "needs a citation"


def _missing_motivation(doc):
    del doc["first"]["items"][1]["motivation"]
    return "items.1.motivation", "must be 'assessing'"


def _wrong_motivation(doc):
    doc["first"]["items"][1]["motivation"] = "commenting"
    return "items.1.motivation", "must be 'assessing'"


def _bad_verdict(doc):
    _set_verdict(doc["first"]["items"][1], "true")
    return "items.1.body.0.value", "verdict must be one of"


def _no_verdict(doc):
    item = doc["first"]["items"][1]
    item["body"] = [b for b in item["body"] if b.get("purpose") != "assessing"]
    return "items.1.body", "purpose 'assessing'"


def _wrong_type(doc):
    doc["type"] = "Collection"
    return "type", "expected AnnotationCollection"


def _not_an_annotation(doc):
    doc["first"]["items"][1]["type"] = "Note"
    return "items.1", "must be an Annotation"


def _wrong_total(doc):
    doc["total"] = doc["total"] + 1
    return "total", "says 3 annotations but the pages hold 2"


def _article_missing(doc):
    del doc["factdesk:articles"]
    return "items.0.target.source", "no article with this URL"


def _ftp_source(doc):
    doc["first"]["items"][1]["target"]["source"] = "ftp://news.example.com/budget"
    return "items.1.target.source", "only http and https"


def _bad_status(doc):
    doc["first"]["items"][1]["factdesk:status"] = "live"
    return ("items.1.factdesk:status",
            "must be one of draft, in_review, changes_requested, published, retracted")


def _creator_not_text(doc):
    doc["first"]["items"][1]["creator"] = {"type": "Person", "nickname": ["x"]}
    return "items.1.creator.nickname", "must be a string"


def _no_passages(doc):
    doc["factdesk:articles"][0]["passages"] = []
    return "factdesk:articles.0.passages", "non-empty list"


def _page_not_embedded(doc):
    doc["first"] = "https://elsewhere.example.org/page1"
    return "page 1", "is not in the document"


def _no_quote_selector(doc):
    doc["first"]["items"][1]["target"]["selector"] = [
        s for s in doc["first"]["items"][1]["target"]["selector"]
        if s["type"] != "TextQuoteSelector"]
    return "items.1.target.selector", "needs a TextQuoteSelector"


REFUSALS = [_wrong_type, _missing_motivation, _wrong_motivation, _bad_verdict, _no_verdict,
            _break_citation_url, _break_stance, _quote_not_in_text, _article_missing,
            _published_verified_without_citation, _wrong_total, _not_an_annotation, _ftp_source,
            _bad_status, _creator_not_text, _no_passages, _page_not_embedded, _no_quote_selector]


@pytest.fixture
def small_export(client, auth, data):
    """Two valid annotations on one article: a broken second one must keep
    the article and the first claim out too."""
    document = export_document(client, auth["editor"], article_id=data["budget"])
    document["first"]["items"] = [_item_for(document, data["draft"]),
                                  _item_for(document, data["second"])]
    document["total"] = 2
    return document


def test_small_export_is_importable_as_is(small_export, second_app):
    """The control for the refusals below."""
    response = import_document(second_app.test_client(), _editor_headers(second_app),
                               small_export)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["claims"] == 2


@pytest.mark.parametrize("breaker", REFUSALS, ids=lambda f: f.__name__.strip("_"))
def test_refused_import_writes_nothing_and_names_the_reason(small_export, second_app, breaker):
    headers = _editor_headers(second_app)
    document = copy.deepcopy(small_export)
    field, reason = breaker(document)
    before = row_counts(second_app)

    response = import_document(second_app.test_client(), headers, document)

    error = api_error(response, 422, field, "invalid")
    assert reason in error["message"]
    assert row_counts(second_app) == before


@pytest.mark.parametrize("breaker", [_missing_motivation, _break_citation_url, _wrong_total,
                                     _article_missing, _quote_not_in_text],
                         ids=lambda f: f.__name__.strip("_"))
def test_cli_refuses_the_same_files(small_export, second_app, tmp_path, breaker):
    document = copy.deepcopy(small_export)
    field, reason = breaker(document)
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = row_counts(second_app)

    result = second_app.test_cli_runner().invoke(args=["import-annotations", str(path)])

    assert result.exit_code != 0
    assert "refused, nothing imported" in result.output
    assert f"{field}: " in result.output and reason in result.output
    assert row_counts(second_app) == before


def test_every_problem_is_counted_in_the_refusal(small_export, second_app):
    document = copy.deepcopy(small_export)
    _bad_verdict(document)
    _break_citation_url(document)
    del document["first"]["items"][0]["motivation"]

    error = api_error(import_document(second_app.test_client(), _editor_headers(second_app),
                                      document), 422, "items.0.motivation")
    assert "(and 2 more problems)" in error["message"]


def test_not_json_is_refused(second_app, tmp_path):
    headers = _editor_headers(second_app)
    client = second_app.test_client()
    before = row_counts(second_app)

    response = client.post("/api/v1/annotations/import", data="{not json",
                           content_type="application/json", headers=headers)
    api_error(response, 400, "body", "malformed_json")
    response = client.post("/api/v1/annotations/import", data="{}", content_type="text/plain",
                           headers=headers)
    api_error(response, 415, "Content-Type")
    path = tmp_path / "bad.jsonld"
    path.write_text("{not json", encoding="utf-8")
    result = second_app.test_cli_runner().invoke(args=["import-annotations", str(path)])
    assert result.exit_code != 0
    assert "not valid JSON" in result.output
    # Nested past Python's recursion limit: a clear refusal, not a traceback.
    path.write_text("[" * 100_000, encoding="utf-8")
    result = second_app.test_cli_runner().invoke(args=["import-annotations", str(path)])
    assert result.exit_code == 1
    assert "nested too deeply" in result.output
    assert row_counts(second_app) == before


@pytest.mark.parametrize("document,field", [
    ([], None), ({}, "type"), ("text", "document"), (42, "document"),
])
def test_json_that_is_not_an_annotation_document(second_app, document, field):
    response = import_document(second_app.test_client(), _editor_headers(second_app), document)
    if field is None:  # an empty list of annotations: nothing to do
        assert response.status_code == 201
        assert response.get_json()["claims"] == 0
    else:
        api_error(response, 422, field)
    assert row_counts(second_app)["claims"] == 0


@pytest.mark.parametrize("role,status", [("anonymous", 401), ("reader", 403),
                                         ("factchecker", 403)])
def test_import_needs_the_editor_role(client, auth, small_export, app, role, status):
    before = row_counts(app)
    api_error(import_document(client, auth[role], small_export), status)
    assert row_counts(app) == before


def test_an_import_is_held_to_the_import_limits(second_app, tmp_path):
    # The articles a Web Annotation document carries are imports like any
    # other: past MAX_PASSAGES or MAX_PASSAGE_CHARS the document is refused.
    second_app.config["MAX_PASSAGES"] = 3
    document = {"type": "AnnotationCollection", "total": 0,
                "first": {"type": "AnnotationPage", "items": []},
                "factdesk:articles": [{"url": "https://news.example.com/huge", "passages": [
                    {"kind": "paragraph", "text": f"Passage {n}."} for n in range(4)]}]}
    headers = _editor_headers(second_app)
    before = row_counts(second_app)

    response = import_document(second_app.test_client(), headers, document)

    error = api_error(response, 422, "factdesk:articles.0.passages")
    assert "max_passages" in error["message"]
    assert row_counts(second_app) == before


# -- idempotent import, times and authors as data ----------------------------------------

def test_importing_the_same_export_twice_changes_nothing(client, auth, data, second_app):
    document = export_document(client, auth["editor"])
    target, headers = second_app.test_client(), _editor_headers(second_app)
    first = import_document(target, headers, document)
    assert first.status_code == 201, first.get_json()
    before, state = row_counts(second_app), snapshot(second_app)

    again = import_document(target, headers, document)

    assert again.status_code == 201, again.get_json()
    assert again.get_json() == {"articles": 0, "claims": 0, "claim_ids": [], "unchanged": 6}
    assert row_counts(second_app) == before  # audit_log included: nothing written
    assert snapshot(second_app) == state


def test_a_desks_own_export_imported_into_it_changes_nothing(app, client, auth, data):
    document = export_document(client, auth["editor"])
    before, state = row_counts(app), snapshot(app)

    response = import_document(client, auth["editor"], document)

    assert response.get_json()["unchanged"] == 6 and response.get_json()["claims"] == 0
    assert row_counts(app) == before and snapshot(app) == state


def test_a_claim_already_here_by_its_content_is_not_copied(client, auth, data, second_app):
    """Matched by the content key when the annotation id is new: the same
    quote and context on the same article."""
    document = export_document(client, auth["editor"], article_id=data["budget"])
    target, headers = second_app.test_client(), _editor_headers(second_app)
    import_document(target, headers, document)
    for item in document["first"]["items"]:
        item["id"] = item["id"].replace("http://localhost/", "https://elsewhere.example.org/")

    response = import_document(target, headers, document)

    assert response.get_json()["claims"] == 0
    assert response.get_json()["unchanged"] == len(document["first"]["items"])


def test_times_and_creators_are_data_the_audit_names_the_importer(client, auth, data,
                                                                  second_app):
    document = export_document(client, auth["editor"])
    items = {i["id"]: i for i in document["first"]["items"]}
    _editor_headers(second_app, "factchecker")  # the author has an account there
    claim_ids = import_document(second_app.test_client(), _editor_headers(second_app),
                                document).get_json()["claim_ids"]

    store = open_store(second_app)
    try:
        for claim_id in claim_ids:
            claim = store.claim(claim_id)
            item = items[claim["origin"]]
            assert model_time(claim["created_at"]) == item["created"]
            assert model_time(claim["updated_at"]) == item["modified"]
            entries = store.db.execute(
                "SELECT DISTINCT actor FROM audit_log WHERE entity = 'claim' AND entity_id = ?",
                [claim_id]).fetchall()
            assert entries == [("importer",)]
        authors = {store.user(store.claim(i)["created_by"])["username"] for i in claim_ids}
    finally:
        store.db.close()
    assert "factchecker" in authors


def test_cli_import_into_a_fresh_instance_migrates_first(client, auth, data, tmp_path,
                                                          monkeypatch):
    path = tmp_path / "export.jsonld"
    path.write_text(json.dumps(export_document(client, auth["editor"])), encoding="utf-8")
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "fresh-instance"))
    fresh = create_app({"TESTING": True, "DATABASE": str(tmp_path / "fresh.db"),
                        "SECRET_KEY": "fresh"})

    result = fresh.test_cli_runner().invoke(args=["import-annotations", str(path)])

    assert result.exit_code == 0, result.output
    assert "imported 6 claims on 2 articles (0 already here, unchanged)" in result.output
    again = fresh.test_cli_runner().invoke(args=["import-annotations", str(path)])
    assert "imported 0 claims on 0 articles (6 already here, unchanged)" in again.output


def test_an_export_in_the_earlier_shape_still_imports(client, auth, data, app, second_app):
    """Exports made before issue 16 linked pages by embedding each in the
    previous one's "next" and gave a citation's page as the body itself."""
    document = export_document(client, auth["editor"])
    items = document["first"]["items"]
    for item in items:
        for n, body in enumerate(item["body"]):
            if body.get("type") == "SpecificResource":
                item["body"][n] = {**body["source"], "purpose": "linking",
                                   "factdesk:stance": body["factdesk:stance"]}
    document["first"] = {"type": "AnnotationPage", "items": items[:3],
                         "next": {"type": "AnnotationPage", "items": items[3:]}}

    response = import_document(second_app.test_client(), _editor_headers(second_app), document)

    assert response.status_code == 201, response.get_json()
    assert snapshot(second_app) == _awaiting_review(snapshot(app))
