"""POST and GET /api/v1/page-claims: a claim recorded on a selection of a
live page (the extension's fact-checker mode), importing a page the desk
does not know with the upload importer, placing the selection by the
anchoring rules, and refusing (writing nothing) a selection that does not
anchor exactly."""

import pytest

from .helpers import api_error, row_counts

PAGE_URL = "https://tidings.example.net/2026/11/ferry-fares.html"
CANONICAL = "https://tidings.example.net/ferry-fares"
SENTENCE = "The operator said return fares would fall to 9 euros from January."
# The page as the checker's browser has it: navigation, an aside, and the
# sentence across inline markup with odd whitespace.
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ferry fares to fall | Tidings</title>
<link rel="canonical" href="{CANONICAL}"></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>Ferry fares to fall next year</h1>
<p>Island commuters have complained about prices for a decade, and the regional council
has twice voted to subsidise the crossing without success.</p>
<p>The <em>operator</em> said return fares would fall to
   <a href="/fares"><strong>9 euros</strong></a> from January. A spokesperson for the
   commuters' association welcomed the news but asked for a written guarantee.</p>
<p>The council will publish the new timetable in the spring, after a consultation with
harbour staff and the two unions that represent the crews.</p>
</article><footer>Copyright Tidings</footer></body></html>"""
# What the extension takes from the page's visible text around the selection.
SELECTOR = {"exact": SENTENCE,
            "prefix": "ce the crossing without success.\n",
            "suffix": " A spokesperson for the commute"}


def body(**changes):
    data = {"url": PAGE_URL + "?utm_source=feed", "canonical_url": CANONICAL, "html": PAGE,
            "selector": SELECTOR, "verdict": "unverified", "label": "Fare claim",
            "rationale": "<p>Checked against the <strong>fare table</strong>.</p>",
            "citations": [{"url": "https://ferries.example.org/fares-2027",
                           "title": "Fare table 2027", "stance": "supports"}]}
    data.update(changes)
    return data


def test_unknown_page_is_imported_and_the_claim_placed_on_the_selection(client, auth, store):
    response = client.post("/api/v1/page-claims", json=body(), headers=auth["factchecker"])

    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["imported"] is True
    claim = data["claim"]
    assert claim["exact"] == SENTENCE
    assert claim["status"] == "draft" and claim["verdict"] == "unverified"
    assert claim["citations"][0]["title"] == "Fare table 2027"
    passage = store.passage(claim["passage_id"])
    assert passage["text"][claim["start"]:claim["end"]] == SENTENCE
    article = store.article(claim["article_id"])
    assert article["title"] == "Ferry fares to fall next year"
    # Navigation and footer were left out by the main-text extraction.
    texts = " ".join(p["text"] for p in store.passages(article["id"]))
    assert "Home" not in texts and "Copyright" not in texts
    assert data["article"]["annotator_url"] == f"/articles/{article['id']}"
    assert data["claims"] == [{
        "id": claim["id"], "verdict": "unverified", "label": "Fare claim", "status": "draft",
        "anchor_state": "anchored", "exact": SENTENCE,
        "annotator_url": f"/articles/{article['id']}#claim-{claim['id']}"}]


def test_known_page_is_anchored_not_reimported(client, auth, store, factories):
    first = client.post("/api/v1/page-claims", json=body(), headers=auth["factchecker"])
    article_id = first.get_json()["claim"]["article_id"]
    passages_before = store.passages(article_id)
    # Found by its canonical URL (an alias now); the HTML is not needed.
    second = body(url="https://m.tidings.example.net/ferry?ref=share", html=None,
                  selector={"exact": "welcomed the news",
                            "prefix": "r the commuters' association ",
                            "suffix": " but asked for a written guara"})
    del second["html"]
    response = client.post("/api/v1/page-claims", json=second, headers=auth["editor"])

    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["imported"] is False
    assert data["claim"]["article_id"] == article_id
    assert data["claim"]["exact"] == "welcomed the news"
    assert store.passages(article_id) == passages_before
    assert [c["exact"] for c in data["claims"]] == [SENTENCE, "welcomed the news"]


@pytest.mark.parametrize("selector, message", [
    # Not in the story's main text: the navigation.
    ({"exact": "Home Local", "prefix": "", "suffix": "\nFerry fares to fall"}, "not in the article"),
    # Words the page does not have.
    ({"exact": "return fares would fall to 7 euros from January"}, "not in the article"),
    # Across two paragraphs.
    ({"exact": "without success. The operator said"}, "not in the article"),
])
def test_a_selection_that_does_not_anchor_is_refused_and_nothing_written(
        client, auth, app, selector, message):
    before = row_counts(app)

    response = client.post("/api/v1/page-claims", json=body(selector=selector),
                           headers=auth["factchecker"])

    error = api_error(response, 422, "selector.exact")
    assert message in error["message"] and "nothing was saved" in error["message"]
    assert row_counts(app) == before


def test_an_ambiguous_selection_is_refused(client, auth, app, store):
    client.post("/api/v1/page-claims", json=body(), headers=auth["factchecker"])
    before = row_counts(app)

    # "the council" twice in the story, and no context to tell which.
    response = client.post("/api/v1/page-claims", json=body(
        selector={"exact": "council"}), headers=auth["factchecker"])

    api_error(response, 422, "selector.exact")
    assert row_counts(app) == before


def test_unknown_page_without_html_is_refused(client, auth, app):
    data = body()
    del data["html"]
    before = row_counts(app)
    response = client.post("/api/v1/page-claims", json=data, headers=auth["factchecker"])
    assert "send its html" in api_error(response, 422, "html")["message"]
    assert row_counts(app) == before


@pytest.mark.parametrize("changes, field", [
    ({"url": "javascript:alert(1)"}, "url"),
    ({"canonical_url": "ftp://tidings.example.net/x"}, "canonical_url"),
    ({"verdict": "maybe"}, "verdict"),
    ({"selector": {"exact": ""}}, "selector.exact"),
    ({"selector": {"exact": "x" * 10001}}, "selector.exact"),
    ({"html": "<div></div>"}, "html"),
    ({"citations": [{"url": "javascript:alert(1)"}]}, "citations.0.url"),
    ({"token": "fct_x"}, "token"),
])
def test_bad_input_is_refused_naming_the_field(client, auth, app, changes, field):
    before = row_counts(app)
    response = client.post("/api/v1/page-claims", json=body(**changes),
                           headers=auth["factchecker"])
    api_error(response, 422, field)
    assert row_counts(app) == before


def test_the_import_limits_apply(client, auth, app):
    app.config["MAX_PASSAGES"] = 2
    before = row_counts(app)
    response = client.post("/api/v1/page-claims", json=body(), headers=auth["factchecker"])
    assert "max_passages" in api_error(response, 422, "html")["message"]
    assert row_counts(app) == before


def test_a_page_larger_than_an_upload_is_refused_before_it_is_read(client, auth, app):
    huge = "<p>" + "word " * (6 * 1024 * 1024 // 5) + "</p>"
    response = client.post("/api/v1/page-claims", json=body(html=huge),
                           headers=auth["factchecker"])
    api_error(response, 413)


def test_a_page_of_more_than_one_megabyte_is_accepted(client, auth, store):
    # Larger than other API bodies (1 MB): a news page's HTML often is.
    padding = "<aside hidden>" + "filler text " * 100_000 + "</aside>"
    html = PAGE.replace("<footer>", padding + "<footer>")
    response = client.post("/api/v1/page-claims", json=body(html=html),
                           headers=auth["factchecker"])
    assert response.status_code == 201, response.get_json()


def test_listing_a_pages_claims(client, auth):
    empty = client.get("/api/v1/page-claims", query_string={"url": PAGE_URL},
                       headers=auth["factchecker"])
    assert empty.status_code == 200
    assert empty.get_json() == {"article": None, "claims": []}
    client.post("/api/v1/page-claims", json=body(), headers=auth["factchecker"])

    # Tracking parameters and a fragment do not change which page it is.
    listed = client.get("/api/v1/page-claims",
                        query_string={"url": PAGE_URL + "?utm_campaign=x&fbclid=1#top"},
                        headers=auth["factchecker"]).get_json()
    assert listed["article"]["title"] == "Ferry fares to fall next year"
    assert [(c["exact"], c["status"]) for c in listed["claims"]] == [(SENTENCE, "draft")]


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403)])
def test_readers_may_neither_list_nor_record(client, auth, app, role, status):
    before = row_counts(app)
    assert client.get("/api/v1/page-claims", query_string={"url": PAGE_URL},
                      headers=auth[role]).status_code == status
    assert client.post("/api/v1/page-claims", json=body(),
                       headers=auth[role]).status_code == status
    assert row_counts(app) == before



def test_the_rationale_may_be_markdown_as_in_the_annotator(client, auth):
    data = body(rationale_markdown="Fares *fall* only for <residents>.")
    del data["rationale"]
    response = client.post("/api/v1/page-claims", json=data, headers=auth["factchecker"])
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    assert claim["rationale"] == "<p>Fares <em>fall</em> only for &lt;residents&gt;.</p>"
