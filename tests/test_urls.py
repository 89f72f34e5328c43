"""Article URL validation and matching keys (annotations.urls)."""

import pytest

from annotations.models import DomainError
from annotations.urls import MAX_URL_LENGTH, url_key, validate_http_url


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
