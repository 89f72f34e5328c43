"""What one import may create (passages per article, characters per passage,
HTML tags and nesting) and claims per article: each limit refused with a
clear 4xx naming it and its value, nothing written; configurable."""

import io
import time

import pytest

from annotations.importer import ImportLimits, parse_article
from annotations.models import DomainError
from annotations.splitting import split_html, split_text
from factcheck import create_app
from tests.helpers import (FAST_HASH, PASSWORD, api_error, as_actor, create_claim, import_article,
                           open_store, passage_with, row_counts)


def _import(client, headers, **body):
    return client.post("/api/v1/articles",
                       json={"url": "https://news.example.com/big", **body}, headers=headers)


# -- passages per article, characters per passage -------------------------------------

def test_text_with_more_passages_than_the_limit_is_refused_and_nothing_written(
        app, client, auth):
    before = row_counts(app)
    response = _import(client, auth["factchecker"], text="a\n" * 20_001)
    error = api_error(response, 422, "text")
    assert "20000" in error["message"] and "max_passages" in error["message"]
    assert row_counts(app) == before


def test_a_passage_longer_than_the_limit_is_refused_and_nothing_written(app, client, auth):
    before = row_counts(app)
    response = _import(client, auth["factchecker"], text="Lead.\n" + "x" * 20_001)
    error = api_error(response, 422, "text")
    assert "passage 2" in error["message"] and "20000" in error["message"]
    assert "max_passage_chars" in error["message"]
    assert row_counts(app) == before


def test_the_limits_come_from_the_app_config(app, client, auth):
    app.config.update(MAX_PASSAGES=3, MAX_PASSAGE_CHARS=10)
    error = api_error(_import(client, auth["factchecker"], text="One.\nTwo.\nThree.\nFour."),
                      422, "text")
    assert "more than 3 passages" in error["message"]
    error = api_error(_import(client, auth["factchecker"], text="Eleven char"), 422, "text")
    assert "longer than 10 characters" in error["message"]
    article = import_article(client, auth["factchecker"], text="One.\nTwo.\nThree.")
    assert [p["text"] for p in article["passages"]] == ["One.", "Two.", "Three."]


