"""The import form's URL path and preview, the article details form, and
the article list's site and URL (server-rendered; tests/browser/
test_import_ui.py drives the same pages in Chromium)."""

import re
from html import unescape
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, open_store, row_counts
from tests.page_server import page_server  # noqa: F401  (fixture)

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture
def checker(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    make_user("checker", "factchecker")
    client.post("/login", data={"username": "checker", "password": PASSWORD})
    return client


def field_value(html: str, name: str) -> str:
    match = re.search(rf'<input id="{name}" name="{name}"[^>]*value="([^"]*)"', html)
    assert match, name
    return unescape(match.group(1))


def test_preview_fetches_and_fills_the_details_for_review(app, checker, page_server):
    app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    url = page_server.page("/news", "news_site.html", etag='"n1"')
    before = row_counts(app)

    response = checker.post("/import", data={"url": url, "action": "preview"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row_counts(app) == before  # a preview writes nothing
    assert field_value(html, "title") == \
        "Harbour dredging plan will cost twice the council's estimate, audit finds"
    assert field_value(html, "author") == "Priya Raman"
    assert field_value(html, "published_date") == "2026-03-04"
    assert field_value(html, "publisher") == "Harbourview Courier"
    assert field_value(html, "language") == "en-GB"
    assert field_value(html, "canonical_url") == \
        "https://www.harbourview-courier.example/news/2026/03/harbour-dredging-audit"
    assert "9 passages of main text" in html
    assert "Silt treatment left out" in html
    assert 'name="fetch_token"' in html

    # Import what was previewed, with a corrected author.
    token = re.search(r'name="fetch_token" value="([^"]+)"', html).group(1)
    text = unescape(re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', html,
                              re.S).group(1))
    response = checker.post("/import", data={
        "url": url, "action": "import", "format": "html", "text": text,
        "fetch_token": token, "title": field_value(html, "title"), "author": "P. Raman",
        "published_date": "2026-03-04", "publisher": "Harbourview Courier",
        "language": "en-GB", "canonical_url": field_value(html, "canonical_url")})

    assert response.status_code == 302
    with open_store(app) as store:
        article = store.article(1)
        aliases = [a["url"] for a in store.aliases(1)]
    assert article["author"] == "P. Raman" and article["http_etag"] == '"n1"'
    assert article["fetched_at"]
    assert aliases == [
        "https://www.harbourview-courier.example/news/2026/03/harbour-dredging-audit"]
    page = checker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 9 passages." in page
    assert "By <span class=\"article-author\">P. Raman</span>" in page


def test_a_forged_fetch_token_records_no_fetch(app, checker):
    html = (PAGES / "blog.html").read_text(encoding="utf-8")
    checker.post("/import", data={"url": "https://blog.example/velo", "format": "html",
                                  "text": html, "fetch_token": "forged.token"})
    with open_store(app) as store:
        assert store.article(1)["fetched_at"] is None
        assert store.article(1)["author"] == "Camille Fontaine"


def test_import_with_only_a_url_fetches_the_page(app, checker, page_server):
    app.config["FETCH_ALLOW_PRIVATE_HOSTS"] = True
    url = page_server.page("/wire", "wire_story.html")

    response = checker.post("/import", data={"url": url})

    assert response.status_code == 302
    page = checker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 7 passages." in page
    assert "Also found under https://www.meridianwire.example/world/" in page


def test_a_refused_fetch_shows_the_reason_and_writes_nothing(app, checker, page_server):
    url = page_server.page("/wire", "wire_story.html")
    before = row_counts(app)

    for action in ("preview", "import"):
        response = checker.post("/import", data={"url": url, "action": action})
        assert response.status_code == 422
        assert "Article URL: refused to fetch from 127.0.0.1: a loopback address" in \
            unescape(response.get_data(as_text=True))
    assert row_counts(app) == before and page_server.requests == []


def test_preview_of_pasted_html_reads_its_metadata(app, checker):
    html = (PAGES / "paywall.html").read_text(encoding="utf-8")
    response = checker.post("/import", data={"url": "https://mirror.example/b",
                                             "action": "preview", "text": html,
                                             "title": "My own title"})
    page = response.get_data(as_text=True)
    assert field_value(page, "title") == "My own title"  # what the user typed stays
    assert field_value(page, "author") == "Dana Whitfield, Luis Ortega"
    assert "3 passages of main text" in page


def test_details_form_corrects_metadata_with_history(app, checker):
    checker.post("/import", data={"url": "https://news.example.com/a", "text": "Some text.",
                                  "title": "Old title", "language": "en"})

    page = checker.get("/articles/1/details").get_data(as_text=True)
    assert field_value(page, "title") == "Old title"
    response = checker.post("/articles/1/details", data={
        "title": "New title", "author": "R. Writer", "published_date": "2025-12-01",
        "publisher": "", "language": ""})

    assert response.status_code == 302
    with open_store(app) as store:
        article = store.article(1)
        entry = store.history("article", 1)[-1]
    assert (article["title"], article["author"], article["published_date"],
            article["language"]) == ("New title", "R. Writer", "2025-12-01", "")
    assert entry["action"] == "update"
    assert entry["before"]["title"] == "Old title" and entry["after"]["title"] == "New title"

    bad = checker.post("/articles/1/details", data={"title": "x", "published_date": "soon"})
    assert bad.status_code == 422 and "published_date" in bad.get_data(as_text=True)


def test_details_form_needs_the_factchecker_role(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    make_user("reader", "reader")
    with open_store(app) as store:
        from annotations.importer import parse_article
        store.import_article("https://news.example.com/a", parse_article("Text.", "text"))
    client.post("/login", data={"username": "reader", "password": PASSWORD})
    assert client.get("/articles/1/details").status_code == 403


def test_article_list_shows_each_articles_site_and_url(app, checker):
    for url, publisher in (
            ("https://www.harbourview-courier.example/news/a", "Harbourview Courier"),
            ("https://mirror.example/copy-of-a", "")):
        checker.post("/import", data={"url": url, "text": "Same text.", "title": "Same title",
                                      "publisher": publisher})

    html = checker.get("/").get_data(as_text=True)

    rows = re.findall(r'<div class="meta article-source">(.*?)</div>', html, re.S)
    assert len(rows) == 2
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)).strip() for row in rows]
    assert texts == ["mirror.example · https://mirror.example/copy-of-a",
                     "Harbourview Courier (harbourview-courier.example) · "
                     "https://www.harbourview-courier.example/news/a"]


