"""The desk page (/desk) in Chromium: an editor finds it in the menu, sees
the charts (and "nothing yet" where there is nothing), opens a chart's
numbers, downloads its CSV, and a hostile user name stays text."""

import csv
import io

from playwright.sync_api import expect

from .a11y import assert_accessible
from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, csp_violations, injected, watch_csp

EVIL = "<img src=x onerror=alert(1)>"
SOURCE = ({"url": "https://stats.example.org/figures"},)


def _newsroom(server):
    editor = server.user("ed", "editor")
    checker = server.user(EVIL, "factchecker")
    _, passages = add_article(server, "https://news.example.com/bridge",
                              "Bridge\n\nThe bridge opened in May and cost 4 million.\n",
                              title="Bridge")
    add_claim(server, checker, passages[1], "opened in May", "verified", publish_by=editor,
              citations=SOURCE)
    add_claim(server, checker, passages[1], "cost 4 million", "denied", publish_by=editor,
              citations=SOURCE)
    add_claim(server, checker, passages[0], "Bridge", "unverified", submit=True)


def test_editor_reads_the_desk_opens_the_numbers_and_downloads_a_csv(live_server, new_page):
    _newsroom(live_server)
    page = new_page()
    watch_csp(page)
    login(page, live_server, "ed")
    page.click("header nav a:has-text('Desk')")
    expect(page.locator("h1")).to_have_text("The desk at a glance")

    checked = page.locator("#desk-checked")
    chart = checked.locator("svg.chart[role=img]")
    expect(chart).to_be_visible()
    # This week's bar: one verified and one false claim, each with its value.
    expect(chart.locator("rect.bar")).to_have_count(2)
    expect(chart.locator("text.segment-value")).to_have_text(["1", "1"])
    expect(checked.locator(".chart-legend li")).to_have_text(["Verified", "False",
                                                              "Unverified"])
    # The review queue has its claim; nothing was corrected yet.
    expect(page.locator("#desk-review-queue rect.bar")).to_have_count(1)
    expect(page.locator("#desk-corrections .desk-empty")).to_have_text(
        "Nothing yet: no correction in this period.")

    # The numbers are behind a toggle, closed at first.
    table = checked.locator("table.desk-table")
    expect(table).to_be_hidden()
    checked.locator("summary").click()
    expect(table).to_be_visible()
    this_week = table.locator("tbody tr").last
    expect(this_week.locator("td")).to_have_text(["1", "1", "0", "2"])
    assert_accessible(page, where="the desk page, a table open")

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        checked.get_by_role("link", name="Claims checked per week as CSV").click()
    download = info.value
    assert download.suggested_filename == "desk-checked.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0] == ["Week", "Verified", "False", "Unverified", "Total"]
    assert rows[-1][1:] == ["1", "1", "0", "2"]
    assert len(rows) == 1 + 26

    # The factchecker's name is text in the chart and the table.
    people = page.locator("#desk-factcheckers")
    expect(people.locator("text.category")).to_have_text([EVIL[:25] + "…"])
    people.locator("summary").click()
    expect(people.locator("tbody th")).to_have_text([EVIL])
    assert page.dialogs == [] and page.errors == []
    assert [found for found in injected(page) if found != "svg"] == []
    assert csp_violations(page) == []


def test_an_empty_desk_says_nothing_yet(live_server, new_page):
    live_server.user("ed", "editor")
    page = new_page()
    login(page, live_server, "ed")
    page.goto(live_server.url + "/desk")
    expect(page.locator(".desk-empty")).to_have_count(5)
    expect(page.locator("svg.chart")).to_have_count(0)
    assert page.errors == []
    assert_accessible(page, where="the empty desk page")


def test_a_factchecker_is_turned_away(live_server, new_page):
    live_server.user("fc", "factchecker")
    page = new_page()
    login(page, live_server, "fc")
    expect(page.locator("header nav a:has-text('Desk')")).to_have_count(0)
    response = page.goto(live_server.url + "/desk")
    assert response.status == 403
