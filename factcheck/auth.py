"""Session login for the UI: who is logged in, and the login/logout pages."""

import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from annotations.store import Actor

from .db import get_store

bp = Blueprint("auth", __name__)

# A fixed hash to check against when the username is unknown, so a login
# attempt takes as long whether or not the user exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password")
ROLE_RANK = {"reader": 0, "factchecker": 1, "editor": 2, "admin": 3}


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def current_actor() -> Actor | None:
    user = g.get("user")
    return Actor(user["id"], user["username"]) if user else None


def has_role(user, role: str) -> bool:
    return bool(user) and ROLE_RANK[user["role"]] >= ROLE_RANK[role]


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
    user_id = session.get("user_id")
    g.user = get_store().user(user_id) if user_id is not None else None


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an absolute URL here would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("ui.index")


@bp.route("/login", methods=("GET", "POST"))
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        user = get_store().user_by_username(username) if username else None
        if not check_password_hash(user["password_hash"] if user else _DUMMY_HASH, password) \
                or user is None:
            error = "Unknown username or wrong password."
        else:
            session.clear()
            session["user_id"] = user["id"]
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), (401 if error else 200)


@bp.route("/logout", methods=("POST",))
def logout():
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("ui.index"))
