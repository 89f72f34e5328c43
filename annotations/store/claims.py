"""Claims and their citations: create, read, edit under a version check,
delete. Moving a claim through review and publishing it is
store.publications'; finding claims again after a re-import is
store.reanchoring's."""

from ..anchoring import count_occurrences
from ..quote_finding import MAX_OCCURRENCES
from ..rationale_markdown import render_markdown
from ..models import CITATION_FIELDS, CONTEXT_LENGTH, Actor, DomainError, VersionConflict
from ..rules import check_citation_count, check_verdict, checked_citation, checked_summary
from ..text import normalize_text
from ..workflow import IllegalTransition, check_editable, status_after_edit
from .database import utcnow
from .publications import Publications

EDITABLE_CLAIM_FIELDS = frozenset({"verdict", "label", "rationale", "rationale_markdown",
                                   "summary"})
# Every claim of an article is on its page and in its API answer; real
# articles have tens. A store's max_claims_per_article may set another.
MAX_CLAIMS_PER_ARTICLE = 5000
# A claim's sources in the desk's order (m0020); the id breaks ties among
# rows written without a position (benchmarks write citations directly).
CITATION_ORDER = "position, id"
# Always different after a write and already in the audit entry's own actor
# and time: left out of what an entry says changed.
_BOOKKEEPING_FIELDS = frozenset({"updated_at", "updated_by", "last_edited_by"})


def _rationale_columns(rationale: str | None, markdown: str | None) -> dict:
    """The two rationale columns kept in step: a Markdown source and the
    clean HTML rendered from it, or HTML typed as such (already sanitised by
    the caller), which leaves no Markdown source."""
    if markdown is not None:
        return {"rationale": render_markdown(markdown), "rationale_markdown": markdown}
    return {"rationale": rationale or "", "rationale_markdown": None}


def _changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """The claim fields a write changed, as they were and as they are; the
    citations list counts as its length (``citation_count``)."""
    def flat(claim):
        return {**{k: v for k, v in claim.items() if k != "citations"},
                "citation_count": len(claim["citations"])}
    old, new = flat(before), flat(after)
    changed = [k for k in new if k not in _BOOKKEEPING_FIELDS and old.get(k) != new[k]]
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}


