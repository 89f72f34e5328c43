"""The verdict table (CSV, JSON, XLSX): columns, escaping, non-Latin text,
byte-order mark, filters and their errors, streaming, roles, and the
``export`` command writing what the API serves."""

import csv
import datetime
import io
import json
import re

import openpyxl
import openpyxl.utils
import pytest

from annotations.exports import COLUMNS, DATE_COLUMNS, JSON_KEYS, ExportFilters, csv_chunks, \
    iter_rows, json_chunks, \
    neutralise, table_rows, write_xlsx
from annotations.importer import parse_article
from annotations.models import DomainError
from annotations.sanitize import clean_rationale
from annotations.store import Actor, Store
from tests.helpers import PASSWORD, api_error, as_actor, open_store

HEADER = ["Claim ID", "Review URL", "Article title", "Article URL", "Publisher", "Passage",
          "Claim", "Claim summary", "Verdict", "Label", "Rationale", "Citations",
          "Citation excerpts", "Citation stances", "Archive URLs", "Status", "Revision pending",
          "Anchor", "Created by", "Published by", "Created", "Updated", "First published",
          "Last approved", "Corrected", "Corrections", "Correction notes", "Retracted",
          "Retraction reason"]
CLAIM = HEADER.index("Claim")
TIME_TITLES = {title for key, title in COLUMNS if key in DATE_COLUMNS}
BOM = b"\xef\xbb\xbf"
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]

BUDGET_TEXT = (
    "Budget cuts announced\n"
    "\n"
    "The minister said unemployment fell by 3% last year.\n"
    "\n"
    "Critics said the figure was misleading.\n"
)
WORLD_TEXT = (
    "Мир 世界 🌍\n"
    "\n"
    "Мэр сказал, что 東京 мост 🌉 открыт.\n"
    "\n"
    "Another sentence here for claims.\n"
)

# Creation times either side of midnight, to test that a date range covers
# whole days.
CREATED = {
    "c1": "2024-03-09T23:59:59.999999+00:00",
    "c2": "2024-03-10T00:00:00.000000+00:00",
    "c3": "2024-03-10T23:59:59.999999+00:00",
    "c4": "2024-03-11T00:00:00.000000+00:00",
}


def _actor(user: dict) -> Actor:
    return Actor(user["id"], user["username"])


def _claim(store, article_id: int, quote: str, verdict: str, user: dict, **fields) -> dict:
    passage = next(p for p in store.passages(article_id) if quote in p["text"])
    start = passage["text"].index(quote)
    return store.create_claim(passage["id"], start, start + len(quote), verdict, _actor(user),
                              **fields)


@pytest.fixture
def data(factories, users):
    """Two articles, four claims: verdicts, statuses, annotators and creation
    days all differ, so every filter picks a different set."""
    budget = factories.article("https://news.example.com/budget", BUDGET_TEXT,
                               title="Budget cuts", publisher="Daily News",
                               author="Jane Roe")["id"]
    world = factories.article("https://news.example.com/world", WORLD_TEXT,
                              title="Мир 世界 🌍", publisher="Новости")["id"]
    fc, ed = users["factchecker"], users["editor"]
    c1 = factories.claim(
        budget, "unemployment fell by 3%", "verified", fc, publisher=ed, label="Mostly true",
        rationale=clean_rationale("<p>Per the <strong>ONS</strong> data &amp; more</p>"),
        citations=({"url": "https://ons.example.gov/lms", "title": "ONS labour stats",
                    "publisher": "ONS", "stance": "supports"},
                   {"url": "https://other.example.org/x", "stance": "context"}))
    c2 = factories.claim(budget, "the figure was misleading", "denied", ed,
                         citations=({"url": "https://stats.example.org/a", "title": "Stats",
                                     "archive_url": "https://archive.example.org/a",
                                     "stance": "refutes"},))
    c3 = factories.claim(world, "東京 мост 🌉", "unverified", fc, label="Проверяется 🔍",
                         rationale="Источник: 新闻 😀",
                         citations=({"url": "https://xinwen.example.cn/1",
                                     "title": "新闻 source 📰"},))
    c4 = factories.claim(world, "Another sentence", "denied", fc, publisher=ed,
                         citations=({"url": "https://fact.example.org/4", "title": "Facts"},))
    claims = {"c1": c1["id"], "c2": c2["id"], "c3": c3["id"], "c4": c4["id"]}
    db = factories.store.db
    for name, created in CREATED.items():
        db.execute("UPDATE claims SET created_at = ? WHERE id = ?", [created, claims[name]])
    db.conn.commit()
    return {"budget": budget, "world": world, **claims,
            "texts": {"c1": "unemployment fell by 3%", "c2": "the figure was misleading",
                      "c3": "東京 мост 🌉", "c4": "Another sentence"}}


def csv_rows(body: bytes) -> list[list[str]]:
    assert not body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # Excel keeps times as fractions of a day: back to the nearest second.
        return (value + datetime.timedelta(microseconds=500_000)).replace(
            microsecond=0).isoformat()
    if isinstance(value, str):
        # Characters XML cannot hold (a carriage return) are written as the
        # OOXML escape _xHHHH_, which Excel reads back but openpyxl leaves
        # as it is in inline strings.
        return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return str(value)


def xlsx_rows(body: bytes) -> list[list[str]]:
    """Every row of the only sheet, as the strings a CSV would hold."""
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    assert workbook.sheetnames == ["Claims"]
    rows = [[_cell_text(v) for v in row]
            for row in workbook["Claims"].iter_rows(values_only=True)]
    workbook.close()
    return rows


def as_in_xlsx(table: list[list[str]]) -> list[list[str]]:
    """CSV rows with their times as the XLSX holds them: dates to the
    second, in UTC, no zone written."""
    times = [n for n, title in enumerate(HEADER) if title in TIME_TITLES]
    rows = [list(table[0])]
    for row in table[1:]:
        row = list(row)
        for n in times:
            if row[n]:
                row[n] = datetime.datetime.fromisoformat(row[n]).replace(
                    microsecond=0, tzinfo=None).isoformat()
        rows.append(row)
    return rows


def export(client, headers, fmt: str, query: str = ""):
    return client.get(f"/api/v1/exports/claims.{fmt}{query}", headers=headers)


def claim_texts(response, fmt: str) -> list[str]:
    """The claim column of an export, in row order."""
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt == "json":
        return [row["claim_text"] for row in json.loads(response.get_data(as_text=True))]
    rows = csv_rows(response.data) if fmt == "csv" else xlsx_rows(response.data)
    assert rows[0] == HEADER
    return [row[CLAIM] for row in rows[1:]]


# -- columns ----------------------------------------------------------------------

