"""The People page (editors manage accounts) and Your account (everyone
changes their own password): plain server-rendered forms, each with its
CSRF token, registered on the UI blueprint.

The rules are annotations.account_rules' and the store's, as for the API:
editors manage accounts up to editor, only an admin touches admins, nobody
changes their own role or disables themselves, the last active admin stays.
A new or reset password is generated here and shown once, in the answer to
the editor's request only: never stored in a cookie (flash messages are),
never logged or audited, and the editor never has to invent one.
"""

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from annotations import account_rules
from annotations.models import DomainError, NotAllowed

from .auth import (LoginThrottled, check_own_password, current_actor, generate_password,
                   hash_password, keep_this_session, role_required)
from .db import get_store
from .forms import NewUserForm, OwnPasswordForm, RoleForm
from .ui import _first_error, bp


def _people_page(status: int = 200, error: str | None = None, handed_over: dict | None = None):
    """The People page; ``handed_over`` = {"username", "password", "reason"}
    for a password to show this once."""
    body = render_template(
        "people.html", people=get_store().list_users(), error=error, handed_over=handed_over,
        grantable=account_rules.grantable_roles(g.user["role"]),
        may_manage=account_rules.may_manage)
    # A page showing a password is kept by no cache, the browser's included.
    return body, status, {"Cache-Control": "no-store"} if handed_over else {}


def _refusal(exc: Exception) -> tuple[int, str]:
    """The status and message for a change the rules or the input refuse."""
    if isinstance(exc, ValidationError):
        field, message = _first_error(exc)
        return 422, f"{field.replace('_', ' ').capitalize()}: {message}"
    message = exc.message[0].upper() + exc.message[1:]
    return (403 if isinstance(exc, NotAllowed) else 422), f"{message}."


@bp.route("/users", methods=("GET", "POST"))
@role_required("editor")
def people():
    if request.method == "GET":
        return _people_page()
    try:
        data = NewUserForm().load(request.form.to_dict())
        account_rules.check_create(g.user, data["role"])
        password = generate_password()
        user = get_store().create_user(data["username"], hash_password(password), data["role"],
                                       current_actor())
    except (ValidationError, DomainError, NotAllowed) as exc:
        return _people_page(*_refusal(exc))
    return _people_page(201, handed_over={
        "username": user["username"], "password": password,
        "reason": f"Account {user['username']} created as {user['role']}."})


def _change(user_id: int, message: str, password: str | None = None, **change):
    """Apply one change to an account for the People page: flash and
    redirect, or the page again with the refusal."""
    store = get_store()
    target = store.user(user_id)
    try:
        account_rules.check_change(g.user, target, change.get("role"), change.get("disabled"))
        updated = store.update_user(
            user_id, current_actor(),
            password_hash=hash_password(password) if password else None, **change)
    except (DomainError, NotAllowed) as exc:
        return _people_page(*_refusal(exc))
    keep_this_session(updated)
    message = message.format(username=updated["username"], role=updated["role"])
    if password:
        return _people_page(handed_over={"username": updated["username"],
                                         "password": password, "reason": message})
    flash(message)
    return redirect(url_for("ui.people"))


@bp.route("/users/<int:user_id>/role", methods=("POST",))
@role_required("editor")
def change_role(user_id: int):
    try:
        role = RoleForm().load(request.form.to_dict())["role"]
    except ValidationError as exc:
        return _people_page(*_refusal(exc))
    return _change(user_id, "{username} is now {role}.", role=role)


@bp.route("/users/<int:user_id>/disable", methods=("POST",))
@role_required("editor")
def disable_user(user_id: int):
    return _change(user_id, "{username} is disabled: logged out everywhere, and cannot log in "
                            "or use API tokens until enabled.", disabled=True)


@bp.route("/users/<int:user_id>/enable", methods=("POST",))
@role_required("editor")
def enable_user(user_id: int):
    return _change(user_id, "{username} is enabled and can log in again.", disabled=False)


@bp.route("/users/<int:user_id>/password", methods=("POST",))
@role_required("editor")
def reset_password(user_id: int):
    return _change(user_id, "New password for {username}; their sessions are logged out.",
                   password=generate_password())


@bp.route("/account", methods=("GET", "POST"))
@role_required("reader")
def account():
    """Your account: change your own password, giving the current one."""
    if request.method == "GET":
        return render_template("account.html", error=None)
    try:
        data = OwnPasswordForm().load(request.form.to_dict())
        if not check_own_password(g.user, data["current_password"]):
            raise ValidationError({"current_password": ["The current password is wrong."]})
    except ValidationError as exc:
        return render_template("account.html", error=_first_error(exc)), 422
    except LoginThrottled as throttled:
        return render_template("account.html", error=(
            "current_password", f"Too many wrong passwords. Try again in "
                                f"{throttled.retry_after} seconds.")), 429
    updated = get_store().update_user(g.user["id"], current_actor(),
                                      password_hash=hash_password(data["new_password"]))
    keep_this_session(updated)
    flash("Your password is changed. Your other sessions are logged out; this one stays.")
    return redirect(url_for("ui.account"))
