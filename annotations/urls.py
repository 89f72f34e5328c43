"""Article URL validation and the normalised key used to match URLs."""

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import idna

from .models import DomainError

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only tell the publisher where a click came from.
_TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
                    "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref_src",
                    "cmpid", "ocid", "smid", "spm"}
_TRACKING_PREFIXES = ("utm_",)
MAX_URL_LENGTH = 2048


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def validate_http_url(url, field: str = "url") -> str:
    """Return the URL stripped of surrounding space, or raise DomainError."""
    if not isinstance(url, str) or not url.strip():
        raise DomainError(field, "a URL is required")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise DomainError(field, f"URL longer than {MAX_URL_LENGTH} characters")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise DomainError(field, "URL contains spaces or control characters")
    if not url.isascii() and any("\ud800" <= c <= "\udfff" for c in url):
        # A lone surrogate (JSON may carry "\ud800") has no UTF-8 form.
        raise DomainError(field, "URL contains an unpaired surrogate")
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError on a malformed port
    except ValueError:
        raise DomainError(field, "malformed URL") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise DomainError(field, "only http and https URLs are accepted")
    if not parts.hostname:
        raise DomainError(field, "URL has no host")
    return url


def url_key(url: str) -> str:
    """The key two URLs of the same article share.

    Scheme dropped (http and https are equal), host lowercased and in its
    ASCII (punycode) form, default port, fragment, trailing slash and tracking
    parameters removed, query sorted. Percent-encoding is normalised as
    RFC 3986 section 6.2.2 says: unreserved characters decoded, every other
    escape in upper case, non-ASCII characters (and the few ASCII ones a
    browser escapes) encoded as UTF-8; dot segments are removed. A reserved
    character keeps the form it has: ``%2F`` in a path is not ``/``.
    The specification by example is tests/fixtures/url_keys.json, shared
    with the extension. An invalid international host is a DomainError.
    """
    parts = urlsplit(validate_http_url(url))
    host = _ascii_host(parts.hostname, parts.netloc)
    if ":" in host:  # IPv6: keep the brackets, or the port would run into it
        host = f"[{host}]"
    port = parts.port
    if port and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        host = f"{host}:{port}"
    path = _remove_dot_segments(_normalise_escapes(parts.path)).rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(k))
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key


# RFC 3986 section 2.3: escapes of these name the character itself.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What a browser escapes in a path besides non-ASCII (the URL Standard's path
# percent-encode set; spaces and controls never pass validate_http_url, and
# "#" and "?" end the path).
_ESCAPED_IN_PATH = frozenset('"<>`{}')
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
# What may stand in a host once its escapes are decoded.
_FORBIDDEN_IN_HOST = frozenset(" #%/:<>?@[\\]^|\x7f")


def _normalise_escapes(path: str) -> str:
    """Unreserved characters decoded, other escapes in upper case, non-ASCII
    and the browser-escaped ASCII characters encoded as UTF-8. A "%" not
    followed by two hex digits is kept as it is (browsers keep it too)."""
    def escape(match):
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    path = _ESCAPE.sub(escape, path)
    if path.isascii() and not _ESCAPED_IN_PATH.intersection(path):
        return path
    return "".join(quote(c, safe="") if not c.isascii() or c in _ESCAPED_IN_PATH else c
                   for c in path)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: "/a/./b/../c" is "/a/c"."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _ascii_host(hostname: str, netloc: str) -> str:
    """The host in lower case, its international labels in punycode
    (UTS #46, non-transitional: what browsers do). An ASCII label is kept as
    it is, except that an "xn--" label must be valid punycode."""
    host = hostname.lower()
    if ":" in host:  # an IPv6 address
        return host
    if "%" in host:  # browsers decode escapes in a host, then apply IDNA
        try:
            host = unquote(host, errors="strict").lower()
        except UnicodeDecodeError:
            raise DomainError("url", "malformed host") from None
        if _FORBIDDEN_IN_HOST.intersection(host):
            raise DomainError("url", "malformed host")
    if host.isascii() and "xn--" not in host:
        return host
    try:
        if not host.isascii():
            host = idna.uts46_remap(host, std3_rules=False, transitional=False)
            # "ａ^ｂ" maps to "a^b": no browser reaches such a host (nor can
            # the extension's urlkey.js give it a key).
            if _FORBIDDEN_IN_HOST.intersection(host):
                raise ValueError("a character no host may have")
        labels = []
        for label in host.split("."):
            if label.isascii():
                if label.startswith("xn--"):
                    idna.decode(label)  # raises when it is no valid punycode
                labels.append(label)
            else:
                labels.append(idna.alabel(label).decode("ascii"))
    except (idna.IDNAError, UnicodeError, ValueError):
        raise DomainError("url", "the host is not a valid international domain name") from None
    return ".".join(labels).lower()


_LOCAL_SUFFIXES = (".localhost", ".local", ".internal")


def is_local_url(url: str) -> bool:
    """True for localhost, loopback and unspecified addresses: a page there is
    someone's own machine, never the published article."""
    import ipaddress
    import socket

    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # Browsers also read 127.1, 2130706433 and 0x7f.0.0.1 as IPv4.
        try:
            address = ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            return False
    # ::ffff:127.0.0.1 is 127.0.0.1 (Python before 3.13 does not say so).
    address = getattr(address, "ipv4_mapped", None) or address
    return address.is_loopback or address.is_unspecified or address.is_link_local
