"""The public fact-check page of one claim, GET /claims/<id>: verdict,
rationale, sources and dates without an account, its ClaimReview JSON-LD
embedded, drafts never shown to readers; and the links that point there
(ClaimReview's url, the readers' answer)."""

import json
import re

import pytest

from annotations.models import VERDICT_DISPLAY
from tests.helpers import log_in_with_form, as_actor, row_counts

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


login = log_in_with_form


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



# -- what readers see is the publication: revisions, corrections, retraction -----------

def revise(store, user, claim_id, changes, citations=None):
    claim = store.claim(claim_id)
    return store.update_claim(claim_id, changes, as_actor(user), claim["version"], citations)


def set_dates(store, claim_id, first_published=None, published=None, corrected=None,
              retracted=None):
    """Fixed dates, so that the page's words for them can be asserted."""
    with store.db.conn:
        if first_published:
            store.db.execute("UPDATE claim_publications SET first_published_at = ?"
                             " WHERE claim_id = ?", [first_published, claim_id])
        if published:
            store.db.execute("UPDATE claim_publications SET published_at = ? WHERE claim_id = ?",
                             [published, claim_id])
        if corrected:
            store.db.execute("UPDATE claim_corrections SET at = ? WHERE claim_id = ?",
                             [corrected, claim_id])
        if retracted:
            store.db.execute("UPDATE claim_publications SET retracted_at = ? WHERE claim_id = ?",
                             [retracted, claim_id])


