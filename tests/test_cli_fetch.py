"""flask import-article --fetch URL: the page fetched, extracted and
imported as through the API (tests/page_server.py on 127.0.0.1)."""

from tests.helpers import open_store, row_counts
from tests.page_server import page_server  # noqa: F401  (fixture)


def test_fetch_imports_the_page_and_reports_its_alias(runner, app, page_server):
    app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    url = page_server.page("/wire", "wire_story.html", etag='"w1"')

    result = runner.invoke(args=["import-article", "--fetch", url])

    assert result.exit_code == 0, result.output
    assert f"{url}: created article 1 with 7 passages" in result.output
    assert ("alias added: https://www.meridianwire.example/world/"
            "grain-corridor-talks-resume-idUSKBN2026") in result.output
    with open_store(app) as store:
        article = store.article(1)
    assert (article["title"], article["author"], article["publisher"]) == (
        "Grain corridor talks resume in Geneva after two-week pause", "Jonas Aberg",
        "Meridian Wire")
    assert article["http_etag"] == '"w1"'

    again = runner.invoke(args=["import-article", "--fetch", url])
    assert again.exit_code == 0
    assert f"{url}: unchanged since the last fetch (article 1)" in again.output


def test_fetch_refuses_loopback_without_the_setting(runner, app, page_server):
    url = page_server.page("/wire", "wire_story.html")
    before = row_counts(app)

    result = runner.invoke(args=["import-article", "--fetch", url])

    assert result.exit_code == 1
    assert "not imported: url: refused to fetch from 127.0.0.1: a loopback address" \
        in result.output
    assert page_server.requests == [] and row_counts(app) == before


def test_fetch_takes_no_files(runner, app, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Text.", encoding="utf-8")
    result = runner.invoke(args=["import-article", str(path), "--fetch", "https://ex.org/a"])
    assert result.exit_code == 2 and "give no files" in result.output
    result = runner.invoke(args=["import-article"])
    assert result.exit_code == 2 and "--fetch URL" in result.output
