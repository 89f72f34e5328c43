"""The first schema: articles, passages, claims, citations, users, tokens, audit.

Plain DDL rather than ``table.create()`` so that CHECK constraints, ON DELETE
actions and the audit log's append-only triggers live in the schema itself.
"""

from . import migrations

_STATEMENTS = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'factchecker', 'editor', 'admin')),
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
    )
    """,
    "CREATE INDEX idx_api_tokens_user ON api_tokens(user_id)",
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        url_key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        published_date TEXT,
        language TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX idx_articles_updated ON articles(updated_at)",
    """
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('heading', 'paragraph', 'quote', 'list_item')),
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        UNIQUE (article_id, ordinal)
    )
    """,
    """
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE SET NULL,
        start_offset INTEGER,
        end_offset INTEGER,
        exact TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        anchor_state TEXT NOT NULL DEFAULT 'anchored'
            CHECK (anchor_state IN ('anchored', 'orphaned')),
        verdict TEXT NOT NULL CHECK (verdict IN ('verified', 'denied', 'unverified')),
        label TEXT NOT NULL DEFAULT '',
        rationale TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        published_at TEXT,
        CHECK (anchor_state = 'orphaned'
               OR (passage_id IS NOT NULL AND start_offset >= 0 AND end_offset > start_offset))
    )
    """,
    "CREATE INDEX idx_claims_article_status ON claims(article_id, status)",
    "CREATE INDEX idx_claims_passage ON claims(passage_id)",
    "CREATE INDEX idx_claims_verdict ON claims(verdict)",
    "CREATE INDEX idx_claims_status_updated ON claims(status, updated_at)",
    "CREATE INDEX idx_claims_created_by ON claims(created_by)",
    "CREATE INDEX idx_claims_updated_by ON claims(updated_by)",
    "CREATE INDEX idx_claims_published_by ON claims(published_by)",
    """
    CREATE TABLE citations (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        accessed_date TEXT,
        archive_url TEXT,
        stance TEXT NOT NULL DEFAULT 'supports'
            CHECK (stance IN ('supports', 'refutes', 'context')),
        created_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX idx_citations_claim ON citations(claim_id)",
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        before TEXT,
        after TEXT,
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX idx_audit_entity ON audit_log(entity, entity_id)",
    "CREATE INDEX idx_audit_actor ON audit_log(actor_id)",
    # The audit trail is append-only: the database itself refuses edits.
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
]


@migrations()
def m0001_initial(db):
    for statement in _STATEMENTS:
        db.execute(statement)