def test_csv_has_one_row_per_claim_with_every_column(client, auth, data):
    response = export(client, auth["editor"], "csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = csv_rows(response.data)
    assert rows[0] == HEADER
    assert len(rows) == 5
    by_claim = {row[CLAIM]: dict(zip(HEADER, row)) for row in rows[1:]}
    c1 = by_claim["unemployment fell by 3%"]
    updated_at = c1.pop("Updated")
    first_published_at = c1.pop("First published")
    assert c1 == {
        "Claim ID": str(data["c1"]),
        "Review URL": f"http://localhost/claims/{data['c1']}",
        "Claim summary": "",
        "Citation excerpts": "",
        "Citation stances": "supports; context",
        "Archive URLs": "",
        "Article title": "Budget cuts",
        "Article URL": "https://news.example.com/budget",
        "Publisher": "Daily News",
        "Passage": "2",
        "Claim": "unemployment fell by 3%",
        "Verdict": "verified",
        "Label": "Mostly true",
        "Rationale": "Per the ONS data & more",
        "Citations": "ONS labour stats <https://ons.example.gov/lms>; https://other.example.org/x",
        "Status": "published",
        "Revision pending": "no",
        "Anchor": "anchored",
        "Created by": "factchecker",
        "Published by": "editor",
        "Created": CREATED["c1"],
        "Last approved": first_published_at,
        "Corrected": "",
        "Corrections": "0",
        "Correction notes": "",
        "Retracted": "",
        "Retraction reason": "",
    }
    assert first_published_at.startswith("20") and "T" in first_published_at
    assert updated_at == first_published_at  # the approval is its last change readers see
    c2 = by_claim["the figure was misleading"]
    assert (c2["Passage"], c2["Status"], c2["Revision pending"], c2["Created by"],
            c2["Published by"], c2["First published"], c2["Last approved"]) \
        == ("3", "draft", "no", "editor", "", "", "")
    assert c2["Citations"] == "Stats <https://stats.example.org/a>"
    assert c2["Label"] == "" and c2["Rationale"] == ""


def test_csv_rows_come_in_claim_order(client, auth, data):
    assert claim_texts(export(client, auth["editor"], "csv"), "csv") == \
        [data["texts"][name] for name in ("c1", "c2", "c3", "c4")]


def test_json_rows_have_structured_citations_and_plain_rationale(client, auth, data):
    response = export(client, auth["editor"], "json")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="claims.json"'
    rows = {row["id"]: row for row in json.loads(response.get_data(as_text=True))}
    assert set(rows) == {data["c1"], data["c2"], data["c3"], data["c4"]}
    c1 = rows[data["c1"]]
    assert {"id", *JSON_KEYS} == set(c1)
    assert c1["citations"] == [
        {"url": "https://ons.example.gov/lms", "title": "ONS labour stats", "publisher": "ONS",
         "stance": "supports", "excerpt": "", "archive_url": None},
        {"url": "https://other.example.org/x", "title": "", "publisher": "",
         "stance": "context", "excerpt": "", "archive_url": None},
    ]
    assert c1["rationale"] == "Per the ONS data & more"
    assert c1["passage_number"] == 2
    assert (c1["article_title"], c1["publisher"], c1["verdict"], c1["status"],
            c1["created_by"], c1["published_by"]) == \
        ("Budget cuts", "Daily News", "verified", "published", "factchecker", "editor")
    assert rows[data["c2"]]["citations"][0]["archive_url"] == "https://archive.example.org/a"
    assert rows[data["c1"]]["review_url"] == f"http://localhost/claims/{data['c1']}"
    assert rows[data["c2"]]["review_url"] == ""  # never published: no review page
    assert rows[data["c2"]]["citations"][0]["stance"] == "refutes"


def test_rationale_markup_becomes_plain_text_with_its_links(client, auth, app, data, users):
    store = open_store(app)
    try:
        _claim(store, data["budget"], "Critics said", "unverified", users["editor"],
               rationale=clean_rationale('<p>See <a href="https://ex.org/r">the <em>report</em></a>'
                                         ' &lt;b&gt; &amp; more<script>alert(1)</script></p>'))
    finally:
        store.db.close()

    rows = csv_rows(export(client, auth["editor"], "csv").data)
    rationale = rows[-1][HEADER.index("Rationale")]
    assert rationale == "See the report (https://ex.org/r) <b> & more"
    row = json.loads(export(client, auth["editor"], "json").get_data(as_text=True))[-1]
    assert row["rationale"] == "See the report (https://ex.org/r) <b> & more"


def test_orphaned_claim_has_no_passage_number(client, auth, app, data):
    store = open_store(app)
    try:
        store.import_article("https://news.example.com/budget", parse_article(
            "Budget cuts announced\n\nThe minister said nothing.\n\n"
            "Critics said the figure was misleading.\n", "text"))
    finally:
        store.db.close()

    rows = csv_rows(export(client, auth["editor"], "csv").data)
    by_claim = {row[CLAIM]: row for row in rows[1:]}
    assert by_claim["unemployment fell by 3%"][HEADER.index("Passage")] == ""
    assert by_claim["the figure was misleading"][HEADER.index("Passage")] == "3"
    json_rows = json.loads(export(client, auth["editor"], "json").get_data(as_text=True))
    assert json_rows[0]["passage_number"] is None


def test_empty_table_is_just_the_header(client, auth):
    assert csv_rows(export(client, auth["editor"], "csv").data) == [HEADER]
    assert json.loads(export(client, auth["editor"], "json").get_data(as_text=True)) == []
    assert xlsx_rows(export(client, auth["editor"], "xlsx").data) == [HEADER]


# -- published claims: exported as readers see them ---------------------------------

def _tables(client, auth, query: str = "") -> dict:
    """The CSV rows by claim id order, checked equal to the XLSX ones, and the
    JSON rows; both keyed by the Claim column / claim_text."""
    csv_table = csv_rows(export(client, auth["editor"], "csv", query).data)
    assert csv_table[0] == HEADER
    assert xlsx_rows(export(client, auth["editor"], "xlsx", query).data) == as_in_xlsx(csv_table)
    rows = json.loads(export(client, auth["editor"], "json", query).get_data(as_text=True))
    return {"csv": [dict(zip(HEADER, row)) for row in csv_table[1:]], "json": rows}


def test_published_claim_under_revision_is_exported_as_published(client, auth, data,
                                                                  factories, users, runner,
                                                                  tmp_path):
    store, fc = factories.store, as_actor(users["factchecker"])
    claim = store.update_claim(
        data["c1"], {"verdict": "denied", "label": "False",
                     "rationale": "<p>Rewritten by the desk</p>"}, fc, None,
        citations=[{"url": "https://new.example.org/n", "title": "New source"}])
    passage = store.passage(claim["passage_id"])
    start = passage["text"].index("The minister said")
    claim = store.reattach_claim(data["c1"], passage["id"], start,
                                 start + len("The minister said"), fc, claim["version"])
    assert (claim["status"], claim["verdict"], claim["exact"]) == \
        ("draft", "denied", "The minister said")

    tables = _tables(client, auth)

    row = tables["csv"][0]
    assert (row["Claim"], row["Verdict"], row["Label"], row["Rationale"], row["Citations"]) == (
        "unemployment fell by 3%", "verified", "Mostly true", "Per the ONS data & more",
        "ONS labour stats <https://ons.example.gov/lms>; https://other.example.org/x")
    assert (row["Status"], row["Revision pending"], row["Anchor"]) == \
        ("published", "yes", "anchored")
    assert row["Updated"] == row["Last approved"] == row["First published"]
    assert "Rewritten" not in "".join(",".join(r.values()) for r in tables["csv"])
    json_row = tables["json"][0]
    assert (json_row["claim_text"], json_row["verdict"], json_row["label"],
            json_row["rationale"], json_row["status"], json_row["revision_pending"]) == \
        ("unemployment fell by 3%", "verified", "Mostly true", "Per the ONS data & more",
         "published", True)
    assert [c["url"] for c in json_row["citations"]] == \
        ["https://ons.example.gov/lms", "https://other.example.org/x"]
    assert [r["revision_pending"] for r in tables["json"][1:]] == [False, False, False]
    # Filters pick the exported version: its published verdict and status.
    assert claim_texts(export(client, auth["editor"], "csv", "?verdict=denied"), "csv") == \
        [data["texts"]["c2"], data["texts"]["c4"]]
    assert claim_texts(export(client, auth["editor"], "csv", "?status=draft"), "csv") == \
        [data["texts"]["c2"], data["texts"]["c3"]]
    assert claim_texts(export(client, auth["editor"], "json", "?status=published"), "json") \
        == [data["texts"]["c1"], data["texts"]["c4"]]
    path = tmp_path / "published.csv"
    result = _cli(runner, "csv", "-o", str(path), "--status", "published")
    assert result.exit_code == 0, result.output
    assert "exported 2 claims" in result.output
    assert path.read_bytes() == export(client, auth["editor"], "csv", "?status=published").data


def test_never_published_claim_is_exported_as_the_desk_has_it(client, auth, data, factories,
                                                             users):
    store = factories.store
    claim = store.update_claim(data["c2"], {"label": "Misleading"}, as_actor(users["editor"]),
                               None)
    store.transition_claim(claim["id"], "submit", as_actor(users["editor"]))

    row = _tables(client, auth)["csv"][1]

    assert (row["Claim"], row["Label"], row["Status"], row["Revision pending"]) == \
        ("the figure was misleading", "Misleading", "in_review", "no")
    assert row["First published"] == row["Last approved"] == row["Published by"] == ""
    assert claim_texts(export(client, auth["editor"], "csv", "?status=in_review"), "csv") == \
        [data["texts"]["c2"]]


def test_corrections_are_exported_dated_and_in_order(client, auth, data, factories, users):
    store = factories.store
    fc, ed = as_actor(users["factchecker"]), as_actor(users["editor"])
    claim = store.update_claim(data["c1"], {"verdict": "denied"}, fc, None)
    store.transition_claim(claim["id"], "submit", fc)
    store.transition_claim(claim["id"], "approve", ed,
                           correction_note="The ONS revised its figures")
    claim = store.update_claim(data["c1"], {"label": "Wrong"}, fc, None)
    store.transition_claim(claim["id"], "submit", fc)
    store.transition_claim(claim["id"], "approve", ed,
                           correction_note="Label fixed; see the ONS note")
    corrections = store.corrections(data["c1"])
    assert len(corrections) == 2

    tables = _tables(client, auth)

    row = tables["csv"][0]
    first, second = (c["at"][:10] for c in corrections)
    assert (row["Verdict"], row["Label"], row["Status"], row["Revision pending"]) == \
        ("denied", "Wrong", "published", "no")
    assert row["Corrections"] == "2"
    assert row["Correction notes"] == \
        f"{first}: The ONS revised its figures; {second}: Label fixed; see the ONS note"
    assert row["Corrected"] == corrections[-1]["at"] == row["Last approved"] == row["Updated"]
    assert row["First published"] < row["Last approved"]
    assert [r["Corrections"] for r in tables["csv"][1:]] == ["0", "0", "0"]
    assert {r["Correction notes"] for r in tables["csv"][1:]} == {""}
    json_row = tables["json"][0]
    assert json_row["corrections"] == 2
    assert json_row["correction_notes"] == [
        {"at": corrections[0]["at"], "note": "The ONS revised its figures",
         "previous_verdict": "verified", "verdict": "denied",
         "previous_label": "Mostly true", "label": "Mostly true"},
        {"at": corrections[1]["at"], "note": "Label fixed; see the ONS note",
         "previous_verdict": "denied", "verdict": "denied",
         "previous_label": "Mostly true", "label": "Wrong"},
    ]
    assert tables["json"][1]["correction_notes"] == []


@pytest.mark.parametrize("char", DANGEROUS, ids=repr)
def test_retracted_claim_is_exported_with_its_reason(client, auth, data, factories, users,
                                                     char):
    reason = char + "HYPERLINK(\"http://evil.example\",\"x\") the source was forged"
    factories.store.transition_claim(data["c4"], "retract", as_actor(users["editor"]),
                                     note=reason)
    stored = factories.store.publication(data["c4"])
    # Notes are trimmed: a tab or carriage return first is gone.
    assert stored["retraction_reason"] == reason.strip()

    tables = _tables(client, auth)

    row = tables["csv"][3]
    assert (row["Claim"], row["Status"], row["Verdict"]) == \
        ("Another sentence", "retracted", "denied")
    assert row["Retracted"] == stored["retracted_at"] == row["Updated"]
    assert row["Retraction reason"] == neutralise(reason.strip())
    assert row["Retraction reason"][:1] in ("'", "H")
    assert {r["Retracted"] for r in tables["csv"][:3]} == {""}
    json_row = tables["json"][3]
    assert (json_row["status"], json_row["retraction_reason"]) == ("retracted", reason.strip())
    assert claim_texts(export(client, auth["editor"], "csv", "?status=retracted"), "csv") == \
        [data["texts"]["c4"]]
    assert claim_texts(export(client, auth["editor"], "xlsx", "?status=published"), "xlsx") == \
        [data["texts"]["c1"]]


def test_orphaned_published_claim_is_flagged_until_its_revision_is_approved(
        client, auth, data, factories, users):
    store = factories.store
    store.import_article("https://news.example.com/budget", parse_article(
        "Budget cuts announced\n\nThe minister said joblessness fell by 3% last year.\n\n"
        "Critics said the figure was misleading.\n", "text"))

    rows = _tables(client, auth)["csv"]
    assert (rows[0]["Claim"], rows[0]["Status"], rows[0]["Anchor"], rows[0]["Passage"]) == \
        ("unemployment fell by 3%", "published", "orphaned", "")
    assert [r["Anchor"] for r in rows[1:]] == ["anchored"] * 3

    # The desk re-attaches it: a revision; readers still have the orphan.
    fc, ed = as_actor(users["factchecker"]), as_actor(users["editor"])
    passage = store.passages(data["budget"])[1]
    start = passage["text"].index("joblessness fell by 3%")
    claim = store.reattach_claim(data["c1"], passage["id"], start,
                                 start + len("joblessness fell by 3%"), fc, None)
    row = _tables(client, auth)["csv"][0]
    assert (row["Claim"], row["Anchor"], row["Passage"], row["Revision pending"]) == \
        ("unemployment fell by 3%", "orphaned", "", "yes")

    store.transition_claim(claim["id"], "submit", fc)
    store.transition_claim(claim["id"], "approve", ed)
    tables = _tables(client, auth)
    row = tables["csv"][0]
    assert (row["Claim"], row["Anchor"], row["Passage"], row["Revision pending"],
            row["Status"]) == ("joblessness fell by 3%", "anchored", "2", "no", "published")
    assert (tables["json"][0]["anchor_state"], tables["json"][0]["passage_number"]) == \
        ("anchored", 2)


# -- formula injection ------------------------------------------------------------

@pytest.mark.parametrize("char", DANGEROUS)
def test_neutralise_prefixes_every_formula_start(char):
    value = char + "SUM(A1:A9)"
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "a=b", "1+1", "x-y", "mail@example.org", "'quoted",
                                   "", " =space first"])
