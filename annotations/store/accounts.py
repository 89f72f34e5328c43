"""Accounts: users, their personal API tokens, and failed logins."""

from ..account_rules import checked_username
from ..models import ROLES, SYSTEM, Actor, DomainError, NotAllowed
from ..rules import check_choice
from ..text import normalize_text
from .base import StoreBase
from .database import utcnow

_TOKEN_COLUMNS = "id, name, created_at, last_used_at, revoked_at"


def _audited(user: dict) -> dict:
    """What an account's audit entry records of it: never the password hash."""
    return {"username": user["username"], "role": user["role"],
            "disabled": bool(user["disabled_at"])}


class Accounts(StoreBase):
    # -- users -------------------------------------------------------------------

    def create_user(self, username: str, password_hash: str, role: str,
                    actor: Actor = SYSTEM) -> dict:
        username = checked_username(username)
        check_choice("role", role, ROLES)
        # Checked inside the write transaction: two workers creating the same
        # name at once get one account and one clear refusal, not a 500.
        with self.transaction():
            if self.find_user(username):
                raise DomainError("username", f"user {username!r} already exists")
            user_id = self.db.table("users").insert({
                "username": username, "password_hash": password_hash,
                "role": role, "created_at": utcnow(),
            }).last_pk
            self._audit(actor, "create", "user", user_id, None,
                        {"username": username, "role": role})
        return self.user(user_id)

    def user(self, user_id: int) -> dict:
        return self._one("SELECT * FROM users WHERE id = ?", [user_id], "user", user_id)

    def find_user(self, username: str) -> dict | None:
        return self._first("SELECT * FROM users WHERE username = ?", [username])

    def first_admin(self) -> dict | None:
        return self._first("SELECT * FROM users WHERE role = 'admin' ORDER BY id LIMIT 1", [])

    def count_users(self, role: str | None = None) -> int:
        if role:
            return self.db.execute("SELECT count(*) FROM users WHERE role = ?", [role]).fetchone()[0]
        return self.db.execute("SELECT count(*) FROM users").fetchone()[0]

    def list_users(self) -> list[dict]:
        return list(self.db.query(
            "SELECT id, username, role, created_at, disabled_at, last_login_at"
            " FROM users ORDER BY username"))

    def update_user(self, user_id: int, actor: Actor, role: str | None = None,
                    password_hash: str | None = None, disabled: bool | None = None) -> dict:
        """Change a role, set a new password, disable or enable the account:
        one audit entry naming what changed (never the password or its hash).
        A disabled account keeps its row, so its claims keep their author."""
        if role is not None:
            check_choice("role", role, ROLES)
        with self.transaction():
            before = self.user(user_id)
            changes = {}
            if role is not None:
                changes["role"] = role
            if password_hash is not None:
                changes["password_hash"] = password_hash
            if disabled is not None and disabled != bool(before["disabled_at"]):
                changes["disabled_at"] = utcnow() if disabled else None
            self._keep_an_active_admin(
                before, changes.get("role", before["role"]),
                not changes.get("disabled_at", before["disabled_at"]),
                "disabled" if changes.get("disabled_at") else "role")
            if password_hash is not None or changes.get("disabled_at") \
                    or changes.get("role", before["role"]) != before["role"]:
                # A copied cookie must not outlive a password reset, sessions
                # carry no role of their own to go stale, and a disabled
                # account's sessions end for good (enabling does not revive them).
                changes["session_generation"] = before["session_generation"] + 1
            if changes:
                self.db.table("users").update(user_id, changes)
            after = self.user(user_id)
            self._audit(actor, "update", "user", user_id, _audited(before),
                        {**_audited(after), "password_changed": password_hash is not None})
        return after

    def _keep_an_active_admin(self, before: dict, role_after: str | None, active_after: bool,
                              field: str) -> None:
        """Refuse a change that would leave no active admin (someone must be
        able to manage the admins); ``field`` names the input to blame."""
        if before["role"] != "admin" or before["disabled_at"] or (
                role_after == "admin" and active_after):
            return
        others = self.db.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL"
            " AND id != ?", [before["id"]]).fetchone()[0]
        if not others:
            raise NotAllowed(field, "the last active admin must stay an active admin")

    def end_sessions(self, user_id: int) -> None:
        """Ends every session of the user: each cookie carries the old
        generation."""
        self.db.execute("UPDATE users SET session_generation = session_generation + 1"
                        " WHERE id = ?", [user_id])

    def record_login(self, user_id: int) -> None:
        self.db.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [utcnow(), user_id])

    def delete_user(self, user_id: int, actor: Actor) -> None:
        """Claims keep their content; their author fields become null."""
        with self.transaction():
            before = self.user(user_id)
            self._keep_an_active_admin(before, None, False, "user_id")
            self.db.execute("DELETE FROM users WHERE id = ?", [user_id])
            self._audit(actor, "delete", "user", user_id,
                        {"username": before["username"], "role": before["role"]}, None)

    # -- personal API tokens (only their hashes are stored) ------------------------

    def create_token(self, user_id: int, name: str, token_hash: str) -> dict:
        name = normalize_text(name or "")
        if not name or len(name) > 100:
            raise DomainError("name", "a token needs a name of 1 to 100 characters")
        token_id = self.db.table("api_tokens").insert({
            "user_id": user_id, "name": name, "token_hash": token_hash,
            "created_at": utcnow(), "last_used_at": None, "revoked_at": None,
        }).last_pk
        return self.token(user_id, token_id)

    def token(self, user_id: int, token_id: int) -> dict:
        return self._one(f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE id = ? AND user_id = ?",
                         [token_id, user_id], "token", token_id)

    def tokens_for_user(self, user_id: int) -> list[dict]:
        return list(self.db.query(
            f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
            [user_id]))

    def revoke_token(self, user_id: int, token_id: int) -> dict:
        token = self.token(user_id, token_id)
        if token["revoked_at"] is None:
            self.db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                            [utcnow(), token_id])
        return self.token(user_id, token_id)

    def token_by_hash(self, token_hash: str) -> dict | None:
        """The token record (never the secret) whose hash this is."""
        return self._first(f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?",
                           [token_hash])

    def find_user_by_token(self, token_hash: str) -> dict | None:
        """The owner of a live token, or None; notes when it was last used."""
        row = self._first(
            "SELECT users.*, api_tokens.id AS token_id, api_tokens.last_used_at"
            " FROM api_tokens JOIN users ON users.id = api_tokens.user_id"
            " WHERE token_hash = ? AND revoked_at IS NULL"
            # A disabled account's tokens are refused while it stays disabled.
            " AND users.disabled_at IS NULL", [token_hash])
        if row is None:
            return None
        now = utcnow()
        # At most one write a minute per token: a script's every request
        # should not turn a read into a write.
        if row["last_used_at"] is None or row["last_used_at"][:16] != now[:16]:
            self.db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                            [now, row["token_id"]])
        return {k: v for k, v in row.items() if k not in ("token_id", "last_used_at")}

    # -- failed logins, for throttling --------------------------------------------
    #
    # A failure with client NULL (recorded before clients were kept) counts
    # against every client.

    def start_login_attempt(self, username: str, client: str, since: str,
                            client_limit: int, username_limit: int) -> str:
        """Record this attempt as a failure, unless failures since ``since``
        already reach a limit: ``client_limit`` for this username from this
        client, ``username_limit`` for the username from all clients.

        One write transaction, so concurrent attempts are counted one after
        another and no more than the limit get through. Returns "" when the
        attempt was recorded (``finish_login_attempt`` forgets it on
        success), else the time of the failure whose leaving the window
        lifts the lock.
        """
        with self.transaction():
            # Failures older than the window count for nothing: dropping them
            # here keeps the table as small as the last window's failures.
            self.db.execute("DELETE FROM login_failures WHERE at < ?", [since])
            unlocks = max(
                self._nth_latest_failure("username = ? AND (client = ? OR client IS NULL)",
                                         [username, client], since, client_limit),
                self._nth_latest_failure("username = ?", [username], since, username_limit))
            if not unlocks:
                self.db.execute("INSERT INTO login_failures (username, client, at)"
                                " VALUES (?, ?, ?)", [username, client, utcnow()])
            return unlocks

    def _nth_latest_failure(self, where: str, params: list, since: str, n: int) -> str:
        row = self.db.execute(
            f"SELECT at FROM login_failures WHERE {where} AND at >= ?"
            " ORDER BY at DESC LIMIT 1 OFFSET ?", [*params, since, n - 1]).fetchone()
        return row[0] if row else ""

    def finish_login_attempt(self, username: str, client: str) -> None:
        """A successful login: forget this client's failures for the username
        (the attempt's own included); other clients' failures still count."""
        self.db.execute("DELETE FROM login_failures WHERE username = ? AND client = ?",
                        [username, client])
