"""The readers' endpoint, GET /api/v1/highlights?url=…, and article aliases.

What a reader's browser (the extension) sees: the published claims of the
article at a page URL, matched after normalising the URL; public, CORS for
any origin without credentials, cacheable with an ETag.
"""

import os

import pytest

from annotations.urls import url_key
from factcheck import create_app
from factcheck.db import database_version
from tests.helpers import (PASSWORD, api_error, create_claim, etag_of, import_article,
                           passage_with, publish_over_api, take_action)

STORY_URL = "https://news.example.com/world/harbour-plan"
HEADING = "Harbour plan approved"
PARA_1 = "The council approved the harbour plan on Tuesday. The mayor said it creates 4,000 jobs."
PARA_2 = "Кандидат сказал 🗳️: 東京 is bigger 👩‍👩‍👧 and rents rose 9% in 2024."
PARA_3 = "Critics said the figure was misleading."
STORY_TEXT = f"{HEADING}\n\n{PARA_1}\n\n{PARA_2}\n\n{PARA_3}\n"

CITATION = {"url": "https://stats.example.org/jobs", "title": "Jobs report 2024",
            "publisher": "Statistics office", "excerpt": "4,000 jobs", "stance": "supports"}


def highlights(client, url, headers=None):
    return client.get("/api/v1/highlights", query_string={"url": url}, headers=headers or {})


def claim_ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [claim["id"] for claim in response.get_json()["claims"]]


def publish(client, headers, claim_id):
    return publish_over_api(client, headers, claim_id)


def published_claim(client, auth, url=STORY_URL, text=STORY_TEXT, quote="The mayor said"):
    """An article at ``url`` with one published unverified claim on ``quote``."""
    article = import_article(client, auth["editor"], url=url, text=text)
    claim = create_claim(client, auth["factchecker"], passage_with(article, quote), quote)
    publish(client, auth["editor"], claim["id"])
    return article, claim


@pytest.fixture
def story(client, auth):
    """The story with a published verified claim (with a citation and a
    rationale that needed cleaning), a published unverified claim on text
    after emoji, and a draft."""
    article = import_article(client, auth["editor"], url=STORY_URL, text=STORY_TEXT,
                             title="Harbour plan story")
    verified = create_claim(
        client, auth["factchecker"], passage_with(article, "4,000 jobs"),
        "The mayor said it creates 4,000 jobs.", verdict="verified", label="Jobs",
        rationale='<p>The <strong>jobs</strong> report agrees.</p><script>alert(1)</script>'
                  '<a href="javascript:alert(2)" onclick="x()">see</a>',
        citations=[CITATION])
    rents = create_claim(client, auth["factchecker"], passage_with(article, "rents rose"),
                         "rents rose 9%")
    draft = create_claim(client, auth["factchecker"], passage_with(article, "Critics"),
                         "the figure was misleading", verdict="denied", citations=[CITATION])
    verified = publish(client, auth["editor"], verified["id"])
    rents = publish(client, auth["editor"], rents["id"])
    return {"article": article, "verified": verified, "rents": rents, "draft": draft}


# -- URL normalisation -------------------------------------------------------------