def test_neutralise_leaves_safe_cells_alone(value):
    assert neutralise(value) == value


def _row(**overrides) -> dict:
    row = {"id": 1, "article_title": "Title", "article_url": "https://ex.org/a",
           "publisher": "Pub", "passage_number": 1, "claim_text": "Claim", "verdict": "denied",
           "label": "Label", "rationale": "Rationale",
           "citations": [{"url": "https://src.example.org", "title": "Source"}],
           "status": "draft", "revision_pending": False, "anchor_state": "anchored",
           "created_by": "ed", "published_by": "", "created_at": "2024-01-01",
           "updated_at": "2024-01-01", "first_published_at": "", "published_at": "",
           "corrected_at": "", "corrections": 0, "correction_notes": [], "retracted_at": "",
           "retraction_reason": ""}
    row.update(overrides)
    return row


FIELD_CASES = {
    "article_title": ("Article title", lambda v: {"article_title": v}),
    "label": ("Label", lambda v: {"label": v}),
    "rationale": ("Rationale", lambda v: {"rationale": v}),
    "citation title": ("Citations", lambda v: {"citations": [{"url": "https://s.example.org",
                                                              "title": v}]}),
    "claim_text": ("Claim", lambda v: {"claim_text": v}),
    "retraction_reason": ("Retraction reason", lambda v: {"retraction_reason": v}),
}


