"""Rows for the verdict tables (CSV, XLSX, JSON).

The table queries return cursors, read one row at a time by
``annotations.exports``, so memory stays flat however many claims there are.
The Web Annotation collection's and ClaimReview feed's pages are
store.published_pages'.
"""

import datetime

from ..exports import CELL_SEPARATOR, FORMULA_STARTS, NO, YES, ExportFilters
from .base import StoreBase
from .claims import CITATION_ORDER
from .publications import CORRECTION_FIELDS, retraction_sql


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


# A publication linked to an earlier fact-check (``orig``, m0017) is
# retracted for readers when its original is: status, time and reason as
# PUBLIC_CLAIMS gives them.
_RETRACTION = retraction_sql("pub", "orig")
_STATUS_SQL = f"(CASE WHEN pub.claim_id IS NULL THEN c.status ELSE {_RETRACTION['status']} END)"
# The desk has a revision of a claim readers see that no editor approved yet.
_PENDING_SQL = ("(pub.claim_id IS NOT NULL"
                " AND c.status IN ('draft', 'in_review', 'changes_requested'))")
_UPDATED_SQL = (f"(CASE WHEN pub.claim_id IS NULL THEN c.updated_at"
                f" ELSE {_RETRACTION['updated_at']} END)")
_RETRACTED_AT_SQL = f"coalesce({_RETRACTION['retracted_at']}, '')"
_RETRACTION_REASON_SQL = f"coalesce({_RETRACTION['retraction_reason']}, '')"

