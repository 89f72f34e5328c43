"""Article URL validation and matching keys (annotations.urls)."""

import json
from pathlib import Path

import pytest

from annotations.models import DomainError
from annotations.urls import MAX_URL_LENGTH, url_key, validate_http_url
from tests.helpers import api_error, bearer, make_token


# -- validate_http_url ----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.com",
    "https://example.com/news/2025/07/story.html",
    "https://news.example.org:8443/a?b=1#c",
    "HTTPS://Example.COM/Path",
    "https://例え.jp/記事",
])
def test_http_and_https_urls_are_accepted_unchanged(url):
    assert validate_http_url(url) == url


def test_surrounding_space_is_stripped():
    assert validate_http_url("  https://example.com/a \n") == "https://example.com/a"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "javascript:1",
    "ftp://example.com/file.txt",
    "mailto:desk@example.com",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "example.com/no-scheme",
    "//example.com/protocol-relative",
])
def test_other_schemes_are_refused(url):
    with pytest.raises(DomainError) as info:
        validate_http_url(url, "source_url")
    assert info.value.field == "source_url"


@pytest.mark.parametrize("url", ["", "   ", None, 42])
def test_missing_url_is_refused(url):
    with pytest.raises(DomainError) as info:
        validate_http_url(url, "citations.0.url")
    assert info.value.field == "citations.0.url"
    assert "required" in info.value.message


@pytest.mark.parametrize("url", ["http://", "https:///path/only", "https://:443/x", "http:/x"])
def test_url_without_host_is_refused(url):
    with pytest.raises(DomainError) as info:
        validate_http_url(url, "url")
    assert info.value.field == "url"
    assert "host" in info.value.message


@pytest.mark.parametrize("url", [
    "https://exa mple.com/",
    "https://example.com/a b",
    "https://example.com/a\tb",
    "https://example.com/\x00",
    "https://example.com/a\nb",
])
def test_spaces_and_control_characters_are_refused(url):
    with pytest.raises(DomainError) as info:
        validate_http_url(url, "url")
    assert info.value.field == "url"


def test_overlong_url_is_refused_and_the_limit_itself_is_accepted():
    base = "https://example.com/"
    at_limit = base + "a" * (MAX_URL_LENGTH - len(base))
    assert validate_http_url(at_limit) == at_limit
    with pytest.raises(DomainError) as info:
        validate_http_url(at_limit + "a", "archive_url")
    assert info.value.field == "archive_url"
    assert str(MAX_URL_LENGTH) in info.value.message


@pytest.mark.parametrize("url", [
    "https://example.com:99999/",
    "https://example.com:65536/",
    "https://example.com:port/",
    "https://example.com:-1/",
])
def test_bad_port_is_refused(url):
    with pytest.raises(DomainError) as info:
        validate_http_url(url, "url")
    assert info.value.field == "url"


def test_default_field_name_is_url():
    with pytest.raises(DomainError) as info:
        validate_http_url("ftp://example.com")
    assert info.value.field == "url"


# -- url_key --------------------------------------------------------------------------

def same_key(a, b):
    return url_key(a) == url_key(b)


def test_http_and_https_have_the_same_key():
    assert same_key("http://example.com/story", "https://example.com/story")


def test_host_is_lowercased_but_path_case_kept():
    assert same_key("https://News.Example.COM/Story", "https://news.example.com/Story")
    assert not same_key("https://example.com/Story", "https://example.com/story")


def test_default_ports_are_dropped():
    assert same_key("https://example.com:443/story", "https://example.com/story")
    assert same_key("http://example.com:80/story", "https://example.com/story")


def test_non_default_ports_are_kept():
    assert not same_key("https://example.com:8443/story", "https://example.com/story")
    assert not same_key("https://example.com:80/story", "https://example.com/story")
    assert url_key("https://example.com:8443/story") == "example.com:8443/story"


def test_fragment_is_dropped():
    assert same_key("https://example.com/story#comments", "https://example.com/story")


def test_trailing_slash_is_dropped():
    assert same_key("https://example.com/story/", "https://example.com/story")
    assert same_key("https://example.com/", "https://example.com")


def test_tracking_parameters_are_dropped():
    assert same_key(
        "https://example.com/story?utm_source=tw&utm_medium=social&UTM_Campaign=x"
        "&fbclid=abc&gclid=def",
        "https://example.com/story")


def test_remaining_query_is_kept_and_sorted():
    assert same_key("https://example.com/story?page=2&id=7&utm_source=x",
                    "https://example.com/story?id=7&page=2")
    assert not same_key("https://example.com/story?id=7", "https://example.com/story?id=8")
    assert not same_key("https://example.com/story?id=7", "https://example.com/story")
    assert url_key("https://example.com/story?page=2&id=7") == "example.com/story?id=7&page=2"


def test_full_key_of_a_messy_url():
    assert url_key("HTTP://News.Example.COM:80/World/Story/?utm_source=x&b=2&a=1&fbclid=z"
                   "#top") == "news.example.com/World/Story?a=1&b=2"


