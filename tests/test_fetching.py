"""The fetcher (annotations/fetching.py): what it fetches, and every way it
refuses. Pages come from tests/page_server.py on 127.0.0.1, reachable only
with allow_private_hosts; with it off the same server is refused."""

import gzip
import socket

import pytest

from annotations import fetching
from annotations.fetching import FetchPolicy, FetchRefused, address_refusal, fetch_page
from annotations.models import DomainError
from tests.page_server import (page_server, secure_test_certificate,  # noqa: F401  (fixtures)
                               tls_page_server)

LOCAL = FetchPolicy(allow_private_hosts=True)
GUARDED = FetchPolicy()


def resolving_to(*addresses):
    """A getaddrinfo that answers every name with ``addresses``."""
    def resolve(host, port, type=0):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]
    return resolve


def refusal(url, policy=GUARDED, **kwargs) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        fetch_page(url, policy, **kwargs)
    return caught.value


# -- what it fetches ------------------------------------------------------------

def test_fetches_an_html_page_with_its_validators(page_server):
    url = page_server.page("/story", "news_site.html", etag='"v1"',
                           headers={"Last-Modified": "Tue, 03 Mar 2026 10:00:00 GMT"})

    page = fetch_page(url, LOCAL)

    assert "Harbour dredging plan" in page.html
    assert page.url == url and not page.unchanged
    assert page.etag == '"v1"'
    assert page.last_modified == "Tue, 03 Mar 2026 10:00:00 GMT"
    assert page.fetched_at


def test_an_unchanged_page_answers_304_to_its_etag(page_server):
    url = page_server.page("/story", "news_site.html", etag='"v1"')

    page = fetch_page(url, LOCAL, etag='"v1"', last_modified="Tue, 03 Mar 2026 10:00:00 GMT")

    assert page.unchanged and page.html is None and page.etag == '"v1"'
    path, headers = page_server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 03 Mar 2026 10:00:00 GMT"


def test_follows_redirects_and_reports_where_the_page_was(page_server):
    final = page_server.page("/final", "blog.html")
    page_server.redirect("/short", "/moved", 301)
    page_server.redirect("/moved", final, 307)

    page = fetch_page(page_server.url("/short"), LOCAL)

    assert page.url == final
    assert "chiffres du vélo" in page.html


def test_connects_to_the_checked_address_with_the_name_in_host(page_server):
    """The name is resolved once and the connection goes to that address:
    a second DNS answer (rebinding) is never asked for."""
    page_server.page("/story", "wire_story.html")
    port = page_server.httpd.server_port
    answers = []

    def resolve(host, port, type=0):
        answers.append(host)
        return resolving_to("127.0.0.1")(host, port, type)

    page = fetch_page(f"http://wire.example:{port}/story", LOCAL, resolve=resolve)

    assert "Grain corridor" in page.html
    assert answers == ["wire.example"]
    assert page_server.requests[-1][1]["Host"] == f"wire.example:{port}"


def test_decodes_the_charset_the_page_declares(page_server):
    body = "<html><body><p>Café société à Genève</p></body></html>".encode("iso-8859-1")
    url = page_server.route("/latin", body=body,
                            headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "Café société à Genève" in fetch_page(url, LOCAL).html

    meta = ('<html><head><meta charset="windows-1252"></head>'
            '<body><p>“Quoted” — text</p></body></html>').encode("cp1252")
    url = page_server.route("/meta", body=meta, headers={"Content-Type": "text/html"})
    assert "“Quoted” — text" in fetch_page(url, LOCAL).html


# -- the address guard ----------------------------------------------------------

def test_refuses_the_local_server_when_private_hosts_are_not_allowed(page_server):
    url = page_server.page("/story", "news_site.html")

    error = refusal(url)

    assert error.code == "address_refused" and error.field == "url"
    assert "loopback" in error.message
    assert page_server.requests == []


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.0.0.5", "private"), ("172.16.4.1", "private"), ("192.168.1.20", "private"),
    ("fd12:3456::1", "private"), ("::ffff:192.168.1.20", "private"),
    ("169.254.10.1", "link-local"), ("fe80::1", "link-local"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("224.0.0.251", "multicast"), ("0.0.0.0", "address"), ("100.64.0.1", "public"),
    ("240.0.0.1", "address"),
])
def test_refuses_hosts_resolving_to_non_public_addresses(address, reason):
    error = refusal("https://innocent.example/page", resolve=resolving_to(address))

    assert error.code == "address_refused"
    assert reason in error.message and "innocent.example" in error.message


