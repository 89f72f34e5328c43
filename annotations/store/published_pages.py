"""What the Web Annotation collection and the ClaimReview feed read, a
page at a time, and what a Web Annotation import keeps of an annotation."""

from ..models import ARTICLE_FIELDS
from .base import StoreBase
from .publications import PUBLIC_CLAIMS

# Claims with a ClaimReview (claimreview.has_claim_review, in SQL).
_REVIEWED = ("c.status = 'published' AND c.anchor_state = 'anchored'"
             " AND c.linked_to IS NULL")


class PublishedPages(StoreBase):
    # -- the Web Annotation collection, a page at a time, by claim id ---------------

    def _annotation_where(self, published_only: bool, article_id: int | None,
                          after: int = 0) -> tuple[str, list]:
        clauses, params = ["c.id > ?"], [after]
        if article_id is not None:
            clauses.append("c.article_id = ?")
            params.append(article_id)
        if published_only and not self.show_retracted:
            clauses.append("c.status = 'published'")
        return " AND ".join(clauses), params

    def annotation_count(self, published_only: bool, article_id: int | None = None) -> int:
        """How many claims (or, ``published_only``, publications) the
        collection holds."""
        where, params = self._annotation_where(published_only, article_id)
        source = PUBLIC_CLAIMS if published_only else "claims"
        return self.db.execute(f"SELECT count(*) FROM {source} c WHERE {where}",
                               params).fetchone()[0]

    def annotation_claims(self, published_only: bool, article_id: int | None, limit: int,
                          offset: int = 0, after: int = 0) -> list[dict]:
        """Up to ``limit`` claims by id, skipping ``offset`` of them or those
        up to id ``after``: the desk's working copies with their citations,
        or the publications with citations and corrections."""
        where, params = self._annotation_where(published_only, article_id, after)
        if offset:
            # The ids the page starts after, found on the index alone.
            source = PUBLIC_CLAIMS if published_only else "claims"
            row = self.db.execute(f"SELECT c.id FROM {source} c WHERE {where} ORDER BY c.id"
                                  " LIMIT 1 OFFSET ?", [*params, offset - 1]).fetchone()
            if row is None:
                return []
            where, params = self._annotation_where(published_only, article_id, row[0])
        if published_only:
            return self.public_claims(where, params, limit)
        return self.with_citations(self.db.query(
            f"SELECT * FROM claims c WHERE {where} ORDER BY c.id LIMIT ?", [*params, limit]))

    def articles_by_id(self, article_ids) -> dict[int, dict]:
        ids = list(article_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {a["id"]: a for a in self.db.query(
            f"SELECT * FROM articles WHERE id IN ({marks})", ids)}

    # -- what a Web Annotation import keeps ------------------------------------------

    def find_imported_claim(self, article_id: int, origin: str | None, exact: str,
                            prefix: str, suffix: str) -> int | None:
        """A claim an annotation already is here: imported from the same
        annotation id, or on the same article with the same quote and
        context (its content key)."""
        if origin:
            row = self.db.execute("SELECT id FROM claims WHERE origin = ?", [origin]).fetchone()
            if row:
                return row[0]
        row = self.db.execute(
            "SELECT id FROM claims WHERE article_id = ? AND exact = ? AND prefix = ?"
            " AND suffix = ? LIMIT 1", [article_id, exact, prefix, suffix]).fetchone()
        return row[0] if row else None

    def keep_imported_record(self, claim_id: int, origin: str | None, created_at: str | None,
                             modified_at: str | None) -> None:
        """The annotation's id and times as the imported claim's data (the
        audit keeps when it was really imported, and by whom)."""
        changes = {"origin": origin}
        if created_at:
            changes["created_at"] = created_at
        if modified_at:
            changes["updated_at"] = modified_at
        self.db.table("claims").update(claim_id, changes)

    # -- the ClaimReview feed, a page at a time ----------------------------------------

    def claim_review_count(self) -> int:
        return self.db.execute(f"SELECT count(*) FROM {PUBLIC_CLAIMS} c WHERE {_REVIEWED}"
                               ).fetchone()[0]

    def claim_review_rows(self, limit: int, offset: int = 0):
        """(claim, article) for the claims with a ClaimReview, oldest claim
        first, one page of them from one query (no query per claim)."""
        article_columns = ("id", "url", *ARTICLE_FIELDS)
        selected = ", ".join(f"a.{name} AS article__{name}" for name in article_columns)
        rows = []
        for row in self.db.query(
                f"SELECT c.*, {selected} FROM {PUBLIC_CLAIMS} c"
                f" JOIN articles a ON a.id = c.article_id WHERE {_REVIEWED}"
                " ORDER BY c.id LIMIT ? OFFSET ?", [limit, offset]):
            article = {name: row.pop(f"article__{name}") for name in article_columns}
            rows.append((row, article))
        return rows