@pytest.mark.parametrize("char", DANGEROUS, ids=repr)
@pytest.mark.parametrize("field", FIELD_CASES)
def test_dangerous_first_character_is_neutralised_in_csv_and_xlsx(tmp_path, char, field):
    column, override = FIELD_CASES[field]
    payload = char + 'HYPERLINK("http://evil.example","x")'
    row = _row(**override(payload))

    text = "".join(csv_chunks(iter([row])))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cell = rows[1][HEADER.index(column)]
    assert cell.startswith("'" + char)
    assert payload in cell

    path = tmp_path / "claims.xlsx"
    assert write_xlsx(iter([row]), path) == 1
    assert xlsx_rows(path.read_bytes())[1] == as_in_xlsx(rows)[1]


def test_formula_cells_in_stored_claims_are_neutralised_end_to_end(client, auth, app, users):
    store = open_store(app)
    try:
        article = store.import_article("https://news.example.com/f", parse_article(
            "=SUM(1,2) said the minister.\n\n@channel +44 calls -5% drop.\n", "text"),
            title="=cmd|' /C calc'!A0", publisher="+Publisher").article_id
        _claim(store, article, "=SUM(1,2)", "denied", users["editor"], label="+label",
               rationale="<p>-rationale</p>",
               citations=({"url": "https://s.example.org/1", "title": "@citation"},))
        _claim(store, article, "@channel", "unverified", users["editor"], label="-2")
        _claim(store, article, "-5% drop", "unverified", users["editor"], label="@x")
    finally:
        store.db.close()

    rows = csv_rows(export(client, auth["editor"], "csv").data)[1:]
    cells = [dict(zip(HEADER, row)) for row in rows]
    assert cells[0]["Article title"] == "'=cmd|' /C calc'!A0"
    assert cells[0]["Publisher"] == "'+Publisher"
    assert cells[0]["Claim"] == "'=SUM(1,2)"
    assert cells[0]["Label"] == "'+label"
    assert cells[0]["Rationale"] == "'-rationale"
    assert cells[0]["Citations"] == "'@citation <https://s.example.org/1>"
    assert [c["Claim"] for c in cells[1:]] == ["'@channel", "'-5% drop"]
    assert [c["Label"] for c in cells[1:]] == ["'-2", "'@x"]
    # Every text cell of the spreadsheet is the same neutralised string.
    assert xlsx_rows(export(client, auth["editor"], "xlsx").data)[1:] == \
        as_in_xlsx([HEADER, *rows])[1:]
    # JSON is data, not a spreadsheet: values stay as they were written.
    json_rows = json.loads(export(client, auth["editor"], "json").get_data(as_text=True))
    assert json_rows[0]["claim_text"] == "=SUM(1,2)"
    assert json_rows[0]["article_title"] == "=cmd|' /C calc'!A0"
    assert json_rows[0]["citations"][0]["title"] == "@citation"


