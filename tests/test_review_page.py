"""The public fact-check page of one claim, GET /claims/<id>: verdict,
rationale, sources and dates without an account, its ClaimReview JSON-LD
embedded, drafts never shown to readers; and the links that point there
(ClaimReview's url, the readers' answer)."""

import json
import re

import pytest

from annotations.models import VERDICT_DISPLAY
from tests.helpers import PASSWORD, row_counts

ARTICLE_URL = "https://news.example.com/harbour"
TEXT = ("Harbour plan approved\n\nThe mayor said the plan creates 4,000 jobs.\n\n"
        "Critics said the figure was misleading.\n")
SOURCE = {"url": "https://stats.example.org/jobs", "title": "Jobs report 2024",
          "publisher": "Statistics office", "stance": "refutes",
          "archive_url": "https://archive.example.org/jobs"}
JSON_LD = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.S)


@pytest.fixture
def story(factories, users):
    article = factories.article(ARTICLE_URL, TEXT, title="Harbour plan", publisher="Daily News")
    published = factories.claim(
        article, "the plan creates 4,000 jobs", "denied", users["factchecker"],
        publisher=users["editor"], label="Overstated",
        rationale="<p>The office counts <strong>2,500</strong> jobs.</p>", citations=(SOURCE,))
    draft = factories.claim(article, "the figure was misleading", "verified",
                            users["factchecker"], label="Draft label",
                            rationale="<p>Draft reasons.</p>")
    return {"article": article, "published": published, "draft": draft}


def login(client, username):
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def embedded_json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(html)]


def test_anyone_reads_a_published_claims_page(client, story):
    claim = story["published"]
    response = client.get(f"/claims/{claim['id']}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = VERDICT_DISPLAY["denied"]
    assert f'<span class="review-icon" aria-hidden="true">{shown["icon"]}</span>' in html
    assert f'<span class="review-word">{shown["word"]}</span>' in html
    assert "Overstated" in html
    assert "<p>The office counts <strong>2,500</strong> jobs.</p>" in html
    assert '<blockquote class="quote" cite="https://news.example.com/harbour">' \
           "the plan creates 4,000 jobs</blockquote>" in html
    assert f'href="{ARTICLE_URL}"' in html
    assert ('<a href="https://stats.example.org/jobs" rel="noopener noreferrer nofollow">'
            "Jobs report 2024</a>") in html
    assert "Statistics office" in html and "(refutes)" in html
    assert ('<a class="archive" href="https://archive.example.org/jobs" '
            'rel="noopener noreferrer nofollow">archived</a>') in html
    assert f'datetime="{claim["published_at"]}"' in html
    # Never the draft's text, nor the banner, nor the annotator's link.
    assert "Draft label" not in html and "Draft reasons" not in html
    assert "not public" not in html and "Open in the annotator" not in html


def test_the_page_embeds_the_apis_claimreview(client, story):
    claim_id = story["published"]["id"]
    html = client.get(f"/claims/{claim_id}").get_data(as_text=True)

    api_item = json.loads(client.get(f"/api/v1/claims/{claim_id}/claimreview").data)
    assert embedded_json_ld(html) == [api_item]
    # ClaimReview's url is this very page.
    assert api_item["url"] == f"http://localhost/claims/{claim_id}"
    assert client.get(api_item["url"]).status_code == 200


def test_claimreview_url_uses_the_public_base_url(app, client, story):
    app.config["PUBLIC_BASE_URL"] = "https://check.example.org/desk/"
    claim_id = story["published"]["id"]
    item = json.loads(client.get(f"/api/v1/claims/{claim_id}/claimreview").data)
    assert item["url"] == f"https://check.example.org/desk/claims/{claim_id}"
    assert embedded_json_ld(client.get(f"/claims/{claim_id}").get_data(as_text=True)) == [item]


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_a_draft_is_not_found_for_readers(app, client, story, who):
    if who != "anonymous":
        login(client, who)
    before = row_counts(app)

    draft = client.get(f"/claims/{story['draft']['id']}")
    unknown = client.get("/claims/99999")

    assert draft.status_code == unknown.status_code == 404
    # The same answer as for an id that never existed: nothing leaks.
    error = re.compile(r'<p class="error">([^<]*)</p>')
    assert error.findall(draft.get_data(as_text=True)) == \
        [f"claim {story['draft']['id']} not found"]
    assert error.findall(unknown.get_data(as_text=True)) == ["claim 99999 not found"]
    assert "Draft reasons" not in draft.get_data(as_text=True)
    assert row_counts(app) == before


def test_a_factchecker_previews_a_draft_under_a_banner(client, story):
    login(client, "factchecker")
    response = client.get(f"/claims/{story['draft']['id']}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Draft — not public." in html
    assert "<p>Draft reasons.</p>" in html
    # No ClaimReview for a draft, and search engines are told to keep away.
    assert embedded_json_ld(html) == []
    assert '<meta name="robots" content="noindex">' in html


def test_hostile_fields_are_escaped(client, factories, users):
    payload = '</script><script>alert(1)</script><img src=x onerror=alert(1)>'
    article = factories.article("https://news.example.com/x", f"He said {payload} loudly.\n",
                                title=payload)
    claim = factories.claim(article, payload, "unverified", users["factchecker"],
                            publisher=users["editor"], label=payload,
                            citations=({"url": "https://s.example.org/", "title": payload},))
    html = client.get(f"/claims/{claim['id']}").get_data(as_text=True)

    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert html.count("&lt;/script&gt;&lt;script&gt;alert(1)") >= 3  # label, quote, source
    [item] = embedded_json_ld(html)
    assert item["reviewRating"]["alternateName"] == payload


def test_the_readers_answer_links_each_claim_to_its_page(client, story):
    answer = client.get("/api/v1/highlights", query_string={"url": ARTICLE_URL})
    [claim] = answer.get_json()["claims"]
    assert claim["review_url"] == f"claims/{story['published']['id']}"
    # Relative to the service's base, so a cached answer is right on any Host.
    again = client.get("/api/v1/highlights", query_string={"url": ARTICLE_URL},
                       headers={"Host": "127.0.0.1"})
    assert again.get_json()["claims"][0]["review_url"] == claim["review_url"]

