"""Disabled accounts and the time of each user's last login (issue 15).

- ``users.disabled_at``: when an editor disabled the account, NULL while it
  is active. A disabled account keeps its row (claims keep their author) but
  cannot log in, and its sessions and API tokens are refused.
- ``users.last_login_at``: the last successful password login, NULL for
  accounts that have not logged in since this migration; shown on the
  People page so that editors see which accounts are unused.
"""

from . import migrations


@migrations()
def m0019_user_disabling(db):
    db.execute("ALTER TABLE users ADD COLUMN disabled_at TEXT")
    db.execute("ALTER TABLE users ADD COLUMN last_login_at TEXT")
