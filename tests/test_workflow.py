"""The editorial workflow in the store: every transition, the two-person
rule, revisions of published claims, corrections, retraction, re-attaching
an orphaned claim, and one version and one audit entry per Save."""

import pytest

from annotations.models import DomainError, NotAllowed, NotFound
from annotations.store import SYSTEM
from annotations.workflow import (TRANSITIONS, IllegalTransition, available_actions,
                                  meaning_changes, needs_correction_note)

TEXT = ("The minister said the bridge is open.\n\n"
        "Critics said the figure was misleading.\n\n"
        "Мэр сказал, что мост 🌉 открыт; 市长说桥已开放。\n")
SOURCE = {"url": "https://roads.example.org/bridge", "title": "Roads agency"}


@pytest.fixture
def people(factories):
    return {"author": factories.actor("author", role="factchecker"),
            "other": factories.actor("other", role="factchecker"),
            "editor": factories.actor("editor", role="editor"),
            "chief": factories.actor("chief", role="editor")}


@pytest.fixture
def article(factories):
    return factories.article("https://news.example.com/bridge", TEXT)


@pytest.fixture
def draft(factories, article, people):
    return factories.claim(article, "the bridge is open", "verified", people["author"],
                           label="Accurate", rationale="<p>The agency says it opened.</p>",
                           citations=[SOURCE])


def published(store, claim, people) -> dict:
    store.transition_claim(claim["id"], "submit", people["author"])
    return store.transition_claim(claim["id"], "approve", people["editor"])


def snapshot(store, claim_id) -> dict:
    """Everything a refused action must leave as it was."""
    tables = ("claims", "citations", "claim_publications", "published_citations",
              "claim_corrections", "claim_comments", "audit_log")
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


# -- the states and moves --------------------------------------------------------------

def test_the_whole_review_loop(store, draft, people):
    author, editor = people["author"], people["editor"]
    assert draft["status"] == "draft"

    submitted = store.transition_claim(draft["id"], "submit", author)
    assert submitted["status"] == "in_review" and submitted["version"] == 2
    sent_back = store.transition_claim(draft["id"], "request_changes", editor,
                                       note="Cite the agency's notice, not its homepage.")
    assert sent_back["status"] == "changes_requested"
    # The note is in the desk's discussion, by the editor, never in what readers see.
    [comment] = store.comments(draft["id"])
    assert comment["author"] == "editor" and "agency's notice" in comment["body"]
    revised = store.update_claim(draft["id"], {"rationale": "<p>The notice says so.</p>"},
                                 author, sent_back["version"])
    assert revised["status"] == "changes_requested"
    store.transition_claim(draft["id"], "submit", author)
    approved = store.transition_claim(draft["id"], "approve", editor)

    assert approved["status"] == "published"
    assert approved["published_by"] == editor.id
    public = store.public_claim(draft["id"])
    assert public["status"] == "published" and public["rationale"] == "<p>The notice says so.</p>"
    assert public["first_published_at"] == public["published_at"]
    assert [c["url"] for c in public["citations"]] == [SOURCE["url"]]
    assert public["corrections"] == []
    assert [e["action"] for e in store.history("claim", draft["id"])] == [
        "create", "submit", "request_changes", "update", "submit", "approve"]


def test_withdraw_takes_a_claim_back_out_of_review(store, draft, people):
    store.transition_claim(draft["id"], "submit", people["author"])
    back = store.transition_claim(draft["id"], "withdraw", people["author"])
    assert back["status"] == "draft"
    assert store.publication(draft["id"]) is None


# Every action from every state: allowed exactly where TRANSITIONS says.
def _claim_in(store, factories, article, people, state):
    claim = factories.claim(article, "the figure", "unverified", people["author"])
    moves = {"draft": [], "in_review": ["submit"],
             "changes_requested": ["submit", ("request_changes", "Why?")],
             "published": ["submit", "approve"],
             "retracted": ["submit", "approve", ("retract", "Wrong article")]}[state]
    for move in moves:
        action, note = move if isinstance(move, tuple) else (move, "")
        actor = people["author"] if action == "submit" else people["editor"]
        store.transition_claim(claim["id"], action, actor, note=note)
    return store.claim(claim["id"])


