"""Session login for the UI: who is logged in, and the login/logout pages."""

import datetime
import functools
import hashlib
import secrets
from urllib.parse import urlsplit

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template,
                   request, session, url_for)
from werkzeug.exceptions import SecurityError
from werkzeug.security import check_password_hash, generate_password_hash

from annotations.models import NotFound, role_at_least
from annotations.store import Actor
from annotations.text import normalize_text

from .db import get_store
from .errors import json_error, wants_json

bp = Blueprint("auth", __name__)

# A fixed hash to check against when the username is unknown, so a login
# attempt takes as long whether or not the user exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


# Login throttling (see README "Security"): failures are counted per
# username and client address. After LOGIN_FAILURE_LIMIT failures for a
# username from one client within the window, that client is refused for
# the username until the oldest of them leaves the window; other clients
# still may log in, until LOGIN_FAILURE_USERNAME_LIMIT failures from all
# clients together lock the username everywhere (guessing spread over many
# addresses). The client is request.remote_addr: behind a reverse proxy the
# operator must apply werkzeug's ProxyFix, or every client is the proxy.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_USERNAME_LIMIT = 50
LOGIN_FAILURE_WINDOW = datetime.timedelta(minutes=15)
TOKEN_PREFIX = "fct_"


# werkzeug's default (scrypt). The test suite swaps in a cheap method so that
# hundreds of test accounts do not cost minutes; check_password_hash reads
# the method from each stored hash, so both kinds verify.
PASSWORD_METHOD = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def new_api_token() -> tuple[str, str]:
    """A random token to show once, and the hash we keep of it.

    Tokens carry 256 bits of randomness, so a fast hash is enough: there is
    nothing to guess that a slow password hash would protect."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_api_token(token)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_password() -> str:
    """A password an editor hands over once (a reset): 16 characters, 96 bits."""
    return secrets.token_urlsafe(12)


class LoginThrottled(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


class AccountDisabled(Exception):
    """The password was right but an editor disabled the account. Said only
    to someone who knows the password: to anyone else a disabled account
    looks like any other failed login, so probing names reveals nothing."""

    def __init__(self):
        super().__init__("this account is disabled; ask an editor to enable it")


def authenticate(username: str, password: str) -> dict | None:
    """The user for these credentials, None when wrong.

    Raises LoginThrottled after too many recent failures (see above). The
    attempt is counted before the password is checked, in one transaction
    with the count, so concurrent guesses cannot all pass a count that none
    of them has added to yet; a right password then takes it back."""
    store = get_store()
    # The same normalisation as when the account was created.
    username = normalize_text(username or "")
    client = request.remote_addr or ""
    now = datetime.datetime.now(datetime.timezone.utc)
    since = (now - LOGIN_FAILURE_WINDOW).isoformat(timespec="microseconds")
    unlocks = store.start_login_attempt(
        username, client, since, LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_USERNAME_LIMIT)
    if unlocks:
        oldest = datetime.datetime.fromisoformat(unlocks)
        retry_after = int((oldest + LOGIN_FAILURE_WINDOW - now).total_seconds()) + 1
        raise LoginThrottled(max(retry_after, 1))
    user = store.find_user(username) if username else None
    valid = check_password_hash(user["password_hash"] if user else _DUMMY_HASH, password)
    if not (valid and user):
        return None  # the attempt stays recorded as a failure
    if user["disabled_at"]:
        raise AccountDisabled()  # and the attempt stays a failure: no free guesses
    store.finish_login_attempt(username, client)
    return user


def check_own_password(user: dict, password: str) -> bool:
    """Whether ``password`` is the logged-in ``user``'s, counted and throttled
    as a login for their username (raises LoginThrottled): a borrowed
    session cannot guess the password faster than the login page could."""
    confirmed = authenticate(user["username"], password)
    return confirmed is not None and confirmed["id"] == user["id"]


def current_actor() -> Actor | None:
    user = g.get("user")
    return Actor(user["id"], user["username"]) if user else None


def has_role(user, role: str) -> bool:
    """The user (None when logged out) holds ``role`` or a higher one."""
    return bool(user) and role_at_least(user["role"], role)


def sees_drafts(user) -> bool:
    """Readers, logged in or not, see published claims only."""
    return has_role(user, "factchecker")


def role_required(role: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.path))
            if not has_role(g.user, role):
                abort(403, f"this needs the {role} role")
            return view(**kwargs)
        return wrapped
    return decorator


@bp.before_app_request
def load_logged_in_user():
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "public", False):
        # Public views read no session: no per-user answer, no Vary: Cookie.
        g.user = None
        return
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    try:
        user = get_store().user(user_id)
    except NotFound:
        user = None  # the account was deleted (ids are never reused)
    if user is None or session.get("session_generation") != user["session_generation"] \
            or user["disabled_at"]:
        # Logged out elsewhere, password or role changed, account disabled,
        # or a cookie from before generations existed: this cookie logs in
        # nobody any more.
        session.clear()
        return
    g.user = user


@bp.app_errorhandler(SecurityError)
def untrusted_host(error):
    """A Host outside TRUSTED_HOSTS (Flask refuses it before routing). No
    URL can be built for it, so the HTML error page cannot be rendered:
    the API answers in its error shape, pages in plain text."""
    if wants_json():
        return json_error(400, error.description, field="Host")
    return Response(error.description, 400, mimetype="text/plain")


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an absolute URL here would be an open redirect.
    # Browsers read "\\" as "/" and drop tabs and newlines, so "/\\evil.com"
    # and "/\t/evil.com" are "//evil.com" to them.
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target and not any(ord(c) < 32 for c in target) \
            and not urlsplit(target).netloc:
        return target
    return url_for("ui.index")


@bp.route("/login", methods=("GET", "POST"))
def login():
    error, status = None, 200
    if request.method == "POST":
        try:
            user = authenticate(request.form.get("username", ""), request.form.get("password", ""))
        except LoginThrottled as throttled:
            error, status = f"Too many failed logins. Try again in {throttled.retry_after} seconds.", 429
        except AccountDisabled:
            error, status = "This account is disabled. Ask an editor to enable it.", 403
        else:
            if user is None:
                error, status = "Unknown username or wrong password.", 401
            else:
                start_session(user)
                return redirect(_safe_next(request.args.get("next")))
    # A failed attempt keeps the username typed, so only the password is retyped.
    return render_template("login.html", error=error,
                           username=request.form.get("username", "")), status


def start_session(user: dict) -> None:
    # A fresh session on login: no fixation of a session set up beforehand.
    # The generation ties the cookie to the user's sessions still valid.
    session.clear()
    session["user_id"] = user["id"]
    session["session_generation"] = user["session_generation"]
    get_store().record_login(user["id"])


def keep_this_session(updated: dict) -> None:
    """After the caller changed their own account (a new password): their
    other sessions end, this one (and its CSRF token) stays. A token
    caller has no session here to keep."""
    if updated["id"] == g.user["id"] and g.get("auth") != "token":
        session["session_generation"] = updated["session_generation"]


def end_session() -> None:
    """Log out: this cookie and every other session of the same user (a
    copied cookie, another browser) stop working."""
    user = g.get("user")
    if user is not None and g.get("auth") != "token":
        get_store().end_sessions(user["id"])
    session.clear()


@bp.route("/logout", methods=("POST",))
def logout():
    end_session()
    flash("You are logged out.")
    return redirect(url_for("ui.index"))
