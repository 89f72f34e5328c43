"""Session login for the UI, personal API tokens, user management."""

from flask import g, session
from flask_wtf.csrf import generate_csrf

from annotations.models import NotFound

from ..auth import ROLE_RANK, LoginThrottled, authenticate, hash_password, new_api_token, \
    start_session
from ..db import get_store
from ..errors import json_error
from ..schemas import (LoginIn, schema, NewTokenOut, SessionOut, TokenIn, TokenOut, UserIn, UserOut,
                       UserPatch)
from . import bp
from .helpers import ApiError, actor, json_body, require_role


def _session_body():
    return schema(SessionOut).dump({"user": g.get("user") if g.get("auth") == "session" else None,
                              "csrf_token": generate_csrf()})


@bp.get("/session")
def get_session():
    """Who is logged in, and the CSRF token for state-changing requests.
    ---
    get:
      summary: Current session and CSRF token
      responses:
        200:
          content:
            application/json:
              schema: SessionOut
    """
    return _session_body()


@bp.post("/session")
def login():
    """Log in with a password; sets the session cookie.
    ---
    post:
      summary: Log in (slowed after repeated failures)
      requestBody:
        content:
          application/json:
            schema: LoginIn
      responses:
        200:
          content:
            application/json:
              schema: SessionOut
        401:
          content:
            application/json:
              schema: ErrorOut
        429:
          content:
            application/json:
              schema: ErrorOut
    """
    data = json_body(schema(LoginIn))
    try:
        user = authenticate(data["username"], data["password"])
    except LoginThrottled as throttled:
        response = json_error(429, str(throttled), field="username")
        response.headers["Retry-After"] = str(throttled.retry_after)
        return response
    if user is None:
        return json_error(401, "unknown username or wrong password", field="password")
    start_session(user)
    g.user, g.auth = user, "session"
    return _session_body()


@bp.delete("/session")
def logout():
    """Log out.
    ---
    delete:
      summary: Log out
      responses:
        204:
          description: logged out
    """
    session.clear()
    return "", 204


@bp.get("/tokens")
@require_role("reader")
def list_tokens():
    """Your API tokens (never the secrets).
    ---
    get:
      summary: List your API tokens
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: TokenOut
    """
    return schema(TokenOut, many=True).dump(get_store().tokens_for_user(g.user["id"]))


@bp.post("/tokens")
@require_role("reader")
def create_token():
    """Create a personal API token; the secret is shown only in this answer.
    ---
    post:
      summary: Create an API token
      requestBody:
        content:
          application/json:
            schema: TokenIn
      responses:
        201:
          content:
            application/json:
              schema: NewTokenOut
    """
    data = json_body(schema(TokenIn))
    token, token_hash = new_api_token()
    record = get_store().create_token(g.user["id"], data["name"], token_hash)
    return schema(NewTokenOut).dump({**record, "token": token}), 201


@bp.delete("/tokens/<int:token_id>")
@require_role("reader")
def revoke_token(token_id: int):
    """Revoke one of your tokens.
    ---
    delete:
      summary: Revoke an API token
      parameters:
      - {in: path, name: token_id, schema: {type: integer}, required: true}
      responses:
        200:
          content:
            application/json:
              schema: TokenOut
        404:
          content:
            application/json:
              schema: ErrorOut
    """
    return schema(TokenOut).dump(get_store().revoke_token(g.user["id"], token_id))


def _may_manage(target_role: str) -> bool:
    """Editors manage accounts up to editor; only an admin touches admins."""
    return ROLE_RANK[g.user["role"]] >= ROLE_RANK[target_role] and (
        target_role != "admin" or g.user["role"] == "admin")


@bp.get("/users")
@require_role("editor")
def list_users():
    """All accounts.
    ---
    get:
      summary: List users (editor)
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: UserOut
    """
    return schema(UserOut, many=True).dump(get_store().list_users())


@bp.post("/users")
@require_role("editor")
def create_user():
    """Create an account.
    ---
    post:
      summary: Create a user (editor; admins only by an admin)
      requestBody:
        content:
          application/json:
            schema: UserIn
      responses:
        201:
          content:
            application/json:
              schema: UserOut
    """
    data = json_body(schema(UserIn))
    if not _may_manage(data["role"]):
        return json_error(403, f"you cannot create a user with role {data['role']}",
                          field="role")
    user = get_store().create_user(data["username"], hash_password(data["password"]),
                                   data["role"], actor())
    return schema(UserOut).dump(user), 201


def _managed_user(user_id: int) -> dict:
    user = get_store().user(user_id)
    if user is None:
        raise NotFound("user", user_id)
    if not _may_manage(user["role"]):
        raise ApiError(403, "you cannot change this account", "role")
    return user


@bp.patch("/users/<int:user_id>")
@require_role("editor")
def patch_user(user_id: int):
    """Change a user's role or password.
    ---
    patch:
      summary: Edit a user (editor)
      parameters:
      - {in: path, name: user_id, schema: {type: integer}, required: true}
      requestBody:
        content:
          application/json:
            schema: UserPatch
      responses:
        200:
          content:
            application/json:
              schema: UserOut
    """
    data = json_body(schema(UserPatch))
    user = _managed_user(user_id)
    if "role" in data and not _may_manage(data["role"]):
        return json_error(403, f"you cannot grant the role {data['role']}", field="role")
    if user["id"] == g.user["id"] and data.get("role", user["role"]) != user["role"]:
        return json_error(403, "you cannot change your own role", field="role")
    password_hash = hash_password(data["password"]) if "password" in data else None
    updated = get_store().update_user(user_id, actor(), role=data.get("role"),
                                      password_hash=password_hash)
    return schema(UserOut).dump(updated)


@bp.delete("/users/<int:user_id>")
@require_role("editor")
def delete_user(user_id: int):
    """Delete an account; its claims stay.
    ---
    delete:
      summary: Delete a user (editor)
      parameters:
      - {in: path, name: user_id, schema: {type: integer}, required: true}
      responses:
        204:
          description: deleted
    """
    _managed_user(user_id)
    if user_id == g.user["id"]:
        return json_error(403, "you cannot delete your own account", field="user_id")
    get_store().delete_user(user_id, actor())
    return "", 204
