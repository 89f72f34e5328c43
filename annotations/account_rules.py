"""Who may manage which account: the same rules for the API, the People
page and any other caller, each raising NotAllowed naming the input.

Editors manage accounts up to editor; only an admin touches admins. Nobody
changes their own role, disables or deletes their own account: an editor
locking themselves out needs another editor, which is the point.
(The store adds the rule that needs the database: the last active admin
stays an active admin.)
"""

from .models import ROLES, DomainError, NotAllowed, role_at_least
from .text import normalize_text


def checked_username(username: str) -> str:
    """A new account's username: trimmed, spaces collapsed (normalize_text),
    1 to 64 characters, all printable. Control and format characters (NUL,
    bidi overrides, zero-width joiners) would make two names look alike or a
    list line break; accounts created before this rule keep their names."""
    username = normalize_text(username or "")
    if not username or len(username) > 64:
        raise DomainError("username", "username must be 1 to 64 characters")
    # After normalize_text the only space left is U+0020, which isprintable()
    # allows; it refuses every other separator, control, format, surrogate,
    # private-use and unassigned character.
    if not username.isprintable():
        bad = next(c for c in username if not c.isprintable())
        raise DomainError("username", f"username cannot contain U+{ord(bad):04X}: use "
                                      "letters, digits, punctuation and spaces")
    return username


def may_manage(actor_role: str, target_role: str) -> bool:
    return role_at_least(actor_role, target_role) and (
        target_role != "admin" or actor_role == "admin")


def grantable_roles(actor_role: str) -> list[str]:
    """The roles ``actor_role`` may give, lowest first (the People page's choices)."""
    return [role for role in ROLES if role_at_least(actor_role, "editor")
            and may_manage(actor_role, role)]


def check_create(actor: dict, role: str) -> None:
    if not may_manage(actor["role"], role):
        raise NotAllowed("role", f"you cannot create a user with role {role}")


def check_manages(actor: dict, target: dict) -> None:
    if not may_manage(actor["role"], target["role"]):
        raise NotAllowed("role", "you cannot change this account")


def check_change(actor: dict, target: dict, role: str | None = None,
                 disabled: bool | None = None) -> None:
    """``actor`` may give ``target`` this role and this disabled state."""
    check_manages(actor, target)
    if role is not None and not may_manage(actor["role"], role):
        raise NotAllowed("role", f"you cannot grant the role {role}")
    if target["id"] == actor["id"]:
        if role is not None and role != target["role"]:
            raise NotAllowed("role", "you cannot change your own role")
        if disabled:
            raise NotAllowed("disabled", "you cannot disable your own account")


def check_delete(actor: dict, target: dict) -> None:
    check_manages(actor, target)
    if target["id"] == actor["id"]:
        raise NotAllowed("user_id", "you cannot delete your own account")
