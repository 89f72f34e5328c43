"""Per-claim discussion: internal comments by the desk, never shown to readers.

Comments do not change the claim (no version bump, no If-Match): they are
talk about it. Each one is also written to the claim's audit log, so the
discussion survives the claim's deletion there (the rows themselves go with
the claim).
"""

import unicodedata

from ..models import Actor, DomainError
from ..text import normalize_text
from .base import StoreBase
from .database import utcnow

MAX_COMMENT_LENGTH = 5000
# Bounded growth: a runaway script cannot fill a claim's discussion.
MAX_COMMENTS_PER_CLAIM = 1000


def clean_comment_body(body: str) -> str:
    """The body as stored: each line's spacing normalised like any stored text,
    line breaks kept (at most one blank line in a row), trimmed; refused when
    empty or over MAX_COMMENT_LENGTH characters."""
    lines = [normalize_text(line) for line in
             unicodedata.normalize("NFC", body).splitlines()]
    kept = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    cleaned = "\n".join(kept).strip("\n")
    if not cleaned:
        raise DomainError("body", "a comment cannot be empty")
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise DomainError("body", f"a comment has at most {MAX_COMMENT_LENGTH} characters "
                                  f"(this one has {len(cleaned)})")
    return cleaned


class Comments(StoreBase):

    def comments(self, claim_id: int, after: int | None = None,
                 limit: int | None = None) -> list[dict]:
        """A claim's comments, oldest first: all of them, or at most ``limit``
        with an id above ``after`` (keyset paging, like ``history``).
        NotFound for an unknown claim."""
        self._one("SELECT id FROM claims WHERE id = ?", [claim_id], "claim", claim_id)
        sql = "SELECT * FROM claim_comments WHERE claim_id = ? AND id > ? ORDER BY id"
        params = [claim_id, after or 0]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return list(self.db.query(sql, params))

    def add_comment(self, claim_id: int, body: str, actor: Actor) -> dict:
        """Add a comment by ``actor``; audited on the claim in the same transaction."""
        body = clean_comment_body(body)
        with self.transaction():
            self._one("SELECT id FROM claims WHERE id = ?", [claim_id], "claim", claim_id)
            (count,) = self.db.execute("SELECT count(*) FROM claim_comments WHERE claim_id = ?",
                                       [claim_id]).fetchone()
            if count >= MAX_COMMENTS_PER_CLAIM:
                raise DomainError("comments", f"a claim has at most {MAX_COMMENTS_PER_CLAIM} "
                                              "comments")
            comment_id = self.db.execute(
                "INSERT INTO claim_comments (claim_id, author_id, author, body, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [claim_id, actor.id, actor.username, body, utcnow()]).lastrowid
            self._audit(actor, "comment", "claim", claim_id,
                        after={"comment_id": comment_id, "body": body})
            return self._one("SELECT * FROM claim_comments WHERE id = ?", [comment_id],
                             "comment", comment_id)
