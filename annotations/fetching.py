"""Fetching an article's page by URL, safely.

The service fetches URLs its users type, from inside the network it runs in,
so a URL must not reach what only that network can: the host's own services
(loopback), the private network, link-local addresses and the cloud metadata
endpoints (169.254.169.254, fd00:ec2::254). Each hop's host is resolved here,
every address it resolves to is checked, and the connection goes to the
checked address, with the name kept for the Host header, SNI and the
certificate check: a DNS answer that changes between the check and the
connection (DNS rebinding) cannot move the request elsewhere. Redirects are
followed by hand, each checked like the first URL.

Bounded on every side: at most ``max_redirects`` hops, connect and read
timeouts and a deadline for the whole fetch, at most ``max_bytes`` of
(decompressed) body, and only HTML (text/html, application/xhtml+xml).
A refusal is a FetchRefused naming the reason, for a 4xx answer.
"""

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import idna
import urllib3

from .importer import MAX_IMPORT_BYTES
from .models import DomainError
from .store.database import utcnow
from .urls import validate_http_url

# Always refused, the private-host setting notwithstanding: cloud metadata.
METADATA_ADDRESSES = frozenset(map(ipaddress.ip_address, ("169.254.169.254", "fd00:ec2::254")))
_REDIRECTS = (301, 302, 303, 307, 308)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHUNK = 64 * 1024


class FetchRefused(DomainError):
    """The page was not fetched; ``status`` is the HTTP status to answer
    with, ``code`` a word for the reason."""

    def __init__(self, message: str, code: str, status: int = 422):
        super().__init__("url", message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do; the app's FETCH_* settings override the defaults."""
    allow_private_hosts: bool = False
    max_redirects: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = MAX_IMPORT_BYTES
    user_agent: str = "factcheck-importer/0.1 (fact-checking annotation service)"
    # A CA bundle to trust instead of the system's (an intranet's own CA).
    ca_certs: str | None = None

    @classmethod
    def from_settings(cls, settings) -> "FetchPolicy":
        return cls(**{name: _setting(settings[setting], kind)
                      for name, (setting, kind) in _SETTINGS.items()
                      if settings.get(setting) is not None})


_SETTINGS = {"allow_private_hosts": ("FETCH_ALLOW_PRIVATE_HOSTS", bool),
             "max_redirects": ("FETCH_MAX_REDIRECTS", int),
             "connect_timeout": ("FETCH_CONNECT_TIMEOUT", float),
             "read_timeout": ("FETCH_READ_TIMEOUT", float),
             "total_timeout": ("FETCH_TOTAL_TIMEOUT", float),
             "max_bytes": ("MAX_IMPORT_BYTES", int),
             "ca_certs": ("FETCH_CA_CERTS", str)}


def _setting(value, kind):
    # An environment variable may bring "off" or "False" as text.
    if kind is bool and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return kind(value)


@dataclass(frozen=True)
class FetchedPage:
    url: str             # where the page was found, after redirects
    html: str | None     # None when unchanged (HTTP 304)
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def unchanged(self) -> bool:
        return self.html is None

    def record(self) -> dict:
        """What the store keeps of this fetch (store.articles.FETCH_FIELDS)."""
        return {"fetched_at": self.fetched_at, "http_etag": self.etag,
                "http_last_modified": self.last_modified}


def fetch_page(url: str, policy: FetchPolicy = FetchPolicy(), etag: str | None = None,
               last_modified: str | None = None, resolve=socket.getaddrinfo) -> FetchedPage:
    """GET the HTML page at ``url``, following redirects; with ``etag`` or
    ``last_modified`` from an earlier fetch, a conditional GET that answers
    an unchanged page without its body. ``resolve`` is getaddrinfo's shape."""
    url = validate_http_url(url)
    deadline = time.monotonic() + policy.total_timeout
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    for _ in range(policy.max_redirects + 1):
        if time.monotonic() > deadline:
            raise FetchRefused(f"the page took longer than {policy.total_timeout:g} s "
                               f"to fetch", "timeout")
        pool, response = _request(url, policy, conditional, resolve)
        try:
            if response.status in _REDIRECTS and response.headers.get("Location"):
                url = _redirect_target(url, response.headers["Location"])
                continue
            if response.status == 304 and conditional:
                return FetchedPage(url, None, utcnow(), response.headers.get("ETag") or etag,
                                   response.headers.get("Last-Modified") or last_modified)
            if not 200 <= response.status < 300:
                raise FetchRefused(f"the page answered HTTP {response.status}",
                                   "upstream_status")
            content_type = response.headers.get("Content-Type", "")
            if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
                raise FetchRefused(f"the URL is not an HTML page (Content-Type: "
                                   f"{content_type or 'none'})", "not_html", 415)
            body = _read_body(response, policy, deadline)
            return FetchedPage(url, _decode(body, content_type), utcnow(),
                               response.headers.get("ETag"), response.headers.get("Last-Modified"))
        finally:
            # One pool per hop (each to its checked address): closed with it.
            response.release_conn()
            pool.close()
    raise FetchRefused(f"the page redirects more than {policy.max_redirects} times",
                       "too_many_redirects")


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    try:
        return validate_http_url(target)
    except DomainError as error:
        raise FetchRefused(f"the page redirects to {target[:200]!r}: {error.message}",
                           "bad_redirect") from None


def _request(url: str, policy: FetchPolicy, conditional: dict, resolve):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    host = _ascii_host(parts.hostname)
    address = _checked_address(host, port, policy, resolve)
    default_port = port == (443 if scheme == "https" else 80)
    host_header = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    timeout = urllib3.Timeout(connect=policy.connect_timeout, read=policy.read_timeout)
    if scheme == "https":
        # Connect to the checked address; check the certificate against the name.
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False,
                                          maxsize=1)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": host_header, "User-Agent": policy.user_agent,
               "Accept": "text/html,application/xhtml+xml;q=0.9",
               "Accept-Encoding": "gzip, deflate", **conditional}
    try:
        return pool, pool.urlopen("GET", path, headers=headers, redirect=False, retries=False,
                                  preload_content=False, assert_same_host=False)
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise _connection_refusal(host, error) from None


