"""Full-text search over passages and titles; a table of failed logins.

Failed logins live in the database, not in process memory, so the limit
holds across gunicorn workers and restarts.
"""

from . import migrations


@migrations()
def m0002_search_and_login_throttle(db):
    # Triggers keep the FTS index in step with every insert, update, delete.
    db.table("passages").enable_fts(["text"], create_triggers=True, tokenize="unicode61")
    db.table("articles").enable_fts(["title", "publisher", "url"], create_triggers=True,
                                    tokenize="unicode61")
    db.execute("""
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL COLLATE NOCASE,
            at TEXT NOT NULL
        )
    """)
    db.execute("CREATE INDEX idx_login_failures_username_at ON login_failures(username, at)")
