"""The store on a real migrated SQLite file, no Flask (annotations.store)."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.demo import DEMO_CLAIMS, DEMO_URL, load_demo
from annotations.importer import parse_article
from annotations.models import DomainError
from annotations.store import SYSTEM

URL = "https://news.example.org/2025/07/lisbon-water-accord"

LEAD = "Water ministers agreed in Lisbon on Tuesday to share river-flow readings in real time."
HEADING_1 = "I. What was agreed"
CLAIM_SENTENCE = ("The platform will publish readings from 140 gauging stations every hour, "
                  "officials said.")
HEADING_2 = "II. Doubts from farmers’ groups"
DOUBTS = "Irrigation associations say the readings will be used to cap their allocations."
QUOTE = "140 gauging stations every hour"

ORIGINAL = "\n".join([LEAD, HEADING_1, CLAIM_SENTENCE, HEADING_2, DOUBTS])


def text_article(text):
    return parse_article(text, "text")


def count(store, table):
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def checker(factories):
    return factories.actor("checker", role="factchecker", password_hash="not-a-real-hash")


@pytest.fixture
def article_id(factories, checker):
    return factories.article(URL, ORIGINAL, actor=checker)["id"]


def passage_containing(store, article_id, needle):
    matches = [p for p in store.passages(article_id) if needle in p["text"]]
    assert len(matches) == 1, matches
    return matches[0]


@pytest.fixture
def claim(factories, store, article_id, checker):
    passage = passage_containing(store, article_id, QUOTE)
    return factories.claim(quote=QUOTE, verdict="verified", actor=checker, passage=passage,
                           label="Accurate", rationale="<p>Confirmed by the ministry.</p>",
                           citations=[{"url": "https://ministry.example.gov/statement",
                                       "title": "Statement", "stance": "supports"}])


def reimport(store, text, actor, url=URL):
    return store.import_article(url, text_article(text), actor)


def assert_anchored_on_its_quote(store, claim_row):
    """The stored offsets pick the claim's exact text out of its passage."""
    assert claim_row["anchor_state"] == "anchored"
    rows = list(store.db.query("SELECT * FROM passages WHERE id = ?", [claim_row["passage_id"]]))
    assert len(rows) == 1
    passage_text = rows[0]["text"]
    assert passage_text[claim_row["start_offset"]:claim_row["end_offset"]] == claim_row["exact"]
    return rows[0]


# -- the package boundary -------------------------------------------------------

