"""Verdict tables (CSV, XLSX, JSON) streamed from the database.

One row per claim, as it is exported: a claim readers can see (published
or retracted) is exported as published (its publication: verdict, label,
rationale, quote and sources), even while the desk revises it; a claim
never published is exported as the desk's working copy. Columns tell
which: status, whether a revision waits for review, whether the exported
version is still on its page (anchor state), and the publication's dates,
corrections and retraction.

Rows come from one SQL query (``Store.export_row_cursor`` for JSON,
``export_csv_cursor`` for CSV, ``export_table_cursor`` for XLSX) read one
row at a time, so memory stays flat however many claims there are. CSV and
JSON are produced as chunks of text for the web layer to stream; XLSX goes
through xlsxwriter's constant-memory mode into a temporary file, as a real
table (dates, links, widths, a frozen and filtered header).

CSV is made by ``csv_text_chunks``, which joins each chunk's cells with
separators and quotes them all in a few passes over the chunk: the same
bytes as the csv module writing every field quoted (``csv_chunks``, the
path for structured rows), at a fraction of the cost per row.
"""

import csv
import datetime
import io
import itertools
import json
import re
import tempfile
from dataclasses import dataclass

from .models import CLAIM_STATUSES, DomainError
from .rules import check_choice, check_verdict
from .sanitize import rationale_text

