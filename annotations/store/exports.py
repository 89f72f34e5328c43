"""Rows for the verdict tables and the Web Annotation export.

The table queries return cursors, read one row at a time by
``annotations.exports``, so memory stays flat however many claims there are.
"""

import datetime

from ..exports import FORMULA_STARTS, ExportFilters
from .base import StoreBase

_FROM_SQL = """
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN passages p ON p.id = c.passage_id
LEFT JOIN users creator ON creator.id = c.created_by
LEFT JOIN users publisher_user ON publisher_user.id = c.published_by
"""

# The structured rows (JSON export): citations as a JSON array.
_ROWS_SQL = """
SELECT c.id, a.title, a.url, a.publisher,
       p.ordinal + 1, c.exact, c.verdict, c.label, c.rationale,
       (SELECT json_group_array(json_object('url', ct.url, 'title', ct.title,
                                            'publisher', ct.publisher, 'stance', ct.stance,
                                            'archive_url', ct.archive_url))
          FROM citations ct WHERE ct.claim_id = c.id),
       c.status, coalesce(creator.username, ''), coalesce(publisher_user.username, ''),
       c.created_at, c.updated_at, coalesce(c.published_at, '')
""" + _FROM_SQL

_FORMULA_CHARS = ", ".join(f"char({ord(c)})" for c in FORMULA_STARTS)


def _neutralised(expression: str) -> str:
    """SQL doing what exports.neutralise() does, inside SQLite, for one cell."""
    return (f"(CASE WHEN substr({expression}, 1, 1) IN ({_FORMULA_CHARS})"
            f" THEN char(39) || {expression} ELSE {expression} END)")


# The table formats' query: no id, citations in their readable joined form
# (as exports.citations_text makes them), free-text cells neutralised by SQLite.
_CITATIONS_TEXT_SQL = """coalesce((SELECT group_concat(
        CASE WHEN ct.title != '' THEN ct.title || ' <' || ct.url || '>' ELSE ct.url END, '; ')
    FROM (SELECT title, url FROM citations WHERE claim_id = c.id ORDER BY id) ct), '')"""
_TABLE_SQL = f"""
SELECT {_neutralised("a.title")}, a.url, {_neutralised("a.publisher")},
       p.ordinal + 1, {_neutralised("c.exact")}, c.verdict, {_neutralised("c.label")}, c.rationale,
       {_neutralised(_CITATIONS_TEXT_SQL)},
       c.status, {_neutralised("coalesce(creator.username, '')")},
       {_neutralised("coalesce(publisher_user.username, '')")},
       c.created_at, c.updated_at, coalesce(c.published_at, '')
""" + _FROM_SQL


def _where(filters: ExportFilters) -> tuple[str, list]:
    filters.check()
    clauses, params = [], []
    if filters.article_id is not None:
        clauses.append("c.article_id = ?")
        params.append(filters.article_id)
    if filters.verdict:
        clauses.append("c.verdict = ?")
        params.append(filters.verdict)
    if filters.status:
        clauses.append("c.status = ?")
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
        return self.db.execute(
            "SELECT count(*) FROM claims c LEFT JOIN users creator ON creator.id = c.created_by"
            + where, params).fetchone()[0]

    def export_row_cursor(self, filters: ExportFilters):
        """Cursor of (id, *COLUMNS) tuples, citations as a JSON array."""
        where, params = _where(filters)
        return self.db.conn.execute(_ROWS_SQL + where + " ORDER BY c.id", params)

    def export_table_cursor(self, filters: ExportFilters):
        """Cursor of COLUMNS tuples: citations joined, free-text cells but the
        rationale already neutralised."""
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