_FROM_SQL = f"""
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN claim_publications pub ON pub.claim_id = c.id
LEFT JOIN claim_publications orig ON orig.claim_id = pub.linked_to
LEFT JOIN passages p ON p.id = {_shown("passage_id")}
LEFT JOIN users creator ON creator.id = c.created_by
LEFT JOIN users publisher_user ON publisher_user.id = pub.published_by
"""
# The count needs only what the filters read.
_COUNT_SQL = """
SELECT count(*) FROM claims c
LEFT JOIN claim_publications pub ON pub.claim_id = c.id
LEFT JOIN claim_publications orig ON orig.claim_id = pub.linked_to
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


# Each table's citations of claim c in their order, read in the order of its
# claim_id index (no sort): (claim_id, position) on the working copies
# (m0020); on readers' copies, rewritten whole in that order on each
# approval, their ids.
_CITATION_ROWS = {
    "citations": f"SELECT * FROM citations WHERE claim_id = c.id ORDER BY {CITATION_ORDER}",
    "published_citations": "SELECT * FROM published_citations WHERE claim_id = c.id ORDER BY id",
}


def _citations_json(table: str) -> str:
    return f"""(SELECT json_group_array(json_object('url', x.url, 'title', x.title,
                                            'publisher', x.publisher, 'stance', x.stance,
                                            'excerpt', x.excerpt,
                                            'archive_url', x.archive_url))
          FROM ({_CITATION_ROWS[table]}) x)"""


# The claim's public review page, for a claim readers can see; the first
# parameter of both queries is its prefix ("https://desk.example/claims/").
_REVIEW_URL_SQL = "(CASE WHEN pub.claim_id IS NULL THEN '' ELSE ? || c.id END)"


def _citation_cells(table: str) -> str:
    """The four citation columns of the tables in one value, joined by
    CELL_SEPARATOR (one subquery a row instead of four): the citations in
    their readable form (as exports.citations_text), and the excerpts,
    stances and archive URLs of those that have them (as
    exports.citation_detail), each "; " between and the free text
    neutralised."""
    per_citation = (
        "coalesce(group_concat(CASE WHEN x.title != '' THEN x.title || ' <' || x.url || '>'"
        " ELSE x.url END, '; '), '') AS t,"
        " coalesce(group_concat(nullif(x.excerpt, ''), '; '), '') AS e,"
        " coalesce(group_concat(x.stance, '; '), '') AS s,"
        " coalesce(group_concat(nullif(x.archive_url, ''), '; '), '') AS u")
    separator = f"char({ord(CELL_SEPARATOR)})"
    return (f"(SELECT {_neutralised('t')} || {separator} || {_neutralised('e')} || {separator}"
            f" || s || {separator} || u FROM (SELECT {per_citation}"
            f" FROM ({_CITATION_ROWS[table]}) x))")


# Each claim's count of corrections and the last one's time, for every
# corrected claim at once: corrections are few, so this is read from its
# index in one pass and looked up per row, not counted claim by claim. A
# linked publication shows its original's corrections with its own, as
# readers see them (``ko``, the original's figures).
_CORRECTION_FIGURES = ("(SELECT claim_id, count(*) AS n, max(at) AS last FROM claim_corrections"
                       " GROUP BY claim_id)")
_CORRECTIONS_JOIN = f"""
LEFT JOIN {_CORRECTION_FIGURES} k ON k.claim_id = c.id
LEFT JOIN {_CORRECTION_FIGURES} ko ON ko.claim_id = orig.claim_id
"""
# A claim linked again after an unlink holds copies of the original's
# corrections (store.links): readers are shown each once
# (store.publications), so these count and list each once too. Only a
# linked claim with corrections of its own and of its original asks.
_COPIED = ("EXISTS (SELECT 1 FROM claim_corrections theirs WHERE theirs.claim_id = orig.claim_id"
           " AND " + " AND ".join(f"theirs.{k} IS mine.{k}" for k in CORRECTION_FIELDS) + ")")
_CORRECTIONS_SQL = ("(coalesce(k.n, 0) + coalesce(ko.n, 0) - (CASE WHEN k.n IS NULL OR ko.n IS NULL"
                    " THEN 0 ELSE (SELECT count(*) FROM claim_corrections mine"
                    f" WHERE mine.claim_id = c.id AND {_COPIED}) END))")
_CORRECTED_AT_SQL = "coalesce(max(k.last, ko.last), k.last, ko.last, '')"
_UNCORRECTED_SQL = "(k.n IS NULL AND ko.n IS NULL)"
_CORRECTION_ROWS = ("SELECT * FROM claim_corrections mine WHERE claim_id IN (c.id, orig.claim_id)"
                    f" AND NOT (claim_id = c.id AND {_COPIED}) ORDER BY at, id")
# The notes themselves, dated and oldest first (as exports.correction_notes_text
# joins them), only for the claims that have any.
_CORRECTION_NOTES_TEXT = f"(CASE WHEN {_UNCORRECTED_SQL} THEN '' ELSE " + _joined(
    "substr(x.at, 1, 10) || ': ' || x.note", _CORRECTION_ROWS, True) + " END)"
_CORRECTION_NOTES_JSON = f"""(CASE WHEN {_UNCORRECTED_SQL} THEN '[]' ELSE (SELECT json_group_array(
        json_object('at', x.at, 'note', x.note, 'previous_verdict', x.previous_verdict,
                    'verdict', x.verdict, 'previous_label', x.previous_label, 'label', x.label))
    FROM ({_CORRECTION_ROWS}) x) END)"""

# The structured rows (JSON export): citations and corrections as JSON arrays.
_ROWS_SQL = f"""
SELECT c.id, {_REVIEW_URL_SQL}, a.title, a.url, a.publisher,
       p.ordinal + 1, {_shown("exact")}, {_shown("summary")}, {_shown("verdict")},
       {_shown("label")}, {_shown("rationale")},
       {_by_version(_citations_json("citations"), _citations_json("published_citations"))},
       {_STATUS_SQL}, {_PENDING_SQL}, {_shown("anchor_state")},
       coalesce(creator.username, ''), coalesce(publisher_user.username, ''),
       c.created_at, {_UPDATED_SQL}, coalesce(pub.first_published_at, ''),
       coalesce(pub.published_at, ''), {_CORRECTED_AT_SQL}, {_CORRECTIONS_SQL},
       {_CORRECTION_NOTES_JSON}, {_RETRACTED_AT_SQL}, {_RETRACTION_REASON_SQL}