def test_domain_core_never_imports_flask():
    code = (
        "import pkgutil, importlib, sys\n"
        "import annotations, migrations\n"
        "for m in pkgutil.iter_modules(annotations.__path__):\n"
        "    importlib.import_module('annotations.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('flask', 'werkzeug', 'factcheck'))\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- importing articles -----------------------------------------------------------

def test_import_creates_article_and_ordered_passages(store, checker):
    result = store.import_article(URL, text_article(ORIGINAL), checker,
                                  title="Lisbon water accord", publisher="Example News")
    assert result.created is True
    assert result.passage_count == 5

    article = store.article(result.article_id)
    assert article["url"] == URL
    assert article["title"] == "Lisbon water accord"
    assert article["publisher"] == "Example News"

    passages = store.passages(result.article_id)
    assert [(p["ordinal"], p["kind"], p["text"]) for p in passages] == [
        (0, "paragraph", LEAD),
        (1, "heading", HEADING_1),
        (2, "paragraph", CLAIM_SENTENCE),
        (3, "heading", HEADING_2),
        (4, "paragraph", DOUBTS),
    ]
    for p in passages:
        assert p["text_hash"] == hashlib.sha256(p["text"].encode("utf-8")).hexdigest()

    [entry] = store.history("article", result.article_id)
    assert entry["action"] == "create"
    assert entry["actor"] == "checker" and entry["actor_id"] == checker.id


def test_html_title_is_used_when_no_title_given(store):
    parsed = parse_article("<title>From the page</title><p>Body.</p>")
    article_id = store.import_article(URL, parsed).article_id
    assert store.article(article_id)["title"] == "From the page"


def test_import_refuses_a_bad_url_and_writes_nothing(store):
    with pytest.raises(DomainError) as info:
        store.import_article("javascript:alert(1)", text_article(ORIGINAL))
    assert info.value.field == "url"
    assert count(store, "articles") == count(store, "passages") == count(store, "audit_log") == 0


def test_reimport_of_the_same_url_updates_instead_of_duplicating(store, checker, article_id):
    new_text = ORIGINAL.replace("on Tuesday", "late on Tuesday")
    result = reimport(store, new_text, checker)

    assert result.created is False
    assert result.article_id == article_id
    assert count(store, "articles") == 1
    assert [p["text"] for p in store.passages(article_id)][0] == LEAD.replace(
        "on Tuesday", "late on Tuesday")
    assert count(store, "passages") == 5
    assert [h["action"] for h in store.history("article", article_id)] == ["create", "reimport"]


@pytest.mark.parametrize("same_article_url", [
    URL + "?utm_source=twitter&utm_medium=social&fbclid=abc",
    URL.replace("https://", "http://"),
    URL + "/",
    URL + "#comments",
    URL.replace("news.example.org", "NEWS.Example.org"),
])
def test_reimport_via_an_equivalent_url_updates_the_same_article(store, checker, article_id,
                                                                 same_article_url):
    result = reimport(store, ORIGINAL + "\nA new closing line.", checker, url=same_article_url)
    assert result.created is False
    assert result.article_id == article_id
    assert count(store, "articles") == 1
    assert store.passages(article_id)[-1]["text"] == "A new closing line."
    assert store.find_article_by_url(same_article_url)["id"] == article_id


def test_a_different_url_is_a_different_article(store, checker, article_id):
    result = reimport(store, ORIGINAL, checker, url=URL + "?page=2")
    assert result.created is True
    assert result.article_id != article_id
    assert count(store, "articles") == 2


def test_reimport_with_fewer_passages_removes_the_rest(store, checker, article_id):
    result = reimport(store, "\n".join([LEAD, HEADING_1]), checker)
    assert result.passage_count == 2
    assert [p["text"] for p in store.passages(article_id)] == [LEAD, HEADING_1]
    assert count(store, "passages") == 2


# -- claims --------------------------------------------------------------------------

def test_create_claim_stores_code_point_offsets_and_context(store, factories, checker):
    heading = "I. “中立” and нейтралитет 🕊️"
    paragraph = "Officials 👩‍👩‍👧 in 北京 said “the plan was sound” — twice, on Friday."
    article_id = factories.article(URL, heading + "\n" + paragraph)["id"]
    passages = store.passages(article_id)
    assert [p["text"] for p in passages] == [heading, paragraph]

    quote = "the plan was sound"
    start = paragraph.index(quote)
    claim = store.create_claim(passages[1]["id"], start, start + len(quote), "unverified",
                               checker)

    assert (claim["start_offset"], claim["end_offset"]) == (start, start + len(quote))
    # A UTF-16 count (what a browser's DOM would give) is a different number.
    assert len(paragraph[:start].encode("utf-16-le")) // 2 != start
    assert claim["exact"] == quote == paragraph[claim["start_offset"]:claim["end_offset"]]
    joined = heading + "\n" + paragraph
    absolute = len(heading) + 1 + start
    assert claim["prefix"] == joined[absolute - 32:absolute]
    assert claim["suffix"] == joined[absolute + len(quote):absolute + len(quote) + 32]
    assert claim["passage_id"] == passages[1]["id"]
    assert claim["article_id"] == article_id
    assert claim["anchor_state"] == "anchored"
    assert claim["status"] == "draft" and claim["version"] == 1
    assert claim["created_by"] == checker.id


def test_create_claim_context_crosses_passages(store, article_id, checker):
    passage = passage_containing(store, article_id, CLAIM_SENTENCE)
    claim = store.create_claim(passage["id"], 0, len("The platform"), "unverified", checker)
    # 32 code points back: the end of the lead, the heading, their newlines.
    assert claim["prefix"] == (LEAD + "\n" + HEADING_1 + "\n")[-32:]
    assert claim["prefix"].endswith("real time.\n" + HEADING_1 + "\n")
    assert claim["suffix"] == CLAIM_SENTENCE[len("The platform"):][:32]


def test_create_claim_stores_citations_and_an_audit_entry(store, checker, claim):
    stored = store.claim(claim["id"])
    assert stored["exact"] == QUOTE
    assert stored["label"] == "Accurate"
    assert stored["rationale"] == "<p>Confirmed by the ministry.</p>"
    assert [(c["url"], c["title"], c["stance"]) for c in stored["citations"]] == [
        ("https://ministry.example.gov/statement", "Statement", "supports")]

    [entry] = store.history("claim", claim["id"])
    assert entry["action"] == "create"
    assert entry["actor_id"] == checker.id and entry["actor"] == "checker"
    assert entry["before"] is None
    assert entry["after"]["exact"] == QUOTE
    assert entry["after"]["citations"][0]["url"] == "https://ministry.example.gov/statement"


def test_citation_stance_defaults_to_supports(store, article_id, checker):
    passage = passage_containing(store, article_id, QUOTE)
    claim = store.create_claim(passage["id"], 0, 3, "verified", checker,
                               citations=[{"url": "https://example.org/a"}])
    assert claim["citations"][0]["stance"] == "supports"


@pytest.mark.parametrize("citations, field", [
    ([{"url": "javascript:alert(1)"}], "citations.0.url"),
    ([{"url": "https://ok.example.org"}, {"url": "javascript:alert(1)"}], "citations.1.url"),
    ([{"url": "https://ok.example.org", "archive_url": "data:text/html,x"}],
     "citations.0.archive_url"),
    ([{"url": "https://ok.example.org", "stance": "agrees"}], "citations.0.stance"),
    ([{"url": "https://ok.example.org", "onclick": "x"}], "citations.0.onclick"),
])
def test_bad_citation_raises_and_writes_nothing(store, article_id, checker, citations, field):
    passage = passage_containing(store, article_id, QUOTE)
    before = {t: count(store, t) for t in ("claims", "citations", "audit_log")}
    with pytest.raises(DomainError) as info:
        store.create_claim(passage["id"], 0, 3, "verified", checker, citations=citations)
    assert info.value.field == field
    assert {t: count(store, t) for t in ("claims", "citations", "audit_log")} == before


def test_bad_offsets_raise_and_write_nothing(store, article_id, checker):
    passage = passage_containing(store, article_id, QUOTE)
    before = {t: count(store, t) for t in ("claims", "citations", "audit_log")}
    with pytest.raises(DomainError) as info:
        store.create_claim(passage["id"], 5, len(passage["text"]) + 1, "verified", checker,
                           citations=[{"url": "https://ok.example.org"}])
    assert info.value.field == "end"
    with pytest.raises(DomainError) as info:
        store.create_claim(passage["id"], 0, 3, "maybe", checker)
    assert info.value.field == "verdict"
    assert {t: count(store, t) for t in ("claims", "citations", "audit_log")} == before


# -- publishing (every transition: tests/test_workflow.py) -------------------------

@pytest.mark.parametrize("verdict", ["verified", "denied"])
def test_verified_or_denied_claim_needs_a_citation_to_publish(store, article_id, checker, verdict):
    passage = passage_containing(store, article_id, QUOTE)
    claim = store.create_claim(passage["id"], 0, 12, verdict, checker)
    store.transition_claim(claim["id"], "submit", checker)
    with pytest.raises(DomainError) as info:
        store.transition_claim(claim["id"], "approve", SYSTEM)
    assert info.value.field == "citations"
    after = store.claim(claim["id"])
    assert after["status"] == "in_review" and after["version"] == 2
    assert store.claims_for_article(article_id) == []


def test_unverified_claim_can_be_published_without_citations(store, article_id, checker,
                                                             factories):
    editor = factories.actor(role="editor")
    passage = passage_containing(store, article_id, QUOTE)
    claim = store.create_claim(passage["id"], 0, 12, "unverified", checker)
    store.transition_claim(claim["id"], "submit", checker)
    published = store.transition_claim(claim["id"], "approve", editor)
    assert published["status"] == "published"
    assert published["published_by"] == editor.id and published["published_at"]
    assert published["version"] == 3
    assert [c["id"] for c in store.claims_for_article(article_id)] == [claim["id"]]
    assert [h["action"] for h in store.history("claim", claim["id"])] == [
        "create", "submit", "approve"]


def test_verified_claim_with_a_citation_can_be_published(store, checker, claim, article_id,
                                                         factories):
    published = factories.publish(claim, checker)
    assert published["status"] == "published"
    assert [c["id"] for c in store.claims_for_article(article_id)] == [claim["id"]]


# -- re-import keeps claims anchored -------------------------------------------------

def test_inserted_sentence_before_the_quote_shifts_the_offsets(store, checker, article_id, claim):
    inserted = "Funding was confirmed late on Monday. "
    new_text = ORIGINAL.replace(CLAIM_SENTENCE, inserted + CLAIM_SENTENCE)
    result = reimport(store, new_text, checker)
    assert (result.claims_kept, result.claims_orphaned) == (1, 0)

    after = store.claim(claim["id"])
    assert after["exact"] == QUOTE
    assert after["passage_id"] == claim["passage_id"]
    assert after["start_offset"] == claim["start_offset"] + len(inserted)
    assert after["end_offset"] == claim["end_offset"] + len(inserted)
    passage = assert_anchored_on_its_quote(store, after)
    assert passage["text"] == inserted + CLAIM_SENTENCE
    # The move is in the claim's history, with where it was and where it is.
    entry = store.history("claim", claim["id"])[-1]
    assert entry["action"] == "reanchor"
    assert entry["before"]["start_offset"] == claim["start_offset"]
    assert entry["after"]["start_offset"] == after["start_offset"]


def test_quote_moved_to_another_passage_is_reanchored_there(store, checker, article_id, claim):
    moved = "\n".join([LEAD, HEADING_1, "Details are still being negotiated.", HEADING_2,
                       DOUBTS + " " + CLAIM_SENTENCE])
    result = reimport(store, moved, checker)
    assert (result.claims_kept, result.claims_orphaned) == (1, 0)

    after = store.claim(claim["id"])
    passage = assert_anchored_on_its_quote(store, after)
    assert passage["ordinal"] == 4
    assert after["passage_id"] != claim["passage_id"]
    assert after["start_offset"] == (DOUBTS + " " + CLAIM_SENTENCE).index(QUOTE)
    assert after["exact"] == QUOTE


def test_deleted_quote_orphans_the_claim_and_restoring_it_reanchors(store, checker, article_id,
                                                                    claim):
    without = ORIGINAL.replace(CLAIM_SENTENCE, "Details are still being negotiated.")
    result = reimport(store, without, checker)
    assert (result.claims_kept, result.claims_orphaned) == (0, 1)

    orphan = store.claim(claim["id"])
    assert orphan["anchor_state"] == "orphaned"
    assert orphan["passage_id"] is None
    assert orphan["start_offset"] is None and orphan["end_offset"] is None
    assert orphan["exact"] == QUOTE              # the quote is remembered
    assert orphan["citations"] == claim["citations"]
    entry = store.history("claim", claim["id"])[-1]
    assert entry["action"] == "orphan"
    assert entry["actor_id"] == checker.id
    assert entry["before"]["anchor_state"] == "anchored"
    assert entry["before"]["passage_id"] == claim["passage_id"]
    assert entry["after"]["anchor_state"] == "orphaned"

    result = reimport(store, ORIGINAL, checker)
    assert (result.claims_kept, result.claims_orphaned) == (1, 0)
    back = store.claim(claim["id"])
    assert_anchored_on_its_quote(store, back)
    assert (back["passage_id"], back["start_offset"], back["end_offset"]) == \
        (claim["passage_id"], claim["start_offset"], claim["end_offset"])
    assert [h["action"] for h in store.history("claim", claim["id"])] == \
        ["create", "orphan", "reanchor"]


@pytest.mark.parametrize("where", ["before", "after"])
def test_duplicated_sentence_lands_on_the_copy_with_matching_context(store, checker, article_id,
                                                                     claim, where):
    decoy = f"Rival bids had promised {QUOTE} back in 2019."
    if where == "before":
        new_text = "\n".join([LEAD, decoy, HEADING_1, CLAIM_SENTENCE, HEADING_2, DOUBTS])
        expected_ordinal = 3
    else:
        new_text = "\n".join([LEAD, HEADING_1, CLAIM_SENTENCE, HEADING_2, DOUBTS, decoy])
        expected_ordinal = 2
    result = reimport(store, new_text, checker)
    assert (result.claims_kept, result.claims_orphaned) == (1, 0)

    after = store.claim(claim["id"])
    passage = assert_anchored_on_its_quote(store, after)
    assert passage["ordinal"] == expected_ordinal
    assert passage["text"] == CLAIM_SENTENCE


def test_identical_reimport_changes_no_claim(store, checker, article_id, claim, factories):
    published = factories.publish(claim, checker)
    public = store.public_claim(claim["id"])
    passages_before = store.passages(article_id)
    history_before = store.history("claim", claim["id"])

    result = reimport(store, ORIGINAL, checker)

    assert (result.claims_kept, result.claims_orphaned) == (1, 0)
    assert store.claim(claim["id"]) == published
    assert store.public_claim(claim["id"]) == public
    assert store.passages(article_id) == passages_before
    assert store.history("claim", claim["id"]) == history_before


def test_reimport_orphans_and_keeps_claims_independently(store, factories, checker, article_id,
                                                         claim):
    lead_passage = passage_containing(store, article_id, LEAD)
    lead_claim = factories.claim(quote="Water ministers", actor=checker, passage=lead_passage)
    result = reimport(store, ORIGINAL.replace(LEAD, "Ministers met in Lisbon."), checker)
    assert (result.claims_kept, result.claims_orphaned) == (1, 1)
    assert store.claim(lead_claim["id"])["anchor_state"] == "orphaned"
    assert_anchored_on_its_quote(store, store.claim(claim["id"]))


# -- the audit log is append-only ------------------------------------------------------

def test_audit_log_rows_cannot_be_updated_or_deleted(store, checker, claim):
    rows_before = list(store.db.query("SELECT * FROM audit_log ORDER BY id"))
    assert rows_before

    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit_log SET action = 'tampered' WHERE id = ?",
                         [rows_before[0]["id"]])
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit_log WHERE id = ?", [rows_before[0]["id"]])
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit_log")

    assert list(store.db.query("SELECT * FROM audit_log ORDER BY id")) == rows_before


