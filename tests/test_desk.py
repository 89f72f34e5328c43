"""The desk at a glance (/desk): the figures on a database whose every
timestamp is known, the charts' SVG, the CSV downloads, who may see them,
and user names shown as text."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest

import annotations.store.accounts
import annotations.store.articles
import annotations.store.base
import annotations.store.claims
import annotations.store.comments
import annotations.store.publications
from annotations import desk
from annotations.charts import PLOT_HEIGHT
from annotations.store import SYSTEM
from tests.factories import Factories
from tests.helpers import log_in_with_form, open_store

UTC = datetime.timezone.utc
EVIL = "<img src=x onerror=alert(1)>"
SOURCE = [{"url": "https://stats.example.org/figures"}]
PERIOD = desk.Period(datetime.date(2026, 11, 4), datetime.date(2026, 12, 2))
NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
QUERY = "since=2026-11-04&until=2026-12-02"
CLOCKED = (annotations.store.accounts, annotations.store.articles, annotations.store.base,
           annotations.store.claims, annotations.store.comments, annotations.store.publications)


class Clock:
    """The store's clock, set by the test: every timestamp written is ``at``."""

    def __init__(self):
        self.at = "2026-10-01T00:00:00.000000+00:00"

    def set(self, stamp: str) -> None:
        self.at = datetime.datetime.fromisoformat(stamp).replace(tzinfo=UTC).isoformat(
            timespec="microseconds")

    def __call__(self) -> str:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    for module in CLOCKED:
        monkeypatch.setattr(module, "utcnow", clock)
    return clock


def _crafted(store, factories, clock) -> dict:
    """Nine claims with known times (the period is 4 Nov to 2 Dec 2026, so
    its weeks are those of 2, 9, 16, 23 and 30 November):

    claim  verdict     created      first published        from import
    1      verified    2 Nov 09:00  Mon 2 Nov 10:00         2 h   (created before the period)
    2      denied      4 Nov 07:00  Wed 4 Nov 08:00        48 h
    3      unverified  8 Nov 19:00  Sun 8 Nov 20:00       156 h
    4      verified    8 Nov 23:00  Mon 9 Nov 00:00       160 h   corrected to denied, 1 Dec
    5      unverified 10 Nov 07:00  Tue 10 Nov 08:00      192 h   label corrected, 30 Nov 23:59
    6      unverified 25 Nov 07:00  Wed 25 Nov 08:00      552 h   retracted 26 Nov
    7, 8   in review: submitted 5 Dec 12:00 (created then) and 20 Nov 12:00
    9      a draft created 21 Nov
    Claims 1-5 are alice's, 6-9 the evil-named factchecker's.
    """
    clock.set("2026-10-01T00:00:00")
    alice = factories.actor("alice", "factchecker")
    evil = factories.actor(EVIL, "factchecker")
    editor = factories.actor("eddie", "editor")
    clock.set("2026-11-02T08:00:00")
    article = factories.article("https://news.example.com/bridge",
                                text="One two three four five six seven eight nine ten.")
    words = "One two three four five six seven eight nine".split()
    claims = {}

    def claim(n, author, verdict, created, published=None):
        clock.set(created)
        citations = SOURCE if verdict != "unverified" else ()
        row = factories.claim(article, words[n - 1], verdict, author, citations=citations)
        if published:
            clock.set(published)
            store.transition_claim(row["id"], "submit", author)
            store.transition_claim(row["id"], "approve", editor)
        claims[n] = row["id"]

    claim(1, alice, "verified", "2026-11-02T09:00:00", "2026-11-02T10:00:00")
    claim(2, alice, "denied", "2026-11-04T07:00:00", "2026-11-04T08:00:00")
    claim(3, alice, "unverified", "2026-11-08T19:00:00", "2026-11-08T20:00:00")
    claim(4, alice, "verified", "2026-11-08T23:00:00", "2026-11-09T00:00:00")
    claim(5, alice, "unverified", "2026-11-10T07:00:00", "2026-11-10T08:00:00")
    claim(6, evil, "unverified", "2026-11-25T07:00:00", "2026-11-25T08:00:00")
    clock.set("2026-11-26T09:00:00")
    store.transition_claim(claims[6], "retract", editor, note="The quote was misread.")
    claim(8, evil, "unverified", "2026-11-20T11:00:00")
    clock.set("2026-11-20T12:00:00")
    store.transition_claim(claims[8], "submit", evil)
    claim(9, evil, "unverified", "2026-11-21T10:00:00")
    claim(7, evil, "unverified", "2026-12-05T12:00:00")
    store.transition_claim(claims[7], "submit", evil)

    # Two corrections: a verdict (December) and a label (the last minute of November).
    clock.set("2026-11-30T23:00:00")
    current = store.claim(claims[5])
    store.update_claim(claims[5], {"label": "Misleading"}, alice, current["version"])
    store.transition_claim(claims[5], "submit", alice)
    clock.set("2026-11-30T23:59:00")
    store.transition_claim(claims[5], "approve", editor, correction_note="Label added.")
    clock.set("2026-12-01T12:00:00")
    current = store.claim(claims[4])
    store.update_claim(claims[4], {"verdict": "denied"}, alice, current["version"])
    store.transition_claim(claims[4], "submit", alice)
    store.transition_claim(claims[4], "approve", editor, correction_note="New figures.")
    return claims