@pytest.mark.parametrize("state", ["draft", "in_review", "changes_requested", "published",
                                   "retracted"])
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_each_action_is_allowed_only_from_its_states(store, factories, article, people, state,
                                                     action):
    claim = _claim_in(store, factories, article, people, state)
    assert claim["status"] == state
    step = TRANSITIONS[action]
    live = state in ("published",)
    allowed = state in step.sources and (live or not step.needs_publication)
    assert (action in available_actions(state, live)) == allowed
    before = snapshot(store, claim["id"])

    def act():
        return store.transition_claim(claim["id"], action, people["chief"], note="A reason")

    if allowed:
        assert act()["status"] == step.target
    else:
        with pytest.raises(IllegalTransition) as info:
            act()
        assert info.value.current["status"] == state
        assert snapshot(store, claim["id"]) == before


@pytest.mark.parametrize("action, field", [("request_changes", "note"), ("retract", "reason")])
def test_actions_that_need_words_refuse_without_them(store, draft, people, action, field):
    published(store, draft, people) if action == "retract" else \
        store.transition_claim(draft["id"], "submit", people["author"])
    before = snapshot(store, draft["id"])
    with pytest.raises(DomainError) as info:
        store.transition_claim(draft["id"], action, people["chief"], note="   ")
    assert info.value.field == field
    assert snapshot(store, draft["id"]) == before


def test_unknown_action_is_refused(store, draft, people):
    with pytest.raises(DomainError) as info:
        store.transition_claim(draft["id"], "publish", people["editor"])
    assert info.value.field == "action"


def test_a_stale_version_is_refused(store, draft, people):
    from annotations.models import VersionConflict
    with pytest.raises(VersionConflict):
        store.transition_claim(draft["id"], "submit", people["author"], expected_version=7)
    assert store.claim(draft["id"])["status"] == "draft"


# -- the two-person rule ---------------------------------------------------------------

def test_the_last_author_cannot_approve(store, factories, article, people):
    editor = people["editor"]
    claim = factories.claim(article, "the figure", "unverified", editor)
    store.transition_claim(claim["id"], "submit", editor)
    before = snapshot(store, claim["id"])
    with pytest.raises(NotAllowed) as info:
        store.transition_claim(claim["id"], "approve", editor)
    assert info.value.field == "action" and "two-person" in info.value.message
    assert snapshot(store, claim["id"]) == before
    assert store.transition_claim(claim["id"], "approve", people["chief"])["status"] == \
        "published"


def test_an_editor_who_edits_in_review_becomes_the_last_author(store, draft, people):
    store.transition_claim(draft["id"], "submit", people["author"])
    store.update_claim(draft["id"], {"label": "Mostly accurate"}, people["editor"], None)
    with pytest.raises(NotAllowed):
        store.transition_claim(draft["id"], "approve", people["editor"])
    assert store.claim(draft["id"])["last_edited_by"] == people["editor"].id
    assert store.transition_claim(draft["id"], "approve", people["chief"])["status"] == \
        "published"


def test_workflow_moves_do_not_make_an_author(store, draft, people):
    store.transition_claim(draft["id"], "submit", people["author"])
    store.transition_claim(draft["id"], "request_changes", people["editor"], note="Check")
    store.transition_claim(draft["id"], "submit", people["author"])
    # The editor only sent it back: still free to approve.
    assert store.transition_claim(draft["id"], "approve", people["editor"])["status"] == \
        "published"


def test_a_one_person_desk_may_turn_the_rule_off(store, factories, article, people):
    store.two_person_rule = False
    claim = factories.claim(article, "the figure", "unverified", people["editor"])
    store.transition_claim(claim["id"], "submit", people["editor"])
    assert store.transition_claim(claim["id"], "approve", people["editor"])["status"] == \
        "published"


def test_the_rule_also_guards_approving_a_revision(store, draft, people):
    published(store, draft, people)
    store.update_claim(draft["id"], {"label": "Accurate, with context"}, people["editor"], None)
    store.transition_claim(draft["id"], "submit", people["editor"])
    with pytest.raises(NotAllowed):
        store.transition_claim(draft["id"], "approve", people["editor"],
                               correction_note="Label clarified")


# -- revisions of published claims -------------------------------------------------------

def test_editing_a_published_claim_is_a_revision_readers_do_not_see(store, draft, people):
    published(store, draft, people)
    public_before = store.public_claim(draft["id"])

    revised = store.update_claim(draft["id"], {"verdict": "denied", "label": "False"},
                                 people["other"], None)
    store.add_citation(draft["id"], {"url": "https://roads.example.org/closure"},
                       people["other"])

    assert revised["status"] == "draft"
    assert store.public_claim(draft["id"]) == public_before
    assert [c["verdict"] for c in store.claims_for_article(draft["article_id"])] == ["verified"]
    assert list(store.claim_review_rows(-1))[0][0]["verdict"] == "verified"


