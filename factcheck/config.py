"""Configuration: defaults, then instance/config.py, then FACTCHECK_* env vars."""

import os
import secrets
import tempfile

DEFAULTS = {
    # Uploads are capped at 5 MB of article; the rest is form overhead.
    "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
    "MAX_IMPORT_BYTES": 5 * 1024 * 1024,
    # What one import may create, and how much markup an HTML import may
    # carry (annotations/importer.py ImportLimits; README "Limits").
    "MAX_PASSAGES": 20_000,
    "MAX_PASSAGE_CHARS": 20_000,
    "MAX_HTML_TAGS": 100_000,
    "MAX_HTML_DEPTH": 256,
    # Claims on one article (annotations/store/claims.py): bounds its page.
    "MAX_CLAIMS_PER_ARTICLE": 5000,
    # The editor who publishes a claim (or approves its revision) must not be
    # its last author; a one-person desk turns this off.
    "TWO_PERSON_RULE": True,
    # Retracted claims, for readers: "show" them marked retracted with the
    # reason (highlights, review page), or "hide" them from the highlights.
    "RETRACTED_CLAIMS": "show",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "ORGANISATION_NAME": "Example Fact Desk",
    "ORGANISATION_URL": "https://factdesk.example.org",
    "PAGE_SIZE": 50,
    "WTF_CSRF_TIME_LIMIT": None,
    # Bytes of rendered readers' answers kept per worker, least recently used
    # out first (0 turns the cache off).
    "READER_CACHE_BYTES": 32 * 1024 * 1024,
    # Seconds an HTTP cache may serve a lookup bucket (api/lookup.py) without
    # asking, then serve it stale while it asks again: how long a proxy's
    # copy may lag a publish.
    "LOOKUP_MAX_AGE": 60,
    "LOOKUP_STALE_WHILE_REVALIDATE": 600,
    # Import by URL (annotations/fetching.py): pages on loopback, private and
    # link-local addresses are refused unless this is on (tests, intranets);
    # cloud metadata addresses always are.
    "FETCH_ALLOW_PRIVATE_HOSTS": False,
    "FETCH_MAX_REDIRECTS": 5,
    "FETCH_CONNECT_TIMEOUT": 5,
    "FETCH_READ_TIMEOUT": 10,
    "FETCH_TOTAL_TIMEOUT": 30,
    # Behind a reverse proxy: how many proxies' X-Forwarded-For/-Proto to
    # believe (0: none). Login throttling counts per client address, which is
    # the proxy's own unless this is set.
    "PROXY_FIX_X_FOR": 0,
}


def load_config(app, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config["DATABASE"] = os.path.join(app.instance_path, "factcheck.db")
    app.config.from_pyfile("config.py", silent=True)
    # FACTCHECK_DATABASE=/x.db, FACTCHECK_SECRET_KEY=..., values parsed as JSON when they can be.
    app.config.from_prefixed_env("FACTCHECK")
    if test_config:
        app.config.from_mapping(test_config)
    _hosts_as_list(app.config)
    _retracted_claims_setting(app.config)
    _seconds_settings(app.config, "LOOKUP_MAX_AGE", "LOOKUP_STALE_WHILE_REVALIDATE")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)


def _hosts_as_list(config) -> None:
    """TRUSTED_HOSTS: Flask refuses (400) a request whose Host is not one of
    them. FACTCHECK_TRUSTED_HOSTS may be a JSON list or "a.org,b.org"; a bare
    string would otherwise be matched character by character."""
    hosts = config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()] or None


RETRACTED_CLAIMS_CHOICES = ("show", "hide")


def _retracted_claims_setting(config) -> None:
    """RETRACTED_CLAIMS is "show" or "hide" (any case); a typo stops the
    start-up rather than silently showing retracted claims to readers."""
    value = config.get("RETRACTED_CLAIMS")
    chosen = value.strip().lower() if isinstance(value, str) else value
    if chosen not in RETRACTED_CLAIMS_CHOICES:
        raise ValueError(f"RETRACTED_CLAIMS must be \"show\" or \"hide\", not {value!r}")
    config["RETRACTED_CLAIMS"] = chosen


def _seconds_settings(config, *names: str) -> None:
    """Whole seconds, 0 or more (an env var may bring "60"); anything else
    stops the start-up with the setting's name."""
    for name in names:
        value = config.get(name)
        try:
            seconds = int(value)
        except (TypeError, ValueError):
            seconds = -1
        if isinstance(value, bool) or seconds < 0 or str(seconds) != str(value).strip():
            raise ValueError(f"{name} must be a whole number of seconds, 0 or more, not {value!r}")
        config[name] = seconds


def _instance_secret_key(instance_path: str) -> str:
    """A random key kept in instance/ so sessions survive a restart."""
    path = os.path.join(instance_path, "secret_key")
    key = _read_key(path)
    if key:
        return key
    key = secrets.token_hex(32)
    # Written whole to a private temporary file, then linked into place: when
    # two gunicorn workers race, the loser reads the complete key, never an
    # empty file still being written (which would give each worker its own).
    fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(key)
        try:
            os.link(temporary, path)
        except FileExistsError:
            existing = _read_key(path)
            if existing:
                return existing
            # An empty file left by a crash: replace it, or every start would
            # make a new key and no session would survive a restart.
            os.replace(temporary, path)
        except OSError:
            # A filesystem without hard links: move it into place instead.
            os.replace(temporary, path)
            return _read_key(path) or key
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return key


def _read_key(path: str) -> str:
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""
