"""What readers see of a claim, and the workflow that puts it there.

A claim's row is the desk's working copy; its publication (claim_publications
with published_citations) is the copy readers, exports and ClaimReview read,
made when an editor approves and replaced only by the next approval. Every
move between workflow states goes through ``transition_claim``: one version,
one audit entry.
"""

import json

from ..models import Actor, DomainError, NotFound
from ..rules import check_two_person, require_sources
from ..workflow import check_transition, checked_text, meaning_changes, needs_correction_note, \
    transition
from .base import StoreBase
from .database import utcnow

# The publications in the shape of a claims row (``status`` is published or
# retracted, ``updated_at`` the last approval or the retraction), for use as
# ``FROM {PUBLIC_CLAIMS} c``; SQLite flattens it into the outer query.
# A publication linked to an earlier fact-check (``o``, m0017) shows the
# original's current verdict, label, rationale and retraction; its sources
# and corrections are read by ``linked_to`` too (public_claims).
def retraction_sql(publication: str, original: str) -> dict[str, str]:
    """SQL for the status, last change and retraction readers see of the
    publication ``publication``, linked to the publication ``original`` (its
    columns NULL when there is none): retracted when either is. Shared by
    PUBLIC_CLAIMS and the verdict tables (store.exports)."""
    p, o = publication, original
    return {
        "status": f"(CASE WHEN {p}.retracted_at IS NULL AND {o}.retracted_at IS NULL"
                  " THEN 'published' ELSE 'retracted' END)",
        "updated_at": f"max(coalesce({p}.retracted_at, {p}.published_at),"
                      f" coalesce({o}.retracted_at, {o}.published_at, ''))",
        "retracted_at": f"coalesce({p}.retracted_at, {o}.retracted_at)",
        "retraction_reason": f"(CASE WHEN {p}.retracted_at IS NULL AND {o}.retracted_at IS NOT"
                             f" NULL THEN {o}.retraction_reason ELSE {p}.retraction_reason END)",
    }


_RETRACTION = retraction_sql("p", "o")
PUBLIC_CLAIMS = f"""(
    SELECT p.claim_id AS id, w.article_id, p.passage_id, p.start_offset, p.end_offset,
           p.exact, p.prefix, p.suffix, p.anchor_state, coalesce(o.verdict, p.verdict) AS verdict,
           coalesce(o.label, p.label) AS label, coalesce(o.rationale, p.rationale) AS rationale,
           p.summary, {_RETRACTION["status"]} AS status,
           p.version, w.created_by, p.published_by, w.created_at,
           {_RETRACTION["updated_at"]} AS updated_at,
           p.first_published_at, p.published_at,
           {_RETRACTION["retracted_at"]} AS retracted_at,
           {_RETRACTION["retraction_reason"]} AS retraction_reason,
           (SELECT max(k.at) FROM claim_corrections k WHERE k.claim_id IN (p.claim_id, o.claim_id))
               AS corrected_at,
           o.claim_id AS linked_to
    FROM claim_publications p JOIN claims w ON w.id = p.claim_id
    LEFT JOIN claim_publications o ON o.claim_id = p.linked_to
)"""
PUBLIC_CITATION_COLUMNS = ("url", "title", "publisher", "excerpt", "accessed_date",
                           "archive_url", "stance")
_PUBLISHED_FIELDS = ("passage_id", "start_offset", "end_offset", "exact", "prefix", "suffix",
                     "anchor_state", "verdict", "label", "rationale", "summary", "version",
                     "linked_to")
CORRECTION_FIELDS = ("at", "note", "previous_verdict", "verdict", "previous_label", "label")


def _add_correction(shown: list[dict], row) -> None:
    """A correction to ``shown`` unless it is there already. Unlinking copies
    the original's corrections, time included, into the claim's own log
    (store.links), so a claim linked again would list such a copy beside the
    row it was taken from: equal rows are one correction (two of a claim's
    own never share a time to the microsecond)."""
    correction = {k: row[k] for k in CORRECTION_FIELDS}
    if correction not in shown:
        shown.append(correction)


