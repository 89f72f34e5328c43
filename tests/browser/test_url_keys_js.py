"""The extension's URL keys (extension/urlkey.js) in real Chromium: the same
key as annotations.urls.url_key for every case of tests/fixtures/url_keys.json
(tests/test_urls.py runs them in Python), no key where Python refuses, and
the same SHA-256 and bucket prefix as annotations.lookup. The private lookup
works only if both sides agree to the byte: a key that differs by one
escape is a page whose highlights never come.
"""

import hashlib
from pathlib import Path

import pytest

from annotations.lookup import PREFIX_HEX_DIGITS, bucket_prefix, key_hash
from annotations.models import DomainError
from annotations.urls import MAX_URL_LENGTH, url_key
from tests.test_urls import URL_KEY_CASES

URLKEY_JS = Path(__file__).resolve().parents[2] / "extension" / "urlkey.js"
# A made-up https origin: crypto.subtle needs a secure context. Playwright
# answers its requests; nothing goes to the network.
ORIGIN = "https://urlkey.test"
KEYS_JS = "(urls) => urls.map((url) => FactUrlKey.urlKey(url))"


@pytest.fixture(scope="module")
def key_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def serve(route):
        if route.request.url == ORIGIN + "/urlkey.js":
            route.fulfill(body=URLKEY_JS.read_text(encoding="utf-8"),
                          content_type="text/javascript; charset=utf-8")
        else:
            route.fulfill(body='<!doctype html><meta charset="utf-8">'
                               '<script src="/urlkey.js"></script>',
                          content_type="text/html; charset=utf-8")

    page.route(ORIGIN + "/**", serve)
    page.goto(ORIGIN + "/")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(key_page):
    assert key_page.evaluate("typeof FactUrlKey.urlKey") == "function"
    yield key_page
    assert key_page.errors == []


def python_key(url):
    try:
        return url_key(url)
    except DomainError:
        return None


def js_keys(page, urls: list) -> list:
    return page.evaluate(KEYS_JS, urls)


@pytest.mark.parametrize("case", URL_KEY_CASES, ids=[case["id"] for case in URL_KEY_CASES])
def test_shared_case(page, case):
    """What tests/test_urls.py expects, from the JavaScript, and the very key
    Python computes (or no key where Python raises DomainError)."""
    other = case.get("same_as") or case.get("differs_from")
    urls = [case["url"]] + ([other] if other else [])
    keys = js_keys(page, urls)
    assert keys == [python_key(url) for url in urls], case.get("note", case["id"])
    key = keys[0]
    if case.get("error"):
        assert key is None
        return
    assert key is not None
    if "key" in case:
        assert key == case["key"]
    elif "same_as" in case:
        assert key == keys[1]
    else:
        assert key != keys[1]
    # A key read as a URL is its own key, in JavaScript too.
    assert js_keys(page, ["https://" + key]) == [key]


def test_inputs_that_are_no_url_string_get_no_key(page):
    keys = page.evaluate("""() => [null, undefined, 42, {}, '', '   ', 'https://',
                                   'https://example.com/a b', 'https://example.com:99999/',
                                   'https://[::1/', 'https://a]b.com/', 'ftp://example.com/',
                                   'https://example.com/\\ud800'].map(FactUrlKey.urlKey)""")
    assert keys == [None] * 13


def test_surrounding_space_and_the_length_limit_as_python(page):
    base = "https://example.com/"
    at_limit = base + "é" * (MAX_URL_LENGTH - len(base))  # code points, not UTF-16 units
    astral = base + "😀" * (MAX_URL_LENGTH - len(base))
    urls = ["  https://Example.com/a/ \n", at_limit, at_limit + "a", astral, astral + "a"]
    assert js_keys(page, urls) == [python_key(url) for url in urls]
    assert js_keys(page, urls)[2] is None and js_keys(page, urls)[1] is not None


def test_query_order_is_python_code_point_order(page):
    # JavaScript's default sort compares UTF-16 units: U+FF5E sorts after
    # U+1F600's surrogates there, before it in Python.
    url = "https://example.com/s?\uff5e=1&\U0001F600=2&z=3&Z=4&%C3%A9=5"
    assert js_keys(page, [url]) == [url_key(url)]


HASHED_KEYS = sorted({case["key"] for case in URL_KEY_CASES if "key" in case}) + [
    "", "example.com", "例え.jp/記事", "😀", "news.example.com/World/Story?a=1&b=2"]


def test_key_hashes_and_prefixes_are_pythons(page):
    hashed = page.evaluate("""async (keys) => {
      const out = [];
      for (const key of keys) {
        const hash = await FactUrlKey.keyHash(key);
        out.push([hash, FactUrlKey.prefixOf(hash)]);
      }
      return out;
    }""", HASHED_KEYS)
    expected = [(hashlib.sha256(key.encode("utf-8")).hexdigest(),
                 bucket_prefix(key_hash(key))) for key in HASHED_KEYS]
    assert [tuple(pair) for pair in hashed] == expected
    assert all(len(hash) == 64 and len(prefix) == PREFIX_HEX_DIGITS for hash, prefix in hashed)
    assert page.evaluate("FactUrlKey.PREFIX_HEX_DIGITS") == PREFIX_HEX_DIGITS


def test_the_page_url_a_browser_reports_has_the_stored_urls_key(page):
    """The extension hashes location.href, which the browser has already
    normalised (punycode host, escaped path): the key is the one of the URL
    the desk imported, as typed."""
    stored = ["https://bücher.de/Café/./story/?utm_source=x&b=2&a=1#top",
              "https://例え.jp/記事/東京?q=мир"]
    hrefs = page.evaluate("(urls) => urls.map((url) => new URL(url).href)", stored)
    assert hrefs[0].startswith("https://xn--bcher-kva.de/Caf%C3%A9/story/")
    assert js_keys(page, hrefs) == [url_key(url) for url in stored]
