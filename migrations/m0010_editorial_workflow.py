"""The editorial workflow: review states, what readers see kept apart from
the desk's working copy, and the public log of corrections.

- ``claims.status`` takes the workflow's states (annotations.workflow) and
  ``claims.last_edited_by`` names who last changed the claim's content (the
  two-person rule compares the approving editor with it). A CHECK cannot be
  altered in SQLite, so ``claims`` is rebuilt, with foreign keys off and in
  a transaction of its own, as m0005 rebuilt ``users``.
- ``claim_publications`` (one row a claim) and ``published_citations`` hold
  the version readers, exports and ClaimReview see, copied on approval.
- ``claim_corrections``: each approved revision that changed what readers
  are told, with the editor's public note.
Published claims already here become their own publication.
"""

from . import migrations

CLAIMS = """
    CREATE TABLE claims_rebuilt (
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
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
            ('draft', 'in_review', 'changes_requested', 'published', 'retracted')),
        version INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        last_edited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        published_at TEXT,
        assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        CHECK (anchor_state = 'orphaned'
               OR (passage_id IS NOT NULL AND start_offset >= 0 AND end_offset > start_offset))
    )
"""
COPIED = ("id, article_id, passage_id, start_offset, end_offset, exact, prefix, suffix,"
          " anchor_state, verdict, label, rationale, status, version, created_by, updated_by,"
          " published_by, created_at, updated_at, published_at, assignee_id")
CLAIM_INDEXES = [
    "CREATE INDEX idx_claims_article_status ON claims(article_id, status)",
    "CREATE INDEX idx_claims_passage ON claims(passage_id)",
    "CREATE INDEX idx_claims_verdict ON claims(verdict)",
    "CREATE INDEX idx_claims_status_updated ON claims(status, updated_at)",
    "CREATE INDEX idx_claims_created_by ON claims(created_by)",
    "CREATE INDEX idx_claims_updated_by ON claims(updated_by)",
    "CREATE INDEX idx_claims_last_edited_by ON claims(last_edited_by)",
    "CREATE INDEX idx_claims_published_by ON claims(published_by)",
    "CREATE INDEX idx_claims_assignee ON claims(assignee_id)",
]

PUBLICATION_TABLES = [
    """
    CREATE TABLE claim_publications (
        claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(id) ON DELETE SET NULL,
        start_offset INTEGER,
        end_offset INTEGER,
        exact TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        anchor_state TEXT NOT NULL CHECK (anchor_state IN ('anchored', 'orphaned')),
        verdict TEXT NOT NULL CHECK (verdict IN ('verified', 'denied', 'unverified')),
        label TEXT NOT NULL DEFAULT '',
        rationale TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL,
        first_published_at TEXT NOT NULL,
        published_at TEXT NOT NULL,
        published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        retracted_at TEXT,
        retracted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        retraction_reason TEXT NOT NULL DEFAULT '',
        CHECK (anchor_state = 'orphaned'
               OR (passage_id IS NOT NULL AND start_offset >= 0 AND end_offset > start_offset))
    )
    """,
    "CREATE INDEX idx_claim_publications_passage ON claim_publications(passage_id)",
    "CREATE INDEX idx_claim_publications_anchor ON claim_publications(anchor_state)",
    """
    CREATE TABLE published_citations (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES claim_publications(claim_id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        accessed_date TEXT,
        archive_url TEXT,
        stance TEXT NOT NULL DEFAULT 'supports'
            CHECK (stance IN ('supports', 'refutes', 'context'))
    )
    """,
    "CREATE INDEX idx_published_citations_claim ON published_citations(claim_id)",
    """
    CREATE TABLE claim_corrections (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        note TEXT NOT NULL,
        previous_verdict TEXT NOT NULL,
        verdict TEXT NOT NULL,
        previous_label TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL DEFAULT '',
        changed TEXT NOT NULL DEFAULT '',
        by_id INTEGER REFERENCES users(id) ON DELETE SET NULL
    )
    """,
    "CREATE INDEX idx_claim_corrections_claim ON claim_corrections(claim_id, at)",
]

# The readers' caches follow content_version (m0009): these tables are
# content readers see, so they move it too; so does the rebuilt claims.
WATCHED = ("claims", "claim_publications", "published_citations", "claim_corrections")


def _content_version_triggers(db, table: str) -> None:
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"""CREATE TRIGGER content_version_{table}_{event.lower()}
            AFTER {event} ON {table} BEGIN
                UPDATE content_version SET version = version + 1 WHERE id = 1;
            END""")


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def _rebuild_claims(db) -> None:
    db.execute(CLAIMS)
    db.execute(f"INSERT INTO claims_rebuilt ({COPIED}, last_edited_by)"
               f" SELECT {COPIED}, updated_by FROM claims")
    db.execute("DROP TABLE claims")  # its indexes and triggers go with it
    db.execute("ALTER TABLE claims_rebuilt RENAME TO claims")
    for statement in CLAIM_INDEXES:
        db.execute(statement)


def publish_what_is_published(db) -> None:
    """Every claim whose status is published becomes its own publication
    (also used by the benchmarks, which write claims rows directly)."""
    db.execute("""
        INSERT INTO claim_publications (claim_id, passage_id, start_offset, end_offset, exact,
            prefix, suffix, anchor_state, verdict, label, rationale, version,
            first_published_at, published_at, published_by)
        SELECT id, passage_id, start_offset, end_offset, exact, prefix, suffix, anchor_state,
               verdict, label, rationale, version, coalesce(published_at, updated_at),
               coalesce(published_at, updated_at), published_by
        FROM claims WHERE status = 'published'""")
    db.execute("""
        INSERT INTO published_citations (claim_id, url, title, publisher, excerpt,
            accessed_date, archive_url, stance)
        SELECT ct.claim_id, ct.url, ct.title, ct.publisher, ct.excerpt, ct.accessed_date,
               ct.archive_url, ct.stance
        FROM citations ct JOIN claims c ON c.id = ct.claim_id
        WHERE c.status = 'published' ORDER BY ct.id""")


@migrations(transactional=False)
def m0010_editorial_workflow(db):
    if "last_edited_by" in _columns(db, "claims"):
        return  # committed before; only the record of it was missing
    if db.conn.in_transaction:
        raise RuntimeError("m0010 must start outside a transaction")
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            _rebuild_claims(db)
            for statement in PUBLICATION_TABLES:
                db.execute(statement)
            publish_what_is_published(db)
            for table in WATCHED:
                _content_version_triggers(db, table)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the claims rebuild: {broken[:5]}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