def test_approving_a_changed_verdict_needs_a_correction_note(store, draft, people):
    published(store, draft, people)
    store.update_claim(draft["id"], {"verdict": "denied", "label": "False"}, people["other"],
                       None)
    store.transition_claim(draft["id"], "submit", people["other"])
    before = snapshot(store, draft["id"])

    with pytest.raises(DomainError) as info:
        store.transition_claim(draft["id"], "approve", people["editor"])
    assert info.value.field == "correction_note" and "verdict" in info.value.message
    assert snapshot(store, draft["id"]) == before
    with pytest.raises(DomainError):  # minor_edit does not cover a verdict
        store.transition_claim(draft["id"], "approve", people["editor"], minor_edit=True)

    approved = store.transition_claim(draft["id"], "approve", people["editor"],
                                      correction_note="The agency reversed its notice.")
    public = store.public_claim(draft["id"])
    assert approved["status"] == "published"
    assert public["verdict"] == "denied" and public["label"] == "False"
    [correction] = public["corrections"]
    assert correction["note"] == "The agency reversed its notice."
    assert (correction["previous_verdict"], correction["verdict"]) == ("verified", "denied")
    assert (correction["previous_label"], correction["label"]) == ("Accurate", "False")
    assert public["corrected_at"] == correction["at"] == public["published_at"]
    assert public["first_published_at"] < public["published_at"] or \
        public["first_published_at"] <= public["published_at"]
    entry = store.history("claim", draft["id"])[-1]
    assert entry["action"] == "approve"
    assert entry["after"]["correction"]["note"] == "The agency reversed its notice."


@pytest.mark.parametrize("old, new, meaning_changed", [
    ("<p>The agency says it opened.</p>", "<p>The agency says it <em>opened</em>.</p>", False),
    ("<p>The agency says it opened.</p>", "<p>the agency says it opened</p>", False),
    ("<p>The agency says it opened.</p>", "<p>The agency says it never opened.</p>", True),
    ("<p>Мост открыт.</p>", "<p>Мост закрыт.</p>", True),
    ("<p>桥已开放。</p>", "<p>桥已关闭。</p>", True),
])
def test_a_reworded_rationale_is_a_correction_unless_declared_minor(old, new, meaning_changed):
    base = {"verdict": "verified", "label": "Accurate"}
    changed = meaning_changes({**base, "rationale": old}, {**base, "rationale": new})
    assert (changed == ["rationale"]) == meaning_changed
    assert needs_correction_note(changed, minor_edit=False) == meaning_changed
    assert not needs_correction_note(changed, minor_edit=True)


def test_a_minor_rationale_edit_publishes_without_a_correction(store, draft, people):
    published(store, draft, people)
    store.update_claim(draft["id"], {"rationale": "<p>The agency says it had opened.</p>"},
                       people["other"], None)
    store.transition_claim(draft["id"], "submit", people["other"])
    with pytest.raises(DomainError):
        store.transition_claim(draft["id"], "approve", people["editor"])
    store.transition_claim(draft["id"], "approve", people["editor"], minor_edit=True)
    public = store.public_claim(draft["id"])
    assert public["rationale"] == "<p>The agency says it had opened.</p>"
    assert public["corrections"] == [] and public["corrected_at"] is None
    assert store.history("claim", draft["id"])[-1]["after"]["minor_edit"] is True


def test_a_sources_only_revision_needs_no_note(store, draft, people):
    published(store, draft, people)
    store.add_citation(draft["id"], {"url": "https://archive.example.org/notice"},
                       people["other"])
    store.transition_claim(draft["id"], "submit", people["other"])
    store.transition_claim(draft["id"], "approve", people["editor"])
    public = store.public_claim(draft["id"])
    assert len(public["citations"]) == 2 and public["corrections"] == []


def test_the_correction_log_keeps_every_correction(store, draft, people):
    published(store, draft, people)
    for verdict, note in (("denied", "Reversed."), ("unverified", "Disputed again.")):
        store.update_claim(draft["id"], {"verdict": verdict}, people["other"], None)
        store.transition_claim(draft["id"], "submit", people["other"])
        store.transition_claim(draft["id"], "approve", people["editor"], correction_note=note)
    log = store.public_claim(draft["id"])["corrections"]
    assert [(c["previous_verdict"], c["verdict"], c["note"]) for c in log] == [
        ("verified", "denied", "Reversed."), ("denied", "unverified", "Disputed again.")]


