"""Linked claims (issue 15, "check once, show everywhere"): a claim linked to
an earlier fact-check of another article shows that one's current verdict,
label, rationale, sources and corrections, on the desk and to readers; the
rules of linking, unlinking and editing; the lookup buckets of every page
showing it follow the original; ClaimReview lists every appearance."""

import csv
import hashlib
import io
import json

import pytest

from annotations.links import LinkConflict
from annotations.models import DomainError
from annotations.store import SYSTEM
from annotations.urls import url_key
from annotations.workflow import IllegalTransition
from tests.helpers import api_error, etag_of, publish_over_api

ORIGINAL_TEXT = ("Ferry fares\n\n"
                 "The transport board said ferry fares doubled since last spring, "
                 "a claim repeated at the harbour meeting.\n")
REPEAT_TEXT = ("Harbour meeting\n\n"
               "Speakers insisted that ferry fares have doubled since last spring "
               "and asked for a freeze.\n")
SOURCE = {"url": "https://fares.example.org/2026", "title": "Fare tables", "stance": "refutes"}


def _correct(store, claim_id, verdict, note, **changes):
    """The existing correction flow: a revision, submitted and approved with
    a correction note readers are shown."""
    store.update_claim(claim_id, {"verdict": verdict, **changes}, SYSTEM, None)
    store.transition_claim(claim_id, "submit", SYSTEM)
    return store.transition_claim(claim_id, "approve", SYSTEM, correction_note=note)


@pytest.fixture
def pair(factories):
    first = factories.article("https://news.example.com/ferry-fares", ORIGINAL_TEXT,
                              title="Ferry fares", publisher="Ledger")
    second = factories.article("https://other.example.net/harbour-meeting", REPEAT_TEXT,
                               title="Harbour meeting")
    original = factories.claim(first, "ferry fares doubled since last spring", "denied",
                               published=True, label="Exaggerated",
                               rationale="<p>Fares rose by a third.</p>", citations=[SOURCE])
    repeat = factories.claim(second, "ferry fares have doubled since last spring")
    return {"first": first, "second": second, "original": original, "repeat": repeat}


# -- the store: linking, inheriting, refusing ------------------------------------------

def test_a_linked_claim_shows_the_originals_verdict_rationale_and_sources(store, pair):
    linked = store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, 1)

    assert (linked["verdict"], linked["label"], linked["rationale"]) == (
        "denied", "Exaggerated", "<p>Fares rose by a third.</p>")
    assert [c["url"] for c in linked["citations"]] == [SOURCE["url"]]
    assert linked["link"] == {"claim_id": pair["original"]["id"],
                              "article_id": pair["first"]["id"], "article_title": "Ferry fares",
                              "article_url": "https://news.example.com/ferry-fares",
                              "retracted": False}
    assert linked["version"] == 2 and linked["status"] == "draft"
    entry = store.history("claim", linked["id"])[-1]
    assert entry["action"] == "link"
    assert entry["after"]["linked_to"] == pair["original"]["id"]
    assert entry["before"]["verdict"] == "unverified" and entry["after"]["verdict"] == "denied"


