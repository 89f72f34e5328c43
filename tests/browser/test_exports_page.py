"""The exports page in Chromium: an editor filters and downloads the verdict
table; a factchecker is turned away; a ClaimReview snippet embedded in a
page stays one inert JSON-LD element."""

import csv
import io
import json

import openpyxl
import pytest

from annotations.exports import COLUMNS

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, as_actor, take_action

HEADER = [title for _, title in COLUMNS]
CLAIM, VERDICT, STATUS = (HEADER.index(t) for t in ("Claim", "Verdict", "Status"))
PHONE = {"width": 360, "height": 740}
LONG_TITLE = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft " * 2
SOURCE = {"url": "https://ons.example.gov/lms", "title": "ONS"}


@pytest.fixture
def newsroom(live_server):
    editor = live_server.user("ed", "editor")
    checker = live_server.user("fc", "factchecker")
    budget, budget_passages = add_article(
        live_server, "https://news.example.com/budget",
        "Budget cuts\n\nUnemployment fell by 3% last year.\n\nCritics said it was misleading.\n",
        title="Budget cuts")
    world, world_passages = add_article(
        live_server, "https://news.example.com/world",
        "Мир\n\nМэр сказал, что 東京 мост 🌉 открыт.\n\n=SUM(1,2) was the total.\n",
        title="Мир 世界")
    claims = {
        "fell": add_claim(live_server, checker, budget_passages[1], "Unemployment fell",
                          "denied", publish_by=editor, citations=(SOURCE,)),
        "critics": add_claim(live_server, checker, budget_passages[2], "Critics said",
                             "verified", citations=(SOURCE,)),
        "bridge": add_claim(live_server, editor, world_passages[1], "東京 мост 🌉", "denied",
                            label="Ложь 🔥"),
        "sum": add_claim(live_server, checker, world_passages[2], "=SUM(1,2)", "unverified"),
    }
    return {"budget": budget, "world": world, **claims}


def _download(page, button: str):
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    assert download.failure() is None
    with open(download.path(), "rb") as f:
        return download.suggested_filename, f.read()


def test_editor_downloads_csv_of_one_verdict(live_server, new_page, newsroom):
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")
    assert page.get_by_role("heading", name="Exports").is_visible()

    page.select_option("#export-verdict", "denied")
    name, body = _download(page, "Download CSV")

    assert name == "claims.csv"
    assert not body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    assert [(r[CLAIM], r[VERDICT]) for r in rows[1:]] == [("Unemployment fell", "denied"),
                                                ("東京 мост 🌉", "denied")]
    assert rows[2][HEADER.index("Label")] == "Ложь 🔥"
    assert page.errors == []


def test_editor_combines_filters_and_asks_for_a_byte_order_mark(live_server, new_page, newsroom):
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    page.select_option("#export-article", str(newsroom["world"]))
    page.select_option("#export-annotator", "fc")
    page.check("input[name=bom]")
    name, body = _download(page, "Download CSV")

    assert name == "claims.csv"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [r[CLAIM] for r in rows[1:]] == ["'=SUM(1,2)"]  # neutralised against formulas


def test_editor_downloads_xlsx_of_one_status(live_server, new_page, newsroom):
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    page.select_option("#export-status", "draft")
    name, body = _download(page, "Download XLSX")

    assert name == "claims.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True)["Claims"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [(r[CLAIM], r[STATUS]) for r in rows[1:]] == [("Critics said", "draft"),
                                                ("東京 мост 🌉", "draft"),
                                                ("'=SUM(1,2)", "draft")]


def test_editor_downloads_json_for_a_date_range(live_server, new_page, newsroom):
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    created = newsroom["fell"]["created_at"][:10]  # all made today (UTC)
    page.fill("#export-since", created)
    page.fill("#export-until", created)
    page.select_option("#export-verdict", "denied")
    name, body = _download(page, "Download JSON")

    assert name == "claims.json"
    rows = json.loads(body)
    assert [r["claim_text"] for r in rows] == ["Unemployment fell", "東京 мост 🌉"]
    assert rows[0]["citations"][0]["url"] == "https://ons.example.gov/lms"