@pytest.mark.parametrize("char", DANGEROUS, ids=repr)
def test_every_dangerous_first_character_in_stored_fields_is_neutralised(
        client, auth, app, data, runner, tmp_path, char):
    """Values that reached the database some other way (older data, direct
    edits) with a tab or carriage return first, too."""
    payload = char + "cmd|' /C calc'!A0"
    store = open_store(app)
    try:
        db = store.db
        db.execute("UPDATE articles SET title = ?, publisher = ? WHERE id = ?",
                   [payload, payload, data["budget"]])
        db.execute("UPDATE claims SET exact = ?, label = ?, rationale = ? WHERE id = ?",
                   [payload, payload, f"<p>{payload}</p>", data["c2"]])
        db.execute("UPDATE citations SET title = ? WHERE claim_id = ?", [payload, data["c2"]])
        # c1's publication: what its rows export.
        db.execute("UPDATE claim_publications SET exact = ?, label = ?, rationale = ?,"
                   " retraction_reason = ? WHERE claim_id = ?",
                   [payload, payload, f"<p>{payload}</p>", payload, data["c1"]])
        db.execute("UPDATE published_citations SET title = ? WHERE id = (SELECT min(id) FROM"
                   " published_citations WHERE claim_id = ?)", [payload, data["c1"]])
        db.conn.commit()
    finally:
        store.db.close()
    rationale = "'" + payload if char.strip() else payload.strip()  # text lines are trimmed

    table = csv_rows(export(client, auth["editor"], "csv").data)
    row = dict(zip(HEADER, table[2]))
    assert row["Article title"] == row["Publisher"] == row["Claim"] == row["Label"] \
        == "'" + payload
    assert row["Citations"] == "'" + payload + " <https://stats.example.org/a>"
    assert row["Rationale"] == rationale
    published = dict(zip(HEADER, table[1]))  # the article's other claim
    assert published["Article title"] == published["Claim"] == published["Label"] \
        == published["Retraction reason"] == "'" + payload
    assert published["Citations"] == \
        "'" + payload + " <https://ons.example.gov/lms>; https://other.example.org/x"
    assert published["Rationale"] == rationale
    assert xlsx_rows(export(client, auth["editor"], "xlsx").data) == as_in_xlsx(table)
    path = tmp_path / "out.csv"
    assert runner.invoke(args=["export", "csv", "-o", str(path),
                               "--base-url", "http://localhost"]).exit_code == 0
    assert csv_rows(path.read_bytes()) == table
    row = json.loads(export(client, auth["editor"], "json").get_data(as_text=True))[1]
    assert row["claim_text"] == row["label"] == row["article_title"] == payload


def test_xlsx_writes_formula_like_text_as_text_not_formulas(client, auth, app, users):
    store = open_store(app)
    try:
        article = store.import_article("https://news.example.com/f", parse_article(
            "The figure was 1+1 in total.\n", "text"), title="=1+1").article_id
        _claim(store, article, "1+1", "unverified", users["editor"])
    finally:
        store.db.close()

    workbook = openpyxl.load_workbook(io.BytesIO(export(client, auth["editor"], "xlsx").data))
    sheet = workbook["Claims"]
    title, claim = HEADER.index("Article title") + 1, CLAIM + 1
    assert sheet.cell(2, title).value == "'=1+1"
    assert sheet.cell(2, title).data_type == "s"
    assert sheet.cell(2, claim).value == "1+1"
    assert sheet.cell(2, claim).data_type == "s"
    assert sheet.cell(2, HEADER.index("Passage") + 1).value == 1  # a number


def test_xlsx_is_a_real_table(client, auth, data):
    """Times are dates, the review and article URLs links, the header bold,
    frozen and filtered, the columns sized to what they hold."""
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, auth["editor"], "xlsx").data))
    sheet = workbook["Claims"]
    column = {title: n + 1 for n, title in enumerate(HEADER)}

    created = sheet.cell(2, column["Created"])
    assert created.is_date and created.value == datetime.datetime(2024, 3, 9, 23, 59, 59)
    assert "yyyy-mm-dd" in created.number_format
    assert sheet.cell(2, column["Last approved"]).is_date
    assert sheet.cell(3, column["Last approved"]).value is None  # a draft: empty, not ""
    review = sheet.cell(2, column["Review URL"])
    assert review.hyperlink.target == review.value == f"http://localhost/claims/{data['c1']}"
    article = sheet.cell(2, column["Article URL"])
    assert article.hyperlink.target == "https://news.example.com/budget"
    assert sheet.cell(2, column["Claim ID"]).value == data["c1"]
    assert sheet.cell(2, column["Corrections"]).value == 0

    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(HEADER))
    assert sheet.auto_filter.ref == f"A1:{last}5"
    assert all(sheet.cell(1, n).font.b for n in column.values())
    widths = {title: sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width
              for title, n in column.items()}
    assert widths["Rationale"] > widths["Claim"] > widths["Verdict"] > widths["Passage"]


def test_xlsx_writes_links_as_text_past_excels_limit(tmp_path, monkeypatch):
    from annotations import exports
    monkeypatch.setattr(exports, "XLSX_MAX_LINKS", 3)
    rows = [_row(id=n, article_url=f"https://ex.org/{n}") for n in range(1, 4)]
    path = tmp_path / "claims.xlsx"

    exports.write_xlsx(iter(rows), path)

    sheet = openpyxl.load_workbook(path)["Claims"]
    url = HEADER.index("Article URL") + 1
    # Three links (the review URLs are empty here), then text.
    assert [bool(sheet.cell(n, url).hyperlink) for n in (2, 3, 4)] == [True, True, True]
    monkeypatch.setattr(exports, "XLSX_MAX_LINKS", 2)
    exports.write_xlsx(iter(rows), path)
    sheet = openpyxl.load_workbook(path)["Claims"]
    assert [bool(sheet.cell(n, url).hyperlink) for n in (2, 3, 4)] == [True, True, False]
    assert sheet.cell(4, url).value == "https://ex.org/3"


# -- non-Latin text ------------------------------------------------------------------

def test_cyrillic_cjk_and_emoji_survive_every_format(client, auth, data):
    expected = {"Article title": "Мир 世界 🌍", "Publisher": "Новости", "Claim": "東京 мост 🌉",
                "Label": "Проверяется 🔍", "Rationale": "Источник: 新闻 😀",
                "Citations": "新闻 source 📰 <https://xinwen.example.cn/1>"}

    csv_table = csv_rows(export(client, auth["editor"], "csv").data)
    row = dict(zip(HEADER, csv_table[3]))
    assert {k: row[k] for k in expected} == expected

    xlsx_table = xlsx_rows(export(client, auth["editor"], "xlsx").data)
    assert dict(zip(HEADER, xlsx_table[3])) == dict(zip(HEADER, as_in_xlsx(csv_table)[3]))

    response = export(client, auth["editor"], "json")
    body = response.data.decode("utf-8")
    assert "東京 мост 🌉" in body  # written as UTF-8, not \u escapes
    json_row = json.loads(body)[2]
    assert (json_row["article_title"], json_row["claim_text"], json_row["label"],
            json_row["rationale"], json_row["citations"][0]["title"]) == \
        ("Мир 世界 🌍", "東京 мост 🌉", "Проверяется 🔍", "Источник: 新闻 😀", "新闻 source 📰")