COLUMNS = [
    ("claim_id", "Claim ID"),
    ("review_url", "Review URL"),
    ("article_title", "Article title"),
    ("article_url", "Article URL"),
    ("publisher", "Publisher"),
    ("passage_number", "Passage"),
    ("claim_text", "Claim"),
    ("summary", "Claim summary"),
    ("verdict", "Verdict"),
    ("label", "Label"),
    ("rationale", "Rationale"),
    ("citations", "Citations"),
    ("citation_excerpts", "Citation excerpts"),
    ("citation_stances", "Citation stances"),
    ("archive_urls", "Archive URLs"),
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
# The tables' columns spelling out each citation (in the citations' order,
# "; " between), which the JSON rows give inside their structured citations.
CITATION_DETAIL_COLUMNS = ("citation_excerpts", "citation_stances", "archive_urls")
# A JSON row's keys after its "id": the table's columns less the claim id
# and the citation details.
JSON_KEYS = tuple(key for key, _ in COLUMNS
                  if key != "claim_id" and key not in CITATION_DETAIL_COLUMNS)
# How XLSX writes them: times as Excel dates, single links as hyperlinks.
DATE_COLUMNS = frozenset({"created_at", "updated_at", "first_published_at", "published_at",
                          "corrected_at", "retracted_at"})
URL_COLUMNS = frozenset({"review_url", "article_url"})
# Characters wide, by what the column holds (others get DEFAULT_WIDTH).
WIDTHS = {"claim_id": 9, "review_url": 32, "article_title": 30, "article_url": 36,
          "passage_number": 8, "claim_text": 40, "summary": 32, "verdict": 11, "label": 14,
          "rationale": 60, "citations": 45, "citation_excerpts": 40, "citation_stances": 16,
          "archive_urls": 36, "status": 12, "revision_pending": 10, "anchor_state": 10,
          "corrections": 11, "correction_notes": 40, "retraction_reason": 30,
          **{key: 19 for key in DATE_COLUMNS}}
DEFAULT_WIDTH = 14
# The store's queries give the four citation columns as one value joined by
# this (a character normalize_text never leaves in stored text); the fast
# CSV writer joins cells with it and rows with ROW_SEPARATOR.
CELL_SEPARATOR, ROW_SEPARATOR = "\x1f", "\x1e"
# One CSV dialect for every path: each field quoted, CRLF line ends.
CSV_DIALECT = {"quoting": csv.QUOTE_ALL, "lineterminator": "\r\n"}
# How the table formats say whether a revision waits for review.
YES, NO = "yes", "no"

# The most claims an export may name one by one (the claim desk's
# selection, as many as one of its bulk actions takes).
MAX_SELECTED_CLAIMS = 200

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
    claim_ids: tuple[int, ...] = ()  # only these claims (the desk's selection); () is any

    def check(self) -> None:
        if len(set(self.claim_ids)) > MAX_SELECTED_CLAIMS:
            raise DomainError("claim", f"at most {MAX_SELECTED_CLAIMS} claims at once")
        if self.verdict is not None:
            check_verdict(self.verdict)
        if self.status is not None:
            check_choice("status", self.status, CLAIM_STATUSES)
        if self.since and self.until and self.since > self.until:
            raise DomainError("until", "the date range ends before it starts")


_ROW_KEYS = ("id", *JSON_KEYS)
_RATIONALE = _ROW_KEYS.index("rationale")
_CITATIONS = _ROW_KEYS.index("citations")
_PENDING = _ROW_KEYS.index("revision_pending")
_NOTES = _ROW_KEYS.index("correction_notes")
_COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
_TABLE_RATIONALE = _COLUMN_KEYS.index("rationale")
_TABLE_PASSAGE = _COLUMN_KEYS.index("passage_number")
_TABLE_CITATIONS = _COLUMN_KEYS.index("citations")

# An <a> element as bleach serialises it (href first-quoted, double quotes).
_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
_MARKUP = re.compile(r"<[^>]*>")


def _spelled_link(match) -> str:
    url, inner = match.group(1), match.group(2)
    text = _MARKUP.sub("", inner).strip()
    if not text or text == url:
        return url
    return f"{inner} ({url})"


def rationale_cell(cleaned_html: str) -> str:
    """A rationale as text for a table cell, its links kept as "text (url)"
    (the link's text alone when it is the URL)."""
    # The common rationale, one plain paragraph, without the regexes (what
    # rationale_text would make of it; a million-row export meets it often).
    if cleaned_html.startswith("<p>") and cleaned_html.endswith("</p>") \
            and cleaned_html.count("<") == 2 and "&" not in cleaned_html \
            and "\n" not in cleaned_html and "\r" not in cleaned_html:
        return cleaned_html[3:-4].strip()
    if "<a" in cleaned_html:
        cleaned_html = _LINK.sub(_spelled_link, cleaned_html)
    return rationale_text(cleaned_html)


def iter_rows(cursor):
    """One dict per claim from ``Store.export_row_cursor``: citations and
    correction notes as lists of dicts, rationale as text (links kept),
    revision_pending a boolean.

    The cursor is read row by row (never fetchall), so memory stays flat; the
    SQL already gives each value its final form except the ones converted
    here. This loop runs a million times in a large export, hence its
    plainness."""
    loads = json.loads
    for values in cursor:
        values = list(values)
        values[_RATIONALE] = rationale_cell(values[_RATIONALE])
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
    rationale, passage, citations = _TABLE_RATIONALE, _TABLE_PASSAGE, _TABLE_CITATIONS
    for values in cursor:
        cells = list(values)
        text = cells[rationale]
        if text:
            cells[rationale] = neutralise(rationale_cell(text))
        if cells[passage] is None:  # passage number of an orphaned claim
            cells[passage] = ""
        cells[citations:citations + 1] = cells[citations].split(CELL_SEPARATOR)
        yield cells


def citations_text(citations: list[dict]) -> str:
    """Readable joined form for CSV and XLSX cells."""
    return "; ".join(f"{c['title']} <{c['url']}>" if c.get("title") else c["url"]
                     for c in citations)


def citation_detail(citations: list[dict], key: str) -> str:
    """One detail (excerpt, stance, archive URL) of the citations that have
    it, in their order, "; " between."""
    return "; ".join(c[key] for c in citations if c.get(key))


def correction_notes_text(corrections: list[dict]) -> str:
    """The correction log in one cell, oldest first: "YYYY-MM-DD: note; …"
    (as the table query joins it)."""
    return "; ".join(f"{c['at'][:10]}: {c['note']}" for c in corrections)


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text (OWASP)."""
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST:
        return "'" + value
    return value


_DETAIL_SOURCE = {"citation_excerpts": "excerpt", "citation_stances": "stance",
                  "archive_urls": "archive_url"}


def _flat(row: dict) -> list:
    cells = []
    for key in _COLUMN_KEYS:
        if key == "claim_id":
            value = row["id"]
        elif key in _DETAIL_SOURCE:
            value = citation_detail(row["citations"], _DETAIL_SOURCE[key])
        else:
            value = row.get(key)
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
    writer = csv.writer(buffer, **CSV_DIALECT)
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


def csv_text_chunks(rows, bom: bool = False, rows_per_chunk: int = 1000):
    """The CSV of ``Store.export_csv_cursor`` rows (every cell text, the
    citations as one value), in chunks: byte for byte what csv_chunks makes
    of the same table, made faster.

    Each field is quoted, so a chunk is its cells joined by separators,
    quotes doubled and the separators turned into '","' and line ends in
    three passes over the chunk, not a check of every cell; a chunk whose
    text holds a separator itself is written by the csv module instead."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_DIALECT)
    if bom:
        buffer.write("\ufeff")
    writer.writerow([title for _, title in COLUMNS])
    yield buffer.getvalue()
    cell, formula_first, rationale = rationale_cell, _FORMULA_FIRST, _TABLE_RATIONALE
    separators = len(COLUMNS) - 1
    join = CELL_SEPARATOR.join
    rows = iter(rows)
    while True:
        batch = list(itertools.islice(rows, rows_per_chunk))
        if not batch:
            return
        lines = []
        for values in batch:
            text = values[rationale]
            if text:
                text = cell(text)
                if text[:1] in formula_first:
                    text = "'" + text
                values = list(values)
                values[rationale] = text
            lines.append(join(values))
        chunk = ROW_SEPARATOR.join(lines)
        if chunk.count(CELL_SEPARATOR) != separators * len(lines) \
                or chunk.count(ROW_SEPARATOR) != len(lines) - 1:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(table_rows(batch))
            yield buffer.getvalue()
            continue
        yield ('"' + chunk.replace('"', '""').replace(CELL_SEPARATOR, '","')
               .replace(ROW_SEPARATOR, '"\r\n"') + '"\r\n')


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


# Excel keeps at most this many hyperlinks in a worksheet, each at most
# this long; past them a link is written as its text.
XLSX_MAX_LINKS = 65_530
XLSX_MAX_LINK_LENGTH = 2079


def _excel_time(value: str):
    """A stored UTC time as the naive datetime Excel shows (UTC), to the
    second; None for an empty cell."""
    if not value:
        return None
    return datetime.datetime.fromisoformat(value).replace(tzinfo=None, microsecond=0)


def write_xlsx(rows, path) -> int:
    """Rows (dicts or table_rows lists) into an XLSX file at ``path``, a
    real table in constant memory: a bold frozen header with an autofilter,
    column widths, times as dates (UTC), the review and article URLs as
    hyperlinks (up to Excel's limit), counts as numbers. Returns the count."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("Claims")
    header = workbook.add_format({"bold": True, "bg_color": "#E8E8E8", "bottom": 1})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    link = workbook.add_format({"font_color": "blue", "underline": 1})
    for column, (key, title) in enumerate(COLUMNS):
        sheet.set_column(column, column, WIDTHS.get(key, DEFAULT_WIDTH))
        sheet.write_string(0, column, title, header)
    sheet.freeze_panes(1, 0)
    dates = [n for n, key in enumerate(_COLUMN_KEYS) if key in DATE_COLUMNS]
    urls = [n for n, key in enumerate(_COLUMN_KEYS) if key in URL_COLUMNS]
    special = set(dates) | set(urls)
    links = 0
    count = 0
    for count, row in enumerate(rows, 1):
        cells = _cells(row)
        for column, value in enumerate(cells):
            if value == "":
                continue  # a blank cell, which filters show as "(Blanks)"
            if column in special:
                if column in dates:
                    sheet.write_datetime(count, column, _excel_time(value), when)
                    continue
                if links < XLSX_MAX_LINKS and len(value) <= XLSX_MAX_LINK_LENGTH \
                        and value.startswith(("https://", "http://")):
                    sheet.write_url(count, column, value, link, value)
                    links += 1
                    continue
            if isinstance(value, str):
                sheet.write_string(count, column, value)
            else:
                sheet.write_number(count, column, value)
    sheet.autofilter(0, 0, count, len(COLUMNS) - 1)
    workbook.close()
    return count