def test_refuses_a_host_with_one_private_address_among_public_ones():
    error = refusal("https://mixed.example/", resolve=resolving_to("93.184.216.34", "10.1.1.1"))
    assert "10.1.1.1" in error.message and "private" in error.message


def test_metadata_addresses_are_refused_even_with_private_hosts_allowed():
    for address in ("169.254.169.254", "fd00:ec2::254"):
        error = refusal("http://metadata.example/latest/", LOCAL, resolve=resolving_to(address))
        assert "metadata" in error.message


def test_ip_literals_are_checked_too():
    assert "loopback" in refusal("http://127.0.0.1:8080/admin").message
    assert "private" in refusal("http://[fd00::1]/").message
    assert "metadata" in refusal("http://169.254.169.254/latest/meta-data/", LOCAL).message


def test_a_redirect_into_a_private_address_is_refused(page_server, monkeypatch):
    """The first hop passes as a public address would; the redirect's
    target is checked again and refused before it is requested."""
    page_server.redirect("/public", page_server.url("/internal-admin"))
    page_server.route("/internal-admin", body=b"<html><body><p>secret</p></body></html>")
    real = fetching.address_refusal
    calls = []

    def first_hop_public(address, allow_private=False):
        calls.append(address)
        return None if len(calls) == 1 else real(address, allow_private)

    monkeypatch.setattr(fetching, "address_refusal", first_hop_public)

    error = refusal(page_server.url("/public"))

    assert error.code == "address_refused" and "loopback" in error.message
    assert [path for path, _ in page_server.requests] == ["/public"]


def test_a_redirect_to_another_scheme_is_refused(page_server):
    page_server.redirect("/to-file", "file:///etc/passwd")
    error = refusal(page_server.url("/to-file"), LOCAL)
    assert error.code == "bad_redirect" and "only http and https" in error.message


def test_only_http_and_https_urls_are_fetched():
    for url in ("ftp://example.org/a", "file:///etc/passwd", "gopher://x/"):
        with pytest.raises(DomainError) as caught:
            fetch_page(url, LOCAL)
        assert caught.value.field == "url" and "http" in caught.value.message


def test_an_unknown_host_is_named():
    def unknown(host, port, type=0):
        raise socket.gaierror("Name or service not known")
    error = refusal("https://no-such-host.example/", resolve=unknown)
    assert error.code == "unknown_host" and "no-such-host.example" in error.message


def test_address_refusal_lets_public_addresses_through():
    assert address_refusal("93.184.216.34") is None
    assert address_refusal("2606:4700::6810:85e5") is None
    assert address_refusal("10.0.0.1", allow_private=True) is None


# -- bounds ----------------------------------------------------------------------

def test_at_most_max_redirects_are_followed(page_server):
    for n in range(4):
        page_server.redirect(f"/r{n}", f"/r{n + 1}")
    page_server.page("/r4", "blog.html")

    assert fetch_page(page_server.url("/r0"), FetchPolicy(True, max_redirects=4)).html
    error = refusal(page_server.url("/r0"), FetchPolicy(True, max_redirects=3))
    assert error.code == "too_many_redirects" and "more than 3" in error.message


