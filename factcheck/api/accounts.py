"""Session login for the UI, personal API tokens, user management."""

from flask import g
from flask_wtf.csrf import generate_csrf

from annotations import account_rules

from ..auth import (AccountDisabled, LoginThrottled, authenticate, check_own_password,
                    end_session, hash_password, keep_this_session, new_api_token,
                    start_session)
from ..db import get_store
from ..schemas import (LoginIn, NewTokenOut, NewTokenUserOut, PasswordChangeIn, SessionOut,
                       SignInTokenIn, TokenIn, TokenOut, TokenUserOut, UserIn, UserOut, UserPatch,
                       schema)
from . import bp
from .helpers import ApiError, actor, errors, no_content, require_role


def _session_body() -> dict:
    return {"user": g.get("user") if g.get("auth") == "session" else None,
            "csrf_token": generate_csrf()}


@bp.get("/session")
@bp.response(200, SessionOut)
@errors(401)
def get_session():
    """Who is logged in, and the CSRF token for state-changing requests."""
    return _session_body()


@bp.post("/session")
@bp.arguments(LoginIn)
@bp.response(200, SessionOut)
@errors(400, 401, 403, 413, 415, 422, 429)
def login(data):
    """Log in with a password; sets the session cookie (slowed after repeated failures)."""
    user = _password_user(data["username"], data["password"])
    start_session(user)
    g.user, g.auth = user, "session"
    return _session_body()


def _password_user(username: str, password: str) -> dict:
    """The account these credentials open, with the login page's answers
    (throttling, disabled account, one message for any wrong guess)."""
    try:
        user = authenticate(username, password)
    except LoginThrottled as throttled:
        raise _throttled(throttled, "username") from throttled
    except AccountDisabled as disabled:
        raise ApiError(403, str(disabled), "username", "account_disabled") from disabled
    if user is None:
        raise ApiError(401, "unknown username or wrong password", "password")
    return user


@bp.post("/session/token")
@bp.arguments(SignInTokenIn)
@bp.response(201, NewTokenUserOut)
@errors(400, 401, 403, 413, 415, 422, 429)
def sign_in_for_token(data):
    """Sign in for a personal API token instead of a session (the browser
    extension): the password is checked and throttled as a login, no cookie
    is set and no other session is touched; the token (shown once) and its
    account are the answer. Revoke it with DELETE /tokens/{id}."""
    user = _password_user(data["username"], data["password"])
    token, token_hash = new_api_token()
    store = get_store()
    record = store.create_token(user["id"], data["name"], token_hash)
    store.record_login(user["id"])
    return {**record, "token": token, "user": user}, 201


def _throttled(throttled: LoginThrottled, field: str) -> ApiError:
    return ApiError(429, str(throttled), field,
                    headers={"Retry-After": str(throttled.retry_after)})


@bp.post("/session/password")
@require_role("reader")
@bp.arguments(PasswordChangeIn)
@bp.response(200, UserOut)
@errors(400, 401, 403, 413, 415, 422, 429)
def change_own_password(data):
    """Change your own password, giving the current one (wrong guesses count
    as failed logins). Ends your other sessions; this one stays logged in
    with the same CSRF token. Answers with your account."""
    try:
        confirmed = check_own_password(g.user, data["current_password"])
    except LoginThrottled as throttled:
        raise _throttled(throttled, "current_password") from throttled
    if not confirmed:
        raise ApiError(422, "the current password is wrong", "current_password", "invalid")
    updated = get_store().update_user(g.user["id"], actor(),
                                      password_hash=hash_password(data["new_password"]))
    keep_this_session(updated)
    return updated


@bp.delete("/session")
@bp.response(204)
@errors(401, 403)
def logout():
    """Log out: ends every session of this user, in other browsers too."""
    end_session()
    return no_content()


@bp.get("/tokens")
@require_role("reader")
@bp.response(200, schema(TokenOut, many=True))
@errors(401, 403)
def list_tokens():
    """Your API tokens (never the secrets)."""
    return get_store().tokens_for_user(g.user["id"])


@bp.get("/tokens/current")
@require_role("reader")
@bp.response(200, TokenUserOut)
@errors(400, 401, 403)
def current_token():
    """The API token this request came with, and its account (who a
    client's token signs in as)."""
    if g.get("auth") != "token":
        raise ApiError(400, "this request came without an API token: send "
                       "'Authorization: Bearer <token>'", "Authorization")
    return {**get_store().token_by_hash(g.token_hash), "user": g.user}


@bp.post("/tokens")
@require_role("reader")
@bp.arguments(TokenIn)
@bp.response(201, NewTokenOut)
@errors(400, 401, 403, 413, 415, 422)
def create_token(data):
    """Create a personal API token; the secret is shown only in this answer."""
    token, token_hash = new_api_token()
    record = get_store().create_token(g.user["id"], data["name"], token_hash)
    return {**record, "token": token}, 201


@bp.delete("/tokens/<int:token_id>")
@require_role("reader")
@bp.response(200, TokenOut)
@errors(401, 403, 404)
def revoke_token(token_id: int):
    """Revoke one of your tokens."""
    return get_store().revoke_token(g.user["id"], token_id)


@bp.get("/users")
@require_role("editor")
@bp.response(200, schema(UserOut, many=True))
@errors(401, 403)
def list_users():
    """All accounts (editor)."""
    return get_store().list_users()


@bp.post("/users")
@require_role("editor")
@bp.arguments(UserIn)
@bp.response(201, UserOut)
@errors(400, 401, 403, 413, 415, 422)
def create_user(data):
    """Create an account (editor; admins only by an admin)."""
    account_rules.check_create(g.user, data["role"])
    user = get_store().create_user(data["username"], hash_password(data["password"]),
                                   data["role"], actor())
    return user, 201


@bp.patch("/users/<int:user_id>")
@require_role("editor")
@bp.arguments(UserPatch)
@bp.response(200, UserOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def patch_user(data, user_id: int):
    """Change a user's role or password, or disable or enable the account
    (editor). A new password, a new role or disabling ends that user's
    sessions; a disabled account's API tokens are refused until it is
    enabled again. The last active admin cannot be disabled or demoted."""
    account_rules.check_change(g.user, get_store().user(user_id), data.get("role"),
                               data.get("disabled"))
    password_hash = hash_password(data["password"]) if "password" in data else None
    updated = get_store().update_user(user_id, actor(), role=data.get("role"),
                                      password_hash=password_hash,
                                      disabled=data.get("disabled"))
    keep_this_session(updated)
    return updated


@bp.delete("/users/<int:user_id>")
@require_role("editor")
@bp.response(204)
@errors(401, 403, 404)
def delete_user(user_id: int):
    """Delete an account (editor); its claims stay."""
    account_rules.check_delete(g.user, get_store().user(user_id))
    get_store().delete_user(user_id, actor())
    return no_content()