# -- retraction and deletion -----------------------------------------------------------

def test_retraction_is_public_and_final(store, draft, people):
    published(store, draft, people)
    retracted = store.transition_claim(draft["id"], "retract", people["editor"],
                                       note="The quote was from another article.")
    public = store.public_claim(draft["id"])
    assert retracted["status"] == "retracted" and public["status"] == "retracted"
    assert public["retraction_reason"] == "The quote was from another article."
    assert public["retracted_at"]
    assert list(store.claim_review_rows(-1)) == []
    with pytest.raises(IllegalTransition):
        store.update_claim(draft["id"], {"label": "x"}, people["author"], None)
    with pytest.raises(IllegalTransition):
        store.add_citation(draft["id"], {"url": "https://x.example.org/"}, people["author"])


def test_a_revision_in_progress_can_still_be_retracted(store, draft, people):
    published(store, draft, people)
    store.update_claim(draft["id"], {"label": "Changed"}, people["other"], None)
    store.transition_claim(draft["id"], "retract", people["editor"], note="Withdrawn.")
    assert store.public_claim(draft["id"])["label"] == "Accurate"


def test_never_published_claims_cannot_be_retracted(store, draft, people):
    with pytest.raises(IllegalTransition):
        store.transition_claim(draft["id"], "retract", people["editor"], note="No")


def test_a_claim_readers_saw_is_not_deleted(store, draft, people):
    published(store, draft, people)
    before = snapshot(store, draft["id"])
    with pytest.raises(IllegalTransition) as info:
        store.delete_claim(draft["id"], people["editor"], None)
    assert "retract" in info.value.message
    assert snapshot(store, draft["id"]) == before


def test_a_claim_readers_never_saw_may_be_deleted(store, draft, people):
    store.delete_claim(draft["id"], people["editor"], None)
    with pytest.raises(NotFound):
        store.claim(draft["id"])


# -- one Save, one version, one audit entry ------------------------------------------------

def test_one_save_with_fields_and_sources_is_one_version_and_one_entry(store, draft, people):
    citation_id = draft["citations"][0]["id"]
    entries = len(store.history("claim", draft["id"]))

    saved = store.update_claim(
        draft["id"], {"verdict": "denied", "label": "False"}, people["author"], 1,
        citations=[{"id": citation_id, "title": "Roads agency notice"},
                   {"url": "https://news.example.org/closure", "stance": "refutes"}])

    assert saved["version"] == 2
    assert [(c["url"], c["title"]) for c in saved["citations"]] == [
        (SOURCE["url"], "Roads agency notice"), ("https://news.example.org/closure", "")]
    history = store.history("claim", draft["id"])
    assert len(history) == entries + 1
    entry = history[-1]
    assert entry["before"]["verdict"] == "verified" and entry["after"]["verdict"] == "denied"
    assert {c.get("url") for c in entry["after"]["citations"]} >= {
        "https://news.example.org/closure"}


def test_a_save_that_removes_sources(store, draft, people):
    saved = store.update_claim(draft["id"], {}, people["author"], 1, citations=[])
    assert saved["citations"] == [] and saved["version"] == 2
    assert store.history("claim", draft["id"])[-1]["before"]["citations"][0]["url"] == \
        SOURCE["url"]


def test_a_save_that_changes_nothing_makes_no_version(store, draft, people):
    citation_id = draft["citations"][0]["id"]
    same = store.update_claim(draft["id"], {"label": "Accurate"}, people["author"], 1,
                              citations=[{"id": citation_id}])
    assert same["version"] == 1
    assert len(store.history("claim", draft["id"])) == 1


@pytest.mark.parametrize("citations, field", [
    ([{"id": 999999}], "citations.0.id"),
    ([{"url": "javascript:alert(1)"}], "citations.0.url"),
    ([{"title": "no url"}], "citations.0.url"),
])
def test_a_bad_source_in_a_save_writes_nothing(store, draft, people, citations, field):
    before = snapshot(store, draft["id"])
    with pytest.raises(DomainError) as info:
        store.update_claim(draft["id"], {"label": "x"}, people["author"], 1, citations=citations)
    assert info.value.field == field
    assert snapshot(store, draft["id"]) == before