class Publications(StoreBase):
    # The publishing editor must not be the claim's last author (a setting:
    # one-person desks turn it off).
    two_person_rule = True
    # Whether readers' lists of an article's claims (highlights, article
    # page and API) include retracted ones, marked so (RETRACTED_CLAIMS).
    show_retracted = True

    # -- reading -----------------------------------------------------------------

    def public_claims(self, where: str, params: list, limit: int = -1) -> list[dict]:
        """Public claims matching ``where`` (over PUBLIC_CLAIMS ``c``), by id,
        the first ``limit`` (all when negative), each with its published
        citations and its corrections, oldest first."""
        claims = list(self.db.query(
            f"SELECT * FROM {PUBLIC_CLAIMS} c WHERE {where} ORDER BY c.id LIMIT ?",
            [*params, limit]))
        by_id = {c["id"]: {**c, "citations": [], "corrections": []} for c in claims}
        # A linked claim shows its original's sources, and the original's
        # corrections with its own: ``shown_in`` says whose rows each claim shows.
        sources = {claim_id: c["linked_to"] or claim_id for claim_id, c in by_id.items()}
        shown_in = {}
        for claim_id, c in by_id.items():
            shown_in.setdefault(claim_id, []).append(claim_id)
            if c["linked_to"]:
                shown_in.setdefault(c["linked_to"], []).append(claim_id)
        if by_id:
            wanted = sorted(set(sources.values()))
            marks = ",".join("?" * len(wanted))
            for row in self.db.query(
                    f"SELECT * FROM published_citations WHERE claim_id IN ({marks}) ORDER BY id",
                    wanted):
                for claim_id in shown_in[row["claim_id"]]:
                    if sources[claim_id] == row["claim_id"]:
                        by_id[claim_id]["citations"].append(dict(row))
            marks = ",".join("?" * len(shown_in))
            for row in self.db.query(
                    f"SELECT * FROM claim_corrections WHERE claim_id IN ({marks})"
                    " ORDER BY at, id", list(shown_in)):
                for claim_id in shown_in[row["claim_id"]]:
                    _add_correction(by_id[claim_id]["corrections"], row)
        return list(by_id.values())

    def publication(self, claim_id: int) -> dict | None:
        """The claim as readers see it (published or retracted), with its
        citations and corrections, or None when it was never published."""
        found = self.public_claims("c.id = ?", [claim_id])
        return found[0] if found else None

    def public_claim(self, claim_id: int) -> dict:
        """``publication``, or NotFound for readers asking for a claim they
        cannot see."""
        public = self.publication(claim_id)
        if public is None:
            raise NotFound("claim", claim_id)
        return public

    def published_count(self, article_id: int) -> int:
        """How many of the article's claims readers see as published."""
        return self.db.execute(
            "SELECT count(*) FROM claim_publications p JOIN claims c ON c.id = p.claim_id"
            " WHERE c.article_id = ? AND p.retracted_at IS NULL", [article_id]).fetchone()[0]

    def change_request(self, claim_id: int) -> dict | None:
        """The editor's latest request for changes ({by, at, note}), or None."""
        row = self._first(
            "SELECT actor, at, after FROM audit_log WHERE entity = 'claim' AND entity_id = ?"
            " AND action = 'request_changes' ORDER BY id DESC LIMIT 1", [claim_id])
        if row is None:
            return None
        return {"by": row["actor"], "at": row["at"],
                "note": json.loads(row["after"] or "{}").get("note", "")}

    def corrections(self, claim_id: int) -> list[dict]:
        return [dict(row) for row in self.db.query(
            "SELECT * FROM claim_corrections WHERE claim_id = ? ORDER BY at, id", [claim_id])]

    # -- the workflow --------------------------------------------------------------

    def transition_claim(self, claim_id: int, action: str, actor: Actor,
                         expected_version: int | None = None, note: str = "",
                         correction_note: str = "", minor_edit: bool = False) -> dict:
        """Take a workflow action (annotations.workflow.TRANSITIONS).

        ``note`` is the text the action requires (request_changes: what to
        change, kept in the discussion too; retract: the public reason).
        ``correction_note`` is what readers are told when an approved
        revision changes a published verdict, label or rationale;
        ``minor_edit`` declares a reworded rationale unchanged in meaning.
        Raises IllegalTransition (the claim is in another state),
        NotAllowed (two-person rule) or DomainError (a missing note).
        """
        step = transition(action)
        with self.transaction():
            before = self._current(claim_id, expected_version)
            publication = self.publication(claim_id)
            live = publication is not None and publication["retracted_at"] is None
            check_transition(step, before, live)
            text = checked_text(note, step.text, required=True) if step.text else ""
            now = utcnow()
            changes, recorded = {"status": step.target}, {}
            if step.action == "approve":
                check_two_person(self.two_person_rule, before, actor)
                require_sources(before["verdict"], len(before["citations"]), "citations",
                                "a verified or denied claim needs a citation before publishing")
                correction = self._correction(publication if live else None, before,
                                              correction_note, minor_edit)
                changes.update(published_by=actor.id, published_at=now)
                if correction:
                    recorded["correction"] = correction
                elif minor_edit:
                    recorded["minor_edit"] = True
            elif text:
                recorded[step.text] = text
            after = self._save(before, actor, step.action, changes, recorded=recorded)
            if step.action == "approve":
                self._publish(after, actor, now)
                if recorded.get("correction"):
                    self.db.table("claim_corrections").insert(
                        {**recorded["correction"], "claim_id": claim_id, "at": now,
                         "by_id": actor.id})
            elif step.action == "retract":
                self.db.execute(
                    "UPDATE claim_publications SET retracted_at = ?, retracted_by = ?,"
                    " retraction_reason = ? WHERE claim_id = ?", [now, actor.id, text, claim_id])
            elif step.action == "request_changes":
                # The desk reads it in the discussion; this entry is its audit.
                self.db.execute(
                    "INSERT INTO claim_comments (claim_id, author_id, author, body, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [claim_id, actor.id, actor.username, f"Changes requested: {text}", now])
            return after

    def _correction(self, publication: dict | None, revision: dict, note: str,
                    minor_edit: bool) -> dict | None:
        """The correction an approval records, or None when readers see the
        claim for the first time or nothing they are told changed."""
        if publication is None:
            return None
        changed = meaning_changes(publication, revision)
        note = checked_text(note, "correction_note", required=False)
        if needs_correction_note(changed, minor_edit) and not note:
            raise DomainError(
                "correction_note", f"this revision changes the published {' and '.join(changed)}:"
                " readers are told with a correction note (or, for a reworded rationale that"
                " means the same, mark the edit minor)")
        if not note:
            return None
        return {"note": note, "previous_verdict": publication["verdict"],
                "verdict": revision["verdict"], "previous_label": publication["label"],
                "label": revision["label"], "changed": ",".join(changed)}

    def _publish(self, claim: dict, actor: Actor, now: str) -> None:
        """Copy the working claim to its publication (readers see it now)."""
        row = {k: claim[k] for k in _PUBLISHED_FIELDS}
        columns = ", ".join(row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in (*row, "published_at", "published_by"))
        self.db.execute(
            f"INSERT INTO claim_publications (claim_id, {columns}, first_published_at,"
            f" published_at, published_by) VALUES (?, {', '.join('?' * len(row))}, ?, ?, ?)"
            f" ON CONFLICT (claim_id) DO UPDATE SET {updates}",
            [claim["id"], *row.values(), now, now, actor.id])
        self.db.execute("DELETE FROM published_citations WHERE claim_id = ?", [claim["id"]])
        self.db.conn.executemany(
            f"INSERT INTO published_citations (claim_id, {', '.join(PUBLIC_CITATION_COLUMNS)})"
            f" VALUES (?, {', '.join('?' * len(PUBLIC_CITATION_COLUMNS))})",
            [(claim["id"], *(c[k] for k in PUBLIC_CITATION_COLUMNS)) for c in claim["citations"]])