def test_editor_downloads_the_published_version_of_a_claim_under_revision(
        live_server, new_page, newsroom):
    store = live_server.store()
    try:
        checker, editor = store.find_user("fc"), store.find_user("ed")
        store.update_claim(newsroom["fell"]["id"], {"verdict": "verified", "label": "True"},
                           as_actor(checker), None)
    finally:
        store.db.close()
    said = add_claim(live_server, checker, _passage(live_server, newsroom["world"], 1), "сказал",
                     "unverified", publish_by=editor)
    take_action(live_server, editor, said["id"], "retract", note="Misquoted the mayor")
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    page.select_option("#export-status", "published")
    _, body = _download(page, "Download CSV")

    rows = [dict(zip(HEADER, r))
            for r in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))][1:]
    assert [(r["Claim"], r["Verdict"], r["Label"], r["Status"], r["Revision pending"])
            for r in rows] == [("Unemployment fell", "denied", "", "published", "yes")]

    page.select_option("#export-status", "retracted")
    _, body = _download(page, "Download XLSX")
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True)["Claims"]
    rows = [dict(zip(HEADER, r)) for r in sheet.iter_rows(values_only=True)][1:]
    assert [(r["Claim"], r["Status"], r["Retraction reason"]) for r in rows] == \
        [("сказал", "retracted", "Misquoted the mayor")]
    assert page.errors == []


def _passage(server, article_id: int, index: int) -> dict:
    store = server.store()
    try:
        return store.passages(article_id)[index]
    finally:
        store.db.close()


def test_factchecker_is_refused_the_exports_page(live_server, new_page, newsroom):
    page = new_page()
    login(page, live_server, "fc")

    response = page.goto(live_server.url + "/exports")

    assert response.status == 403
    assert page.get_by_role("button", name="Download CSV").count() == 0
    download = page.request.get(live_server.url + "/api/v1/exports/claims.csv")
    assert download.status == 403
    assert "Unemployment" not in download.text()


@pytest.mark.parametrize("quote", ["</script><script>alert(1)</script>", "<!--<script>"])
def test_claimreview_snippet_stays_one_json_ld_element(live_server, new_page, quote):
    editor = live_server.user("ed", "editor")
    _, passages = add_article(live_server, "https://news.example.com/hostile",
                              f"Someone wrote {quote} in a comment.\n", title="Hostile")
    claim = add_claim(live_server, editor, passages[0], quote, "unverified", publish_by=editor)
    page = new_page()
    snippet = page.request.get(
        f"{live_server.url}/api/v1/claims/{claim['id']}/claimreview?format=snippet").text()

    page.set_content(f"<!doctype html><body>{snippet}<p id=after>after</p></body>")

    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.scripts[0].type") == "application/ld+json"
    item = json.loads(page.evaluate("document.scripts[0].textContent"))
    assert item["claimReviewed"] == quote
    assert page.locator("#after").text_content() == "after"
    assert page.dialogs == [] and page.errors == []


def test_the_exports_page_fits_a_phone(live_server, new_page, newsroom):
    add_article(live_server, "https://news.example.com/" + "long-path-" * 12,
                "A sentence for the long title.\n", title=LONG_TITLE)
    page = new_page(viewport=PHONE)
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for control in ("#export-article", "#export-since", "#export-until", "#export-annotator"):
        box = page.locator(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], control
    for button in ("Download CSV", "Download XLSX", "Download JSON"):
        box = page.get_by_role("button", name=button).bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], button
    assert page.errors == []


def test_an_invalid_date_range_is_shown_in_the_page(live_server, new_page, newsroom):
    page = new_page(viewport=PHONE)
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")

    page.fill("#export-since", "2024-03-10")
    page.fill("#export-until", "2024-03-01")
    page.get_by_role("button", name="Download CSV").click()

    error = page.locator("#export-error")
    error.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert error.text_content() == ("The date range ends (2024-03-01) before it starts"
                                    " (2024-03-10): pick an end on or after the start.")
    assert page.url == live_server.url + "/exports"  # still the page, no JSON shown
    assert page.get_attribute("#export-until", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "export-until"

    # Put right, the download goes ahead and the message goes away.
    page.fill("#export-until", "2024-03-10")
    assert not error.is_visible()
    assert page.get_attribute("#export-until", "aria-invalid") is None
    name, _ = _download(page, "Download CSV")
    assert name == "claims.csv"
    assert page.errors == []


def test_a_refused_export_is_explained_in_the_page(live_server, new_page, newsroom):
    """A filter the server refuses (here an annotator deleted since the page
    was loaded) is shown as the server's message, not as raw JSON."""
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/exports")
    page.evaluate("""() => {
      const option = document.createElement('option');
      option.value = option.textContent = 'gone';
      document.getElementById('export-annotator').append(option);
    }""")
    page.select_option("#export-annotator", "gone")
    page.get_by_role("button", name="Download JSON").click()

    error = page.locator("#export-error")
    error.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert error.text_content() == "Annotator: no user named 'gone'"
    assert page.url == live_server.url + "/exports"
    assert page.errors == []