SAME_ARTICLE = [
    ("https://news.example.com/a/story", "HTTPS://news.example.com/a/story"),
    ("https://news.example.com/a/story", "https://NEWS.Example.COM/a/story"),
    ("https://news.example.com/a/story", "https://news.example.com:443/a/story"),
    ("http://news.example.com/a/story", "http://news.example.com:80/a/story"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story#comments"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story/"),
    ("https://news.example.com/a/story/", "https://news.example.com/a/story"),
    ("https://news.example.com", "https://news.example.com/"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story?utm_source=x"),
    ("https://news.example.com/a/story",
     "https://news.example.com/a/story?utm_source=tw&utm_medium=social&utm_campaign=s"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story?UTM_Source=x"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story?fbclid=IwAR0abc"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story?gclid=Cj0KCQ"),
    ("https://news.example.com/a/story?utm_source=newsletter",
     "https://news.example.com/a/story"),
    ("https://news.example.com/a?id=5", "https://news.example.com/a?id=5&utm_medium=email"),
    ("https://news.example.com/a?id=5&page=2", "https://news.example.com/a?page=2&id=5"),
    ("https://news.example.com/a?id=5&page=2",
     "https://news.example.com/a/?fbclid=y&page=2&gclid=z&id=5#top"),
    ("https://news.example.com/a/story", "http://news.example.com/a/story"),
    ("http://news.example.com/a/story", "https://news.example.com/a/story"),
    ("https://news.example.com:8443/a/story", "https://NEWS.example.com:8443/a/story/#x"),
    ("https://news.example.com/a/story",
     "http://News.Example.com:80/a/story/?utm_source=x&fbclid=y#frag"),
]

DIFFERENT_ARTICLE = [
    ("https://news.example.com/a/story", "https://news.example.com/a/other-story"),
    ("https://news.example.com/a/story", "https://news.example.com/b/story"),
    ("https://news.example.com/a/story", "https://news.example.com/a/STORY"),
    ("https://news.example.com/a/story", "https://other.example.com/a/story"),
    ("https://news.example.com/a/story", "https://www.news.example.com/a/story"),
    ("https://news.example.com/a/story", "https://news.example.com:8443/a/story"),
    ("https://news.example.com/a/story", "https://news.example.com:80/a/story"),
    ("http://news.example.com/a/story", "http://news.example.com:443/a/story"),
    ("https://news.example.com/a/story", "https://news.example.com/a/story?id=5"),
    ("https://news.example.com/a?id=5", "https://news.example.com/a"),
    ("https://news.example.com/a?id=5", "https://news.example.com/a?id=6"),
    ("https://news.example.com/a?id=5", "https://news.example.com/a?ID=5"),
    ("https://news.example.com/a?id=5&page=2", "https://news.example.com/a?id=5"),
]


@pytest.mark.parametrize(("stored", "visited"), SAME_ARTICLE)
def test_urls_that_name_the_same_article_get_its_claims(client, auth, stored, visited):
    article, claim = published_claim(client, auth, url=stored)

    response = highlights(client, visited)

    assert claim_ids(response) == [claim["id"]]
    assert response.get_json()["article"]["id"] == article["id"]


@pytest.mark.parametrize(("stored", "visited"), DIFFERENT_ARTICLE)
def test_urls_of_another_page_get_nothing(client, auth, stored, visited):
    published_claim(client, auth, url=stored)

    response = highlights(client, visited)

    assert claim_ids(response) == []
    assert response.get_json()["article"] is None


def test_each_url_gets_its_own_article(client, auth):
    _, first = published_claim(client, auth, url="https://news.example.com/a?id=1")
    _, second = published_claim(client, auth, url="https://news.example.com/a?id=2")

    assert claim_ids(highlights(client, "https://news.example.com/a?id=2&utm_source=x")) \
        == [second["id"]]
    assert claim_ids(highlights(client, "http://news.example.com/a/?id=1")) == [first["id"]]


# -- aliases ---------------------------------------------------------------------

AMP_URL = "https://amp.news.example.com/harbour-plan.amp"


def add_alias(client, headers, article_id, url):
    return client.post(f"/api/v1/articles/{article_id}/aliases", json={"url": url},
                       headers=headers)


def test_an_alias_url_gets_the_articles_claims_until_removed(client, auth, story):
    article_id = story["article"]["id"]
    assert claim_ids(highlights(client, AMP_URL)) == []

    response = add_alias(client, auth["editor"], article_id, AMP_URL)
    assert response.status_code == 201, response.get_json()
    alias = response.get_json()
    assert alias["url"] == AMP_URL and alias["article_id"] == article_id

    # The alias is matched like any URL: normalised, tracking removed.
    for visited in (AMP_URL, "http://AMP.news.example.com/harbour-plan.amp/?fbclid=x#top"):
        body = highlights(client, visited).get_json()
        assert [c["id"] for c in body["claims"]] == [story["verified"]["id"], story["rents"]["id"]]
        assert body["article"]["id"] == article_id
    listed = client.get(f"/api/v1/articles/{article_id}/aliases", headers=auth["factchecker"])
    assert [a["url"] for a in listed.get_json()] == [AMP_URL]

    removed = client.delete(f"/api/v1/articles/{article_id}/aliases/{alias['id']}",
                            headers=auth["editor"])
    assert removed.status_code == 204
    body = highlights(client, AMP_URL).get_json()
    assert body["claims"] == [] and body["article"] is None
    # The article's own URL still works.
    assert len(claim_ids(highlights(client, STORY_URL))) == 2


def test_an_alias_cannot_be_another_articles_url(client, auth, story):
    other = import_article(client, auth["editor"], url="https://news.example.com/other",
                           text="Another story entirely.")
    for url in ("https://news.example.com/other",
                "http://NEWS.example.com/other/?utm_source=x#y"):
        api_error(add_alias(client, auth["editor"], story["article"]["id"], url), 422, "url")
    # Nor the article's own URL, nor another article's alias.
    api_error(add_alias(client, auth["editor"], story["article"]["id"], STORY_URL + "/"),
              422, "url")
    assert add_alias(client, auth["editor"], other["id"], AMP_URL).status_code == 201
    api_error(add_alias(client, auth["editor"], story["article"]["id"], AMP_URL), 422, "url")
    # The other article's URL still shows the other article only.
    assert highlights(client, "https://news.example.com/other").get_json()["article"]["id"] \
        == other["id"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://news.example.com/x", "not a url"])
def test_an_alias_must_be_an_http_url(client, auth, story, url):
    api_error(add_alias(client, auth["editor"], story["article"]["id"], url), 422, "url")


@pytest.mark.parametrize("role", ["factchecker", "reader"])
def test_only_editors_add_and_remove_aliases(client, auth, story, role):
    article_id = story["article"]["id"]
    api_error(add_alias(client, auth[role], article_id, AMP_URL), 403)
    assert claim_ids(highlights(client, AMP_URL)) == []

    alias = add_alias(client, auth["editor"], article_id, AMP_URL).get_json()
    response = client.delete(f"/api/v1/articles/{article_id}/aliases/{alias['id']}",
                             headers=auth[role])
    api_error(response, 403)
    assert len(claim_ids(highlights(client, AMP_URL))) == 2


# -- caching: ETag and 304 ---------------------------------------------------------

def etag(client, url=STORY_URL) -> str:
    response = highlights(client, url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    return response.headers["ETag"]


def test_etag_is_stable_and_a_matching_if_none_match_gets_304(client, story):
    first = highlights(client, STORY_URL)
    tag = first.headers["ETag"]
    assert tag and tag.startswith('"') and tag.endswith('"')
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert highlights(client, STORY_URL).headers["ETag"] == tag

    cached = highlights(client, STORY_URL, {"If-None-Match": tag})

    assert cached.status_code == 304
    assert cached.get_data() == b""
    assert cached.headers["ETag"] == tag
    assert cached.headers["Cache-Control"] == "public, max-age=60"
    assert cached.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in cached.headers
    # Among several tags, and as a weak tag, it still matches.
    assert highlights(client, STORY_URL, {"If-None-Match": f'"other", {tag}'}).status_code == 304
    assert highlights(client, STORY_URL, {"If-None-Match": f"W/{tag}"}).status_code == 304
    # A stale tag gets the full answer.
    fresh = highlights(client, STORY_URL, {"If-None-Match": '"stale"'})
    assert fresh.status_code == 200 and len(fresh.get_json()["claims"]) == 2


def test_an_unknown_url_is_cacheable_too(client, story):
    tag = etag(client, "https://news.example.com/unknown")
    assert tag != etag(client)
    assert highlights(client, "https://news.example.com/unknown",
                      {"If-None-Match": tag}).status_code == 304


def _patch(client, headers, claim_id, body):
    response = client.patch(f"/api/v1/claims/{claim_id}", json=body,
                            headers={**headers, "If-Match": etag_of(client, headers, claim_id)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _delete(client, headers, claim_id):
    response = client.delete(f"/api/v1/claims/{claim_id}",
                             headers={**headers, "If-Match": etag_of(client, headers, claim_id)})
    assert response.status_code == 204, response.get_json()


def _ok(response, status=(200, 201)):
    assert response.status_code in status, response.get_json()
    return response.get_json()


def _act(client, headers, claim_id, action, **body):
    return _ok(take_action(client, headers, claim_id, action, **body), (200,))


def revise(client, auth, claim_id, body):
    """The factchecker edits a claim: a published one becomes a revision, in draft."""
    claim = _patch(client, auth["factchecker"], claim_id, body)
    assert claim["status"] in ("draft", "changes_requested")
    return claim


def approve(client, auth, claim_id, **approval):
    """The factchecker submits the claim, an editor approves it."""
    _act(client, auth["factchecker"], claim_id, "submit")
    claim = _act(client, auth["editor"], claim_id, "approve", **approval)
    assert claim["status"] == "published"
    return claim


def retract(client, auth, claim_id, reason="The figures were from the wrong year."):
    claim = _act(client, auth["editor"], claim_id, "retract", note=reason)
    assert claim["status"] == "retracted"
    return claim


def _citations_of(client, auth, claim_id):
    claim = client.get(f"/api/v1/claims/{claim_id}", headers=auth["factchecker"]).get_json()
    return [{"id": c["id"]} for c in claim["citations"]]


def _revised_and_approved(body, **approval):
    def change(c, a, s, name):
        revise(c, a, s[name]["id"], body)
        approve(c, a, s[name]["id"], **approval)
    return change


CHANGES_SEEN_BY_READERS = {
    "publish a draft": lambda c, a, s: publish(c, a["editor"], s["draft"]["id"]),
    "approve a revised rationale (correction)": lambda c, a, s: _revised_and_approved(
        {"rationale": "New reasons."}, correction_note="We found new reasons.")(c, a, s, "rents"),
    "approve a reworded rationale (minor edit)": lambda c, a, s: _revised_and_approved(
        {"rationale": "<p>The <em>jobs</em> report agrees!</p><p>Typo fixed.</p>"},
        minor_edit=True)(c, a, s, "verified"),
    "approve a revised label": lambda c, a, s: _revised_and_approved(
        {"label": "Rent"}, correction_note="Relabelled.")(c, a, s, "rents"),
    "approve a revised verdict": lambda c, a, s: _revised_and_approved(
        {"verdict": "denied"}, correction_note="We misread the report.")(c, a, s, "verified"),
    "approve a revision adding a source": lambda c, a, s: (
        _ok(c.post(f"/api/v1/claims/{s['rents']['id']}/citations", json=CITATION,
                   headers=a["factchecker"])),
        approve(c, a, s["rents"]["id"])),
    "approve a revision editing a source": lambda c, a, s: (
        _ok(c.patch(f"/api/v1/citations/{s['verified']['citations'][0]['id']}",
                    json={"title": "Jobs report, revised"}, headers=a["factchecker"])),
        approve(c, a, s["verified"]["id"])),
    "approve a re-attached span": lambda c, a, s: (
        _ok(c.put(f"/api/v1/claims/{s['rents']['id']}/anchor",
                  json=_span(s["article"], "rose 9% in 2024"),
                  headers={**a["factchecker"],
                           "If-Match": etag_of(c, a["factchecker"], s["rents"]["id"])})),
        approve(c, a, s["rents"]["id"])),
    "retract a published claim": lambda c, a, s: retract(c, a, s["rents"]["id"]),
    "retract a claim while its revision waits": lambda c, a, s: (
        revise(c, a, s["verified"]["id"], {"label": "Revised"}),
        _act(c, a["factchecker"], s["verified"]["id"], "submit"),
        retract(c, a, s["verified"]["id"])),
    "re-import the article": lambda c, a, s: import_article(
        c, a["editor"], url=STORY_URL, text=STORY_TEXT + "\nA new paragraph.\n"),
    "re-import moving a publication": lambda c, a, s: import_article(
        c, a["editor"], url=STORY_URL, text=f"A new first paragraph.\n\n{STORY_TEXT}"),
}


def _span(article, quote):
    passage = passage_with(article, quote)
    start = passage["text"].index(quote)
    return {"passage_id": passage["id"], "start": start, "end": start + len(quote)}


@pytest.mark.parametrize("change", CHANGES_SEEN_BY_READERS)
def test_etag_changes_when_what_readers_see_changes(client, auth, story, change):
    before = etag(client)
    body_before = highlights(client, STORY_URL).get_json()

    CHANGES_SEEN_BY_READERS[change](client, auth, story)

    after = highlights(client, STORY_URL, {"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before
    assert after.get_json() != body_before


def test_a_revision_is_seen_by_readers_only_once_approved(client, auth, story):
    claim_id = story["verified"]["id"]
    first = etag(client)
    body = highlights(client, STORY_URL).get_json()

    revise(client, auth, claim_id, {"verdict": "denied", "label": "Misleading"})
    _act(client, auth["factchecker"], claim_id, "submit")
    _act(client, auth["editor"], claim_id, "request_changes", note="Cite the new report.")
    revise(client, auth, claim_id, {"rationale": "<p>The new report counts 2,500.</p>"})
    _act(client, auth["factchecker"], claim_id, "submit")
    # Every step above is the desk's: readers' answer and ETag are as they were.
    assert highlights(client, STORY_URL, {"If-None-Match": first}).status_code == 304
    assert highlights(client, STORY_URL).get_json() == body

    _act(client, auth["editor"], claim_id, "approve", correction_note="The report was revised.")

    after = highlights(client, STORY_URL, {"If-None-Match": first})
    assert after.status_code == 200 and after.headers["ETag"] != first
    shown = next(c for c in after.get_json()["claims"] if c["id"] == claim_id)
    assert (shown["verdict"], shown["label"]) == ("denied", "Misleading")
    assert shown["rationale"] == "<p>The new report counts 2,500.</p>"


def test_a_removed_source_goes_from_the_answer_once_approved(client, auth, story):
    claim_id = story["verified"]["id"]
    # A second source, so that the verified claim may lose one.
    _ok(client.post(f"/api/v1/claims/{claim_id}/citations",
                    json={**CITATION, "url": "https://second.example.org/"},
                    headers=auth["factchecker"]))
    approve(client, auth, claim_id)
    before = etag(client)
    citation_id = story["verified"]["citations"][0]["id"]

    _ok(client.delete(f"/api/v1/citations/{citation_id}", headers=auth["factchecker"]), (200,))
    assert highlights(client, STORY_URL, {"If-None-Match": before}).status_code == 304
    approve(client, auth, claim_id)

    after = highlights(client, STORY_URL, {"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
    verified = next(c for c in after.get_json()["claims"] if c["id"] == claim_id)
    assert [c["url"] for c in verified["citations"]] == ["https://second.example.org/"]


def _refused(response, status):
    assert response.status_code == status, response.get_json()


DESK_WORK = {
    "create a draft": lambda c, a, s: create_claim(
        c, a["factchecker"], passage_with(s["article"], "Critics"), "Critics said",
        verdict="denied"),
    "edit a draft": lambda c, a, s: _patch(c, a["factchecker"], s["draft"]["id"],
                                           {"rationale": "Still checking.", "label": "x"}),
    "add a citation to a draft": lambda c, a, s: _ok(c.post(
        f"/api/v1/claims/{s['draft']['id']}/citations", json=CITATION,
        headers=a["factchecker"])),
    "submit a draft": lambda c, a, s: _act(c, a["factchecker"], s["draft"]["id"], "submit"),
    "send a draft back": lambda c, a, s: (
        _act(c, a["factchecker"], s["draft"]["id"], "submit"),
        _act(c, a["editor"], s["draft"]["id"], "request_changes", note="More sources.")),
    "delete a never-published draft": lambda c, a, s: _delete(c, a["editor"], s["draft"]["id"]),
    # Revisions of published claims: readers keep the published version.
    "edit a published rationale": lambda c, a, s: revise(
        c, a, s["rents"]["id"], {"rationale": "New reasons."}),
    "edit a published label": lambda c, a, s: revise(c, a, s["rents"]["id"], {"label": "Rent"}),
    "edit a published verdict": lambda c, a, s: revise(
        c, a, s["verified"]["id"], {"verdict": "denied"}),
    "add a citation to a published claim": lambda c, a, s: _ok(c.post(
        f"/api/v1/claims/{s['rents']['id']}/citations", json=CITATION,
        headers=a["factchecker"])),
    "edit a published claim's citation": lambda c, a, s: _ok(c.patch(
        f"/api/v1/citations/{s['verified']['citations'][0]['id']}",
        json={"title": "Jobs report, revised"}, headers=a["factchecker"])),
    "replace a published claim's sources": lambda c, a, s: revise(
        c, a, s["verified"]["id"],
        {"citations": [{**CITATION, "url": "https://new.example.org/"}]}),
    "move a published claim to another span": lambda c, a, s: _ok(c.put(
        f"/api/v1/claims/{s['rents']['id']}/anchor", json=_span(s["article"], "rose 9% in 2024"),
        headers={**a["factchecker"], "If-Match": etag_of(c, a["factchecker"], s["rents"]["id"])})),
    "submit a revision": lambda c, a, s: (
        revise(c, a, s["rents"]["id"], {"label": "Rent"}),
        _act(c, a["factchecker"], s["rents"]["id"], "submit")),
    "send a revision back": lambda c, a, s: (
        revise(c, a, s["rents"]["id"], {"label": "Rent"}),
        _act(c, a["factchecker"], s["rents"]["id"], "submit"),
        _act(c, a["editor"], s["rents"]["id"], "request_changes", note="Why?")),
    "withdraw a revision": lambda c, a, s: (
        revise(c, a, s["rents"]["id"], {"label": "Rent"}),
        _act(c, a["factchecker"], s["rents"]["id"], "submit"),
        _act(c, a["factchecker"], s["rents"]["id"], "withdraw")),
    "try to delete a published claim (409)": lambda c, a, s: _refused(c.delete(
        f"/api/v1/claims/{s['verified']['id']}",
        headers={**a["editor"], "If-Match": etag_of(c, a["editor"], s["verified"]["id"])}), 409),
    "try to approve one's own revision (403)": lambda c, a, s: (
        _patch(c, a["editor"], s["rents"]["id"], {"label": "Mine"}),
        _act(c, a["editor"], s["rents"]["id"], "submit"),
        _refused(take_action(c, a["editor"], s["rents"]["id"], "approve",
                             correction_note="x"), 403)),
    "try to approve a verdict change without a note (422)": lambda c, a, s: (
        revise(c, a, s["verified"]["id"], {"verdict": "denied"}),
        _act(c, a["factchecker"], s["verified"]["id"], "submit"),
        _refused(take_action(c, a["editor"], s["verified"]["id"], "approve"), 422)),
    "try to retract without a reason (422)": lambda c, a, s: _refused(
        take_action(c, a["editor"], s["rents"]["id"], "retract"), 422),
    "a factchecker tries to retract (403)": lambda c, a, s: _refused(
        take_action(c, a["factchecker"], s["rents"]["id"], "retract", note="No."), 403),
}


@pytest.mark.parametrize("change", DESK_WORK)
def test_etag_and_answer_stay_while_only_the_desk_works(client, auth, story, change):
    before = etag(client)
    body = highlights(client, STORY_URL).get_data()

    DESK_WORK[change](client, auth, story)

    assert highlights(client, STORY_URL, {"If-None-Match": before}).status_code == 304
    assert etag(client) == before
    assert highlights(client, STORY_URL).get_data() == body


# -- public: CORS, no cookies ------------------------------------------------------

def assert_public_headers(response):
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers
    vary = [v.strip().lower() for v in response.headers.get("Vary", "").split(",")]
    assert "cookie" not in vary


def test_cors_lets_any_origin_get_without_credentials(client, story):
    response = highlights(client, STORY_URL, {"Origin": "https://news.example.com"})
    assert response.status_code == 200
    assert_public_headers(response)
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]

    preflight = client.options("/api/v1/highlights", query_string={"url": STORY_URL}, headers={
        "Origin": "https://elsewhere.example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code in (200, 204)
    assert_public_headers(preflight)
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()


def login(client, username):
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["username"] == username


def test_a_logged_in_editor_gets_the_public_answer_and_no_cookie(client, story):
    login(client, "editor")
    assert client.get("/api/v1/session").get_json()["user"]["username"] == "editor"

    response = highlights(client, STORY_URL, {"Origin": "https://news.example.com"})

    assert_public_headers(response)
    ids = [c["id"] for c in response.get_json()["claims"]]
    assert ids == [story["verified"]["id"], story["rents"]["id"]]
    assert story["draft"]["id"] not in ids
    cached = highlights(client, STORY_URL, {"If-None-Match": response.headers["ETag"]})
    assert cached.status_code == 304
    assert_public_headers(cached)
    # The session is untouched by the public request.
    assert client.get("/api/v1/session").get_json()["user"]["username"] == "editor"


def test_drafts_never_appear(client, auth, story):
    assert story["draft"]["status"] == "draft"
    for headers in ({}, auth["editor"], auth["admin"]):
        ids = claim_ids(highlights(client, STORY_URL, headers))
        assert ids == [story["verified"]["id"], story["rents"]["id"]]

    # Submitted, sent back, submitted again: still never published, never shown.
    _act(client, auth["factchecker"], story["draft"]["id"], "submit")
    _act(client, auth["editor"], story["draft"]["id"], "request_changes", note="Sources?")
    _act(client, auth["factchecker"], story["draft"]["id"], "submit")
    ids = claim_ids(highlights(client, STORY_URL))
    assert ids == [story["verified"]["id"], story["rents"]["id"]]
    # A published claim under revision (its working copy a draft again) stays.
    revise(client, auth, story["verified"]["id"], {"label": "Revised"})
    assert claim_ids(highlights(client, STORY_URL)) == ids


def test_an_article_with_only_drafts_shows_no_claims(client, auth):
    article = import_article(client, auth["editor"], url=STORY_URL, text=STORY_TEXT)
    create_claim(client, auth["factchecker"], passage_with(article, "rents"), "rents rose 9%")
    body = highlights(client, STORY_URL).get_json()
    assert body["claims"] == []
    assert body["article"]["id"] == article["id"]


# -- unknown, local and malformed URLs -----------------------------------------------

def test_an_unknown_url_gets_200_and_an_empty_list(client, story):
    response = highlights(client, "https://elsewhere.example.org/nothing-here")
    assert response.status_code == 200
    body = response.get_json()
    assert body["claims"] == [] and body["article"] is None
    assert_public_headers(response)


@pytest.mark.parametrize("url", [
    "http://localhost:8000/story",
    "http://127.0.0.1:5000/story",
    "http://[::1]:8080/story",
    "https://LOCALHOST/story",
    "http://127.1/story",
    "http://[::ffff:127.0.0.1]/story",
])
def test_local_urls_never_match_even_when_an_article_is_stored_there(client, auth, url):
    article, claim = published_claim(client, auth, url=url)
    assert article["url"] == url

    for visited in (url, url + "?utm_source=x"):
        body = highlights(client, visited).get_json()
        assert body["claims"] == [] and body["article"] is None


@pytest.mark.parametrize("url", [
    "not a url",
    "javascript:alert(1)",
    "ftp://news.example.com/story",
    "https://news.example.com:99999/story",
    "http://[::1",
    "https://",
    "https://news.example.com/a b",
    "%%%",
])
def test_a_malformed_url_gets_an_empty_answer_not_an_error(client, story, url):
    response = highlights(client, url)
    assert response.status_code == 200
    body = response.get_json()
    assert body["claims"] == [] and body["article"] is None
    assert_public_headers(response)


def test_a_missing_url_is_a_422_naming_url(client, story):
    api_error(client.get("/api/v1/highlights"), 422, "url")
    api_error(client.get("/api/v1/highlights?url="), 422, "url")


# -- what a highlight carries ---------------------------------------------------------

def test_each_highlight_carries_what_the_extension_needs(client, story):
    body = highlights(client, STORY_URL).get_json()
    article = body["article"]
    text = "\n".join(p["text"] for p in story["article"]["passages"])

    assert article["id"] == story["article"]["id"]
    assert article["title"] == "Harbour plan story"
    assert article["url"] == STORY_URL
    assert article["updated_at"] == story["article"]["updated_at"]
    assert article["text_length"] == len(text)

    by_id = {c["id"]: c for c in body["claims"]}
    for name in ("verified", "rents"):
        stored = story[name]
        claim = by_id[stored["id"]]
        assert claim["verdict"] == stored["verdict"]
        assert claim["label"] == stored["label"]
        publication = stored["publication"]
        assert claim["status"] == "published"
        assert claim["first_published_at"] == publication["first_published_at"]
        assert claim["updated_at"] == publication["published_at"]
        assert claim["corrections"] == [] and claim["corrected_at"] is None
        assert claim["retracted_at"] is None and claim["retraction_reason"] == ""
        selector = claim["selector"]
        assert selector["type"] == "TextQuoteSelector"
        assert (selector["exact"], selector["prefix"], selector["suffix"]) == \
            (stored["exact"], stored["prefix"], stored["suffix"])
        assert claim["passage_position"]["start"] == stored["start"]
        assert claim["passage_position"]["end"] == stored["end"]
        position = claim["position"]
        assert 0 <= position["start"] < position["end"] <= article["text_length"]
        # Code points in the passages joined by "\n", as Python counts them.
        assert text[position["start"]:position["end"]] == selector["exact"]
        assert text[:position["start"]].endswith(selector["prefix"])
        assert text[position["end"]:].startswith(selector["suffix"])
        # Nothing about who wrote or published it, nor the desk's workflow.
        assert not {"created_by", "updated_by", "published_by", "last_edited_by",
                    "retracted_by", "anchor_state", "version", "assignee_id", "actions",
                    "publication", "published_at"} & set(claim)

    rents = by_id[story["rents"]["id"]]
    assert rents["selector"]["exact"] == "rents rose 9%"
    # After three emoji, one of them five code points long: code points, not UTF-16.
    assert rents["position"]["start"] == text.index("rents rose 9%")

    verified = by_id[story["verified"]["id"]]
    assert verified["label"] == "Jobs"
    assert "<strong>jobs</strong>" in verified["rationale"]
    for unsafe in ("<script", "alert(1)", "javascript:", "onclick"):
        assert unsafe not in verified["rationale"]
    [citation] = verified["citations"]
    for key in ("url", "title", "publisher", "excerpt", "stance"):
        assert citation[key] == CITATION[key]
    assert citation["archive_url"] is None


def test_orphaned_claims_are_not_sent(client, auth, story):
    # The publisher rewrote the paragraph with the rents claim.
    changed = STORY_TEXT.replace("rents rose 9% in 2024", "rents fell sharply in 2024")
    import_article(client, auth["editor"], url=STORY_URL, text=changed)
    stored = client.get(f"/api/v1/claims/{story['rents']['id']}").get_json()
    assert stored["anchor_state"] == "orphaned" and stored["status"] == "published"

    body = highlights(client, STORY_URL).get_json()

    assert [c["id"] for c in body["claims"]] == [story["verified"]["id"]]


def test_a_cached_answer_is_the_same_as_the_first(app, client, story):
    """The first request is answered by the Flask view, which caches it; a
    repeat comes from the WSGI fast path: same status, body and headers."""
    first = highlights(client, STORY_URL)
    repeat = highlights(client, STORY_URL)
    version = database_version(app.config["DATABASE"])
    assert app.extensions["reader_cache"].get(version, url_key(STORY_URL)) is not None
    assert first.status_code == repeat.status_code == 200
    assert first.data == repeat.data and claim_ids(first)
    assert sorted(first.headers.items()) == sorted(repeat.headers.items())
    tag = first.headers["ETag"]
    not_modified = highlights(client, STORY_URL, {"If-None-Match": tag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["Access-Control-Allow-Origin"] == "*"
    assert not_modified.headers["ETag"] == tag


# -- corrections and retractions: what readers are told -------------------------------

def shown_claim(client, claim_id, url=STORY_URL):
    found = [c for c in highlights(client, url).get_json()["claims"] if c["id"] == claim_id]
    return found[0] if found else None


def test_a_corrected_claim_carries_its_correction_log(client, auth, story):
    claim_id = story["verified"]["id"]
    first_published = shown_claim(client, claim_id)["first_published_at"]

    revise(client, auth, claim_id, {"verdict": "denied", "label": "Misleading"})
    approve(client, auth, claim_id, correction_note="We misread the jobs report.")
    once = shown_claim(client, claim_id)

    assert (once["verdict"], once["label"], once["status"]) == ("denied", "Misleading",
                                                                "published")
    [correction] = once["corrections"]
    assert correction == {"at": correction["at"], "note": "We misread the jobs report.",
                          "previous_verdict": "verified", "verdict": "denied",
                          "previous_label": "Jobs", "label": "Misleading"}
    assert once["corrected_at"] == correction["at"] == once["updated_at"]
    assert once["first_published_at"] == first_published < correction["at"]
    assert once["retracted_at"] is None and once["retraction_reason"] == ""

    # A second correction: the log keeps both, oldest first; corrected_at is the last.
    revise(client, auth, claim_id, {"verdict": "unverified"})
    approve(client, auth, claim_id, correction_note="The office withdrew its report.")
    twice = shown_claim(client, claim_id)
    assert [c["note"] for c in twice["corrections"]] == [
        "We misread the jobs report.", "The office withdrew its report."]
    assert [(c["previous_verdict"], c["verdict"]) for c in twice["corrections"]] == [
        ("verified", "denied"), ("denied", "unverified")]
    assert twice["corrected_at"] == twice["corrections"][-1]["at"] > correction["at"]
    # The other claim has no corrections.
    rents = shown_claim(client, story["rents"]["id"])
    assert rents["corrections"] == [] and rents["corrected_at"] is None


def test_a_minor_edit_is_no_correction(client, auth, story):
    claim_id = story["verified"]["id"]
    revise(client, auth, claim_id, {"rationale": "<p>The jobs report agrees (p. 4).</p>"})
    approve(client, auth, claim_id, minor_edit=True)

    shown = shown_claim(client, claim_id)
    assert shown["rationale"] == "<p>The jobs report agrees (p. 4).</p>"
    assert shown["corrections"] == [] and shown["corrected_at"] is None


def test_a_retracted_claim_is_shown_retracted_with_its_reason(client, auth, story):
    claim_id = story["rents"]["id"]
    before = shown_claim(client, claim_id)

    retract(client, auth, claim_id, "The rent figures were from 2023, not 2024.")

    shown = shown_claim(client, claim_id)
    assert shown["status"] == "retracted"
    assert shown["retraction_reason"] == "The rent figures were from 2023, not 2024."
    assert shown["retracted_at"] and shown["updated_at"] == shown["retracted_at"]
    assert shown["retracted_at"] > before["updated_at"]
    # What was published stays readable, marked retracted: verdict, place, link.
    for key in ("verdict", "label", "rationale", "selector", "position", "review_url",
                "first_published_at"):
        assert shown[key] == before[key], key
    # The other claim is untouched.
    assert shown_claim(client, story["verified"]["id"])["status"] == "published"


def test_a_retraction_shows_the_publication_not_a_pending_revision(client, auth, story):
    claim_id = story["verified"]["id"]
    revise(client, auth, claim_id, {"verdict": "denied", "label": "SECRET-LABEL",
                                    "rationale": "<p>SECRET-RATIONALE</p>"})

    retract(client, auth, claim_id, "Checked against the wrong report.")

    shown = shown_claim(client, claim_id)
    assert (shown["status"], shown["verdict"], shown["label"]) == ("retracted", "verified", "Jobs")
    assert "SECRET" not in highlights(client, STORY_URL).get_data(as_text=True)


@pytest.fixture
def hiding_app(app):
    app.config["RETRACTED_CLAIMS"] = "hide"
    return app


def test_retracted_claims_can_be_hidden_from_readers(hiding_app, client, auth, story):
    shown_before = claim_ids(highlights(client, STORY_URL))
    assert shown_before == [story["verified"]["id"], story["rents"]["id"]]
    tag = etag(client)

    retract(client, auth, story["rents"]["id"])

    after = highlights(client, STORY_URL, {"If-None-Match": tag})
    assert after.status_code == 200
    assert claim_ids(after) == [story["verified"]["id"]]
    assert "wrong year" not in after.get_data(as_text=True)


def test_switching_retracted_claims_to_hide_changes_the_etag(app, client, auth, story):
    retract(client, auth, story["rents"]["id"])
    shown = highlights(client, STORY_URL)
    assert story["rents"]["id"] in claim_ids(shown)

    # A restart with the other setting: a reader's cached answer must not stay.
    app.config["RETRACTED_CLAIMS"] = "hide"
    app.extensions.pop("reader_cache")

    hidden = highlights(client, STORY_URL, {"If-None-Match": shown.headers["ETag"]})
    assert hidden.status_code == 200 and hidden.headers["ETag"] != shown.headers["ETag"]
    assert claim_ids(hidden) == [story["verified"]["id"]]


LEAKS = ("SECRET-LABEL", "SECRET-RATIONALE", "secret.example.org", "SECRET-SOURCE")


@pytest.mark.parametrize("state", ["draft", "in_review", "changes_requested"])
def test_a_pending_revision_never_leaks_to_readers(client, auth, story, state):
    claim_id = story["verified"]["id"]
    body = highlights(client, STORY_URL).get_data()
    revise(client, auth, claim_id, {
        "verdict": "denied", "label": "SECRET-LABEL", "rationale": "<p>SECRET-RATIONALE</p>",
        "citations": [{"url": "https://secret.example.org/report", "title": "SECRET-SOURCE"}]})
    if state != "draft":
        _act(client, auth["factchecker"], claim_id, "submit")
    if state == "changes_requested":
        _act(client, auth["editor"], claim_id, "request_changes", note="Not yet.")
    working = client.get(f"/api/v1/claims/{claim_id}", headers=auth["factchecker"]).get_json()
    assert working["status"] == state and working["verdict"] == "denied"

    for headers in ({}, auth["reader"], auth["editor"]):
        answer = highlights(client, STORY_URL, headers)
        assert answer.get_data() == body
        text = answer.get_data(as_text=True)
        assert not [leak for leak in LEAKS if leak in text]
        shown = next(c for c in answer.get_json()["claims"] if c["id"] == claim_id)
        assert (shown["verdict"], shown["label"]) == ("verified", "Jobs")
        assert [c["url"] for c in shown["citations"]] == [CITATION["url"]]


def test_a_draft_never_published_is_absent_whatever_its_state(client, auth, story):
    draft_id = story["draft"]["id"]
    for step in (lambda: None,
                 lambda: _act(client, auth["factchecker"], draft_id, "submit"),
                 lambda: _act(client, auth["editor"], draft_id, "request_changes", note="No."),
                 lambda: _act(client, auth["factchecker"], draft_id, "submit"),
                 lambda: _act(client, auth["factchecker"], draft_id, "withdraw")):
        step()
        assert draft_id not in claim_ids(highlights(client, STORY_URL))
    # A draft cannot be retracted into view either: it was never published.
    _refused(take_action(client, auth["editor"], draft_id, "retract", note="x"), 409)
    assert draft_id not in claim_ids(highlights(client, STORY_URL))


# -- the RETRACTED_CLAIMS setting ------------------------------------------------------

@pytest.fixture
def clean_env(tmp_path, monkeypatch, db_path):
    for name in list(os.environ):
        if name.startswith("FACTCHECK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    return {"DATABASE": str(db_path), "SECRET_KEY": "x", "TESTING": True}


@pytest.mark.parametrize("value", ["hidden", "", "no", None, 0, True])
def test_a_mistyped_retracted_claims_setting_stops_the_start(clean_env, value):
    with pytest.raises(ValueError, match="RETRACTED_CLAIMS must be \"show\" or \"hide\""):
        create_app({**clean_env, "RETRACTED_CLAIMS": value})


def test_the_retracted_claims_setting_is_read_from_the_environment(clean_env, monkeypatch):
    assert create_app(clean_env).config["RETRACTED_CLAIMS"] == "show"
    monkeypatch.setenv("FACTCHECK_RETRACTED_CLAIMS", " Hide ")
    assert create_app(clean_env).config["RETRACTED_CLAIMS"] == "hide"
    monkeypatch.setenv("FACTCHECK_RETRACTED_CLAIMS", "hid")
    with pytest.raises(ValueError, match="not 'hid'"):
        create_app(clean_env)
