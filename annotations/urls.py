"""Article URL validation and the normalised key used to match URLs."""

from urllib.parse import parse_qsl, urlencode, urlsplit

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

    Scheme dropped (http and https are equal), host lowercased, default port,
    fragment, trailing slash and tracking parameters removed, query sorted.
    """
    parts = urlsplit(validate_http_url(url))
    host = parts.hostname.lower()
    if ":" in host:  # IPv6: keep the brackets, or the port would run into it
        host = f"[{host}]"
    port = parts.port
    if port and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(k))
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key


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