@pytest.fixture
def crafted(store, factories, clock):
    return _crafted(store, factories, clock)


def _table(figure) -> list[list[str]]:
    return [figure.headings(), *figure.rows()]


# -- the figures ---------------------------------------------------------------------------


def test_claims_checked_per_week_by_first_verdict(store, crafted):
    figure = desk.checked_per_week(store, PERIOD)
    assert _table(figure) == [
        ["Week", "Verified", "False", "Unverified", "Total"],
        # Claim 1 (2 Nov) is in the period's first week though before its first day.
        ["2026-W45 (2026-11-02)", "1", "1", "1", "3"],
        # Claim 4 counts as verified: the verdict it was first published with.
        ["2026-W46 (2026-11-09)", "1", "0", "1", "2"],
        ["2026-W47 (2026-11-16)", "0", "0", "0", "0"],
        # The retracted claim 6 still counts.
        ["2026-W48 (2026-11-23)", "0", "0", "1", "1"],
        ["2026-W49 (2026-11-30)", "0", "0", "0", "0"],
    ]


def test_median_time_from_import_to_first_publication(store, crafted):
    figure = desk.time_to_publish(store, PERIOD)
    assert _table(figure) == [
        ["Week", "Median hours", "Claims published"],
        ["2026-W45 (2026-11-02)", "48", "3"],      # 2, 48, 156
        ["2026-W46 (2026-11-09)", "176", "2"],     # (160 + 192) / 2
        ["2026-W47 (2026-11-16)", "–", "0"],
        ["2026-W48 (2026-11-23)", "552", "1"],
        ["2026-W49 (2026-11-30)", "–", "0"],
    ]


def test_corrections_per_month_split_by_what_changed(store, crafted):
    figure = desk.corrections_per_month(store, PERIOD)
    assert _table(figure) == [
        ["Month", "Verdict changed", "Label or rationale only", "Total"],
        ["2026-11", "0", "1", "1"],
        ["2026-12", "1", "0", "1"],
    ]
    # One day earlier, December is outside the period: its month is not shown.
    earlier = desk.Period(PERIOD.since, datetime.date(2026, 11, 30))
    assert desk.corrections_per_month(store, earlier).rows() == [["2026-11", "0", "1", "1"]]


def test_review_queue_by_age_since_last_submitted(store, crafted):
    figure = desk.review_queue(store, NOW)
    assert _table(figure) == [
        ["Waiting", "Claims"],
        ["under 1 day", "0"],
        ["1–3 days", "1"],          # claim 7: 48 hours
        ["3–7 days", "0"],
        ["1–2 weeks", "0"],
        ["2 weeks or more", "1"],   # claim 8: 17 days
    ]
    # Exactly 72 hours is in the next bucket (the bounds are "under").
    three_days = desk.review_queue(store, datetime.datetime(2026, 12, 8, 12, tzinfo=UTC))
    assert three_days.rows()[2] == ["3–7 days", "1"]


def test_claims_per_factchecker_created_in_the_period_by_state(store, crafted):
    figure = desk.per_factchecker(store, PERIOD)
    assert _table(figure) == [
        ["Factchecker", "Draft", "In review", "Changes requested", "Published", "Retracted",
         "Total"],
        # Claim 1 was created before the period, claim 7 after it.
        ["alice", "0", "0", "0", "4", "0", "4"],
        [EVIL, "1", "1", "0", "0", "1", "3"],
    ]