def test_linking_again_to_the_same_original_changes_nothing(store, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    again = store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    assert again["version"] == 2


def test_a_link_goes_to_a_published_claim_of_another_article_only(store, factories, pair):
    repeat, original = pair["repeat"], pair["original"]
    draft = factories.claim(pair["first"], "transport board")
    same_article = factories.claim(pair["second"], "asked for a freeze", published=True)
    retracted = factories.claim(pair["first"], "harbour meeting", published=True)
    store.transition_claim(retracted["id"], "retract", SYSTEM, note="Misquoted.")
    for target, words in ((repeat["id"], "itself"), (draft["id"], "not a published"),
                          (10**9, "not a published"), (same_article["id"], "same article"),
                          (retracted["id"], "retracted")):
        with pytest.raises(DomainError, match=words) as refused:
            store.link_claim(repeat["id"], target, SYSTEM, None)
        assert refused.value.field == "origin_id"
    assert store.claim(repeat["id"])["version"] == 1
    assert [e["action"] for e in store.history("claim", repeat["id"])] == ["create"]
    assert original["status"] == "published"


def test_links_never_chain(store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    third = factories.article("https://third.example.org/fares", REPEAT_TEXT)
    late = factories.claim(third, "ferry fares have doubled")

    # A link to a linked claim goes to its original.
    linked = store.link_claim(late["id"], pair["repeat"]["id"], SYSTEM, None)
    assert linked["linked_to"] == pair["original"]["id"]
    # A fact-check others follow cannot follow another.
    other = factories.article("https://fourth.example.org/x", ORIGINAL_TEXT)
    elsewhere = factories.claim(other, "ferry fares doubled since last spring", published=True)
    with pytest.raises(LinkConflict, match="linked to this one") as refused:
        store.link_claim(pair["original"]["id"], elsewhere["id"], SYSTEM, None)
    assert refused.value.field == "origin_id"


def test_a_linked_claims_inherited_fields_cannot_be_edited(store, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    for changes, citations, field in (({"verdict": "verified"}, None, "verdict"),
                                      ({"label": "True"}, None, "label"),
                                      ({"rationale": "<p>Mine</p>"}, None, "rationale"),
                                      ({}, [{"url": "https://mine.example.org"}], "citations")):
        with pytest.raises(LinkConflict, match="unlink it first") as refused:
            store.update_claim(claim_id, changes, SYSTEM, None, citations)
        assert refused.value.field == field
    with pytest.raises(LinkConflict) as refused:
        store.add_citation(claim_id, {"url": "https://mine.example.org"}, SYSTEM)
    assert refused.value.field == "citations"
    # Its own summary is its own; sending the inherited values back is no edit.
    saved = store.update_claim(claim_id, {"summary": "Fares doubled", "verdict": "denied"},
                               SYSTEM, None, [dict(SOURCE)])
    assert saved["summary"] == "Fares doubled" and saved["verdict"] == "denied"
    assert saved["version"] == 3


# -- readers --------------------------------------------------------------------------

def test_readers_see_the_link_only_once_approved_and_then_the_originals_corrections(
        store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    assert store.publication(claim_id) is None  # a draft: nothing reaches readers
    factories.publish(claim_id)
    shown = store.publication(claim_id)
    assert (shown["verdict"], shown["label"], shown["status"]) == ("denied", "Exaggerated",
                                                                   "published")
    assert shown["link"]["article_title"] == "Ferry fares"

    _correct(store, pair["original"]["id"], "unverified", "The fare tables were withdrawn.",
             label="")
    shown = store.publication(claim_id)
    assert (shown["verdict"], shown["label"]) == ("unverified", "")
    assert [c["note"] for c in shown["corrections"]] == ["The fare tables were withdrawn."]
    assert shown["corrected_at"] is not None
    # The desk's copy follows too, and readers' lists of the page.
    assert store.claim(claim_id)["verdict"] == "unverified"
    (listed,) = store.claims_for_article(pair["second"]["id"])
    assert listed["verdict"] == "unverified" and listed["corrections"]


def test_linking_a_published_claim_is_a_revision_readers_see_once_approved(
        store, factories, pair):
    claim_id = factories.publish(pair["repeat"])["id"]
    linked = store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    assert linked["status"] == "draft"  # a revision
    assert store.publication(claim_id)["verdict"] == "unverified"
    assert store.publication(claim_id)["link"] is None
    store.transition_claim(claim_id, "submit", SYSTEM)
    with pytest.raises(DomainError, match="correction"):
        store.transition_claim(claim_id, "approve", SYSTEM)
    store.transition_claim(claim_id, "approve", SYSTEM,
                           correction_note="Now follows the board's fact-check.")
    assert store.publication(claim_id)["verdict"] == "denied"


def test_a_retracted_original_shows_its_linked_appearances_retracted(store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    store.transition_claim(pair["original"]["id"], "retract", SYSTEM, note="Wrong fare tables.")

    shown = store.publication(claim_id)
    assert shown["status"] == "retracted"
    assert shown["retraction_reason"] == "Wrong fare tables." and shown["retracted_at"]
    assert store.claim(claim_id)["link"]["retracted"] is True
    store.show_retracted = False
    assert store.claims_for_article(pair["second"]["id"]) == []
    # Unlinking would bring back a verdict readers were told is withdrawn.
    with pytest.raises(LinkConflict, match="retract this claim") as refused:
        store.unlink_claim(claim_id, SYSTEM, None)
    assert refused.value.field == "link"


def _export_rows(client, headers, fmt: str) -> dict[int, dict]:
    """The verdict table's rows by claim id (CSV cells under their titles)."""
    body = client.get(f"/api/v1/exports/claims.{fmt}", headers=headers).get_data(as_text=True)
    if fmt == "json":
        return {row["id"]: row for row in json.loads(body)}
    return {int(row["Claim ID"]): row for row in csv.DictReader(io.StringIO(body))}


def test_the_verdict_tables_show_a_linked_claim_as_readers_see_it(client, auth, store,
                                                                 factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    _correct(store, pair["original"]["id"], "unverified", "The fare tables were withdrawn.",
             label="")
    store.transition_claim(pair["original"]["id"], "retract", SYSTEM, note="Wrong fare tables.")
    shown = store.publication(claim_id)
    assert shown["status"] == "retracted"

    row = _export_rows(client, auth["editor"], "json")[claim_id]
    assert (row["status"], row["retracted_at"], row["retraction_reason"], row["updated_at"]) == (
        "retracted", shown["retracted_at"], "Wrong fare tables.", shown["updated_at"])
    assert (row["verdict"], row["corrections"], row["corrected_at"]) == (
        "unverified", 1, shown["corrected_at"])
    assert [n["note"] for n in row["correction_notes"]] == ["The fare tables were withdrawn."]
    cells = _export_rows(client, auth["editor"], "csv")[claim_id]
    assert (cells["Status"], cells["Retraction reason"], cells["Corrections"]) == (
        "retracted", "Wrong fare tables.", "1")
    assert cells["Retracted"] == shown["retracted_at"]
    assert cells["Correction notes"].endswith(": The fare tables were withdrawn.")
    # Filtered as readers see it, and counted the same.
    retracted = client.get("/api/v1/exports/claims.json", query_string={"status": "retracted"},
                           headers=auth["editor"]).get_json()
    assert sorted(r["id"] for r in retracted) == sorted([pair["original"]["id"], claim_id])
    # The original's own row is unchanged by its followers.
    original = _export_rows(client, auth["editor"], "json")[pair["original"]["id"]]
    assert (original["status"], original["corrections"]) == ("retracted", 1)


def test_an_approval_never_publishes_a_link_to_a_retracted_original(store, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    store.transition_claim(claim_id, "submit", SYSTEM)
    store.transition_claim(pair["original"]["id"], "retract", SYSTEM, note="Wrong tables.")
    with pytest.raises(LinkConflict, match="retracted"):
        store.transition_claim(claim_id, "approve", SYSTEM)
    assert store.publication(claim_id) is None
    # A draft linked to a retracted original may be unlinked and checked afresh.
    freed = store.unlink_claim(claim_id, SYSTEM, None)
    assert freed["link"] is None and freed["verdict"] == "denied"


def test_unlinking_keeps_what_the_claim_showed_and_makes_it_editable(store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    _correct(store, pair["original"]["id"], "unverified", "Tables withdrawn.")
    before = store.publication(claim_id)

    freed = store.unlink_claim(claim_id, SYSTEM, None)

    assert freed["link"] is None and freed["linked_to"] is None
    assert (freed["verdict"], freed["label"]) == ("unverified", "Exaggerated")
    assert [c["url"] for c in freed["citations"]] == [SOURCE["url"]]
    assert freed["status"] == "published"  # nothing changed that readers see
    after = store.publication(claim_id)
    for field in ("verdict", "label", "rationale", "status", "corrections"):
        assert after[field] == before[field], field
    assert [c["url"] for c in after["citations"]] == [SOURCE["url"]]
    entry = store.history("claim", claim_id)[-1]
    assert entry["action"] == "unlink" and entry["after"]["unlinked_from"] == pair["original"]["id"]
    # Independent now: the original's next correction is not its, and it is editable.
    _correct(store, pair["original"]["id"], "verified", "New tables.")
    assert store.publication(claim_id)["verdict"] == "unverified"
    edited = store.update_claim(claim_id, {"verdict": "denied"}, SYSTEM, None)
    assert edited["verdict"] == "denied"
    with pytest.raises(LinkConflict, match="not linked"):
        store.unlink_claim(claim_id, SYSTEM, None)


def test_a_retracted_claim_is_neither_linked_nor_unlinked(store, factories, pair):
    claim_id = factories.publish(pair["repeat"])["id"]
    store.transition_claim(claim_id, "retract", SYSTEM, note="Misquoted.")
    with pytest.raises(IllegalTransition):
        store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)


# -- the readers' lookup buckets ----------------------------------------------------------

def _bucket(client, url):
    prefix = hashlib.sha256(url_key(url).encode()).hexdigest()[:4]
    response = client.get(f"/api/v1/lookup/{prefix}")
    assert response.status_code == 200
    return prefix, response


def _entry(response, url):
    wanted = hashlib.sha256(url_key(url).encode()).hexdigest()
    (entry,) = [e for e in response.get_json()["entries"] if e["hash"] == wanted]
    return entry


def test_a_correction_of_the_original_renders_the_linked_pages_bucket_again(
        client, store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    url = pair["second"]["url"]
    prefix, first = _bucket(client, url)
    (claim,) = _entry(first, url)["claims"]
    assert claim["verdict"] == "denied"
    assert claim["link"]["article_title"] == "Ferry fares"
    assert store.rendered_bucket(prefix, store.db.execute(
        "SELECT variant FROM reader_buckets WHERE prefix = ?", [prefix]).fetchone()[0])

    _correct(store, pair["original"]["id"], "unverified", "The fare tables were withdrawn.")

    # The trigger deleted the kept rendering of the linked page's bucket.
    assert store.db.execute("SELECT count(*) FROM reader_buckets WHERE prefix = ?",
                            [prefix]).fetchone()[0] == 0
    _, again = _bucket(client, url)
    assert again.headers["ETag"] != first.headers["ETag"]
    (claim,) = _entry(again, url)["claims"]
    assert claim["verdict"] == "unverified"
    assert [c["note"] for c in claim["corrections"]] == ["The fare tables were withdrawn."]
    # The URL-bearing endpoint agrees.
    shown = client.get("/api/v1/highlights", query_string={"url": url}).get_json()
    assert shown["claims"][0]["verdict"] == "unverified"


def test_a_retraction_of_the_original_reaches_the_linked_pages_bucket(
        client, store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    url = pair["second"]["url"]
    _bucket(client, url)
    store.transition_claim(pair["original"]["id"], "retract", SYSTEM, note="Wrong tables.")
    (claim,) = _entry(_bucket(client, url)[1], url)["claims"]
    assert claim["status"] == "retracted" and claim["retraction_reason"] == "Wrong tables."


# -- ClaimReview ------------------------------------------------------------------------

def test_the_originals_claim_review_lists_every_appearance(client, store, factories, pair):
    claim_id = pair["repeat"]["id"]
    store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    factories.publish(claim_id)
    third = factories.article("https://third.example.org/fares", REPEAT_TEXT, title="Third")
    unpublished = factories.claim(third, "ferry fares have doubled")
    store.link_claim(unpublished["id"], pair["original"]["id"], SYSTEM, None)

    item = client.get(f"/api/v1/claims/{pair['original']['id']}/claimreview").get_json()
    assert item["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://news.example.com/ferry-fares",
         "headline": "Ferry fares"},
        {"@type": "CreativeWork", "url": "https://other.example.net/harbour-meeting",
         "headline": "Harbour meeting"}]
    assert item["itemReviewed"]["firstAppearance"]["url"] == pair["first"]["url"]
    # One review for the one fact-check: a linked claim has none of its own.
    api_error(client.get(f"/api/v1/claims/{claim_id}/claimreview"), 404)
    feed = client.get("/api/v1/claimreview").get_json()
    (listed,) = feed["dataFeedElement"]
    assert len(listed["itemReviewed"]["appearance"]) == 2


# -- the API --------------------------------------------------------------------------------

def test_put_link_links_and_delete_link_unlinks(client, auth, pair):
    fc, claim_id = auth["factchecker"], pair["repeat"]["id"]
    path = f"/api/v1/claims/{claim_id}/link"
    body = {"origin_id": pair["original"]["id"]}

    api_error(client.put(path, json=body, headers=fc), 428, "If-Match")
    api_error(client.put(path, json=body, headers={**fc, "If-Match": '"claim-1-v9"'}), 412)
    response = client.put(path, json=body, headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    assert response.status_code == 200, response.get_json()
    claim = response.get_json()
    assert claim["link"]["claim_id"] == pair["original"]["id"]
    assert claim["link"]["article_title"] == "Ferry fares"
    assert claim["verdict"] == "denied" and response.headers["ETag"] == f'"claim-{claim_id}-v2"'

    patch = client.patch(f"/api/v1/claims/{claim_id}", json={"verdict": "verified"},
                         headers={**fc, "If-Match": response.headers["ETag"]})
    error = api_error(patch, 409, "verdict", "conflict")
    assert "unlink it first" in error["message"]
    assert patch.get_json()["current"]["verdict"] == "denied"

    unlinked = client.delete(path, headers={**fc, "If-Match": response.headers["ETag"]})
    assert unlinked.status_code == 200, unlinked.get_json()
    assert unlinked.get_json()["link"] is None and unlinked.get_json()["verdict"] == "denied"
    api_error(client.delete(path, headers={**fc, "If-Match": unlinked.headers["ETag"]}),
              409, "link")
    history = client.get(f"/api/v1/claims/{claim_id}/history", headers=fc).get_json()
    assert [e["action"] for e in history["entries"]] == ["create", "link", "unlink"]


@pytest.mark.parametrize("body, field", [
    ({}, "origin_id"), ({"origin_id": "7"}, "origin_id"), ({"origin_id": 0}, "origin_id"),
    ({"origin_id": 5, "extra": 1}, "extra")])
def test_a_malformed_link_is_refused_naming_the_field(client, auth, pair, body, field):
    fc, claim_id = auth["factchecker"], pair["repeat"]["id"]
    response = client.put(f"/api/v1/claims/{claim_id}/link", json=body,
                          headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    api_error(response, 422, field)


def test_a_link_the_rules_refuse_is_a_422_naming_origin_id(client, auth, factories, pair):
    fc, claim_id = auth["factchecker"], pair["repeat"]["id"]
    draft = factories.claim(pair["first"], "transport board")
    response = client.put(f"/api/v1/claims/{claim_id}/link", json={"origin_id": draft["id"]},
                          headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    assert "not a published" in api_error(response, 422, "origin_id")["message"]
    api_error(client.put("/api/v1/claims/999999/link", json={"origin_id": draft["id"]},
                         headers={**fc, "If-Match": "*"}), 404)


def _relink_over_api(client, auth, claim_id, origin_id, unlink_first=True):
    """Unlink the claim (when asked), link it to ``origin_id`` and publish it,
    as the desk does through the API."""
    fc, path = auth["factchecker"], f"/api/v1/claims/{claim_id}/link"
    if unlink_first:
        response = client.delete(path, headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
        assert response.status_code == 200, response.get_json()
    response = client.put(path, json={"origin_id": origin_id},
                          headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    assert response.status_code == 200, response.get_json()
    publish_over_api(client, auth["editor"], claim_id, submitter=fc)


def test_relinking_shows_readers_each_of_the_originals_corrections_once(
        client, auth, store, pair):
    claim_id, original_id = pair["repeat"]["id"], pair["original"]["id"]
    _relink_over_api(client, auth, claim_id, original_id, unlink_first=False)
    _correct(store, original_id, "unverified", "The fare tables were withdrawn.", label="")
    # Unlinking copies the correction into the claim's own log; linking again
    # must not show it a second time beside the original's.
    _relink_over_api(client, auth, claim_id, original_id)

    fc = auth["factchecker"]
    shown = client.get(f"/api/v1/claims/{claim_id}", headers=fc).get_json()["publication"]
    assert shown["link"]["claim_id"] == original_id
    assert [c["note"] for c in shown["corrections"]] == ["The fare tables were withdrawn."]
    (entry,) = _entry(_bucket(client, pair["second"]["url"])[1], pair["second"]["url"])["claims"]
    assert [c["note"] for c in entry["corrections"]] == ["The fare tables were withdrawn."]
    row = _export_rows(client, auth["editor"], "json")[claim_id]
    assert row["corrections"] == 1
    assert [n["note"] for n in row["correction_notes"]] == ["The fare tables were withdrawn."]
    cells = _export_rows(client, auth["editor"], "csv")[claim_id]
    assert cells["Corrections"] == "1"
    assert cells["Correction notes"].count("The fare tables were withdrawn.") == 1
    # A later correction of the original is shown too, once.
    _correct(store, original_id, "denied", "New tables confirm the rise.", label="")
    shown = client.get(f"/api/v1/claims/{claim_id}", headers=fc).get_json()["publication"]
    assert [c["note"] for c in shown["corrections"]] == [
        "The fare tables were withdrawn.", "New tables confirm the rise."]
    # Unlinked again, the claim keeps each of them once as its own.
    own_before = len(store.corrections(claim_id))
    client.delete(f"/api/v1/claims/{claim_id}/link",
                  headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    shown = client.get(f"/api/v1/claims/{claim_id}", headers=fc).get_json()["publication"]
    assert shown["link"] is None
    assert [c["note"] for c in shown["corrections"]] == [
        "The fare tables were withdrawn.", "New tables confirm the rise."]
    # Only the correction it had not kept yet was copied into its own log.
    assert len(store.corrections(claim_id)) == own_before + 1


def test_readers_get_the_link_in_the_claim_json(client, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    shown = client.get(f"/api/v1/claims/{pair['repeat']['id']}").get_json()
    assert shown["verdict"] == "denied"
    assert shown["link"]["article_url"] == "https://news.example.com/ferry-fares"


def test_the_linked_claims_review_page_says_where_its_fact_check_comes_from(
        client, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    html = client.get(f"/claims/{pair['repeat']['id']}").get_data(as_text=True)
    assert "Fact-check first published on" in html
    assert 'href="https://news.example.com/ferry-fares"' in html and ">Ferry fares</a>" in html
    assert f'href="/claims/{pair["original"]["id"]}"' in html
    assert "Fares rose by a third." in html
    # Its ClaimReview is the original's: none of its own on this page.
    assert "application/ld+json" not in html
    assert "application/ld+json" in client.get(
        f"/claims/{pair['original']['id']}").get_data(as_text=True)


def test_the_web_annotation_of_a_linked_claim_carries_the_inherited_body(
        client, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    _correct(store, pair["original"]["id"], "unverified", "Tables withdrawn.")
    item = client.get(f"/api/v1/annotations/{pair['repeat']['id']}").get_json()
    bodies = {b.get("purpose"): b for b in item["body"]}
    assert bodies["assessing"]["value"] == "unverified"
    assert bodies["linking"]["source"]["id"] == SOURCE["url"]


def _suggested(client, auth, text, article_id, **query):
    response = client.get("/api/v1/claims/similar", headers=auth["factchecker"],
                          query_string={"text": text, "article": article_id, **query})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_linked_appearance_is_suggested_as_its_original_once(
        client, auth, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    _correct(store, pair["original"]["id"], "unverified", "Tables withdrawn.", label="")
    third = factories.article("https://third.example.org/fares", REPEAT_TEXT)
    # The appearance's wording is the text's: it ranks first, and stands for its original.
    found = _suggested(client, auth, "ferry fares have doubled since last spring", third["id"])
    assert [s["id"] for s in found] == [pair["original"]["id"]]
    (suggestion,) = found
    assert suggestion["verdict"] == "unverified"  # as corrected
    assert suggestion["exact"] == "ferry fares doubled since last spring"
    assert suggestion["article_title"] == "Ferry fares" and suggestion["link"] is None
    assert suggestion["linked_from"] == 1
    assert "ferry" in suggestion["matched_words"] and 0 < suggestion["score"] < 1


def test_folding_keeps_the_limit_filled_and_leaves_out_what_cannot_be_linked(
        client, auth, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    other = factories.article("https://fourth.example.org/ferries", "Ferries\n\n"
                              "Some said ferry fares doubled since spring began.\n")
    unlinked = factories.claim(other, "ferry fares doubled since spring", "verified",
                               published=True, citations=[SOURCE])
    third = factories.article("https://third.example.org/fares", REPEAT_TEXT)
    text = "ferry fares doubled since last spring"
    # Two suggestions asked: the original and the appearance fold into one,
    # and the next fact-check fills the place.
    found = _suggested(client, auth, text, third["id"], limit=2)
    assert [s["id"] for s in found] == [pair["original"]["id"], unlinked["id"]]
    assert [s["linked_from"] for s in found] == [1, 0]
    assert len(_suggested(client, auth, text, third["id"], limit=1)) == 1
    # From the original's own article, a link to it would be refused: its
    # appearance is not offered in its place.
    found = _suggested(client, auth, text, pair["first"]["id"])
    assert [s["id"] for s in found] == [unlinked["id"]]


def test_the_desks_claim_list_files_a_linked_claim_under_the_corrected_verdict(
        client, auth, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    _correct(store, pair["original"]["id"], "unverified", "Tables withdrawn.")

    def listed(verdict):
        answer = client.get("/api/v1/claims", headers=auth["factchecker"],
                            query_string={"verdict": verdict}).get_json()
        return {c["id"] for c in answer["claims"]}
    assert pair["repeat"]["id"] in listed("unverified")
    assert pair["repeat"]["id"] not in listed("denied")


def test_a_linked_claim_outlives_its_originals_article(client, store, factories, pair):
    store.link_claim(pair["repeat"]["id"], pair["original"]["id"], SYSTEM, None)
    factories.publish(pair["repeat"])
    _correct(store, pair["original"]["id"], "unverified", "Tables withdrawn.")
    newer = {"url": "https://fares.example.org/2027", "title": "New tables"}
    store.update_claim(pair["original"]["id"], {}, SYSTEM, None, [newer])
    store.transition_claim(pair["original"]["id"], "submit", SYSTEM)
    store.transition_claim(pair["original"]["id"], "approve", SYSTEM)
    url = pair["second"]["url"]
    _bucket(client, url)

    store.delete_article(pair["first"]["id"], SYSTEM)

    shown = store.publication(pair["repeat"]["id"])
    assert shown["link"] is None and shown["status"] == "published"
    assert shown["verdict"] == "unverified"  # what it showed last
    assert [c["url"] for c in shown["citations"]] == [newer["url"]]
    working = store.claim(pair["repeat"]["id"])
    assert working["linked_to"] is None and working["verdict"] == "unverified"
    (claim,) = _entry(_bucket(client, url)[1], url)["claims"]
    assert claim["link"] is None and claim["verdict"] == "unverified"


# -- the Markdown source and chains through readers' copies (review fixes) ---------------

def test_a_linked_claim_refuses_its_own_markdown_rationale_and_keeps_none(
        client, auth, store, factories, pair):
    fc, claim_id = auth["factchecker"], pair["repeat"]["id"]
    store.update_claim(claim_id, {"rationale_markdown": "My **own** draft"}, SYSTEM, None)
    linked = store.link_claim(claim_id, pair["original"]["id"], SYSTEM, None)
    row = "SELECT rationale, rationale_markdown FROM claims WHERE id = ?"
    # Linking drops the claim's own Markdown: the desk's editor gets the original's.
    assert store.db.execute(row, [claim_id]).fetchone() == ("<p>Fares rose by a third.</p>", None)
    shown = client.get(f"/api/v1/claims/{claim_id}", headers=fc).get_json()
    assert shown["rationale_markdown"] == "Fares rose by a third."

    patch = client.patch(f"/api/v1/claims/{claim_id}", json={"rationale_markdown": "Unreviewed"},
                         headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    assert "unlink it first" in api_error(patch, 409, "rationale_markdown", "conflict")["message"]
    assert store.db.execute(row, [claim_id]).fetchone() == ("<p>Fares rose by a third.</p>", None)
    assert client.get("/api/v1/claims", query_string={"q": "unreviewed"},
                      headers=fc).get_json()["claims"] == []
    # Sending back the Markdown it shows is no edit.
    same = client.patch(f"/api/v1/claims/{claim_id}",
                        json={"rationale_markdown": "Fares rose by a third.", "summary": "S"},
                        headers={**fc, "If-Match": etag_of(client, fc, claim_id)})
    assert same.status_code == 200, same.get_json()
    assert store.db.execute(row, [claim_id]).fetchone()[1] is None

    # A correction of the original reaches followers' columns; still no Markdown of its own.
    factories.publish(claim_id)
    store.db.execute("UPDATE claims SET rationale_markdown = 'stale' WHERE id = ?", [claim_id])
    _correct(store, pair["original"]["id"], "unverified", "Withdrawn.",
             rationale_markdown="Tables *withdrawn*.")
    assert store.db.execute(row, [claim_id]).fetchone() == ("<p>Tables <em>withdrawn</em>.</p>",
                                                            None)
    # Unlinked, it keeps the HTML it showed, and the editor starts from that.
    freed = store.unlink_claim(claim_id, SYSTEM, None)
    assert freed["rationale_markdown"] is None
    shown = client.get(f"/api/v1/claims/{claim_id}", headers=fc).get_json()
    assert shown["rationale"] == "<p>Tables <em>withdrawn</em>.</p>"
    assert shown["rationale_markdown"] == "Tables *withdrawn*."
    assert linked["rationale_markdown"] is None


def test_a_claim_readers_see_linked_to_cannot_follow_another(client, auth, store, factories,
                                                              pair):
    """A publication still linked to the original (its working copy relinked
    elsewhere, unapproved) keeps the original from following a third claim:
    readers would otherwise be shown a chain that no retraction reaches."""
    fc, repeat, original = auth["factchecker"], pair["repeat"]["id"], pair["original"]["id"]
    store.link_claim(repeat, original, SYSTEM, None)
    factories.publish(repeat)
    third = factories.article("https://third.example.org/fares", ORIGINAL_TEXT, title="Third")
    other = factories.claim(third, "ferry fares doubled since last spring", "verified",
                            published=True, label="Other label", citations=[SOURCE])
    fourth = factories.article("https://fourth.example.org/fares", REPEAT_TEXT, title="Fourth")
    elsewhere = factories.claim(fourth, "ferry fares have doubled", "denied", published=True,
                                citations=[SOURCE])
    store.link_claim(repeat, elsewhere["id"], SYSTEM, None)  # a revision, not approved

    response = client.put(f"/api/v1/claims/{original}/link", json={"origin_id": other["id"]},
                          headers={**fc, "If-Match": etag_of(client, fc, original)})
    assert "linked to this one" in api_error(response, 409, "origin_id")["message"]
    assert store.claim(original)["linked_to"] is None

    # Readers of the repeat's page still see the original's fact-check, and its retraction.
    url = pair["second"]["url"]
    (claim,) = _entry(_bucket(client, url)[1], url)["claims"]
    assert (claim["verdict"], claim["label"]) == ("denied", "Exaggerated")
    store.transition_claim(original, "retract", SYSTEM, note="Wrong tables.")
    (claim,) = _entry(_bucket(client, url)[1], url)["claims"]
    assert claim["status"] == "retracted" and claim["retraction_reason"] == "Wrong tables."


def test_an_approval_never_publishes_a_link_of_a_claim_readers_see_linked_to(
        store, factories, pair):
    """A chain left by an older version (the original's working copy linked
    while a publication linked to it) is refused at approval."""
    repeat, original = pair["repeat"]["id"], pair["original"]["id"]
    third = factories.article("https://third.example.org/fares", ORIGINAL_TEXT, title="Third")
    other = factories.claim(third, "ferry fares doubled since last spring", "verified",
                            published=True, citations=[SOURCE])
    store.link_claim(original, other["id"], SYSTEM, None)  # a revision, not approved yet
    store.transition_claim(original, "submit", SYSTEM)
    # The repeat's publication linked to the original, as older versions allowed.
    store.link_claim(repeat, other["id"], SYSTEM, None)
    factories.publish(repeat)
    store.db.execute("UPDATE claim_publications SET linked_to = ? WHERE claim_id = ?",
                     [original, repeat])
    with pytest.raises(LinkConflict, match="linked to this one") as refused:
        store.transition_claim(original, "approve", SYSTEM, correction_note="Follows Third")
    assert refused.value.field == "link"
    assert store.publication(original)["linked_to"] is None
