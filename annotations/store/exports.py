"""Rows for the verdict tables and the Web Annotation export.

The table queries return cursors, read one row at a time by
``annotations.exports``, so memory stays flat however many claims there are.
"""

import datetime

from ..exports import FORMULA_STARTS, NO, YES, ExportFilters
from .base import StoreBase


# Each claim as it is exported: a claim with a publication (claim_publications
# "pub") as readers see it, even while the desk revises its working copy; a
# claim never published as the working copy ("c"). One LEFT JOIN on the
# publication's primary key, so rows still come in claims order from one
# cursor (no sort, nothing held per claim). The same publication columns as
# store.publications.PUBLIC_CLAIMS, which cannot be the right side of a LEFT
# JOIN without being materialised.
def _shown(column: str) -> str:
    """The exported version's ``column``: the publication's when there is one."""
    return f"(CASE WHEN pub.claim_id IS NULL THEN c.{column} ELSE pub.{column} END)"


_STATUS_SQL = ("(CASE WHEN pub.claim_id IS NULL THEN c.status"
               " WHEN pub.retracted_at IS NULL THEN 'published' ELSE 'retracted' END)")
# The desk has a revision of a claim readers see that no editor approved yet.
_PENDING_SQL = ("(pub.claim_id IS NOT NULL"
                " AND c.status IN ('draft', 'in_review', 'changes_requested'))")
_UPDATED_SQL = ("(CASE WHEN pub.claim_id IS NULL THEN c.updated_at"
                " ELSE coalesce(pub.retracted_at, pub.published_at) END)")

_FROM_SQL = f"""
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN claim_publications pub ON pub.claim_id = c.id
LEFT JOIN passages p ON p.id = {_shown("passage_id")}
LEFT JOIN users creator ON creator.id = c.created_by
LEFT JOIN users publisher_user ON publisher_user.id = pub.published_by
"""
# The count needs only what the filters read.
_COUNT_SQL = """
SELECT count(*) FROM claims c
LEFT JOIN claim_publications pub ON pub.claim_id = c.id
LEFT JOIN users creator ON creator.id = c.created_by
"""

_FORMULA_CHARS = ", ".join(f"char({ord(c)})" for c in FORMULA_STARTS)


def _neutralised(expression: str) -> str:
    """SQL doing what exports.neutralise() does, inside SQLite, for one cell
    (``expression`` is evaluated up to twice: a column, not a subquery)."""
    return (f"(CASE WHEN substr({expression}, 1, 1) IN ({_FORMULA_CHARS})"
            f" THEN char(39) || {expression} ELSE {expression} END)")


def _joined(text: str, rows: str, neutralise: bool) -> str:
    """One cell joining ``text`` ("; " between) over the subquery ``rows``,
    '' for none; neutralised inside the subquery, so it runs once a row."""
    cell = _neutralised("v") if neutralise else "v"
    return (f"(SELECT {cell} FROM (SELECT coalesce(group_concat({text}, '; '), '') AS v"
            f" FROM ({rows}) x))")


def _by_version(working: str, published: str) -> str:
    return f"(CASE WHEN pub.claim_id IS NULL THEN {working} ELSE {published} END)"


def _citations_json(table: str) -> str:
    # In the order of the claim_id index, which is the citations' id order.
    return f"""(SELECT json_group_array(json_object('url', x.url, 'title', x.title,
                                            'publisher', x.publisher, 'stance', x.stance,
                                            'archive_url', x.archive_url))
          FROM {table} x WHERE x.claim_id = c.id)"""


def _citations_text(table: str) -> str:
    """Citations in their readable joined form (as exports.citations_text)."""
    return _joined("CASE WHEN x.title != '' THEN x.title || ' <' || x.url || '>' ELSE x.url END",
                   f"SELECT title, url FROM {table} WHERE claim_id = c.id ORDER BY id", True)


# Each claim's count of corrections and the last one's time, for every
# corrected claim at once: corrections are few, so this is read from its
# index in one pass and looked up per row, not counted claim by claim.
_CORRECTIONS_JOIN = """
LEFT JOIN (SELECT claim_id, count(*) AS n, max(at) AS last FROM claim_corrections
           GROUP BY claim_id) k ON k.claim_id = c.id
"""
_CORRECTIONS_SQL = "coalesce(k.n, 0)"
_CORRECTED_AT_SQL = "coalesce(k.last, '')"
# The notes themselves, dated and oldest first (as exports.correction_notes_text
# joins them), only for the claims that have any.
_CORRECTION_NOTES_TEXT = "(CASE WHEN k.n IS NULL THEN '' ELSE " + _joined(
    "substr(x.at, 1, 10) || ': ' || x.note",
    "SELECT at, note FROM claim_corrections WHERE claim_id = c.id ORDER BY at, id", True) + " END)"