def test_the_site_filter_narrows_every_figure(store, factories, crafted, clock):
    clock.set("2026-11-05T00:00:00")
    other = factories.article("https://other.example.org/x", text="Elsewhere entirely.")
    factories.claim(other, "Elsewhere", "unverified", published=True)
    on_other = [f.rows() for f in desk.all_figures(store, PERIOD, NOW, "other.example.org")]
    assert on_other[0][0] == ["2026-W45 (2026-11-02)", "0", "0", "1", "1"]
    assert desk.checked_per_week(store, PERIOD, "news.example.com").rows()[0][-1] == "3"
    assert all(row[-1] == "0" for row in on_other[2])            # no correction there
    assert desk.review_queue(store, NOW, "other.example.org").empty


def test_an_empty_database_says_nothing_yet_for_every_figure(store):
    figures = desk.all_figures(store, PERIOD, NOW)
    assert [f.empty for f in figures] == [True] * 5
    assert figures[1].rows()[0] == ["2026-W45 (2026-11-02)", "–", "0"]
    assert figures[4].rows() == []


def test_the_period_is_checked():
    with pytest.raises(desk.DomainError) as backwards:
        desk.Period(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)).check()
    assert backwards.value.field == "until"
    with pytest.raises(desk.DomainError) as too_long:
        desk.Period(datetime.date(2020, 1, 1), datetime.date(2026, 1, 1)).check()
    assert too_long.value.field == "since"
    default = desk.Period.default(datetime.date(2026, 12, 9))   # a Wednesday
    assert (default.since, len(default.weeks())) == (datetime.date(2026, 6, 15), 26)


# -- the page ---------------------------------------------------------------------------


@pytest.fixture
def editor_client(app, client, make_user):
    make_user("ed", "editor")
    log_in_with_form(client, "ed")
    return client


@pytest.fixture
def crafted_app(app, clock):
    with open_store(app) as store:
        return _crafted(store, Factories(store), clock)


def _svg(html: str, name: str) -> ET.Element:
    section = re.search(rf'<section class="desk-figure" id="desk-{name}".*?</section>', html,
                        re.S).group(0)
    return ET.fromstring(re.search(r"<svg class=\"chart.*?</svg>", section, re.S).group(0))


def test_each_chart_is_svg_with_bars_in_proportion_labels_and_patterns(crafted_app,
                                                                       editor_client):
    html = editor_client.get(f"/desk?{QUERY}").get_data(as_text=True)
    svg = _svg(html, "checked")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find("title").get("id") == title_id and svg.find("desc").get("id") == desc_id
    assert "the highest total is 3 claims (2026-W45" in svg.find("desc").text
    bars = svg.findall(".//rect[@class='bar']")
    # One bar segment per non-zero (week, verdict): 3 + 2 + 1.
    assert len(bars) == 6
    # Heights in proportion to the values: the axis tops at 3, the tallest bar.
    for bar in bars:
        assert float(bar.get("height")) == pytest.approx(
            int(bar.get("data-value")) * PLOT_HEIGHT / 3, abs=0.01)
    week_one = [b for b in bars if float(b.get("x")) < 100]
    assert [b.get("data-series") for b in week_one] == ["Verified", "False", "Unverified"]
    # Every fill is a pattern the page defines, and each series has its own.
    defined = set(re.findall(r'<pattern id="([^"]+)"', html))
    fills = {b.get("data-series"): b.get("fill") for b in bars}
    assert len(set(fills.values())) == 3
    assert all(re.fullmatch(r"url\(#(.+)\)", f).group(1) in defined for f in fills.values())
    # The totals written on the bars, the weeks named below them.
    totals = [t.text for t in svg.iter("text") if t.get("class") == "total"]
    assert totals == ["3", "2", "0", "1", "0"]   # an empty week says 0
    assert "2 Nov" in [t.text for t in svg.iter("text") if t.get("class") == "category"]
    # The legend shows each series' pattern beside its name.
    section = re.search(r'id="desk-checked".*?</section>', html, re.S).group(0)
    legend = re.search(r'<ul class="chart-legend".*?</ul>', section, re.S).group(0)
    for series, fill in fills.items():
        assert re.search(rf'fill="{re.escape(fill)}"[^>]*/></svg> {series}</li>', legend)
    # No inline styles or scripts for the CSP to refuse.
    assert "style=" not in html and "<script>" not in html


def test_the_median_chart_labels_its_bars_in_hours_or_days(crafted_app, editor_client):
    svg = _svg(editor_client.get(f"/desk?{QUERY}").get_data(as_text=True), "time-to-publish")
    assert [t.text for t in svg.iter("text") if t.get("class") == "total"] == \
        ["2 d", "7.3 d", "–", "23 d", "–"]     # 48, 176 and 552 hours; weeks with none
    assert len(svg.findall(".//rect[@class='bar']")) == 3


