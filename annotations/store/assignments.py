"""Assignment of claims and articles to factcheckers, and each person's queue."""

from ..models import Actor, DomainError, role_at_least
from ..rules import check_self_assignment
from .base import StoreBase

# A queue page holds at most this many claims (the API's ``limit`` bound).
MAX_QUEUE_PAGE = 200


class Assignments(StoreBase):
    # -- assigning -----------------------------------------------------------------

    def assign_claim(self, claim_id: int, assignee_id: int | None, actor: Actor,
                     only_self: bool = False) -> dict:
        """Give a claim to a factchecker (None: to nobody); returns the claim.
        ``only_self``: the actor may only take or give back their own work."""
        self._assign("claims", "claim", claim_id, assignee_id, actor, only_self)
        return self.claim(claim_id)

    def assign_article(self, article_id: int, assignee_id: int | None, actor: Actor,
                       only_self: bool = False) -> dict:
        """Give a whole article to a factchecker (None: to nobody): each of
        its claims is then in their queue. Returns the article row."""
        self._assign("articles", "article", article_id, assignee_id, actor, only_self)
        return self.article(article_id)

    def _assign(self, table: str, entity: str, entity_id: int, assignee_id: int | None,
                actor: Actor, only_self: bool) -> None:
        # Assignment is who works on it, not what it says: the claim's
        # version stays, so an editor assigning never makes the annotator's
        # open edit of that claim a conflict.
        with self.transaction():
            before = self._one(f"SELECT id, assignee_id FROM {table} WHERE id = ?",
                               [entity_id], entity, entity_id)["assignee_id"]
            # Inside the write transaction: two factcheckers taking the same
            # claim at once cannot both succeed.
            if only_self:
                check_self_assignment(before, assignee_id, actor.id)
            if assignee_id is not None:
                self._check_assignee(assignee_id)
            if before == assignee_id:
                return  # nothing changed: no audit entry either
            self.db.execute(f"UPDATE {table} SET assignee_id = ? WHERE id = ?",
                            [assignee_id, entity_id])
            self._audit(actor, "assign", entity, entity_id,
                        {"assignee_id": before}, {"assignee_id": assignee_id})

    def _check_assignee(self, assignee_id: int) -> None:
        user = self._first("SELECT role FROM users WHERE id = ?", [assignee_id])
        if user is None:
            raise DomainError("assignee_id", f"there is no user {assignee_id}")
        if not role_at_least(user["role"], "factchecker"):
            raise DomainError("assignee_id", f"user {assignee_id} is a {user['role']}; "
                              "only factcheckers, editors and admins can be assigned")

    # -- my queue ----------------------------------------------------------------

    def queue(self, user_id: int, limit: int = 50, after: int | None = None) -> dict:
        """One page of the claims waiting for ``user_id``, newest (highest
        id) first: those assigned to them and every claim of an article
        assigned to them, each once, with its article's title.

        Keyset paging: ``after`` is the previous page's ``next`` (the last
        claim id it held); ``limit`` is capped at MAX_QUEUE_PAGE. Returns
        {"items": [...], "next": id or None on the last page}. Each item says
        why it is there (``reason``: ``claim_assigned`` or
        ``article_assigned``); review states will add their own reasons.
        """
        limit = max(1, min(limit, MAX_QUEUE_PAGE))
        # One query for the page, whatever its size. The two index lookups
        # (claims.assignee_id, articles.assignee_id) are a UNION rather than
        # an OR, which SQLite would answer by scanning every claim. One row
        # more than the page tells whether another page follows.
        rows = list(self.db.query(
            """
            SELECT c.id, c.article_id, a.title AS article_title, c.verdict, c.status, c.exact,
                   c.label, c.anchor_state, c.updated_at,
                   CASE WHEN c.assignee_id = :user THEN 'claim_assigned'
                        ELSE 'article_assigned' END AS reason
            FROM claims c JOIN articles a ON a.id = c.article_id
            WHERE c.id IN (SELECT id FROM claims WHERE assignee_id = :user
                           UNION
                           SELECT claims.id FROM claims JOIN articles
                             ON articles.id = claims.article_id
                           WHERE articles.assignee_id = :user)
              AND c.id < :after
            ORDER BY c.id DESC
            LIMIT :limit
            """, {"user": user_id, "after": after if after is not None else 2**63 - 1,
                  "limit": limit + 1}))
        items = rows[:limit]
        return {"items": items, "next": items[-1]["id"] if len(rows) > limit else None}
