"""Session login for the UI, personal API tokens, user management."""

from flask import g, session
from flask_wtf.csrf import generate_csrf

from annotations.models import role_at_least

from ..auth import (LoginThrottled, authenticate, end_session, hash_password, new_api_token,
                    start_session)
from ..db import get_store
from ..schemas import (LoginIn, NewTokenOut, SessionOut, TokenIn, TokenOut, UserIn, UserOut,
                       UserPatch, schema)
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
    try:
        user = authenticate(data["username"], data["password"])
    except LoginThrottled as throttled:
        raise ApiError(429, str(throttled), "username",
                       headers={"Retry-After": str(throttled.retry_after)}) from throttled
    if user is None:
        raise ApiError(401, "unknown username or wrong password", "password")
    start_session(user)
    g.user, g.auth = user, "session"
    return _session_body()


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


def _may_manage(target_role: str) -> bool:
    """Editors manage accounts up to editor; only an admin touches admins."""
    return role_at_least(g.user["role"], target_role) and (
        target_role != "admin" or g.user["role"] == "admin")


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
    if not _may_manage(data["role"]):
        raise ApiError(403, f"you cannot create a user with role {data['role']}", "role")
    user = get_store().create_user(data["username"], hash_password(data["password"]),
                                   data["role"], actor())
    return user, 201


def _managed_user(user_id: int) -> dict:
    user = get_store().user(user_id)
    if not _may_manage(user["role"]):
        raise ApiError(403, "you cannot change this account", "role")
    return user


@bp.patch("/users/<int:user_id>")
@require_role("editor")
@bp.arguments(UserPatch)
@bp.response(200, UserOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def patch_user(data, user_id: int):
    """Change a user's role or password (editor); ends that user's sessions."""
    user = _managed_user(user_id)
    if "role" in data and not _may_manage(data["role"]):
        raise ApiError(403, f"you cannot grant the role {data['role']}", "role")
    if user["id"] == g.user["id"] and data.get("role", user["role"]) != user["role"]:
        raise ApiError(403, "you cannot change your own role", "role")
    password_hash = hash_password(data["password"]) if "password" in data else None
    updated = get_store().update_user(user_id, actor(), role=data.get("role"),
                                      password_hash=password_hash)
    if user_id == g.user["id"] and g.auth == "session":
        # A new password ends the user's other sessions, not this one (which
        # keeps its CSRF token).
        session["session_generation"] = updated["session_generation"]
    return updated


@bp.delete("/users/<int:user_id>")
@require_role("editor")
@bp.response(204)
@errors(401, 403, 404)
def delete_user(user_id: int):
    """Delete an account (editor); its claims stay."""
    _managed_user(user_id)
    if user_id == g.user["id"]:
        raise ApiError(403, "you cannot delete your own account", "user_id")
    get_store().delete_user(user_id, actor())
    return no_content()