def test_each_csv_holds_the_table_the_page_shows(crafted_app, editor_client):
    html = editor_client.get(f"/desk?{QUERY}").get_data(as_text=True)
    for name in desk.FIGURES:
        section = re.search(rf'id="desk-{name}".*?</section>', html, re.S).group(0)
        link = re.search(r'<a href="([^"]+)" download>', section).group(1).replace("&amp;", "&")
        assert link.startswith(f"/desk/{name}.csv?")
        response = editor_client.get(link)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == \
            f'attachment; filename="desk-{name}.csv"'
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        table = re.search(r"<table class=\"desk-table\">.*?</table>", section, re.S).group(0)
        cells = [[_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
                 for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        assert rows == cells, name


def _text(cell_html: str) -> str:
    return (cell_html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))


def test_user_names_are_text_in_the_chart_table_and_csv(crafted_app, editor_client):
    html = editor_client.get(f"/desk?{QUERY}").get_data(as_text=True)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html            # the table's row heading
    svg = _svg(html, "factcheckers")
    names = [t.text for t in svg.iter("text") if t.get("class") == "category"]
    assert names == ["alice", EVIL[:25] + "…"]                  # clipped to fit, as text
    body = editor_client.get(f"/desk/factcheckers.csv?{QUERY}").get_data(as_text=True)
    assert f'"{EVIL}","1","1","0","0","1","3"' in body


def test_an_empty_desk_says_nothing_yet_per_chart(editor_client):
    response = editor_client.get("/desk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="empty desk-empty"') == 5
    assert "Nothing yet: no claim was first published in this period." in html
    assert "<svg class=\"chart" not in html
    csv_text = editor_client.get("/desk/time-to-publish.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == '"Week","Median hours","Claims published"'
    assert len(csv_text.splitlines()) == 27                         # 26 weeks, no medians


@pytest.mark.parametrize("query, field", [
    ("since=2026-13-01", "since"), ("until=yesterday", "until"),
    ("since=2026-02-01&until=2026-01-01", "until"), ("since=2020-01-01&until=2026-01-01", "since"),
    (f"site={'x' * 254}", "site"),
    # The calendar's end: the weeks' and months' bounds would overflow.
    ("since=9999-12-25&until=9999-12-31", "since"), ("since=9998-12-25&until=9999-01-01", "until"),
])
def test_a_bad_filter_is_explained_not_a_crash(editor_client, query, field):
    response = editor_client.get(f"/desk?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="desk-{field}" name="{field}"' in html and 'role="alert"' in html
    assert re.search(rf'id="desk-{field}"[^>]*aria-invalid="true"', html)
    assert editor_client.get(f"/desk/checked.csv?{query}").status_code == 422


def test_the_last_day_allowed_is_shown(editor_client):
    query = "since=9998-12-25&until=9998-12-31"
    assert editor_client.get(f"/desk?{query}").status_code == 200
    for name in desk.FIGURES:
        assert editor_client.get(f"/desk/{name}.csv?{query}").status_code == 200, name


def test_an_unknown_figure_is_404(editor_client):
    assert editor_client.get("/desk/nothing.csv").status_code == 404


@pytest.mark.parametrize("role", ["reader", "factchecker"])
def test_only_editors_see_the_desk(client, make_user, role):
    assert client.get("/desk").status_code == 302                   # to the login form
    assert client.get("/desk/checked.csv").status_code == 302
    make_user("someone", role)
    log_in_with_form(client, "someone")
    assert client.get("/desk").status_code == 403
    assert client.get("/desk/checked.csv").status_code == 403
    assert 'href="/desk"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_find_the_desk_in_the_menu(client, make_user, role):
    make_user("boss", role)
    log_in_with_form(client, "boss")
    assert 'href="/desk">Desk</a>' in client.get("/").get_data(as_text=True)
    assert client.get("/desk").status_code == 200


def test_the_weekly_figures_read_the_period_from_the_m0022_index(store, crafted):
    """Not a scan of every publication: the period's range of the index."""
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        desk.checked_per_week(store, PERIOD)
        desk.time_to_publish(store, PERIOD)
    finally:
        store.db.conn.set_trace_callback(None)
    figures = [s for s in statements if "first_published_at >=" in s]
    assert len(figures) == 2
    for sql in figures:
        plan = " ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "idx_claim_publications_first_published (first_published_at>? AND " \
               "first_published_at<?)" in plan, plan
