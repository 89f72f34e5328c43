"""Claims and their citations: create, read, edit under a version check,
publish, delete, and re-anchor after the article's text changed."""

from ..anchoring import ArticleText
from ..models import CITATION_FIELDS, CLAIM_STATUSES, Actor, DomainError, VersionConflict
from ..rules import check_choice, check_verdict, checked_citation, require_sources
from ..text import normalize_text
from .base import StoreBase
from .database import utcnow

EDITABLE_CLAIM_FIELDS = frozenset({"verdict", "label", "rationale"})


class Claims(StoreBase):
    # -- reading ---------------------------------------------------------------

    def claim(self, claim_id: int) -> dict:
        claim = self._one("SELECT * FROM claims WHERE id = ?", [claim_id], "claim", claim_id)
        claim["citations"] = self.citations(claim_id)
        return claim

    def citations(self, claim_id: int) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM citations WHERE claim_id = ? ORDER BY id", [claim_id]))

    def citation(self, citation_id: int) -> dict:
        return self._one("SELECT * FROM citations WHERE id = ?", [citation_id],
                         "citation", citation_id)

    def claims_for_article(self, article_id: int, published_only: bool = True) -> list[dict]:
        sql = "SELECT * FROM claims WHERE article_id = ?"
        if published_only:
            sql += " AND status = 'published'"
        claims = list(self.db.query(sql + " ORDER BY id", [article_id]))
        by_id = {c["id"]: {**c, "citations": []} for c in claims}
        if by_id:
            marks = ",".join("?" * len(by_id))
            for citation in self.db.query(
                    f"SELECT * FROM citations WHERE claim_id IN ({marks}) ORDER BY id", list(by_id)):
                by_id[citation["claim_id"]]["citations"].append(citation)
        return list(by_id.values())

    # -- creating ----------------------------------------------------------------

    def create_claim(self, passage_id: int, start: int, end: int, verdict: str,
                     actor: Actor, label: str = "", rationale: str = "",
                     citations: tuple = ()) -> dict:
        """A claim on a span of one passage, with its citations, in one go.

        ``rationale`` must already be sanitised by the caller's sanitiser.
        """
        check_verdict(verdict)
        passage = self.passage(passage_id)
        selector = self.article_text(passage["article_id"]).selector(passage["ordinal"], start, end)
        return self._insert_claim(actor, citations, {
            "article_id": passage["article_id"], "passage_id": passage_id,
            "start_offset": start, "end_offset": end, **selector,
            "anchor_state": "anchored", "verdict": verdict,
            "label": normalize_text(label or ""), "rationale": rationale or ""})

    def create_claim_from_quote(self, passage_id: int, exact: str, prefix: str, suffix: str,
                                verdict: str, actor: Actor, **fields) -> dict:
        """A claim placed by a W3C TextQuoteSelector, checked against the passage."""
        passage = self.passage(passage_id)
        if not exact:
            raise DomainError("exact", "the quote is empty")
        occurrences = passage["text"].count(exact)
        if occurrences == 0:
            raise DomainError("exact", "the quote does not match the passage text")
        if occurrences == 1:
            start = passage["text"].index(exact)
        else:
            anchor = self.article_text(passage["article_id"]).locate(
                exact, prefix or "", suffix or "", within=passage["ordinal"])
            if anchor is None:
                raise DomainError("prefix", "the quote occurs more than once in the passage; "
                                            "give a prefix or suffix that tells which")
            start = anchor.start
        return self.create_claim(passage_id, start, start + len(exact), verdict, actor, **fields)

    def create_orphaned_claim(self, article_id: int, exact: str, prefix: str, suffix: str,
                              verdict: str, actor: Actor, label: str = "", rationale: str = "",
                              citations: tuple = ()) -> dict:
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
            "label": normalize_text(label or ""), "rationale": rationale or ""})

    def _insert_claim(self, actor: Actor, citations, row: dict) -> dict:
        """A new draft claim with its citations and its audit entry."""
        checked = [checked_citation(c, f"citations.{i}.") for i, c in enumerate(citations)]
        now = utcnow()
        with self.transaction():
            claim_id = self.db.table("claims").insert({
                **row, "status": "draft", "version": 1,
                "created_by": actor.id, "updated_by": actor.id,
                "created_at": now, "updated_at": now,
            }).last_pk
            for citation in checked:
                self.db.table("citations").insert({**citation, "claim_id": claim_id,
                                                   "created_at": now})
            claim = self.claim(claim_id)
            self._audit(actor, "create", "claim", claim_id, None, claim)
        return claim

    # -- changing, each under the version the client last saw --------------------

    def _current(self, claim_id: int, expected_version: int | None) -> dict:
        """The claim as it is, checked against the version the writer saw."""
        claim = self.claim(claim_id)
        if expected_version is not None and claim["version"] != expected_version:
            raise VersionConflict(claim)
        return claim

    def _save(self, before: dict, actor: Actor, action: str, changes: dict | None = None) -> dict:
        """Write ``changes`` with the next version number; audit the claim
        as it was and as it is now."""
        self.db.table("claims").update(before["id"], {
            "version": before["version"] + 1, "updated_by": actor.id, "updated_at": utcnow(),
            **(changes or {})})
        after = self.claim(before["id"])
        self._audit(actor, action, "claim", before["id"], before, after)
        return after

    def set_claim_status(self, claim_id: int, status: str, actor: Actor,
                         expected_version: int | None = None) -> dict:
        check_choice("status", status, CLAIM_STATUSES)
        with self.transaction():
            before = self._current(claim_id, expected_version)
            if before["status"] == status:
                return before
            now = utcnow()
            if status == "published":
                require_sources(before["verdict"], len(before["citations"]), "citations",
                                "a verified or denied claim needs a citation before publishing")
                published = {"published_by": actor.id, "published_at": now}
            else:
                published = {"published_by": None, "published_at": None}
            action = "publish" if status == "published" else "unpublish"
            return self._save(before, actor, action,
                              {"status": status, "updated_at": now, **published})

    def update_claim(self, claim_id: int, changes: dict, actor: Actor,
                     expected_version: int | None) -> dict:
        """Change verdict, label or rationale (already sanitised)."""
        unknown = set(changes) - EDITABLE_CLAIM_FIELDS
        if unknown:
            raise DomainError(sorted(unknown)[0], "this field cannot be changed")
        if "verdict" in changes:
            check_verdict(changes["verdict"])
        if "label" in changes:
            changes = {**changes, "label": normalize_text(changes["label"] or "")}
        with self.transaction():
            before = self._current(claim_id, expected_version)
            if before["status"] == "published" and "verdict" in changes:
                require_sources(changes["verdict"], len(before["citations"]), "verdict")
            return self._save(before, actor, "update", changes)

    def delete_claim(self, claim_id: int, actor: Actor, expected_version: int | None) -> None:
        with self.transaction():
            before = self._current(claim_id, expected_version)
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._audit(actor, "delete", "claim", claim_id, before, None)

    def add_citation(self, claim_id: int, citation: dict, actor: Actor,
                     expected_version: int | None = None) -> dict:
        """Add a source to a claim; the claim's version moves on."""
        checked = checked_citation(citation)
        with self.transaction():
            before = self._current(claim_id, expected_version)
            citation_id = self.db.table("citations").insert(
                {**checked, "claim_id": claim_id, "created_at": utcnow()}).last_pk
            self._save(before, actor, "update")
        return self.citation(citation_id)

    def update_citation(self, citation_id: int, changes: dict, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            checked = checked_citation({**{k: current[k] for k in CITATION_FIELDS}, **changes})
            before = self._current(current["claim_id"], expected_version)
            self.db.table("citations").update(citation_id, checked)
            self._save(before, actor, "update")
        return self.citation(citation_id)

    def delete_citation(self, citation_id: int, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            before = self._current(current["claim_id"], expected_version)
            if before["status"] == "published":
                require_sources(before["verdict"], len(before["citations"]) - 1, "citation",
                                "a published verified or denied claim keeps at least one citation")
            self.db.execute("DELETE FROM citations WHERE id = ?", [citation_id])
            return self._save(before, actor, "update")

    # -- after a re-import ---------------------------------------------------------

    def _reanchor_claims(self, article_id: int, text: ArticleText, passage_ids: list[int],
                         actor: Actor, now: str) -> tuple[int, int]:
        """Find each claim of the article again in its new text, or orphan it;
        every move is audited. Returns (kept, orphaned)."""
        kept = orphaned = 0
        for claim in self.db.query("SELECT * FROM claims WHERE article_id = ?", [article_id]):
            anchor = text.locate(claim["exact"], claim["prefix"], claim["suffix"])
            if anchor is None:
                orphaned += 1
                change = {"anchor_state": "orphaned", "passage_id": None,
                          "start_offset": None, "end_offset": None}
            else:
                kept += 1
                change = {"anchor_state": "anchored",
                          "passage_id": passage_ids[anchor.passage_index],
                          "start_offset": anchor.start, "end_offset": anchor.end,
                          **text.selector(anchor.passage_index, anchor.start, anchor.end)}
            if any(claim[k] != v for k, v in change.items()):
                before = {k: claim[k] for k in change}
                self.db.table("claims").update(
                    claim["id"], {**change, "version": claim["version"] + 1, "updated_at": now})
                action = "orphan" if change["anchor_state"] == "orphaned" else "reanchor"
                self._audit(actor, action, "claim", claim["id"], before, change)
        return kept, orphaned
