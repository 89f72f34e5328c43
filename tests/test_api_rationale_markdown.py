"""Markdown rationales through the API: claims are created and edited with
``rationale_markdown``, answers carry the clean HTML and the source, readers
and exports get the HTML only; the preview renders exactly what a Save
stores; rationales written as HTML before keep working; m0018 on a database
with such claims."""

import json

import pytest

import migrations
from annotations.models import Actor
from annotations.sanitize import clean_rationale
from annotations.store import Store, open_database
from tests.helpers import (api_error, create_claim, etag_of, import_article,
                           passage_with, publish_over_api, row_counts)

REL = 'rel="nofollow noopener noreferrer"'
SOURCE = "The rate *fell*, says [the office](https://stats.example.org/lms).\n\n- one\n- two"
HTML = (f'<p>The rate <em>fell</em>, says <a href="https://stats.example.org/lms" {REL}>'
        "the office</a>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>")


@pytest.fixture
def passage(client, auth):
    article = import_article(client, auth["factchecker"])
    return passage_with(article, "minister")


def _patch(client, headers, claim_id, body):
    return client.patch(f"/api/v1/claims/{claim_id}", json=body, headers={
        **headers, "If-Match": etag_of(client, headers, claim_id)})


def test_a_claim_is_written_in_markdown_and_read_back_with_both(client, auth, passage):
    claim = create_claim(client, auth["factchecker"], passage, "unemployment fell",
                         rationale_markdown=SOURCE)

    assert claim["rationale"] == HTML
    assert claim["rationale_markdown"] == SOURCE and claim["rationale_format"] == "markdown"
    again = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()
    assert (again["rationale"], again["rationale_markdown"]) == (HTML, SOURCE)

    edited = _patch(client, auth["factchecker"], claim["id"],
                    {"rationale_markdown": "Now **two** links: https://www.ons.gov.uk/x"})
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert body["rationale_markdown"] == "Now **two** links: https://www.ons.gov.uk/x"
    link = "https://www.ons.gov.uk/x"
    assert body["rationale"] == \
        f'<p>Now <strong>two</strong> links: <a href="{link}" {REL}>{link}</a></p>'
    assert body["version"] == claim["version"] + 1

    history = client.get(f"/api/v1/claims/{claim['id']}/history",
                         headers=auth["factchecker"]).get_json()["entries"]
    update = history[-1]
    assert update["action"] == "update"
    assert update["before"]["rationale_markdown"] == SOURCE
    assert update["after"]["rationale_markdown"] == "Now **two** links: https://www.ons.gov.uk/x"


def test_html_typed_through_the_api_leaves_no_markdown_source(client, auth, passage):
    claim = create_claim(client, auth["factchecker"], passage, "unemployment fell",
                         rationale_markdown=SOURCE)

    edited = _patch(client, auth["factchecker"], claim["id"],
                    {"rationale": '<p>Typed <strong>as HTML</strong> '
                                  '<a href="https://a.example.org">here</a></p>'}).get_json()

    assert edited["rationale"] == ('<p>Typed <strong>as HTML</strong> '
                                   f'<a href="https://a.example.org" {REL}>here</a></p>')
    assert edited["rationale_format"] == "html"
    assert edited["rationale_markdown"] == "Typed **as HTML** [here](https://a.example.org)"


def test_readers_and_exports_get_the_clean_html_only(client, auth, passage):
    claim = create_claim(client, auth["factchecker"], passage, "unemployment fell",
                         verdict="unverified", rationale_markdown=SOURCE)
    publish_over_api(client, auth["editor"], claim["id"], submitter=auth["factchecker"])

    public = client.get(f"/api/v1/claims/{claim['id']}").get_json()
    assert public["rationale"] == HTML
    assert "rationale_markdown" not in public and "rationale_format" not in public
    desk = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["editor"]).get_json()
    assert "rationale_markdown" not in desk["publication"]
    exported = client.get("/api/v1/exports/claims.json", headers=auth["editor"])
    assert exported.status_code == 200
    row, = json.loads(exported.get_data(as_text=True))
    # The export's rationale is text, its links kept: never the Markdown.
    assert row["rationale"].startswith("The rate fell, says the office")
    assert "*" not in json.dumps(row) and "rationale_markdown" not in row
    csv = client.get("/api/v1/exports/claims.csv", headers=auth["editor"]).get_data(as_text=True)
    assert "The rate fell, says the office" in csv and "*fell*" not in csv


def test_a_rationale_written_as_html_keeps_showing_as_before(client, auth, factories, users):
    html = ('<p>Per <em>the</em> <a href="https://ons.example.gov/lms">ONS</a> data &amp; more'
            "</p><ul><li>2023: 4.1%</li></ul>")
    claim = factories.claim(quote="minister", rationale=clean_rationale(html))
    stored = factories.store.claim(claim["id"])
    assert stored["rationale_markdown"] is None

    body = client.get(f"/api/v1/claims/{claim['id']}", headers=auth["factchecker"]).get_json()

    assert body["rationale"] == stored["rationale"]  # not re-rendered
    assert body["rationale_format"] == "html"
    assert body["rationale_markdown"] == ("Per *the* [ONS](https://ons.example.gov/lms) data \\& "
                                          "more\n\n- 2023: 4.1%")
    # Saved unchanged from the form (a label edit), the HTML stays as it was.
    edited = _patch(client, auth["factchecker"], claim["id"], {"label": "Checked"}).get_json()
    assert edited["rationale"] == stored["rationale"] and edited["rationale_format"] == "html"


