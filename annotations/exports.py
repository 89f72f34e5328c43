"""Verdict tables (CSV, XLSX, JSON) streamed from the database.

One row per claim, as it is exported: a claim readers can see (published
or retracted) is exported as published (its publication: verdict, label,
rationale, quote and sources), even while the desk revises it; a claim
never published is exported as the desk's working copy. Columns tell
which: status, whether a revision waits for review, whether the exported
version is still on its page (anchor state), and the publication's dates,
corrections and retraction.

Rows come from one SQL query (``Store.export_row_cursor`` and
``export_table_cursor``) read one row at a time, so memory stays flat
however many claims there are. CSV and JSON are produced
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

from .models import CLAIM_STATUSES, DomainError
from .rules import check_choice, check_verdict
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
    ("revision_pending", "Revision pending"),
    ("anchor_state", "Anchor"),
    ("created_by", "Created by"),
    ("published_by", "Published by"),
    ("created_at", "Created"),
    ("updated_at", "Updated"),
    ("first_published_at", "First published"),
    ("published_at", "Last approved"),
    ("corrected_at", "Corrected"),
    ("corrections", "Corrections"),
    ("correction_notes", "Correction notes"),
    ("retracted_at", "Retracted"),
    ("retraction_reason", "Retraction reason"),
]
# How the table formats say whether a revision waits for review.
YES, NO = "yes", "no"

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
        if self.verdict is not None:
            check_verdict(self.verdict)
        if self.status is not None:
            check_choice("status", self.status, CLAIM_STATUSES)
        if self.since and self.until and self.since > self.until:
            raise DomainError("until", "the date range ends before it starts")


_ROW_KEYS = ("id", *(key for key, _ in COLUMNS))
_RATIONALE = _ROW_KEYS.index("rationale")
_CITATIONS = _ROW_KEYS.index("citations")
_PENDING = _ROW_KEYS.index("revision_pending")
_NOTES = _ROW_KEYS.index("correction_notes")


def iter_rows(cursor):
    """One dict per claim from ``Store.export_row_cursor``: citations and
    correction notes as lists of dicts, rationale as text, revision_pending
    a boolean.

    The cursor is read row by row (never fetchall), so memory stays flat; the
    SQL already gives each value its final form except the ones converted
    here. This loop runs a million times in a large export, hence its
    plainness."""
    loads = json.loads
    for values in cursor:
        values = list(values)
        values[_RATIONALE] = rationale_text(values[_RATIONALE])
        values[_CITATIONS] = loads(values[_CITATIONS])
        values[_PENDING] = values[_PENDING] == 1
        values[_NOTES] = loads(values[_NOTES])
        yield dict(zip(_ROW_KEYS, values))


def table_rows(cursor):
    """The table formats' rows as lists of cells in COLUMNS order, from
    ``Store.export_table_cursor``: rationale as text, citations joined,
    formula-like cells neutralised. The fast path for CSV and XLSX, which
    never need the structured row: SQLite does the joining and most of the
    neutralising."""
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


def correction_notes_text(corrections: list[dict]) -> str:
    """The correction log in one cell, oldest first: "YYYY-MM-DD: note; …"
    (as the table query joins it)."""
    return "; ".join(f"{c['at'][:10]}: {c['note']}" for c in corrections)


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
        elif key == "correction_notes":
            value = correction_notes_text(value)
        elif key == "revision_pending":
            value = YES if value else NO
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