# -- byte-order mark ---------------------------------------------------------------

@pytest.mark.parametrize("query,has_bom", [("", False), ("?bom=0", False), ("?bom=false", False),
                                           ("?bom=1", True), ("?bom=true", True)])
def test_csv_bom_only_when_asked(client, auth, data, query, has_bom):
    body = export(client, auth["editor"], "csv", query).data

    assert body.startswith(BOM) == has_bom
    assert body.count(BOM) == (1 if has_bom else 0)
    text = body[len(BOM):] if has_bom else body
    assert list(csv.reader(io.StringIO(text.decode("utf-8"), newline="")))[0] == HEADER
    # With the mark, a UTF-8-with-BOM reader sees the same table.
    assert csv_rows(text) == list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_bom_is_not_added_to_json(client, auth, data):
    body = export(client, auth["editor"], "json", "?bom=1").data
    assert not body.startswith(BOM)
    assert len(json.loads(body.decode("utf-8"))) == 4


def test_bad_bom_value_is_refused(client, auth, data):
    api_error(export(client, auth["editor"], "csv", "?bom=maybe"), 422, "bom")


# -- filters ---------------------------------------------------------------------

FILTER_CASES = [
    ("verdict=denied", ["c2", "c4"]),
    ("verdict=verified", ["c1"]),
    ("verdict=unverified", ["c3"]),
    ("status=published", ["c1", "c4"]),
    ("status=draft", ["c2", "c3"]),
    ("article_id={budget}", ["c1", "c2"]),
    ("article_id={world}", ["c3", "c4"]),
    ("annotator=factchecker", ["c1", "c3", "c4"]),
    ("annotator=editor", ["c2"]),
    ("annotator=admin", []),
    ("since=2024-03-10", ["c2", "c3", "c4"]),
    ("until=2024-03-10", ["c1", "c2", "c3"]),
    ("since=2024-03-10&until=2024-03-10", ["c2", "c3"]),
    ("since=2024-03-09&until=2024-03-09", ["c1"]),
    ("since=2024-03-11", ["c4"]),
    ("until=2024-03-08", []),
    ("verdict=denied&status=published", ["c4"]),
    ("verdict=denied&status=draft&annotator=editor", ["c2"]),
    ("article_id={world}&annotator=factchecker&verdict=unverified", ["c3"]),
    ("article_id={budget}&verdict=unverified", []),
    ("since=2024-03-10&until=2024-03-11&status=published", ["c4"]),
    ("since=2024-03-09&until=2024-03-10&annotator=factchecker", ["c1", "c3"]),
    # The exports page's form sends the filters left unset as empty values.
    ("article_id=&verdict=denied&status=&since=&until=&annotator=", ["c2", "c4"]),
]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("query,expected", FILTER_CASES)
def test_filters_pick_their_claims(client, auth, data, fmt, query, expected):
    response = export(client, auth["editor"], fmt, "?" + query.format(**data))
    assert claim_texts(response, fmt) == [data["texts"][name] for name in expected]


@pytest.mark.parametrize("query,status,field", [
    ("verdict=maybe", 422, "verdict"),
    ("verdict=VERIFIED", 422, "verdict"),
    ("status=archived", 422, "status"),
    ("annotator=nobody", 422, "annotator"),
    ("article_id=9999", 404, "article_id"),
    ("article_id=abc", 422, "article_id"),
    ("article_id=0", 422, "article_id"),
    ("since=2024-13-01", 422, "since"),
    ("until=yesterday", 422, "until"),
    ("since=2024-03-11&until=2024-03-10", 422, "until"),
    ("colour=red", 422, "colour"),
    ("article=1", 422, "article"),
])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_bad_filters_are_refused_naming_the_field(client, auth, data, fmt, query, status, field):
    api_error(export(client, auth["editor"], fmt, "?" + query), status, field)


def test_reversed_range_message_says_what_is_wrong(client, auth, data):
    error = api_error(export(client, auth["editor"], "csv", "?since=2024-03-11&until=2024-03-10"),
                      422, "until")
    assert "before it starts" in error["message"]


def test_unknown_format_is_404(client, auth, data):
    api_error(export(client, auth["editor"], "pdf"), 404, "fmt")


def test_domain_filters_check_their_values():
    with pytest.raises(DomainError) as error:
        ExportFilters(verdict="true").check()
    assert error.value.field == "verdict"
    with pytest.raises(DomainError) as error:
        ExportFilters(status="gone").check()
    assert error.value.field == "status"
    with pytest.raises(DomainError) as error:
        ExportFilters(since=datetime.date(2024, 1, 2), until=datetime.date(2024, 1, 1)).check()
    assert error.value.field == "until"
    ExportFilters(since=datetime.date(2024, 1, 1), until=datetime.date(2024, 1, 1)).check()


# -- XLSX equals CSV -------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "?verdict=denied", "?status=published&bom=1"])
def test_xlsx_has_exactly_the_csv_rows(client, auth, data, query):
    response = export(client, auth["editor"], "xlsx", query)
    assert response.status_code == 200
    assert response.mimetype == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "claims.xlsx" in response.headers["Content-Disposition"]
    csv_body = export(client, auth["editor"], "csv", query).data
    if "bom=1" in query:
        csv_body = csv_body[len(BOM):]
    csv_table = csv_rows(csv_body)

    xlsx_table = xlsx_rows(response.data)

    assert len(xlsx_table) == len(csv_table) > 1
    for xlsx_row, csv_row in zip(xlsx_table, as_in_xlsx(csv_table)):
        assert xlsx_row == csv_row


# -- streaming -------------------------------------------------------------------

class _CountingCursor:
    def __init__(self, cursor, counter):
        self._cursor = cursor
        self._counter = counter
        self.description = cursor.description

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self._cursor)
        self._counter["fetched"] += 1
        return row


class _CountingDb:
    """A database whose cursors count the rows read from them."""

    def __init__(self, db):
        self.counter = {"fetched": 0}
        outer = self

        class Conn:
            def execute(self, *args):
                return _CountingCursor(db.conn.execute(*args), outer.counter)
        self.conn = Conn()

    def execute(self, *args):
        raise AssertionError("iter_rows must read through a cursor")