def test_a_page_over_the_size_cap_is_refused_with_413(page_server):
    big = b"<html><body>" + b"<p>word</p>" * 200 + b"</body></html>"
    declared = page_server.route("/declared", body=big)
    undeclared = page_server.route("/undeclared", body=big, headers={"Content-Length": None})

    for url in (declared, undeclared):
        error = refusal(url, FetchPolicy(True, max_bytes=1000))
        assert (error.status, error.code) == (413, "too_large")
        assert "larger than 1000 bytes" in error.message


def test_a_compressed_page_is_capped_after_decompression(page_server):
    bomb = gzip.compress(b"<html><body><p>" + b"a" * (20 * 1024 * 1024) + b"</p></body></html>")
    url = page_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})

    error = refusal(url, FetchPolicy(True, max_bytes=1024 * 1024))

    assert len(bomb) < 100_000
    assert (error.status, error.code) == (413, "too_large")


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json",
                                          "text/plain", None])
def test_only_html_is_accepted_with_415(page_server, content_type):
    url = page_server.route("/file", body=b"%PDF-1.7 ...", headers={"Content-Type": content_type})
    error = refusal(url, LOCAL)
    assert (error.status, error.code) == (415, "not_html")
    assert (content_type or "none") in error.message


def test_xhtml_is_accepted(page_server):
    url = page_server.route("/x", body=b"<html xmlns='http://www.w3.org/1999/xhtml'><body>"
                                       b"<p>Hello</p></body></html>",
                            headers={"Content-Type": "application/xhtml+xml"})
    assert "Hello" in fetch_page(url, LOCAL).html


def test_an_error_status_is_named(page_server):
    error = refusal(page_server.url("/missing"), LOCAL)
    assert (error.status, error.code) == (422, "upstream_status")
    assert "HTTP 404" in error.message


def test_a_page_that_stops_sending_times_out(page_server):
    url = page_server.route("/slow", body=b"<html><body>" + b"x" * 5000, stall_after=100)
    error = refusal(url, FetchPolicy(True, read_timeout=0.5))
    assert error.code == "timeout"


def test_a_closed_port_is_unreachable(page_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = refusal(f"http://127.0.0.1:{port}/", LOCAL)
    assert error.code == "unreachable" and "127.0.0.1" in error.message


def test_policy_reads_the_app_settings():
    policy = FetchPolicy.from_settings({"FETCH_ALLOW_PRIVATE_HOSTS": "off",
                                        "FETCH_MAX_REDIRECTS": "2", "MAX_IMPORT_BYTES": 1000})
    assert (policy.allow_private_hosts, policy.max_redirects, policy.max_bytes) == (False, 2, 1000)
    assert FetchPolicy.from_settings({"FETCH_ALLOW_PRIVATE_HOSTS": True}).allow_private_hosts


# -- https: the checked address, the name for SNI and the certificate ------------

def test_https_connects_to_the_checked_address_and_verifies_the_name(tls_page_server):
    tls_page_server.page("/story", "blog.html")
    port = tls_page_server.httpd.server_port
    policy = FetchPolicy(allow_private_hosts=True, ca_certs=str(tls_page_server.cert))

    page = fetch_page(f"https://secure.test:{port}/story", policy,
                      resolve=resolving_to("127.0.0.1"))

    assert "chiffres du vélo" in page.html
    assert tls_page_server.requests[-1][1]["Host"] == f"secure.test:{port}"


def test_https_refuses_a_certificate_for_another_name(tls_page_server):
    tls_page_server.page("/story", "blog.html")
    port = tls_page_server.httpd.server_port
    policy = FetchPolicy(allow_private_hosts=True, ca_certs=str(tls_page_server.cert))

    error = refusal(f"https://impostor.test:{port}/story", policy,
                    resolve=resolving_to("127.0.0.1"))

    assert error.code == "tls" and "impostor.test" in error.message
    assert tls_page_server.requests == []


def test_https_refuses_an_untrusted_certificate(tls_page_server):
    tls_page_server.page("/story", "blog.html")
    port = tls_page_server.httpd.server_port

    error = refusal(f"https://secure.test:{port}/story", LOCAL, resolve=resolving_to("127.0.0.1"))

    assert error.code == "tls"