_CORRECTION_NOTES_JSON = """(CASE WHEN k.n IS NULL THEN '[]' ELSE (SELECT json_group_array(
        json_object('at', x.at, 'note', x.note, 'previous_verdict', x.previous_verdict,
                    'verdict', x.verdict, 'previous_label', x.previous_label, 'label', x.label))
    FROM (SELECT * FROM claim_corrections WHERE claim_id = c.id ORDER BY at, id) x) END)"""

# The structured rows (JSON export): citations and corrections as JSON arrays.
_ROWS_SQL = f"""
SELECT c.id, a.title, a.url, a.publisher,
       p.ordinal + 1, {_shown("exact")}, {_shown("verdict")}, {_shown("label")},
       {_shown("rationale")},
       {_by_version(_citations_json("citations"), _citations_json("published_citations"))},
       {_STATUS_SQL}, {_PENDING_SQL}, {_shown("anchor_state")},
       coalesce(creator.username, ''), coalesce(publisher_user.username, ''),
       c.created_at, {_UPDATED_SQL}, coalesce(pub.first_published_at, ''),
       coalesce(pub.published_at, ''), {_CORRECTED_AT_SQL}, {_CORRECTIONS_SQL},
       {_CORRECTION_NOTES_JSON}, coalesce(pub.retracted_at, ''),
       coalesce(pub.retraction_reason, '')
""" + _FROM_SQL + _CORRECTIONS_JOIN

# The table formats' query: no id, citations and correction notes in their
# readable joined form, every free-text cell but the rationale (which
# exports.table_rows turns into text first) neutralised by SQLite.
_TABLE_SQL = f"""
SELECT {_neutralised("a.title")}, a.url, {_neutralised("a.publisher")},
       p.ordinal + 1, {_neutralised(_shown("exact"))}, {_shown("verdict")},
       {_neutralised(_shown("label"))}, {_shown("rationale")},
       {_by_version(_citations_text("citations"), _citations_text("published_citations"))},
       {_STATUS_SQL}, CASE WHEN {_PENDING_SQL} THEN '{YES}' ELSE '{NO}' END,
       {_shown("anchor_state")},
       {_neutralised("coalesce(creator.username, '')")},
       {_neutralised("coalesce(publisher_user.username, '')")},
       c.created_at, {_UPDATED_SQL}, coalesce(pub.first_published_at, ''),
       coalesce(pub.published_at, ''), {_CORRECTED_AT_SQL}, {_CORRECTIONS_SQL},
       {_CORRECTION_NOTES_TEXT}, coalesce(pub.retracted_at, ''),
       {_neutralised("coalesce(pub.retraction_reason, '')")}
""" + _FROM_SQL + _CORRECTIONS_JOIN


def _where(filters: ExportFilters) -> tuple[str, list]:
    filters.check()
    clauses, params = [], []
    if filters.article_id is not None:
        clauses.append("c.article_id = ?")
        params.append(filters.article_id)
    # Verdict and status of the exported version: a published claim under
    # revision is found by its published verdict, as "published".
    if filters.verdict:
        clauses.append(f"{_shown('verdict')} = ?")
        params.append(filters.verdict)
    if filters.status:
        clauses.append(f"{_STATUS_SQL} = ?")
        params.append(filters.status)
    if filters.since:
        clauses.append("c.created_at >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        # Through the whole of the last day.
        clauses.append("c.created_at < ?")
        params.append((filters.until + datetime.timedelta(days=1)).isoformat())
    if filters.annotator:
        clauses.append("creator.username = ?")
        params.append(filters.annotator)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class ExportRows(StoreBase):
    def count_export_rows(self, filters: ExportFilters) -> int:
        where, params = _where(filters)
        return self.db.execute(_COUNT_SQL + where, params).fetchone()[0]

    def export_row_cursor(self, filters: ExportFilters):
        """Cursor of (id, *COLUMNS) tuples, citations and correction notes as
        JSON arrays, revision_pending 0 or 1."""
        where, params = _where(filters)
        return self.db.conn.execute(_ROWS_SQL + where + " ORDER BY c.id", params)

    def export_table_cursor(self, filters: ExportFilters):
        """Cursor of COLUMNS tuples: citations and correction notes joined,
        revision_pending as yes/no, free-text cells but the rationale already
        neutralised."""
        where, params = _where(filters)
        return self.db.conn.execute(_TABLE_SQL + where + " ORDER BY c.id", params)

    def annotated_articles(self, published_only: bool = False, article_id: int | None = None):
        """(article, passages, claims) for the Web Annotation export: one
        article when ``article_id`` is given, else every article with claims."""
        ids = [article_id] if article_id is not None else self.article_ids()
        for current in ids:
            claims = self.claims_for_article(current, published_only=published_only)
            if claims or article_id is not None:
                yield self.article(current), self.passages(current), claims
