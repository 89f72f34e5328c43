"""Ordered schema migrations.

Each module registers its steps on ``migrations``; modules are imported in
name order, so the order of the files is the order of the schema. Never edit
a step that has been applied: add a new module.
"""

from sqlite_utils import Migrations

migrations = Migrations("factcheck")

from . import (  # noqa: E402,F401  (register their steps)
    m0001_initial,
    m0002_search_and_login_throttle,
    m0003_article_aliases,
    m0004_article_text_search,
    m0005_accounts_sessions,
    m0006_trigram_search,
    m0007_claim_comments,
    m0008_assignments,
    m0009_content_version,
    m0010_editorial_workflow,
    m0011_queue_indexes,
    m0012_url_keys,
    m0013_lookup_buckets,
    m0014_article_fetching,
    m0015_claim_summary,
    m0016_claim_search,
    m0017_claim_links,
    m0018_markdown_rationale,
    m0019_user_disabling,
    m0020_citation_positions,
    m0021_claim_word_search,
    m0022_desk_indexes,
)


def apply(db) -> list[str]:
    """Apply pending migrations; return the names applied (empty when none)."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending
