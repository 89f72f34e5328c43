"""Verdict tables (CSV, XLSX, JSON) streamed from the database.

Rows come from one SQL query read with a cursor, one row at a time, so
memory stays flat however many claims there are. CSV and JSON are produced
as chunks of text for the web layer to stream; XLSX goes through
xlsxwriter's constant-memory mode into a temporary file.
"""

import csv
import datetime
import io
import json
import tempfile
from dataclasses import dataclass

from .models import CLAIM_STATUSES, VERDICTS, DomainError
from .sanitize import strip_tags

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


_ROWS_SQL = """
SELECT c.id, a.title AS article_title, a.url AS article_url, a.publisher,
       p.ordinal AS passage_ordinal, c.exact AS claim_text, c.verdict, c.label,
       c.rationale, c.status, c.anchor_state,
       creator.username AS created_by, publisher_user.username AS published_by,
       c.created_at, c.updated_at, c.published_at,
       (SELECT json_group_array(json_object('url', ct.url, 'title', ct.title,
                                            'publisher', ct.publisher, 'stance', ct.stance,
                                            'archive_url', ct.archive_url))
          FROM citations ct WHERE ct.claim_id = c.id) AS citations_json
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN passages p ON p.id = c.passage_id
LEFT JOIN users creator ON creator.id = c.created_by
LEFT JOIN users publisher_user ON publisher_user.id = c.published_by
"""


def count_rows(db, filters: ExportFilters) -> int:
    where, params = filters.where()
    return db.execute(
        "SELECT count(*) FROM claims c LEFT JOIN users creator ON creator.id = c.created_by"
        + where, params).fetchone()[0]


def iter_rows(db, filters: ExportFilters):
    """One dict per claim, citations as a list of dicts, rationale as text."""
    where, params = filters.where()
    cursor = db.conn.execute(_ROWS_SQL + where + " ORDER BY c.id", params)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values))
        yield {
            "id": row["id"],
            "article_title": row["article_title"],
            "article_url": row["article_url"],
            "publisher": row["publisher"],
            "passage_number": None if row["passage_ordinal"] is None else row["passage_ordinal"] + 1,
            "claim_text": row["claim_text"],
            "verdict": row["verdict"],
            "label": row["label"],
            "rationale": strip_tags(row["rationale"]).strip(),
            "citations": json.loads(row["citations_json"]),
            "status": row["status"],
            "created_by": row["created_by"] or "",
            "published_by": row["published_by"] or "",
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "published_at": row["published_at"] or "",
        }


def citations_text(citations: list[dict]) -> str:
    """Readable joined form for CSV and XLSX cells."""
    return "; ".join(f"{c['title']} <{c['url']}>" if c.get("title") else c["url"]
                     for c in citations)


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _flat(row: dict) -> list:
    cells = []
    for key, _ in COLUMNS:
        value = row[key]
        if key == "citations":
            value = citations_text(value)
        cells.append(neutralise(value) if isinstance(value, str) else ("" if value is None else value))
    return cells


def csv_chunks(rows, bom: bool = False, rows_per_chunk: int = 500):
    """CSV text in chunks of rows; a UTF-8 byte-order mark first if asked
    (spreadsheet programs then read the file as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow([title for _, title in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow(_flat(row))
        count += 1
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
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
    """Rows into an XLSX file at ``path`` (constant memory); returns the count."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("Claims")
    bold = workbook.add_format({"bold": True})
    for column, (_, title) in enumerate(COLUMNS):
        sheet.write_string(0, column, title, bold)
    count = 0
    for count, row in enumerate(rows, 1):
        for column, value in enumerate(_flat(row)):
            if isinstance(value, str):
                sheet.write_string(count, column, value)
            else:
                sheet.write_number(count, column, value)
    workbook.close()
    return count
