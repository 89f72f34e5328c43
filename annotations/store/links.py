"""Linked claims (annotations.links): linking a claim to an earlier
fact-check and unlinking it, the desk's copy of a linked claim showing its
original, and the edits a link refuses. What readers see of a linked claim
is store.publications.PUBLIC_CLAIMS' (and m0017's triggers keep the lookup
buckets of its pages in step with the original)."""

from ..links import INHERITED_FIELDS, UNLINK_FIRST, LinkConflict, inherited_field_message
from ..models import CITATION_FIELDS, Actor, DomainError
from ..rationale_markdown import render_markdown
from ..similarity import matched_words, similarity
from ..workflow import check_editable
from .claims import Claims
from .database import utcnow
from .publications import CORRECTION_FIELDS, PUBLIC_CITATION_COLUMNS

# The desk's Markdown source of a rationale: a linked claim has none of its
# own (its rationale is the original's HTML), so none is kept or accepted.
OWN_MARKDOWN = "rationale_markdown"

# similar_claims ranks at most its bounded candidates: this asks for all.
_EVERY_RANKED = 10_000
_ORIGIN_ARTICLES = ("SELECT c.id AS claim_id, a.id AS article_id, a.title, a.url"
                    " FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({})")


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _same_sources(shown: list[dict], wanted: list[dict]) -> bool:
    def key(citation):
        return tuple((citation.get(k) or None) for k in CITATION_FIELDS)
    return [key(c) for c in shown] == [key(c) for c in wanted]