def test_another_claims_citation_cannot_be_taken_over(store, factories, article, draft, people):
    other = factories.claim(article, "Critics said", "unverified", people["author"],
                            citations=[{"url": "https://elsewhere.example.org/"}])
    with pytest.raises(DomainError) as info:
        store.update_claim(draft["id"], {}, people["author"], 1,
                           citations=[{"id": other["citations"][0]["id"]}])
    assert info.value.field == "citations.0.id"


# -- orphaned published claims and re-attaching ------------------------------------------

def test_a_reimport_orphans_the_publication_and_reattaching_is_reviewed(store, factories,
                                                                        draft, people):
    published(store, draft, people)
    factories.article("https://news.example.com/bridge",
                      TEXT.replace("The minister said the bridge is open.",
                                   "The minister said the crossing had reopened."))
    assert store.claim(draft["id"])["anchor_state"] == "orphaned"
    public = store.public_claim(draft["id"])
    assert public["anchor_state"] == "orphaned" and public["status"] == "published"
    # Out of the ClaimReview feed until re-attached.
    assert list(store.claim_review_rows(-1)) == []
    assert "orphan_published" in [e["action"] for e in store.history("claim", draft["id"])]

    passage = store.passages(draft["article_id"])[0]
    start = passage["text"].index("the crossing had reopened")
    reattached = store.reattach_claim(draft["id"], passage["id"], start,
                                      start + len("the crossing had reopened"),
                                      people["other"], store.claim(draft["id"])["version"])
    assert reattached["anchor_state"] == "anchored" and reattached["status"] == "draft"
    assert reattached["exact"] == "the crossing had reopened"
    # Readers still have the orphaned publication until an editor approves.
    assert store.public_claim(draft["id"])["anchor_state"] == "orphaned"

    store.transition_claim(draft["id"], "submit", people["other"])
    store.transition_claim(draft["id"], "approve", people["editor"])
    public = store.public_claim(draft["id"])
    assert public["anchor_state"] == "anchored" and public["exact"] == "the crossing had reopened"
    assert [c["id"] for c, _ in store.claim_review_rows(-1)] == [draft["id"]]


def test_a_reimport_moves_the_publication_with_its_quote(store, factories, draft, people):
    published(store, draft, people)
    factories.article("https://news.example.com/bridge", "A new first paragraph.\n\n" + TEXT)
    public = store.public_claim(draft["id"])
    passage = store.passage(public["passage_id"])
    assert passage["text"][public["start_offset"]:public["end_offset"]] == "the bridge is open"


def test_reattaching_to_another_articles_passage_is_refused(store, factories, draft, people):
    other = factories.article("https://news.example.com/other", "Another story entirely.")
    with pytest.raises(DomainError) as info:
        store.reattach_claim(draft["id"], other["passages"][0]["id"], 0, 7, people["author"], 1)
    assert info.value.field == "passage_id"


def test_reattach_counts_code_points(store, factories, article, people):
    claim = factories.claim(article, "мост 🌉 открыт", "unverified", people["author"])
    passage = store.passage(claim["passage_id"])
    start = passage["text"].index("市长说桥已开放")
    moved = store.reattach_claim(claim["id"], passage["id"], start, start + 7, people["author"],
                                 1)
    assert moved["exact"] == "市长说桥已开放"


def test_the_system_may_approve_what_it_wrote(store, factories, article):
    claim = factories.claim(article, "the figure", "unverified", SYSTEM)
    store.transition_claim(claim["id"], "submit", SYSTEM)
    assert store.transition_claim(claim["id"], "approve", SYSTEM)["status"] == "published"


def test_a_quote_given_to_create_a_claim_is_placed_on_an_exact_occurrence(store, factories,
                                                                          people):
    """In one passage, two exact copies in unrelated context and a near copy
    whose context is the one given: the claim is never made on the near copy
    (it refuses, asking for context that tells the copies apart)."""
    text = ("Pull quote: the harbour reopened fully. Related: the harbour reopened fully. "
            "On Monday the city said the harbour reopend fully after the storm passed.")
    article = factories.article("https://news.example.com/harbour", text)
    passage = article["passages"][0]
    before = snapshot(store, 0)
    with pytest.raises(DomainError) as info:
        store.create_claim_from_quote(
            passage["id"], "the harbour reopened fully", "On Monday the city said ",
            " after the storm passed.", "unverified", people["author"])
    assert info.value.field == "prefix"
    assert snapshot(store, 0) == before