class Claims(Publications):
    max_claims_per_article = MAX_CLAIMS_PER_ARTICLE

    # -- reading ---------------------------------------------------------------

    def claim(self, claim_id: int) -> dict:
        claim = self._one("SELECT * FROM claims WHERE id = ?", [claim_id], "claim", claim_id)
        claim["citations"] = self.citations(claim_id)
        return claim

    def citations(self, claim_id: int) -> list[dict]:
        return list(self.db.query(
            f"SELECT * FROM citations WHERE claim_id = ? ORDER BY {CITATION_ORDER}", [claim_id]))

    def citation(self, citation_id: int) -> dict:
        return self._one("SELECT * FROM citations WHERE id = ?", [citation_id],
                         "citation", citation_id)

    def claims_for_article(self, article_id: int, published_only: bool = True) -> list[dict]:
        """The desk's working copies, or (``published_only``) what readers
        see: the publications with their corrections, retracted ones
        included unless the store's ``show_retracted`` is off."""
        if published_only:
            shown = "" if self.show_retracted else " AND c.status = 'published'"
            return self.public_claims("c.article_id = ?" + shown, [article_id])
        return self.with_citations(self.db.query(
            "SELECT * FROM claims WHERE article_id = ? ORDER BY id", [article_id]))

    def with_citations(self, claims) -> list[dict]:
        """Working copies, each with its ``citations``, read in one query."""
        by_id = {c["id"]: {**c, "citations": []} for c in claims}
        if by_id:
            marks = ",".join("?" * len(by_id))
            for citation in self.db.query(
                    f"SELECT * FROM citations WHERE claim_id IN ({marks})"
                    f" ORDER BY claim_id, {CITATION_ORDER}", list(by_id)):
                by_id[citation["claim_id"]]["citations"].append(citation)
        return list(by_id.values())

    # -- creating ----------------------------------------------------------------

    def create_claim(self, passage_id: int, start: int, end: int, verdict: str,
                     actor: Actor, label: str = "", rationale: str = "",
                     citations: tuple = (), author: Actor | None = None,
                     summary: str = "", rationale_markdown: str | None = None) -> dict:
        """A claim on a span of one passage, with its citations, in one go.

        ``rationale`` must already be sanitised by the caller's sanitiser;
        ``rationale_markdown``, when given, is rendered in its place.
        ``author``: whose claim it is, when not ``actor`` (see _insert_claim).
        """
        check_verdict(verdict)
        passage = self.passage(passage_id)
        text, index = self.text_around(passage, CONTEXT_LENGTH)
        selector = text.selector(index, start, end)
        return self._insert_claim(actor, citations, {
            "article_id": passage["article_id"], "passage_id": passage_id,
            "start_offset": start, "end_offset": end, **selector,
            "anchor_state": "anchored", "verdict": verdict,
            "label": normalize_text(label or ""),
            **_rationale_columns(rationale, rationale_markdown),
            "summary": checked_summary(summary)}, author)

    def create_claim_from_quote(self, passage_id: int, exact: str, prefix: str, suffix: str,
                                verdict: str, actor: Actor, **fields) -> dict:
        """A claim placed by a W3C TextQuoteSelector, checked against the passage."""
        passage = self.passage(passage_id)
        if not exact:
            raise DomainError("exact", "the quote is empty")
        # Counted up to the bound only: a long quote of repetitive text can
        # occur hundreds of thousands of times, each costly to score.
        occurrences = count_occurrences(passage["text"], exact, MAX_OCCURRENCES)
        if occurrences == 0:
            raise DomainError("exact", "the quote does not match the passage text")
        if occurrences > MAX_OCCURRENCES:
            raise DomainError("exact", f"the quote occurs more than {MAX_OCCURRENCES} times in "
                                       "the passage, too often to be placed; use start/end offsets")
        if occurrences == 1:
            start = passage["text"].index(exact)
        else:
            # The context the prefix and suffix are compared with, no more.
            text, index = self.text_around(
                passage, max(CONTEXT_LENGTH, len(prefix or ""), len(suffix or "")))
            anchor = text.locate(exact, prefix or "", suffix or "", within=index)
            # A new claim quotes the text as it is: one of the exact
            # occurrences, never a near match the context might prefer.
            if anchor is None or passage["text"][anchor.start:anchor.end] != exact:
                raise DomainError("prefix", "the quote occurs more than once in the passage; "
                                            "give a prefix or suffix that tells which")
            start = anchor.start
        return self.create_claim(passage_id, start, start + len(exact), verdict, actor, **fields)

    def create_orphaned_claim(self, article_id: int, exact: str, prefix: str, suffix: str,
                              verdict: str, actor: Actor, label: str = "", rationale: str = "",
                              citations: tuple = (), author: Actor | None = None,
                              summary: str = "", rationale_markdown: str | None = None) -> dict:
        """A claim whose quote is not in its article's text any more, as a
        re-import leaves one: kept with its quote and context, no passage.
        For bringing back an exported orphaned claim (Web Annotation import).
        """
        check_verdict(verdict)
        if not exact:
            raise DomainError("exact", "the quote is empty")
        self.article(article_id)
        return self._insert_claim(actor, citations, {
            "article_id": article_id, "passage_id": None,
            "start_offset": None, "end_offset": None,
            "exact": exact, "prefix": prefix or "", "suffix": suffix or "",
            "anchor_state": "orphaned", "verdict": verdict,
            "label": normalize_text(label or ""),
            **_rationale_columns(rationale, rationale_markdown),
            "summary": checked_summary(summary)}, author)

    def _insert_claim(self, actor: Actor, citations, row: dict,
                      author: Actor | None = None) -> dict:
        """A new draft claim with its citations and its audit entry.

        ``author`` is whose claim it is when that is not who writes it (an
        import keeps the document's creator): data only, the audit entry
        always names ``actor``.
        """
        check_citation_count(len(citations))
        checked = [checked_citation(c, f"citations.{i}.") for i, c in enumerate(citations)]
        author = author or actor
        now = utcnow()
        with self.transaction():
            self._check_claim_room(row["article_id"])
            claim_id = self.db.table("claims").insert({
                **row, "status": "draft", "version": 1,
                "created_by": author.id, "updated_by": author.id, "last_edited_by": author.id,
                "created_at": now, "updated_at": now,
            }).last_pk
            for position, citation in enumerate(checked):
                self.db.table("citations").insert({**citation, "claim_id": claim_id,
                                                   "position": position, "created_at": now})
            claim = self.claim(claim_id)
            self._audit(actor, "create", "claim", claim_id, None, claim)
        return claim

    def _check_claim_room(self, article_id: int) -> None:
        limit = self.max_claims_per_article
        count, = self.db.execute("SELECT count(*) FROM claims WHERE article_id = ?",
                                 [article_id]).fetchone()
        if count >= limit:
            raise DomainError("passage_id", f"the article already has {count} claims, the most "
                              f"one article may have (max_claims_per_article: {limit})")

    # -- changing, each under the version the client last saw --------------------

    def _current(self, claim_id: int, expected_version: int | None) -> dict:
        """The claim as it is, checked against the version the writer saw."""
        claim = self.claim(claim_id)
        if expected_version is not None and claim["version"] != expected_version:
            raise VersionConflict(claim)
        return claim

    def _save(self, before: dict, actor: Actor, action: str, changes: dict | None = None,
              citations: tuple = (None, None), recorded: dict | None = None,
              citation_order: tuple = (None, None)) -> dict:
        """Write ``changes`` with the next version number; audit only what
        changed (the fields, the version, the citation count) so an entry
        stays small however many citations the claim has. ``citations`` is
        the (before, after) of the citations the write touched, if any;
        ``citation_order`` the (before, after) order of sources that moved;
        ``recorded`` is more the entry says (a note, a correction)."""
        self.db.table("claims").update(before["id"], {
            "version": before["version"] + 1, "updated_by": actor.id, "updated_at": utcnow(),
            **(changes or {})})
        after = self.claim(before["id"])
        old, new = _changed_fields(before, after)
        for key, pair in (("citations", citations), ("citation_order", citation_order)):
            for side, value in zip((old, new), pair):
                if value is not None:
                    side[key] = value
        new.update(recorded or {})
        self._audit(actor, action, "claim", before["id"], old, new)
        return after

    def _edit(self, before: dict, actor: Actor, action: str, changes: dict | None = None,
              citations: tuple = (None, None), citation_order: tuple = (None, None)) -> dict:
        """A change to what the claim says: refused once retracted; on a
        published claim it starts a revision (readers keep the publication
        until an editor approves); its writer becomes the last author."""
        check_editable(before)
        return self._save(before, actor, action, {
            **(changes or {}), "status": status_after_edit(before["status"]),
            "last_edited_by": actor.id}, citations, citation_order=citation_order)

    def update_claim(self, claim_id: int, changes: dict, actor: Actor,
                     expected_version: int | None, citations: list | None = None) -> dict:
        """Change verdict, label or rationale (HTML already sanitised, or
        ``rationale_markdown``, rendered here) and, when
        ``citations`` is given, make the sources that list: an entry with the
        ``id`` of one of the claim's citations keeps (and edits) it, one
        without adds a source, and those left out are removed; the list's
        order becomes the sources' order (a kept source keeps its id where
        it moves). One Save, one version, one audit entry."""
        unknown = set(changes) - EDITABLE_CLAIM_FIELDS
        if unknown:
            raise DomainError(sorted(unknown)[0], "this field cannot be changed")
        if "verdict" in changes:
            check_verdict(changes["verdict"])
        if "label" in changes:
            changes = {**changes, "label": normalize_text(changes["label"] or "")}
        if "summary" in changes:
            changes = {**changes, "summary": checked_summary(changes["summary"])}
        if "rationale" in changes or "rationale_markdown" in changes:
            if "rationale" in changes and changes.get("rationale_markdown") is not None:
                raise DomainError("rationale_markdown", "give the rationale as Markdown or as "
                                                        "HTML, not both")
            changes = {**changes, **_rationale_columns(changes.get("rationale"),
                                                       changes.get("rationale_markdown"))}
        if citations is not None:
            check_citation_count(len(citations))
        with self.transaction():
            before = self._current(claim_id, expected_version)
            touched = order = (None, None)
            if citations is not None:
                touched, order = self._replace_citations(before, citations)
            if (not any(before[k] != v for k, v in changes.items())
                    and touched == order == (None, None)):
                return before
            return self._edit(before, actor, "update", changes, touched, order)

    def _replace_citations(self, claim: dict, wanted: list) -> tuple[tuple, tuple]:
        """Make the claim's citations ``wanted``, in that order (see
        update_claim). Returns what the audit entry says of it, each a
        (before, after) pair: the citations added, changed or removed, or
        (None, None); and the kept sources in their old and new order (id
        and URL) when they moved among themselves, or (None, None)."""
        current = {c["id"]: c for c in claim["citations"]}  # in their order
        kept, old, new, now = [], [], [], utcnow()
        for position, citation in enumerate(wanted):
            citation = dict(citation)
            citation_id = citation.pop("id", None)
            if citation_id is None:
                checked = checked_citation(citation, f"citations.{position}.")
                added = self.db.table("citations").insert(
                    {**checked, "claim_id": claim["id"], "position": position,
                     "created_at": now}).last_pk
                new.append({"id": added, **checked})
                continue
            if citation_id not in current or citation_id in kept:
                raise DomainError(f"citations.{position}.id",
                                  f"citation {citation_id} is not one of this claim's")
            kept.append(citation_id)
            was = current[citation_id]
            checked = checked_citation({**{k: was[k] for k in CITATION_FIELDS}, **citation},
                                       f"citations.{position}.")
            changed = [k for k in CITATION_FIELDS if was[k] != checked.get(k)]
            written = {k: checked.get(k) for k in changed}
            if was["position"] != position:
                written["position"] = position
            if written:
                self.db.table("citations").update(citation_id, written)
            if changed:
                old.append({"id": citation_id, **{k: was[k] for k in changed}})
                new.append({"id": citation_id, **{k: checked.get(k) for k in changed}})
        for citation_id, was in current.items():
            if citation_id not in kept:
                self.db.execute("DELETE FROM citations WHERE id = ?", [citation_id])
                old.append({k: was[k] for k in ("id", *CITATION_FIELDS)})
        touched = (old, new) if old or new else (None, None)
        order = (None, None)
        before_order = [citation_id for citation_id in current if citation_id in kept]
        if before_order != kept:
            order = tuple([{"id": i, "url": current[i]["url"]} for i in ids]
                          for ids in (before_order, kept))
        return touched, order

    def reattach_claim(self, claim_id: int, passage_id: int, start: int, end: int,
                       actor: Actor, expected_version: int | None) -> dict:
        """Place the claim on a new span (an orphaned claim found again by
        hand, or a span corrected): a revision like any other edit."""
        passage = self.passage(passage_id)
        text, index = self.text_around(passage, CONTEXT_LENGTH)
        selector = text.selector(index, start, end)
        with self.transaction():
            before = self._current(claim_id, expected_version)
            if passage["article_id"] != before["article_id"]:
                raise DomainError("passage_id", "the passage is in another article")
            return self._edit(before, actor, "reattach", {
                "passage_id": passage_id, "start_offset": start, "end_offset": end,
                "anchor_state": "anchored", **selector})

    def delete_claim(self, claim_id: int, actor: Actor, expected_version: int | None) -> None:
        """Delete a claim readers never saw; a published one is retracted
        instead, so readers are told it was withdrawn."""
        with self.transaction():
            before = self._current(claim_id, expected_version)
            if self.publication(claim_id) is not None:
                raise IllegalTransition("a claim readers have seen is not deleted: retract it, "
                                        "with a reason readers will read", before)
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._audit(actor, "delete", "claim", claim_id, before, None)

    def add_citation(self, claim_id: int, citation: dict, actor: Actor,
                     expected_version: int | None = None) -> dict:
        """Add a source to a claim; the claim's version moves on."""
        checked = checked_citation(citation)
        with self.transaction():
            before = self._current(claim_id, expected_version)
            check_citation_count(len(before["citations"]) + 1)
            position = self.db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM citations WHERE claim_id = ?",
                [claim_id]).fetchone()[0]
            citation_id = self.db.table("citations").insert(
                {**checked, "claim_id": claim_id, "position": position,
                 "created_at": utcnow()}).last_pk
            added = self.citation(citation_id)
            self._edit(before, actor, "add_citation", citations=(None, [added]))
        return added

    def update_citation(self, citation_id: int, changes: dict, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            checked = checked_citation({**{k: current[k] for k in CITATION_FIELDS}, **changes})
            before = self._current(current["claim_id"], expected_version)
            self.db.table("citations").update(citation_id, checked)
            updated = self.citation(citation_id)
            changed = [k for k in CITATION_FIELDS if current[k] != updated[k]]
            self._edit(before, actor, "update_citation", citations=(
                [{"id": citation_id, **{k: current[k] for k in changed}}],
                [{"id": citation_id, **{k: updated[k] for k in changed}}]))
        return updated

    def delete_citation(self, citation_id: int, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            before = self._current(current["claim_id"], expected_version)
            self.db.execute("DELETE FROM citations WHERE id = ?", [citation_id])
            return self._edit(before, actor, "remove_citation", citations=([current], None))