def test_the_limits_are_read_from_factcheck_environment_variables(tmp_path, db_path,
                                                                   monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_MAX_PASSAGES", "7")
    monkeypatch.setenv("FACTCHECK_MAX_HTML_DEPTH", "40")
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x"})
    limits = ImportLimits.from_settings(app.config)
    assert (limits.max_passages, limits.max_html_depth, limits.max_passage_chars) == \
        (7, 40, 20_000)


def test_a_hard_wrapped_paragraph_is_still_one_passage_under_the_limit():
    line = "The ministers agreed to share the river readings with farmers and"
    parsed = parse_article("\n".join([line] * 100) + "\nthe end.",
                           limits=ImportLimits(max_passages=2))
    assert len(parsed.passages) == 1


def test_counting_passages_stops_at_the_limit_without_splitting_the_rest():
    """A 5 MB upload of one-letter lines (2.6 million passages) is refused
    after reading max_passages + 1 of them: far under a second, where the
    whole split took 12 s and the import ran into the worker timeout."""
    content = "a\n" * 2_600_000
    started = time.perf_counter()
    with pytest.raises(DomainError) as info:
        parse_article(content, "text")
    assert "more than 20000 passages" in info.value.message
    assert time.perf_counter() - started < 2


def test_ui_upload_past_the_passage_limit_shows_the_limit_and_writes_nothing(
        app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    make_user("checker", "factchecker")
    client.post("/login", data={"username": "checker", "password": PASSWORD})
    before = row_counts(app)
    response = client.post("/import", data={
        "url": "https://news.example.com/upload",
        "file": (io.BytesIO(b"a\n" * 20_001), "lines.txt")})
    assert response.status_code == 422
    assert "more than 20000 passages" in response.get_data(as_text=True)
    assert row_counts(app) == before


def test_cli_import_past_the_passage_limit_fails_naming_it_and_writes_nothing(
        app, runner, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("a\n" * 20_001)
    before = row_counts(app)
    result = runner.invoke(args=["import-article", str(path), "--url",
                                 "https://news.example.com/lines"])
    assert result.exit_code == 1
    assert "more than 20000 passages" in result.output
    assert row_counts(app) == before


# -- HTML: tags and nesting, checked before the expensive parse --------------------------

def test_html_nested_deeper_than_the_limit_is_refused_and_nothing_written(app, client, auth):
    before = row_counts(app)
    response = _import(client, auth["factchecker"], html="<div>" * 300 + "Deep text.")
    error = api_error(response, 422, "html")
    assert "256" in error["message"] and "max_html_depth" in error["message"]
    assert row_counts(app) == before


def test_html_nested_to_the_limit_is_imported():
    passages, _ = split_html("<div>" * 256 + "Deep text.")
    assert split_text("Deep text.") == passages


def test_html_with_more_tags_than_the_limit_is_refused(app, client, auth):
    app.config["MAX_HTML_TAGS"] = 10
    error = api_error(_import(client, auth["factchecker"], html="<p>x</p>" * 6), 422, "html")
    assert "more than 10 tags" in error["message"] and "max_html_tags" in error["message"]


@pytest.mark.parametrize("document", [
    "<div>" * 1_048_000,        # 5 MB of nesting: html5lib is quadratic in depth
    "<p>x</p>" * 650_000,       # 5 MB of paragraphs: 50 µs a tag in html5lib
    "<div>" * 200 + "x" + "</div>" * 200 + "<div>" * 300 + "x",
], ids=["div x 1M", "p x 650k", "deep after shallow"])
def test_pathological_html_is_refused_in_well_under_a_second(document):
    started = time.perf_counter()
    with pytest.raises(DomainError) as info:
        parse_article(document, "html")
    assert info.value.field == "text"
    assert "max_html_" in info.value.message
    assert time.perf_counter() - started < 1


def test_a_paragraph_of_a_million_entities_is_refused_at_once():
    """14 minutes in html5lib before: each costs it a token, like a tag."""
    started = time.perf_counter()
    with pytest.raises(DomainError) as info:
        parse_article("<p>" + "&amp;" * 1_000_000 + "</p>", "html")
    assert "more than 100000 tags and character references" in info.value.message
    assert time.perf_counter() - started < 1


def test_a_long_paragraph_with_many_entities_is_parsed_in_seconds():
    """html5lib appended each piece of text between entities to the
    paragraph by string concatenation: quadratic, minutes for these 4.5 MB."""
    piece = "&amp;" + "x" * 40
    started = time.perf_counter()
    parsed = parse_article("<p>" + piece * 99_000 + "</p>", "html",
                           limits=ImportLimits(max_passage_chars=10**7))
    assert parsed.passages[0].text == ("&" + "x" * 40) * 99_000
    assert time.perf_counter() - started < 15


def test_html_over_the_passage_limit_is_refused():
    with pytest.raises(DomainError) as info:
        parse_article("<p>x</p>" * 4, "html", "html", ImportLimits(max_passages=3))
    assert info.value.field == "html"
    assert "more than 3 passages" in info.value.message


# -- claims per article ---------------------------------------------------------------

def test_a_claim_past_the_claims_per_article_limit_is_refused_and_nothing_written(
        app, client, auth):
    article = import_article(client, auth["factchecker"])
    passage = passage_with(article, "unemployment")
    with open_store(app) as store:
        # As if 5000 claims had been made: rows straight into the table.
        store.db.conn.executemany(
            "INSERT INTO claims (article_id, passage_id, start_offset, end_offset, exact,"
            " prefix, suffix, anchor_state, verdict, label, rationale, status, version,"
            " created_at, updated_at) VALUES (?, ?, 0, 3, 'The', '', '', 'anchored',"
            " 'unverified', '', '', 'draft', 1, '', '')",
            [(article["id"], passage["id"])] * 5000)
        store.db.conn.commit()
    before = row_counts(app)
    for body in ({"start": 0, "end": 3}, {"selector": {"exact": "minister"}}):
        response = client.post("/api/v1/claims", json={
            "passage_id": passage["id"], "verdict": "unverified", **body},
            headers=auth["factchecker"])
        error = api_error(response, 422, "passage_id")
        assert "5000" in error["message"] and "max_claims_per_article" in error["message"]
    assert row_counts(app) == before


def test_the_claims_limit_is_per_store(store):
    result = store.import_article("https://news.example.com/cap", parse_article("One claim."))
    passage = store.passages(result.article_id)[0]
    store.max_claims_per_article = 1
    admin = store.create_user("admin", FAST_HASH, "admin")
    store.create_claim(passage["id"], 0, 3, "unverified", as_actor(admin))
    with pytest.raises(DomainError) as info:
        store.create_claim(passage["id"], 4, 9, "unverified", as_actor(admin))
    assert "max_claims_per_article: 1" in info.value.message


def test_the_claims_limit_is_a_setting(app, client, auth):
    app.config["MAX_CLAIMS_PER_ARTICLE"] = 1
    article = import_article(client, auth["factchecker"])
    passage = passage_with(article, "unemployment")
    create_claim(client, auth["factchecker"], passage, "unemployment")
    before = row_counts(app)

    response = client.post("/api/v1/claims", json={
        "passage_id": passage["id"], "verdict": "unverified", "start": 0, "end": 3},
        headers=auth["factchecker"])

    assert "max_claims_per_article: 1" in api_error(response, 422, "passage_id")["message"]
    assert row_counts(app) == before