class ClaimLinks(Claims):
    """Claims with links: reading a linked claim's working copy gives its
    original's current published verdict, label, rationale and sources, with
    ``link`` saying where they come from (None on any other claim)."""

    # -- reading -------------------------------------------------------------------

    def claim(self, claim_id: int) -> dict:
        return self._following_origins([super().claim(claim_id)])[0]

    def with_citations(self, claims) -> list[dict]:
        return self._following_origins(super().with_citations(claims))

    def public_claims(self, where: str, params: list, limit: int = -1) -> list[dict]:
        claims = super().public_claims(where, params, limit)
        self._add_links(claims)
        return claims

    def _following_origins(self, claims: list[dict]) -> list[dict]:
        origin_ids = sorted({c["linked_to"] for c in claims if c.get("linked_to")})
        origins = {}
        if origin_ids:
            origins = {o["id"]: o for o in super().public_claims(
                f"c.id IN ({_marks(origin_ids)})", origin_ids)}
        for claim in claims:
            origin = origins.get(claim.get("linked_to"))
            if origin is not None:
                claim.update({k: origin[k] for k in INHERITED_FIELDS}, **{OWN_MARKDOWN: None})
                claim["citations"] = [dict(c) for c in origin["citations"]]
        self._add_links(claims)
        return claims

    def _add_links(self, claims: list[dict]) -> None:
        """``link`` on each claim: the original it follows (its claim and
        article, and whether readers see it retracted), or None."""
        origin_ids = sorted({c["linked_to"] for c in claims if c.get("linked_to")})
        described = {}
        if origin_ids:
            retracted = {row[0]: row[1] for row in self.db.execute(
                f"SELECT claim_id, retracted_at FROM claim_publications"
                f" WHERE claim_id IN ({_marks(origin_ids)})", origin_ids)}
            for row in self.db.query(_ORIGIN_ARTICLES.format(_marks(origin_ids)), origin_ids):
                described[row["claim_id"]] = {
                    "claim_id": row["claim_id"], "article_id": row["article_id"],
                    "article_title": row["title"], "article_url": row["url"],
                    "retracted": retracted.get(row["claim_id"]) is not None}
        for claim in claims:
            claim["link"] = described.get(claim.get("linked_to"))

    def as_readers_see(self, suggestions: list[dict]) -> list[dict]:
        """Earlier fact-checks (store.similar rows) with the verdict and label
        readers see now, and ``link``: a linked one shows its original's, and
        a link made to it goes to that original."""
        ids = [s["id"] for s in suggestions]
        shown = {c["id"]: c for c in self.public_claims(f"c.id IN ({_marks(ids)})", ids)} \
            if ids else {}
        return [{**s, **{k: shown[s["id"]][k] for k in ("verdict", "label", "link")}}
                if s["id"] in shown else s for s in suggestions]

    def earlier_fact_checks(self, text: str, exclude_article_id: int | None,
                            limit: int) -> list[dict]:
        """store.similar's suggestions for ``text`` with every linked
        appearance folded into its original: the original is suggested once,
        where its best-ranked appearance (or itself) stands, with its own
        quote and likeness, and ``linked_from``, how many pages readers see
        following it. An appearance whose original could not be linked to
        from this article (retracted, or on it) is left out. The first
        ``limit``, as readers see them (as_readers_see)."""
        # Folding shortens the list: fold every candidate similar_claims
        # ranks (it ranks a bounded number), then cut.
        ranked = self.similar_claims(text, exclude_article_id, limit=_EVERY_RANKED)
        ids = [s["id"] for s in ranked]
        follows = {}
        if ids:
            # As _link_target goes: readers' link first, else the desk's.
            follows = {row[0]: row[1] for row in self.db.execute(
                "SELECT p.claim_id, coalesce(p.linked_to, w.linked_to) FROM claim_publications p"
                f" JOIN claims w ON w.id = p.claim_id WHERE p.claim_id IN ({_marks(ids)})"
                " AND coalesce(p.linked_to, w.linked_to) IS NOT NULL", ids)}
        by_id = {s["id"]: s for s in ranked}
        missing = sorted({o for o in follows.values() if o not in by_id})
        for origin in self._suggestable(missing, exclude_article_id):
            by_id[origin["id"]] = {**origin, "score": round(similarity(text, origin["exact"]), 3),
                                   "matched_words": matched_words(text, origin["exact"])}
        folded = {}
        for suggestion in ranked:
            origin = by_id.get(follows.get(suggestion["id"], suggestion["id"]))
            if origin is not None:
                folded.setdefault(origin["id"], origin)
        folded = list(folded.values())[:limit]
        counts = self.linked_appearances(s["id"] for s in folded)
        return self.as_readers_see([{**s, "linked_from": len(counts[s["id"]])} for s in folded])

    def _suggestable(self, claim_ids: list[int], exclude_article_id: int | None) -> list[dict]:
        """These claims in store.similar's shape, those a link may go to:
        published, not retracted, not on the excluded article."""
        if not claim_ids:
            return []
        return list(self.db.query(
            "SELECT c.id, c.article_id, p.exact, p.verdict, p.label, a.title AS article_title,"
            " a.url AS article_url FROM claims c"
            " JOIN claim_publications p ON p.claim_id = c.id AND p.retracted_at IS NULL"
            " JOIN articles a ON a.id = c.article_id"
            f" WHERE c.id IN ({_marks(claim_ids)}) AND c.article_id IS NOT ?",
            [*claim_ids, exclude_article_id]))

    def linked_appearances(self, origin_ids) -> dict[int, list[dict]]:
        """For each of these originals, the articles where readers see a
        claim linked to it (published, on its page), by claim id: the other
        appearances its ClaimReview lists. One query for a feed's page."""
        ids = sorted(set(origin_ids))
        found = {origin_id: [] for origin_id in ids}
        if ids:
            for row in self.db.query(
                    "SELECT p.linked_to AS origin_id, a.* FROM claim_publications p"
                    " JOIN claims w ON w.id = p.claim_id JOIN articles a ON a.id = w.article_id"
                    f" WHERE p.linked_to IN ({_marks(ids)}) AND p.retracted_at IS NULL"
                    " AND p.anchor_state = 'anchored' ORDER BY p.claim_id", ids):
                found[row.pop("origin_id")].append(row)
        return found

    # -- linking and unlinking ---------------------------------------------------------

    def link_claim(self, claim_id: int, origin_id: int, actor: Actor,
                   expected_version: int | None) -> dict:
        """Link the claim to the fact-check ``origin_id`` (or, when that is
        itself a linked claim, to its original). The claim's own values
        become the original's (kept should the original ever go); on a
        published claim this starts a revision."""
        with self.transaction():
            before = self._current(claim_id, expected_version)
            check_editable(before)
            origin = self._link_target(before, origin_id)
            if before["linked_to"] == origin["claim_id"]:
                return before
            self._refuse_if_followed(before, "origin_id")
            shown = self.publication(origin["claim_id"])
            self._replace_own_citations(claim_id, shown["citations"])
            return self._edit(before, actor, "link", {
                "linked_to": origin["claim_id"], **{k: shown[k] for k in INHERITED_FIELDS},
                OWN_MARKDOWN: None})

    def _refuse_if_followed(self, claim: dict, field: str) -> None:
        """Links never chain: a claim others link to cannot follow another.
        Readers' copies count too: a publication still linked to this claim
        (its working copy relinked meanwhile) would be shown its original's
        original, which no retraction or bucket invalidation reaches."""
        others = self.db.execute(
            "SELECT count(*) FROM (SELECT id FROM claims WHERE linked_to = ?"
            " UNION SELECT claim_id FROM claim_publications WHERE linked_to = ?)",
            [claim["id"], claim["id"]]).fetchone()[0]
        if others:
            raise LinkConflict(field, f"{others} other claim(s) are linked to this one:"
                               " a fact-check others follow cannot follow another", claim)

    def _link_target(self, claim: dict, origin_id: int) -> dict:
        """The publication of the original a link to ``origin_id`` goes to."""
        def published(claim_id):
            return self._first("SELECT p.claim_id, p.linked_to, p.retracted_at, w.article_id,"
                               " w.linked_to AS pending_link FROM claim_publications p"
                               " JOIN claims w ON w.id = p.claim_id WHERE p.claim_id = ?",
                               [claim_id])
        if origin_id == claim["id"]:
            raise DomainError("origin_id", "a claim cannot be linked to itself")
        target = published(origin_id)
        if target is None:
            raise DomainError("origin_id", f"claim {origin_id} is not a published fact-check:"
                                           " link only to one readers can see")
        # Links never chain: one to a linked claim goes to its original.
        forward = target["linked_to"] or target["pending_link"]
        if forward:
            target = published(forward)
            if target is None:
                raise DomainError("origin_id", f"claim {origin_id} follows claim {forward},"
                                               " which is not published")
        if target["claim_id"] == claim["id"]:
            raise DomainError("origin_id", "a claim cannot be linked to itself")
        if target["retracted_at"] is not None:
            raise DomainError("origin_id", f"claim {target['claim_id']} was retracted:"
                                           " link only to a fact-check readers see as published")
        if target["article_id"] == claim["article_id"]:
            raise DomainError("origin_id", f"claim {target['claim_id']} is on this same article:"
                                           " link only to a fact-check of another article")
        return target

    def unlink_claim(self, claim_id: int, actor: Actor, expected_version: int | None) -> dict:
        """Make a linked claim independent again: it keeps as its own what it
        shows now (verdict, label, rationale, sources), and so does its
        publication, with the original's corrections; nothing readers see
        changes, and the desk may edit it again."""
        with self.transaction():
            before = self._current(claim_id, expected_version)
            if not before["linked_to"]:
                raise LinkConflict("link", "this claim is not linked to another fact-check", before)
            check_editable(before)
            origin_id = before["linked_to"]
            publication = self._first(
                "SELECT linked_to, retracted_at FROM claim_publications WHERE claim_id = ?",
                [claim_id])
            if publication is not None and publication["linked_to"]:
                shown = self.publication(claim_id)
                if shown["status"] == "retracted" and publication["retracted_at"] is None:
                    raise LinkConflict(
                        "link", f"the original fact-check (claim {origin_id}) was retracted and"
                        " readers see this claim retracted with it: retract this claim too"
                        " rather than unlink it", before)
                self._keep_published(claim_id, shown, origin_id)
            self._replace_own_citations(claim_id, before["citations"])
            # No Markdown source of its own: the API offers one converted from
            # the kept HTML, so the editor starts from what the claim showed.
            return self._save(before, actor, "unlink", {
                "linked_to": None, **{k: before[k] for k in INHERITED_FIELDS},
                OWN_MARKDOWN: None},
                recorded={"unlinked_from": origin_id})

    def _keep_published(self, claim_id: int, shown: dict, origin_id: int) -> None:
        """Readers' copy of an unlinked claim keeps what they saw."""
        self.db.execute(
            "UPDATE claim_publications SET verdict = ?, label = ?, rationale = ?, linked_to = NULL"
            " WHERE claim_id = ?", [shown["verdict"], shown["label"], shown["rationale"], claim_id])
        self._replace_published_citations(claim_id, shown["citations"])
        columns = (*CORRECTION_FIELDS, "changed", "by_id")
        # Those copied when it was unlinked before are not copied twice.
        same = " AND ".join(f"mine.{k} IS o.{k}" for k in CORRECTION_FIELDS)
        self.db.execute(
            f"INSERT INTO claim_corrections (claim_id, {', '.join(columns)})"
            f" SELECT ?, {', '.join(columns)} FROM claim_corrections o WHERE o.claim_id = ?"
            f" AND NOT EXISTS (SELECT 1 FROM claim_corrections mine WHERE mine.claim_id = ?"
            f" AND {same}) ORDER BY o.at, o.id", [claim_id, origin_id, claim_id])

    def _replace_published_citations(self, claim_id: int, citations: list[dict]) -> None:
        self.db.execute("DELETE FROM published_citations WHERE claim_id = ?", [claim_id])
        self.db.conn.executemany(
            f"INSERT INTO published_citations (claim_id, {', '.join(PUBLIC_CITATION_COLUMNS)})"
            f" VALUES (?, {_marks(PUBLIC_CITATION_COLUMNS)})",
            [(claim_id, *(c[k] for k in PUBLIC_CITATION_COLUMNS)) for c in citations])

    def _replace_own_citations(self, claim_id: int, citations: list[dict]) -> None:
        now = utcnow()
        self.db.execute("DELETE FROM citations WHERE claim_id = ?", [claim_id])
        for position, citation in enumerate(citations):
            self.db.table("citations").insert(
                {**{k: citation[k] for k in CITATION_FIELDS}, "claim_id": claim_id,
                 "position": position, "created_at": now})

    # -- what a link refuses -------------------------------------------------------------

    def _refuse_inherited(self, claim_id: int, expected_version: int | None,
                          changes: dict, citations: list | None) -> None:
        claim = self._current(claim_id, expected_version)
        if not claim["linked_to"]:
            return
        for field in INHERITED_FIELDS:
            if field in changes and changes[field] != claim[field]:
                raise LinkConflict(field, inherited_field_message(field, claim["linked_to"]),
                                   claim)
        markdown = changes.get(OWN_MARKDOWN)
        if markdown is not None and render_markdown(markdown) != claim["rationale"]:
            raise LinkConflict(OWN_MARKDOWN, inherited_field_message(
                OWN_MARKDOWN, claim["linked_to"]), claim)
        if citations is not None and not _same_sources(claim["citations"], citations):
            raise LinkConflict("citations",
                               inherited_field_message("citations", claim["linked_to"]), claim)

    def update_claim(self, claim_id: int, changes: dict, actor: Actor,
                     expected_version: int | None, citations: list | None = None) -> dict:
        with self.transaction():
            self._refuse_inherited(claim_id, expected_version, changes, citations)
            if self.claim(claim_id)["linked_to"]:
                # Equal to what it inherits: nothing of it to write.
                changes = {k: v for k, v in changes.items()
                           if k not in (*INHERITED_FIELDS, OWN_MARKDOWN)}
                citations = None
            return super().update_claim(claim_id, changes, actor, expected_version, citations)

    def _refuse_source_edit(self, claim_id: int, expected_version: int | None) -> None:
        claim = self._current(claim_id, expected_version)
        if claim["linked_to"]:
            raise LinkConflict("citations",
                               inherited_field_message("citations", claim["linked_to"]), claim)

    def add_citation(self, claim_id: int, citation: dict, actor: Actor,
                     expected_version: int | None = None) -> dict:
        with self.transaction():
            self._refuse_source_edit(claim_id, expected_version)
            return super().add_citation(claim_id, citation, actor, expected_version)

    def update_citation(self, citation_id: int, changes: dict, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            self._refuse_source_edit(self.citation(citation_id)["claim_id"], expected_version)
            return super().update_citation(citation_id, changes, actor, expected_version)

    def delete_citation(self, citation_id: int, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            self._refuse_source_edit(self.citation(citation_id)["claim_id"], expected_version)
            return super().delete_citation(citation_id, actor, expected_version)

    # -- publishing ------------------------------------------------------------------------

    def _publish(self, claim: dict, actor: Actor, now: str) -> None:
        """An approved link reaches readers only while its original is live."""
        link = claim.get("link")
        if link is not None and link["retracted"]:
            raise LinkConflict("link", f"the original fact-check (claim {link['claim_id']}) was"
                               f" retracted: {UNLINK_FIRST}, or retract this claim", claim)
        if link is not None:
            # A link made before the rule above counted readers' copies.
            self._refuse_if_followed(claim, "link")
        super()._publish(claim, actor, now)
        self._refresh_followers(claim)

    def _refresh_followers(self, original: dict) -> None:
        """The claims linked to a newly approved original keep its values in
        their own columns too: readers and the desk are shown the original's
        anyway, but lists, filters and verdict tables read those columns."""
        values = [original[k] for k in INHERITED_FIELDS]
        assignments = ", ".join(f"{k} = ?" for k in INHERITED_FIELDS)
        for table in ("claims", "claim_publications"):
            self.db.execute(f"UPDATE {table} SET {assignments} WHERE linked_to = ?",
                            [*values, original["id"]])
        self.db.execute(f"UPDATE claims SET {OWN_MARKDOWN} = NULL WHERE linked_to = ?",
                        [original["id"]])
        for (follower,) in self.db.execute("SELECT id FROM claims WHERE linked_to = ?",
                                           [original["id"]]).fetchall():
            self._replace_own_citations(follower, original["citations"])
        for (follower,) in self.db.execute(
                "SELECT claim_id FROM claim_publications WHERE linked_to = ?",
                [original["id"]]).fetchall():
            self._replace_published_citations(follower, original["citations"])
