"""m0019 on a database with accounts: every account stays active (it can
log in, its tokens work), with no last login recorded; disabling one then
works on the migrated database."""

import migrations
from annotations.store import SYSTEM, Store, open_database


def test_existing_accounts_stay_active(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0019_user_disabling")
    with db.conn:
        db.execute("INSERT INTO users (id, username, password_hash, role, created_at)"
                   " VALUES (7, 'kim', 'h', 'editor', '2025-01-01T00:00:00+00:00')")
        db.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                   " VALUES (7, 'cron', 'th', '2025-01-02T00:00:00+00:00')")

    migrations.apply(db)

    store = Store(db)
    kim = store.user(7)
    assert (kim["username"], kim["disabled_at"], kim["last_login_at"]) == ("kim", None, None)
    assert store.find_user_by_token("th")["username"] == "kim"
    assert store.update_user(7, SYSTEM, disabled=True)["disabled_at"]
    assert store.find_user_by_token("th") is None