def test_iter_rows_reads_one_row_at_a_time(app, data):
    store = open_store(app)
    try:
        db = _CountingDb(store.db)
        rows = iter_rows(Store(db).export_row_cursor(ExportFilters(), "http://localhost"))

        assert db.counter["fetched"] == 0  # nothing is read before it is asked for
        first = next(rows)
        assert first["claim_text"] == "unemployment fell by 3%"
        assert db.counter["fetched"] == 1
        second = next(rows)
        assert second["claim_text"] == "the figure was misleading"
        assert db.counter["fetched"] == 2
        assert len(list(rows)) == 2
        assert db.counter["fetched"] == 4
    finally:
        store.db.close()


def test_table_rows_read_one_row_at_a_time_too(app, data):
    store = open_store(app)
    try:
        db = _CountingDb(store.db)
        rows = table_rows(Store(db).export_table_cursor(ExportFilters(verdict="denied"),
                                                        "http://localhost"))

        assert db.counter["fetched"] == 0
        first = next(rows)
        assert first[HEADER.index("Claim")] == "the figure was misleading"
        assert db.counter["fetched"] == 1
        assert [r[HEADER.index("Claim")] for r in rows] == ["Another sentence"]
        assert db.counter["fetched"] == 2
    finally:
        store.db.close()


def _counted(rows, seen):
    for row in rows:
        seen.append(row["id"])
        yield row


@pytest.mark.parametrize("chunker", ["csv", "json"])
def test_chunks_consume_rows_as_they_go(chunker):
    seen = []
    rows = _counted((_row(id=n, claim_text=f"claim {n}") for n in range(10)), seen)
    chunks = csv_chunks(rows, rows_per_chunk=3) if chunker == "csv" \
        else json_chunks(rows, rows_per_chunk=3)

    first = next(chunks)
    assert len(seen) == 3
    assert "claim 2" in first and "claim 3" not in first
    rest = list(chunks)
    assert len(seen) == 10
    whole = first + "".join(rest)
    if chunker == "csv":
        table = list(csv.reader(io.StringIO(whole, newline="")))
        assert table[0] == HEADER and [r[CLAIM] for r in table[1:]] == \
            [f"claim {n}" for n in range(10)]
    else:
        assert [r["claim_text"] for r in json.loads(whole)] == [f"claim {n}" for n in range(10)]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_responses_are_streamed(app, client, auth, data, fmt):
    seen = {}

    @app.after_request
    def record(response):
        seen["streamed"] = response.is_streamed
        seen["length"] = response.content_length
        return response

    response = client.get(f"/api/v1/exports/claims.{fmt}", headers=auth["editor"],
                          buffered=False)

    assert response.status_code == 200
    assert seen == {"streamed": True, "length": None}
    assert "Content-Length" not in response.headers
    chunks = list(response.response)
    response.close()
    body = b"".join(chunks)
    if fmt == "csv":
        assert len(csv_rows(body)) == 5
    else:
        assert len(json.loads(body)) == 4


def test_stream_is_chunked_for_large_tables(app, client, auth, users):
    store = open_store(app)
    try:
        article = store.import_article("https://news.example.com/long", parse_article(
            "\n\n".join(f"Paragraph number {n} says something." for n in range(1, 1102)), "text"))
        passages = store.passages(article.article_id)
        actor = _actor(users["editor"])
        with store.transaction():
            for passage in passages:
                store.create_claim(passage["id"], 0, 9, "unverified", actor)
    finally:
        store.db.close()

    for fmt in ("csv", "json"):
        response = client.get(f"/api/v1/exports/claims.{fmt}", headers=auth["editor"],
                              buffered=False)
        chunks = [c for c in response.response if c]
        response.close()

        assert len(chunks) > 1  # sent in pieces as rows are read, not built whole
        body = b"".join(chunks)
        if fmt == "csv":
            assert all(c.endswith(b"\r\n") for c in chunks)  # whole rows per piece
            assert len(csv_rows(body)) == 1102
        else:
            assert len(json.loads(body)) == 1101


# -- roles ----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/exports/claims.csv", "/api/v1/exports/claims.json",
                                  "/api/v1/exports/claims.xlsx", "/api/v1/annotations"])
@pytest.mark.parametrize("role,status", [("anonymous", 401), ("reader", 403),
                                         ("factchecker", 403), ("editor", 200), ("admin", 200)])
def test_exports_need_the_editor_role(client, auth, data, path, role, status):
    response = client.get(path, headers=auth[role])
    if status == 200:
        assert response.status_code == 200
    else:
        error = api_error(response, status)
        if status == 401:
            assert error["field"] == "Authorization"
        assert "unemployment" not in response.get_data(as_text=True)


