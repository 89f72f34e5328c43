"""Per-claim discussion: internal comments (who, when, text), never shown to
readers. A comment outlives its author's account (author kept by name)."""

from . import migrations


@migrations()
def m0007_claim_comments(db):
    db.execute("""
        CREATE TABLE claim_comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
    """)
    db.execute("CREATE INDEX idx_claim_comments_claim ON claim_comments(claim_id, id)")
