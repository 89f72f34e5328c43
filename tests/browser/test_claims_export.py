"""Exporting the selection from the Claims page (/claims) in Chromium: an
editor selects claims and downloads exactly those; a factchecker, who cannot
export, is not offered it."""

import csv
import io
import json

from playwright.sync_api import expect

from annotations.exports import COLUMNS

from .a11y import assert_accessible
from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, csp_violations, watch_csp

HEADER = [title for _, title in COLUMNS]
CLAIM_ID, CLAIM = HEADER.index("Claim ID"), HEADER.index("Claim")
TEXT = ("Harbour plan\n\n"
        "The mayor said the plan creates 4,000 jobs. Rents rose 9% last year. "
        "=SUM(A1) was the total.\n")


def _claims(server):
    fay = server.user("fay", "factchecker")
    server.user("eda", "editor")
    _, passages = add_article(server, "https://news.example.com/harbour", TEXT,
                              title="Harbour plan")
    return {quote: add_claim(server, fay, passages[1], quote)["id"]
            for quote in ("creates 4,000 jobs", "Rents rose 9%", "=SUM(A1)")}


def _settled(page):
    page.wait_for_selector("#claim-desk[data-ready][data-state=loaded]", state="attached",
                           timeout=TIMEOUT_MS)


def _download(page):
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click("#bulk-apply")
    download = info.value
    assert download.failure() is None
    with open(download.path(), "rb") as f:
        return download.suggested_filename, f.read()


def test_an_editor_exports_exactly_the_selected_claims(live_server, new_page):
    claims = _claims(live_server)
    page = new_page()
    watch_csp(page)
    login(page, live_server, "eda")
    page.goto(live_server.url + "/claims")
    _settled(page)
    wanted = [claims["creates 4,000 jobs"], claims["=SUM(A1)"]]
    for claim_id in wanted:
        page.check(f"input.pick-claim[value='{claim_id}']")
    expect(page.locator("#bulk-count")).to_have_text("2 claims selected")

    page.select_option("#bulk-action", "export")
    expect(page.locator("#bulk-format")).to_be_visible()
    expect(page.locator("#bulk-apply")).to_have_text("Export the selection")
    # The bulk bar in its export state (a selected row's badge colours are the a11y helper's).
    assert_accessible(page, "#bulk-form", where="the Claims page, exporting the selection")
    name, body = _download(page)
    assert name == "claims.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == HEADER
    assert [(int(r[CLAIM_ID]), r[CLAIM]) for r in rows[1:]] == [
        (wanted[0], "creates 4,000 jobs"), (wanted[1], "'=SUM(A1)")]
    expect(page.locator("#bulk-status")).to_have_text("Exporting 2 claims as CSV.")

    page.select_option("#bulk-format", "json")
    name, body = _download(page)
    assert name == "claims.json"
    assert [row["id"] for row in json.loads(body)] == wanted
    assert page.errors == [] and csp_violations(page) == []


def test_a_refused_export_is_explained_not_downloaded(live_server, new_page):
    claims = _claims(live_server)
    page = new_page()
    login(page, live_server, "eda")
    page.goto(live_server.url + "/claims")
    _settled(page)
    gone = claims["Rents rose 9%"]
    page.check(f"input.pick-claim[value='{gone}']")
    with live_server.store() as store:       # deleted by someone else meanwhile
        store.db.execute("DELETE FROM claims WHERE id = ?", [gone])
        store.db.conn.commit()
    page.select_option("#bulk-action", "export")
    page.click("#bulk-apply")
    expect(page.locator("#bulk-error")).to_have_text(
        f"Nothing was exported. claim: no claim has the id {gone}")


def test_a_factchecker_is_not_offered_the_export(live_server, new_page):
    _claims(live_server)
    page = new_page()
    login(page, live_server, "fay")
    page.goto(live_server.url + "/claims")
    _settled(page)
    expect(page.locator("#bulk-action option[value=export]")).to_have_count(0)
    expect(page.locator("#bulk-format")).to_have_count(0)