def page_of(client, claim_id):
    response = client.get(f"/claims/{claim_id}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's words, as a reader reads them."""
    body = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


REVISION = {"verdict": "verified", "label": "SECRET-LABEL",
            "rationale": "<p>SECRET-RATIONALE</p>"}
REVISED_SOURCE = {"url": "https://secret.example.org/new", "title": "SECRET-SOURCE"}


@pytest.mark.parametrize("state", ["draft", "in_review", "changes_requested"])
@pytest.mark.parametrize("who", ["anonymous", "reader", "factchecker"])
def test_a_pending_revision_never_shows_on_the_page(client, factories, users, story, state,
                                                    who):
    claim_id = story["published"]["id"]
    store = factories.store
    revise(store, users["factchecker"], claim_id, REVISION, citations=[REVISED_SOURCE])
    if state != "draft":
        store.transition_claim(claim_id, "submit", as_actor(users["factchecker"]))
    if state == "changes_requested":
        store.transition_claim(claim_id, "request_changes", as_actor(users["editor"]),
                               note="Not convinced.")
    assert store.claim(claim_id)["status"] == state
    if who != "anonymous":
        login(client, who)

    html = page_of(client, claim_id)

    for leak in ("SECRET", "secret.example.org"):
        assert leak not in html
    assert '<span class="review-word">False</span>' in html
    assert "Overstated" in html and "<strong>2,500</strong>" in html
    assert "Jobs report 2024" in html
    [item] = embedded_json_ld(html)
    assert item["reviewRating"]["alternateName"] == "Overstated"
    assert item["reviewRating"]["ratingValue"] == 1
    # The desk is told the page is not what it is editing; readers are not.
    banner = f"A revision is waiting ({state.replace('_', ' ')})."
    assert (banner in html) == (who == "factchecker")


def approve(store, users, claim_id, **approval):
    store.transition_claim(claim_id, "submit", as_actor(users["factchecker"]))
    return store.transition_claim(claim_id, "approve", as_actor(users["editor"]), **approval)


def test_the_page_gives_first_published_and_last_updated_dates(client, factories, users, story):
    claim_id = story["published"]["id"]
    store = factories.store
    set_dates(store, claim_id, first_published="2026-03-02T09:00:00.000000+00:00",
              published="2026-03-02T09:00:00.000000+00:00")
    html = page_of(client, claim_id)
    assert ('First published <time class="published" '
            'datetime="2026-03-02T09:00:00.000000+00:00">2 March 2026</time>') in html
    assert "last updated" not in html and 'id="corrections"' not in html

    # A reworded rationale, approved as a minor edit: updated, no correction.
    revise(store, users["factchecker"], claim_id,
           {"rationale": "<p>The office counts <strong>2,500</strong> jobs (table 4).</p>"})
    approve(store, users, claim_id, minor_edit=True)
    set_dates(store, claim_id, published="2026-11-29T18:30:00.000000+00:00")

    html = page_of(client, claim_id)
    assert "(table 4)" in html
    assert "First published" in text_of(html) and "2 March 2026" in text_of(html)
    assert ('last updated <time class="updated" '
            'datetime="2026-11-29T18:30:00.000000+00:00">29 November 2026</time>') in html
    assert 'id="corrections"' not in html and "corrected" not in text_of(html)


def test_the_page_keeps_the_correction_log(client, factories, users, story):
    claim_id = story["published"]["id"]
    store = factories.store
    revise(store, users["factchecker"], claim_id,
           {"verdict": "unverified", "label": "Disputed",
            "rationale": "<p>The office has since revised its count.</p>"})
    approve(store, users, claim_id, correction_note="The office revised its count.")
    set_dates(store, claim_id, corrected="2026-05-04T08:00:00.000000+00:00")
    revise(store, users["factchecker"], claim_id, {"verdict": "verified"})
    approve(store, users, claim_id, correction_note="A second source confirms the count.")
    with store.db.conn:
        store.db.execute("UPDATE claim_corrections SET at = ? WHERE claim_id = ? AND note LIKE 'A "
                         "second%'", ["2026-11-29T10:00:00.000000+00:00", claim_id])
        store.db.execute("UPDATE claim_publications SET published_at = ? WHERE claim_id = ?",
                         ["2026-11-29T10:00:00.000000+00:00", claim_id])

    html = page_of(client, claim_id)
    words = text_of(html)

    # The current version at the top...
    assert '<span class="review-word">Verified</span>' in html
    assert "The office has since revised its count." in words
    # ...and the log, newest first, with date, note and the verdict before and after.
    log = html[html.index('id="corrections"'):]
    entries = [text_of(entry) for entry in re.findall(r'<li class="correction">(.*?)</li>', log,
                                                       re.S)]
    assert entries == [
        "29 November 2026 : A second source confirms the count. "
        "Verdict: ? Unverified → ✔ Verified",
        "4 May 2026 : The office revised its count. Verdict: ✘ False → ? Unverified "
        "Label: Overstated → Disputed",
    ]
    assert '<time datetime="2026-05-04T08:00:00.000000+00:00">4 May 2026</time>' in log
    assert "corrected 29 November 2026" in words
    assert "last updated 29 November 2026" in words
    # ClaimReview describes the current version.
    [item] = embedded_json_ld(html)
    assert item["reviewRating"]["ratingValue"] == 3
    assert item["reviewRating"]["alternateName"] == "Disputed"


def test_a_retracted_claim_shows_the_retraction_with_its_reason(client, factories, users,
                                                                  story):
    claim_id = story["published"]["id"]
    store = factories.store
    store.transition_claim(claim_id, "retract", as_actor(users["editor"]),
                           note="The quote was from another speaker.")
    set_dates(store, claim_id, retracted="2026-11-29T12:00:00.000000+00:00")

    html = page_of(client, claim_id)  # anonymous

    banner = html[html.index('<section class="retraction-banner"'):]
    banner = banner[:banner.index("</section>")]
    assert ('Retracted on <time class="retracted" datetime="2026-11-29T12:00:00.000000+00:00">'
            '29 November 2026</time>') in banner
    assert '<p class="retraction-reason">The quote was from another speaker.</p>' in banner
    # What it said stays, marked retracted (a word, not only a style).
    assert 'class="claim-review verdict-denied is-retracted"' in html
    assert '<span class="review-retracted">Retracted:</span>' in html
    assert '<span class="review-word">False</span>' in html and "Overstated" in html
    assert "last updated 29 November 2026" in text_of(html)
    assert html.count("<title>") == 1 and "<title>Retracted fact check: False" in html
    # No ClaimReview for a withdrawn fact check; the page itself stays public.
    assert embedded_json_ld(html) == []
    assert 'name="robots"' not in html


def test_a_claim_never_published_is_not_found_whatever_its_state(client, factories, users,
                                                                  story):
    draft_id = story["draft"]["id"]
    store = factories.store
    store.transition_claim(draft_id, "submit", as_actor(users["factchecker"]))
    assert client.get(f"/claims/{draft_id}").status_code == 404
    store.transition_claim(draft_id, "request_changes", as_actor(users["editor"]), note="No.")
    assert client.get(f"/claims/{draft_id}").status_code == 404
    login(client, "reader")
    assert client.get(f"/claims/{draft_id}").status_code == 404


def test_an_orphaned_published_claim_says_so_without_claimreview(client, factories, story):
    claim_id = story["published"]["id"]
    factories.article(ARTICLE_URL, TEXT.replace("creates 4,000 jobs", "creates many jobs"))

    html = page_of(client, claim_id)

    assert "this quote is no longer found in it" in html
    assert '<span class="review-word">False</span>' in html
    assert embedded_json_ld(html) == []


HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(1)>'


def test_hostile_correction_notes_and_retraction_reasons_are_escaped(client, factories, users,
                                                                      story):
    claim_id = story["published"]["id"]
    store = factories.store
    revise(store, users["factchecker"], claim_id, {"label": HOSTILE})
    approve(store, users, claim_id, correction_note=HOSTILE)
    store.transition_claim(claim_id, "retract", as_actor(users["editor"]), note=HOSTILE)

    html = page_of(client, claim_id)

    assert "<script>alert(1)" not in html and "<img src=x" not in html
    escaped = ("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
               "&lt;img src=x onerror=alert(1)&gt;")
    assert f'<p class="retraction-reason">{escaped}</p>' in html
    assert f'<span class="correction-note">{escaped}</span>' in html
    assert f'<span class="now">{escaped}</span>' in html  # the label's change