def test_audit_entries_are_json_snapshots(store, checker, claim):
    raw = list(store.db.query("SELECT * FROM audit_log WHERE entity = 'claim'"))[0]
    assert json.loads(raw["after"])["exact"] == QUOTE


# -- the demo -------------------------------------------------------------------------

def test_demo_claims_match_their_passages_and_loading_twice_changes_nothing(store):
    article_id = load_demo(store, SYSTEM)

    claims = store.claims_for_article(article_id, published_only=False)
    assert [c["exact"] for c in claims] == [quote for quote, *_ in DEMO_CLAIMS]
    passages = {p["id"]: p for p in store.passages(article_id)}
    for claim in claims:
        assert claim["anchor_state"] == "anchored"
        text = passages[claim["passage_id"]]["text"]
        assert text[claim["start_offset"]:claim["end_offset"]] == claim["exact"]
        assert claim["citations"]
    expected_published = [quote for quote, *_, publish in DEMO_CLAIMS if publish]
    assert [c["exact"] for c in store.claims_for_article(article_id)] == expected_published
    assert store.article(article_id)["url"] == DEMO_URL

    snapshot = (store.passages(article_id), claims, count(store, "citations"))
    assert load_demo(store, SYSTEM) == article_id
    assert count(store, "articles") == 1
    assert (store.passages(article_id), store.claims_for_article(article_id, published_only=False),
            count(store, "citations")) == snapshot