@pytest.mark.parametrize("body, field", [
    ({"rationale": "<p>x</p>", "rationale_markdown": "x"}, "rationale_markdown"),
    ({"rationale_markdown": "x" * 20001}, "rationale_markdown"),
    ({"rationale_markdown": 5}, "rationale_markdown"),
    ({"rationale_markdown": "x", "rationale_html": "y"}, "rationale_html"),
])
def test_bad_markdown_bodies_are_refused_naming_the_field(client, app, auth, passage, body,
                                                          field):
    claim = create_claim(client, auth["factchecker"], passage, "unemployment fell")
    before = row_counts(app)
    start = passage["text"].index("unemployment")

    created = client.post("/api/v1/claims", json={
        "passage_id": passage["id"], "start": start, "end": start + 5, "verdict": "unverified",
        **body}, headers=auth["factchecker"])
    api_error(created, 422, field)
    api_error(_patch(client, auth["factchecker"], claim["id"], body), 422, field)
    assert row_counts(app) == before
    assert client.get(f"/api/v1/claims/{claim['id']}",
                      headers=auth["factchecker"]).get_json()["version"] == claim["version"]


# -- the preview ---------------------------------------------------------------------

def test_the_preview_is_what_a_save_stores(client, auth, passage):
    source = ("**Bold** <script>alert(1)</script> [x](javascript:alert(1)) "
              "<img src=x onerror=alert(1)> https://www.ons.gov.uk/a")
    preview = client.post("/api/v1/rationale/preview", json={"markdown": source},
                          headers=auth["factchecker"])

    assert preview.status_code == 200
    html = preview.get_json()["html"]
    assert "<strong>Bold</strong>" in html and "&lt;script&gt;" in html
    assert "<script" not in html and "<img" not in html and "javascript:alert(1)) " in html
    assert 'href="javascript' not in html
    saved = create_claim(client, auth["factchecker"], passage, "unemployment fell",
                         rationale_markdown=source)
    assert saved["rationale"] == html


@pytest.mark.parametrize("body, status, field", [
    ({}, 422, "markdown"),
    ({"markdown": None}, 422, "markdown"),
    ({"markdown": "x" * 20001}, 422, "markdown"),
    ({"markdown": "x", "html": "y"}, 422, "html"),
])
def test_the_preview_refuses_bad_bodies(client, auth, body, status, field):
    response = client.post("/api/v1/rationale/preview", json=body, headers=auth["factchecker"])
    api_error(response, status, field)


def test_the_preview_is_bounded_and_for_the_desk_only(client, auth):
    api_error(client.post("/api/v1/rationale/preview", json={"markdown": "x" * 2_000_000},
                          headers=auth["factchecker"]), 413)
    api_error(client.post("/api/v1/rationale/preview", json={"markdown": "x"}), 401)
    api_error(client.post("/api/v1/rationale/preview", json={"markdown": "x"},
                          headers=auth["reader"]), 403)
    longest = client.post("/api/v1/rationale/preview", json={"markdown": "[" * 20000},
                          headers=auth["factchecker"])
    assert longest.status_code == 200


# -- m0018 on a database with claims written as HTML ----------------------------------

T = "2025-01-01T00:00:00+00:00"
OLD_RATIONALE = f'<p>See <a href="https://a.example.org" {REL}>this</a></p>'


def test_m0018_keeps_old_rationales_and_leaves_them_without_a_source(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0018_markdown_rationale")
    with db.conn:
        db.execute("INSERT INTO articles (id, url, url_key, title, created_at, updated_at)"
                   " VALUES (1, 'https://n.example/a', 'n.example/a', 'A', ?, ?)", [T, T])
        db.execute("INSERT INTO passages (id, article_id, ordinal, kind, text, text_hash)"
                   " VALUES (1, 1, 0, 'paragraph', 'The bridge is open.', 'h')")
        db.execute("INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset,"
                   " exact, verdict, rationale, created_at, updated_at)"
                   " VALUES (1, 1, 1, 4, 10, 'bridge', 'denied', ?, ?, ?)", [OLD_RATIONALE, T, T])

    assert "m0018_markdown_rationale" in migrations.apply(db)

    row = db.execute("SELECT rationale, rationale_markdown FROM claims WHERE id = 1").fetchone()
    assert row == (OLD_RATIONALE, None)
    store = Store(db)
    claim = store.claim(1)
    assert claim["rationale"] == OLD_RATIONALE and claim["rationale_markdown"] is None
    edited = store.update_claim(1, {"rationale_markdown": "See [this](https://a.example.org) too"},
                                Actor(None, "system"), None)
    assert edited["rationale"] == ('<p>See <a href="https://a.example.org" rel="nofollow noopener'
                                   ' noreferrer">this</a> too</p>')
    db.close()