def test_different_hosts_and_paths_differ():
    assert not same_key("https://example.com/story", "https://example.org/story")
    assert not same_key("https://example.com/story", "https://example.com/story-2")


def test_url_key_refuses_what_validation_refuses():
    with pytest.raises(DomainError):
        url_key("javascript:alert(1)")


def test_url_key_keeps_ipv6_brackets_apart_from_the_port():
    assert url_key("http://[::1]:8080/x") == "[::1]:8080/x"
    assert url_key("https://[2001:db8::1]/a/") == "[2001:db8::1]/a"


# -- url_key: the shared specification (tests/fixtures/url_keys.json) ------------------
#
# Each case: {"id", "url", and one of "key" (the exact key), "same_as" (a URL
# with the same key), "differs_from" (a URL with another key), "error": true
# (no key: DomainError naming url)}. The extension's tests read the same file.

URL_KEY_CASES = json.loads(
    (Path(__file__).parent / "fixtures" / "url_keys.json").read_text(encoding="utf-8"))


def test_every_url_key_case_says_what_it_expects():
    ids = [case["id"] for case in URL_KEY_CASES]
    assert len(ids) == len(set(ids))
    for case in URL_KEY_CASES:
        assert len({"key", "same_as", "differs_from", "error"} & set(case)) == 1, case["id"]


@pytest.mark.parametrize("case", URL_KEY_CASES, ids=[case["id"] for case in URL_KEY_CASES])
def test_url_key_case(case):
    if case.get("error"):
        with pytest.raises(DomainError) as info:
            url_key(case["url"])
        assert info.value.field == "url"
        return
    key = url_key(case["url"])
    if "key" in case:
        assert key == case["key"]
    elif "same_as" in case:
        assert key == url_key(case["same_as"])
    else:
        assert key != url_key(case["differs_from"])
    # A key read as a URL is its own key: normalising twice changes nothing.
    assert url_key("https://" + key) == key


@pytest.mark.parametrize("url", [
    "https://example.com/%", "https://example.com/%%%", "https://example.com/%zz%z",
    "https://example.com/?%=%&%zz", "https://xn--.com/", "https://xn--a.com/",
    "https://a\u200db.de/", "https://%zz.de/", "https://%C3.de/", "https://%2F.de/",
    "https://\u00ad.de/", "https://.de/", "https://a..de/", "https://ex%41mple.com/",
    "https://例え.jp/" + "記" * 600, "https://" + "ü" * 70 + ".de/",
])
def test_malformed_urls_get_a_key_or_a_domain_error_never_a_crash(url):
    try:
        key = url_key(url)
    except DomainError as error:
        assert error.field == "url"
    else:
        assert isinstance(key, str) and key


def test_a_stored_article_is_found_under_the_other_forms_of_its_url(client, auth):
    """The readers' endpoint matches an article imported at /café when the
    browser asks for /caf%C3%A9, and one at bücher.de as xn--bcher-kva.de."""
    from tests.helpers import create_claim, import_article, passage_with, publish_over_api

    text = "Café prices rose\n\nThe price of a coffee rose by 9% in 2024.\n"
    for stored, visited in [
        ("https://news.example.com/café/~prices", "https://news.example.com/caf%C3%A9/%7Eprices"),
        ("https://bücher.de/a/./story", "http://XN--BCHER-KVA.de/a/b/../story/"),
    ]:
        article = import_article(client, auth["editor"], url=stored, text=text)
        claim = create_claim(client, auth["factchecker"],
                             passage_with(article, "The price of a coffee"),
                             "The price of a coffee")
        publish_over_api(client, auth["editor"], claim["id"])
        answer = client.get("/api/v1/highlights", query_string={"url": visited})
        assert answer.status_code == 200
        assert [c["id"] for c in answer.get_json()["claims"]] == [claim["id"]]
        other = client.get("/api/v1/highlights",
                           query_string={"url": visited.replace("story", "other")
                                         .replace("prices", "other")})
        assert other.get_json()["claims"] == []


@pytest.mark.parametrize("url", ["https://xn--a.com/story", "https://example.com/100%/a%zz"])
def test_the_readers_endpoint_answers_malformed_urls_without_an_error(client, url):
    answer = client.get("/api/v1/highlights", query_string={"url": url})
    assert answer.status_code == 200
    assert answer.get_json()["claims"] == []


@pytest.mark.parametrize("url", ["https://news.example/story\ud800", "https://\udfff.example/",
                                 "https://news.example/?q=\ud83d"])
def test_a_lone_surrogate_is_refused_not_a_crash(url):
    # JSON can carry "\ud800"; such a string has no UTF-8 form to key.
    with pytest.raises(DomainError, match="surrogate"):
        url_key(url)


def test_an_alias_with_a_lone_surrogate_is_a_422(client, app, factories):
    editor = factories.user("ed", "editor")
    article = factories.article("https://news.example.com/story")
    response = client.post(f"/api/v1/articles/{article['id']}/aliases",
                           data='{"url": "https://news.example.com/x\\ud800"}',
                           content_type="application/json",
                           headers=bearer(make_token(app, editor["id"])[0]))
    api_error(response, 422, "url")