def _connection_refusal(host: str, error: Exception) -> FetchRefused:
    # NewConnectionError first: urllib3 files a refused connection under
    # TimeoutError too.
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return FetchRefused(f"could not connect to {host} ({_reason(error)})", "unreachable")
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return FetchRefused(f"{host} did not answer in time", "timeout")
    if isinstance(error, urllib3.exceptions.SSLError):
        return FetchRefused(f"{host}'s TLS certificate was refused ({_reason(error)})", "tls")
    return FetchRefused(f"could not connect to {host} ({_reason(error)})", "unreachable")


def _reason(error: Exception) -> str:
    return str(getattr(error, "reason", None) or error)[:200]


def _ascii_host(hostname: str) -> str:
    try:
        ipaddress.ip_address(hostname)
        return hostname
    except ValueError:
        pass
    try:
        return idna.encode(hostname, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise FetchRefused(f"{hostname!r} is not a valid host name", "bad_host") from None


def _checked_address(host: str, port: int, policy: FetchPolicy, resolve) -> str:
    """The address to connect to: the first the host resolves to, once every
    one of them has passed the check (a name with one private address among
    public ones is refused, whichever a client would pick)."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchRefused(f"the host {host} was not found", "unknown_host") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchRefused(f"the host {host} was not found", "unknown_host")
    for address in addresses:
        refusal = address_refusal(address, policy.allow_private_hosts)
        if refusal:
            shown = host if host == address else f"{host} ({address})"
            raise FetchRefused(f"refused to fetch from {shown}: {refusal}", "address_refused")
    return addresses[0]


def address_refusal(address: str, allow_private: bool = False) -> str | None:
    """Why a fetch may not connect to ``address``, or None when it may."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    # The narrower names first: a link-local address is also "private".
    for name in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(ip, f"is_{name}"):
            return f"a {name.replace('_', '-')} address"
    if not ip.is_global:
        return "not a public address"
    return None


def _read_body(response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchRefused(f"the page is larger than {_size(policy.max_bytes)}", "too_large", 413)
    chunks, total = [], 0
    try:
        while True:
            # Decompressed: a small gzip body cannot unpack past the cap.
            chunk = response.read(_CHUNK, decode_content=True)
            if not chunk:
                break
            total += len(chunk)
            if total > policy.max_bytes:
                raise FetchRefused(f"the page is larger than {_size(policy.max_bytes)}",
                                   "too_large", 413)
            if time.monotonic() > deadline:
                raise FetchRefused(f"the page took longer than {policy.total_timeout:g} s "
                                   f"to download", "timeout")
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise FetchRefused("the page stopped sending before it was complete", "timeout") from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"the page could not be read ({_reason(error)})",
                           "unreachable") from None
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"


def _decode(body: bytes, content_type: str) -> str:
    """The page's text: the charset its header or a <meta> names, else UTF-8
    when it decodes, else Windows-1252 (what browsers assume)."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    declared = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type, re.I)
    meta = _META_CHARSET.search(body[:4096])
    for name in (declared and declared.group(1),
                 meta and meta.group(1).decode("ascii", "replace")):
        if name:
            try:
                return body.decode(codecs.lookup(name).name, "replace")
            except LookupError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", "replace")