def _logged_in(app, username):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def test_exports_page_needs_the_editor_role(app, client, make_user):
    make_user("fc", "factchecker")
    make_user("ed", "editor")

    anonymous = client.get("/exports")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    assert _logged_in(app, "fc").get("/exports").status_code == 403
    page = _logged_in(app, "ed").get("/exports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for button in ("Download CSV", "Download XLSX", "Download JSON"):
        assert button in html
    assert 'formaction="/api/v1/exports/claims.csv"' in html


# -- the export command ----------------------------------------------------------

def _cli(runner, *args):
    # The review URLs under the address the test client's API uses.
    return runner.invoke(args=["export", *args, "--base-url", "http://localhost"])


@pytest.mark.parametrize("query,options", [
    ("", []),
    ("?verdict=denied", ["--verdict", "denied"]),
    ("?status=published&annotator=factchecker", ["--status", "published",
                                                 "--annotator", "factchecker"]),
    ("?since=2024-03-10&until=2024-03-10", ["--since", "2024-03-10", "--until", "2024-03-10"]),
    ("?article_id={world}", ["--article-id", "{world}"]),
])
def test_cli_csv_and_json_equal_the_api(runner, client, auth, data, tmp_path, query, options):
    options = [o.format(**data) for o in options]
    query = query.format(**data)
    for fmt in ("csv", "json"):
        path = tmp_path / f"out.{fmt}"
        result = _cli(runner, fmt, "-o", str(path), *options)
        assert result.exit_code == 0, result.output
        api_body = export(client, auth["editor"], fmt, query).data
        assert path.read_bytes() == api_body
        count = len(csv_rows(api_body)) - 1 if fmt == "csv" else len(json.loads(api_body))
        assert f"exported {count} claims to {path}" in result.output


def test_cli_xlsx_equals_the_api(runner, client, auth, data, tmp_path):
    path = tmp_path / "out.xlsx"
    result = _cli(runner, "xlsx", "-o", str(path), "--verdict", "denied")

    assert result.exit_code == 0, result.output
    assert "exported 2 claims" in result.output
    assert xlsx_rows(path.read_bytes()) == xlsx_rows(
        export(client, auth["editor"], "xlsx", "?verdict=denied").data)
    assert xlsx_rows(path.read_bytes()) == as_in_xlsx(csv_rows(
        export(client, auth["editor"], "csv", "?verdict=denied").data))


def test_cli_shows_progress_and_summary(runner, data, tmp_path):
    path = tmp_path / "out.csv"
    result = _cli(runner, "csv", "-o", str(path))

    assert result.exit_code == 0, result.output
    assert "Exporting" in result.stderr  # the progress bar, on standard error
    assert f"exported 4 claims to {path}" in result.stderr
    assert result.stdout == ""


def test_cli_to_standard_output(runner, data):
    result = _cli(runner, "csv", "-o", "-", "--verdict", "verified")

    assert result.exit_code == 0, result.stderr
    table = csv_rows(result.stdout_bytes)
    assert table[0] == HEADER
    assert [row[CLAIM] for row in table[1:]] == ["unemployment fell by 3%"]


def test_cli_bom_only_with_the_flag(runner, data, tmp_path):
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    assert _cli(runner, "csv", "-o", str(plain)).exit_code == 0
    assert _cli(runner, "csv", "-o", str(marked), "--bom").exit_code == 0

    assert not plain.read_bytes().startswith(BOM)
    assert marked.read_bytes() == BOM + plain.read_bytes()


def test_cli_keeps_non_latin_text(runner, data, tmp_path):
    path = tmp_path / "out.csv"
    assert _cli(runner, "csv", "-o", str(path), "--article-id", str(data["world"])).exit_code == 0
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert table[1][HEADER.index("Article title")] == "Мир 世界 🌍"
    assert table[1][CLAIM] == "東京 мост 🌉"


@pytest.mark.parametrize("options,hint", [
    (["--since", "2024-03-11", "--until", "2024-03-10"], "--until"),
    (["--annotator", "nobody"], "--annotator"),
    (["--article-id", "9999"], "--article-id"),
    (["--verdict", "maybe"], "--verdict"),
    (["--status", "archived"], "--status"),
    (["--since", "11/03/2024"], "--since"),
])
def test_cli_refuses_bad_filters(runner, data, tmp_path, options, hint):
    path = tmp_path / "out.csv"
    result = _cli(runner, "csv", "-o", str(path), *options)

    assert result.exit_code != 0
    assert hint in result.output
    assert not path.exists()


def test_cli_reversed_range_says_why(runner, data, tmp_path):
    result = _cli(runner, "json", "-o", str(tmp_path / "x.json"),
                  "--since", "2024-03-11", "--until", "2024-03-10")
    assert result.exit_code == 2
    assert "the date range ends before it starts" in result.output


def test_cli_xlsx_needs_a_file(runner, data):
    result = _cli(runner, "xlsx", "-o", "-")
    assert result.exit_code != 0
    assert "XLSX needs a file" in result.output


# -- the columns an editor and another system need --------------------------------------

def test_summary_review_url_and_citation_details_in_every_format(client, auth, data, factories,
                                                                   users):
    claim = factories.claim(
        data["budget"], "Critics said", "denied", users["factchecker"], publisher=users["editor"],
        summary="Critics disputed the figure",
        rationale=clean_rationale('<p>See <a href="https://ons.example.gov/r?a=1&amp;b=2">the'
                                  ' release</a> and <a href="https://x.example.org/">'
                                  'https://x.example.org/</a>.</p>'),
        citations=({"url": "https://a.example.org/1", "title": "A", "excerpt": "Rates rose",
                    "archive_url": "https://archive.example.org/1", "stance": "refutes"},
                   {"url": "https://b.example.org/2", "stance": "context"},
                   {"url": "https://c.example.org/3", "excerpt": "Rates fell, \"sharply\"",
                    "stance": "supports"}))
    tables = _tables(client, auth)
    row = next(r for r in tables["csv"] if r["Claim"] == "Critics said")

    assert row["Claim ID"] == str(claim["id"])
    assert row["Review URL"] == f"http://localhost/claims/{claim['id']}"
    assert row["Claim summary"] == "Critics disputed the figure"
    assert row["Rationale"] == ("See the release (https://ons.example.gov/r?a=1&b=2) and"
                                " https://x.example.org/.")
    assert row["Citations"] == ("A <https://a.example.org/1>; https://b.example.org/2;"
                                " https://c.example.org/3")
    assert row["Citation excerpts"] == 'Rates rose; Rates fell, "sharply"'
    assert row["Citation stances"] == "refutes; context; supports"
    assert row["Archive URLs"] == "https://archive.example.org/1"
    json_row = next(r for r in tables["json"] if r["id"] == claim["id"])
    assert json_row["summary"] == "Critics disputed the figure"
    assert json_row["review_url"] == row["Review URL"]
    assert [c["excerpt"] for c in json_row["citations"]] == \
        ["Rates rose", "", 'Rates fell, "sharply"']


def _fast_and_module_csv(app, rows_per_chunk):
    from annotations.exports import csv_text_chunks
    store = open_store(app)
    try:
        fast = "".join(csv_text_chunks(store.export_csv_cursor(ExportFilters(), "http://h"),
                                       bom=True, rows_per_chunk=rows_per_chunk))
        module = "".join(csv_chunks(table_rows(store.export_table_cursor(ExportFilters(),
                                                                          "http://h")),
                                    bom=True, rows_per_chunk=rows_per_chunk))
    finally:
        store.db.close()
    return fast, module


@pytest.mark.parametrize("rows_per_chunk", [1, 2, 1000])
def test_the_fast_csv_is_byte_for_byte_the_csv_modules(app, data, factories, users,
                                                       rows_per_chunk):
    """Quotes, commas, line breaks, formula starts and the fast writer's own
    separator characters (which send a chunk to the csv module) all come out
    as the csv module writes them."""
    ed = users["editor"]
    for quote, rationale in [
            ("Critics said", '<p>"Quoted", and, commas</p><p>=1+1 on a line\r\nof its own</p>'),
            ("the figure was", "-starts like a formula"),
            ("misleading", "holds the separators \x1f and \x1e in its text")]:
        factories.claim(data["budget"], quote, "unverified", ed, rationale=rationale,
                        label='say "hi", friend', summary="=cmd")
    fast, module = _fast_and_module_csv(app, rows_per_chunk)
    assert fast == module
    table = list(csv.reader(io.StringIO(fast.lstrip("\ufeff"), newline="")))
    assert len(table) == 8 and all(len(row) == len(HEADER) for row in table)
    separators = next(r for r in table if r[CLAIM] == "misleading")
    assert separators[HEADER.index("Rationale")] == \
        "holds the separators \x1f and \x1e in its text"