""" + _FROM_SQL + _CORRECTIONS_JOIN

# The table formats' cells in COLUMNS order: no claim structure, citations
# and correction notes in their readable joined form, every free-text cell
# but the rationale (which exports.table_rows turns into text first)
# neutralised by SQLite; the four citation columns come as one value
# (_citation_cells). Numbers are the only cells that are not text.
_TABLE_CELLS = [
    ("c.id", "number"),
    (_REVIEW_URL_SQL, "text"),
    (_neutralised("a.title"), "text"),
    ("a.url", "text"),
    (_neutralised("a.publisher"), "text"),
    ("p.ordinal + 1", "number"),
    (_neutralised(_shown("exact")), "text"),
    (_neutralised(_shown("summary")), "text"),
    (_shown("verdict"), "safe"),
    (_neutralised(_shown("label")), "text"),
    (_shown("rationale"), "rationale"),
    (_by_version(_citation_cells("citations"), _citation_cells("published_citations")),
     "citations"),
    (_STATUS_SQL, "safe"),
    (f"CASE WHEN {_PENDING_SQL} THEN '{YES}' ELSE '{NO}' END", "safe"),
    (_shown("anchor_state"), "safe"),
    (_neutralised("coalesce(creator.username, '')"), "text"),
    (_neutralised("coalesce(publisher_user.username, '')"), "text"),
    ("c.created_at", "safe"),
    (_UPDATED_SQL, "safe"),
    ("coalesce(pub.first_published_at, '')", "safe"),
    ("coalesce(pub.published_at, '')", "safe"),
    (_CORRECTED_AT_SQL, "safe"),
    (_CORRECTIONS_SQL, "number"),
    (_CORRECTION_NOTES_TEXT, "text"),
    (_RETRACTED_AT_SQL, "safe"),
    (_neutralised(_RETRACTION_REASON_SQL), "text"),
]
_TABLE_SQL = ("SELECT " + ", ".join(sql for sql, _ in _TABLE_CELLS)
              + _FROM_SQL + _CORRECTIONS_JOIN)


# The CSV query: the same cells, every one text ('' for none), for
# exports.csv_text_chunks to join without looking at each.
_CSV_SQL = ("SELECT " + ", ".join(f"coalesce(CAST({sql} AS TEXT), '')" if kind == "number"
                                  else f"coalesce({sql}, '')" for sql, kind in _TABLE_CELLS)
            + _FROM_SQL + _CORRECTIONS_JOIN)


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
    if filters.claim_ids:
        ids = sorted(set(filters.claim_ids))
        clauses.append(f"c.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class ExportRows(StoreBase):
    def missing_claims(self, claim_ids) -> list[int]:
        """Those of ``claim_ids`` no claim has, in the order given."""
        ids = list(dict.fromkeys(claim_ids))
        if not ids:
            return []
        found = {row[0] for row in self.db.execute(
            f"SELECT id FROM claims WHERE id IN ({','.join('?' * len(ids))})", ids)}
        return [claim_id for claim_id in ids if claim_id not in found]

    def count_export_rows(self, filters: ExportFilters) -> int:
        where, params = _where(filters)
        return self.db.execute(_COUNT_SQL + where, params).fetchone()[0]

    def export_row_cursor(self, filters: ExportFilters, base_url: str):
        """Cursor of (id, *exports.JSON_KEYS) tuples, citations and
        correction notes as JSON arrays, revision_pending 0 or 1; review
        URLs under ``base_url``."""
        where, params = _where(filters)
        return self.db.conn.execute(_ROWS_SQL + where + " ORDER BY c.id",
                                    [f"{base_url}/claims/", *params])

    def export_table_cursor(self, filters: ExportFilters, base_url: str):
        """Cursor of COLUMNS tuples: citations and correction notes joined,
        revision_pending as yes/no, free-text cells but the rationale already
        neutralised; review URLs under ``base_url``."""
        where, params = _where(filters)
        return self.db.conn.execute(_TABLE_SQL + where + " ORDER BY c.id",
                                    [f"{base_url}/claims/", *params])

    def export_csv_cursor(self, filters: ExportFilters, base_url: str):
        """The table cursor's rows with every cell text (see _CSV_SQL)."""
        where, params = _where(filters)
        return self.db.conn.execute(_CSV_SQL + where + " ORDER BY c.id",
                                    [f"{base_url}/claims/", *params])