def _form_error(html: str, error_id: str) -> str:
    match = re.search(rf'<p class="error" role="alert" id="{error_id}">([^<]*)</p>', html)
    assert match, html
    return unescape(match.group(1))


@pytest.mark.parametrize("path, data, error_id, prefix", [
    ("/import", {"url": "https://news.example.com/a", "text": "Some text.", "title": "x" * 501},
     "import-error", "Title: "),
    ("/import", {"url": "https://news.example.com/a", "text": "Some text.",
                 "canonical_url": "ftp://news.example.com/a"}, "import-error", "Canonical URL: "),
    ("/import", {"url": "https://news.example.com/a", "text": " \n\n "}, "import-error",
     "Text or HTML: "),
    ("/articles/1/details", {"title": "x", "published_date": "soon"}, "details-error",
     "Published on: "),
])
def test_form_errors_name_the_box_by_its_label(app, checker, path, data, error_id, prefix):
    checker.post("/import", data={"url": "https://news.example.com/first", "text": "Some text."})

    response = checker.post(path, data=data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = _form_error(html, error_id)
    assert message.startswith(prefix), message
    # The same words label the box itself.
    label = prefix.removesuffix(": ")
    assert re.search(rf'<label for="[a-z_]+">{re.escape(label)}[ <]', html)
