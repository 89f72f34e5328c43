"""Claim summaries and where imported claims came from (issue 16).

- ``summary``: what was claimed, in the desk's words (at most 75
  characters), on the working copy and on the publication readers see; the
  ClaimReview's claimReviewed, the quote being the fallback. Empty for
  every existing claim.
- ``claims.origin``: the id (IRI) of the Web Annotation a claim was
  imported from, so importing the same document again finds it instead of
  adding a copy; NULL for claims made here. Indexed for that lookup.
"""

from . import migrations


@migrations()
def m0015_claim_summary(db):
    db.execute("ALTER TABLE claims ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE claim_publications ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE claims ADD COLUMN origin TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_claims_origin ON claims(origin)"
               " WHERE origin IS NOT NULL")