def test_search_follows_reimport_and_delete(store, checker, article_id):
    assert [a["id"] for a in store.list_articles(q="lighthouse")] == []
    reimport(store, "A lighthouse keeper spoke to reporters.\nNothing else changed.", checker)
    assert [a["id"] for a in store.list_articles(q="lighthouse")] == [article_id]
    reimport(store, "The keeper spoke to reporters.", checker)
    assert store.list_articles(q="lighthouse") == []
    store.delete_article(article_id, checker)
    assert store.db.execute("SELECT count(*) FROM article_text_fts").fetchone()[0] == 0


def test_a_reimport_searches_near_matches_within_its_budget(store, factories):
    """A quote no longer verbatim costs a near search; past the re-import's
    budget such claims are orphaned (never guessed), verbatim ones still placed."""
    text = ("The harbour authority said the eastern pier reopened on Monday morning.\n\n"
            "Officials confirmed that ferry traffic had resumed across the bay.\n")
    url = "https://news.example.com/pier"
    article = factories.article(url, text)
    typo = factories.claim(article, "the eastern pier reopened on Monday morning")
    intact = factories.claim(article, "ferry traffic had resumed across the bay")
    fixed = text.replace("eastern pier reopened", "eastern peir reopened")

    store.max_near_searches = 0
    factories.article(url, fixed)
    assert store.claim(typo["id"])["anchor_state"] == "orphaned"
    assert store.claim(intact["id"])["anchor_state"] == "anchored"

    store.max_near_searches = 1
    factories.article(url, fixed)
    assert store.claim(typo["id"])["anchor_state"] == "anchored"
    assert store.claim(typo["id"])["exact"] == "the eastern peir reopened on Monday morning"
