"""Verdict tables (CSV, XLSX, JSON) streamed from the database.

Rows come from one SQL query read with a cursor, one row at a time, so
memory stays flat however many claims there are. CSV and JSON are produced
as chunks of text for the web layer to stream; XLSX goes through
xlsxwriter's constant-memory mode into a temporary file.
"""

import csv
import datetime
import io
import itertools
import json
import tempfile
from dataclasses import dataclass

from .models import CLAIM_STATUSES, VERDICTS, DomainError
from .sanitize import rationale_text

COLUMNS = [
    ("article_title", "Article title"),
    ("article_url", "Article URL"),
    ("publisher", "Publisher"),
    ("passage_number", "Passage"),
    ("claim_text", "Claim"),
    ("verdict", "Verdict"),
    ("label", "Label"),
    ("rationale", "Rationale"),
    ("citations", "Citations"),
    ("status", "Status"),
    ("created_by", "Created by"),
    ("published_by", "Published by"),
    ("created_at", "Created"),
    ("updated_at", "Updated"),
    ("published_at", "Published"),
]

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


@dataclass
class ExportFilters:
    article_id: int | None = None
    verdict: str | None = None
    status: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    annotator: str | None = None

    def check(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise DomainError("verdict", f"verdict must be one of {', '.join(VERDICTS)}")
        if self.status is not None and self.status not in CLAIM_STATUSES:
            raise DomainError("status", f"status must be one of {', '.join(CLAIM_STATUSES)}")
        if self.since and self.until and self.since > self.until:
            raise DomainError("until", "the date range ends before it starts")

    def where(self) -> tuple[str, list]:
        self.check()
        clauses, params = [], []
        if self.article_id is not None:
            clauses.append("c.article_id = ?")
            params.append(self.article_id)
        if self.verdict:
            clauses.append("c.verdict = ?")
            params.append(self.verdict)
        if self.status:
            clauses.append("c.status = ?")
            params.append(self.status)
        if self.since:
            clauses.append("c.created_at >= ?")
            params.append(self.since.isoformat())
        if self.until:
            # Through the whole of the last day.
            clauses.append("c.created_at < ?")
            params.append((self.until + datetime.timedelta(days=1)).isoformat())
        if self.annotator:
            clauses.append("creator.username = ?")
            params.append(self.annotator)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_FROM_SQL = """
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN passages p ON p.id = c.passage_id
LEFT JOIN users creator ON creator.id = c.created_by
LEFT JOIN users publisher_user ON publisher_user.id = c.published_by
"""

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


def _neutralised(expression: str) -> str:
    """SQL doing what neutralise() does, inside SQLite, for one cell."""
    return (f"(CASE WHEN substr({expression}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
            f" THEN char(39) || {expression} ELSE {expression} END)")


# The table formats' query: no id, citations in their readable joined form
# (as citations_text makes them), free-text cells neutralised by SQLite.
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
_ROW_KEYS = ("id", *(key for key, _ in COLUMNS))
_RATIONALE = _ROW_KEYS.index("rationale")
_CITATIONS = _ROW_KEYS.index("citations")


def count_rows(db, filters: ExportFilters) -> int:
    where, params = filters.where()
    return db.execute(
        "SELECT count(*) FROM claims c LEFT JOIN users creator ON creator.id = c.created_by"
        + where, params).fetchone()[0]


def iter_rows(db, filters: ExportFilters):
    """One dict per claim, citations as a list of dicts, rationale as text.

    The cursor is read row by row (never fetchall), so memory stays flat; the
    SQL already gives each value its final form except the two converted
    here. This loop runs a million times in a large export, hence its
    plainness."""
    where, params = filters.where()
    cursor = db.conn.execute(_ROWS_SQL + where + " ORDER BY c.id", params)
    loads = json.loads
    for values in cursor:
        values = list(values)
        values[_RATIONALE] = rationale_text(values[_RATIONALE])
        values[_CITATIONS] = loads(values[_CITATIONS])
        yield dict(zip(_ROW_KEYS, values))


def table_rows(db, filters: ExportFilters):
    """The table formats' rows as lists of cells in COLUMNS order: rationale
    as text, citations joined, formula-like cells neutralised. The fast path
    for CSV and XLSX, which never need the structured row: SQLite does the
    joining and most of the neutralising."""
    where, params = filters.where()
    cursor = db.conn.execute(_TABLE_SQL + where + " ORDER BY c.id", params)
    rationale = _RATIONALE - 1
    for values in cursor:
        cells = list(values)
        cells[rationale] = neutralise(rationale_text(cells[rationale]))
        if cells[3] is None:  # passage number of an orphaned claim
            cells[3] = ""
        yield cells


def citations_text(citations: list[dict]) -> str:
    """Readable joined form for CSV and XLSX cells."""
    return "; ".join(f"{c['title']} <{c['url']}>" if c.get("title") else c["url"]
                     for c in citations)


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text (OWASP)."""
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST:
        return "'" + value
    return value


_FLAT_KEYS = tuple(key for key, _ in COLUMNS)


def _flat(row: dict) -> list:
    cells = []
    for key in _FLAT_KEYS:
        value = row[key]
        if key == "citations":
            value = citations_text(value)
        cells.append("" if value is None else neutralise(value))
    return cells


def _cells(row) -> list:
    return row if row.__class__ is list else _flat(row)


def csv_chunks(rows, bom: bool = False, rows_per_chunk: int = 1000):
    """CSV text in chunks of rows (dicts from iter_rows, or lists from
    table_rows); a UTF-8 byte-order mark first if asked (spreadsheet
    programs then read the file as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow([title for _, title in COLUMNS])
    rows = iter(rows)
    while True:
        batch = list(itertools.islice(rows, rows_per_chunk))
        if not batch:
            break
        writer.writerows(map(_cells, batch))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    # The header alone, for an empty table.
    if buffer.tell():
        yield buffer.getvalue()


def json_chunks(rows, rows_per_chunk: int = 500):
    """A JSON array of row objects, citations structured, in chunks."""
    parts = ["["]
    first = True
    for n, row in enumerate(rows, 1):
        parts.append(("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False))
        first = False
        if n % rows_per_chunk == 0:
            yield "".join(parts)
            parts = []
    parts.append("\n]\n")
    yield "".join(parts)


def write_xlsx(rows, path) -> int:
    """Rows (dicts or table_rows lists) into an XLSX file at ``path``
    (constant memory); returns the count."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("Claims")
    bold = workbook.add_format({"bold": True})
    for column, (_, title) in enumerate(COLUMNS):
        sheet.write_string(0, column, title, bold)
    count = 0
    for count, row in enumerate(rows, 1):
        for column, value in enumerate(_cells(row)):
            if isinstance(value, str):
                sheet.write_string(count, column, value)
            else:
                sheet.write_number(count, column, value)
    workbook.close()
    return count
