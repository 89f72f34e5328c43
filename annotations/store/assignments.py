"""Assignment of claims and articles to factcheckers, and each person's queue."""

from ..models import ROLES, Actor, DomainError, role_at_least
from ..rules import check_self_assignment
from .base import StoreBase

# A queue page holds at most this many claims (the API's ``limit`` bound).
MAX_QUEUE_PAGE = 200

# Why a claim is in someone's queue, first match first: a claim found for
# several reasons is listed once, under the first.
#   sent_back         changes were requested on it, and I last edited it or
#                     it is assigned to me;
#   to_review         it is in review and I may approve it: I am an editor or
#                     admin and (two-person rule on) not its last author;
#   needs_attention   readers' copy was orphaned by a re-import (publication
#                     orphaned, not retracted) and no fix is in review yet.
#                     The whole desk sees these (every factchecker, editor
#                     and admin), not only the claim's or article's assignee:
#                     a published claim off its page is everyone's problem,
#                     and assignees find it under the same reason. Once a fix
#                     is submitted it leaves this list for reviewers' to_review;
#   claim_assigned    assigned to me;
#   article_assigned  its article is assigned to me.
QUEUE_REASONS = ("sent_back", "to_review", "needs_attention", "claim_assigned",
                 "article_assigned")


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
        user = self._first("SELECT role, disabled_at FROM users WHERE id = ?", [assignee_id])
        if user is None:
            raise DomainError("assignee_id", f"there is no user {assignee_id}")
        # Work given to someone who cannot log in would wait in no one's queue.
        if user["disabled_at"] is not None:
            raise DomainError("assignee_id", f"user {assignee_id}: this account is disabled;"
                              " enable it first or assign someone else")
        if not role_at_least(user["role"], "factchecker"):
            raise DomainError("assignee_id", f"user {assignee_id} is a {user['role']}; "
                              "only factcheckers, editors and admins can be assigned")

    # -- my queue ----------------------------------------------------------------

    def queue(self, user_id: int, limit: int = 50, after: int | None = None,
              reason: str | None = None) -> dict:
        """One page of the claims waiting for ``user_id``, newest (highest
        id) first, each once with its article's title and ``reason``: the
        first of QUEUE_REASONS that applies (see there). ``reason`` given:
        only the claims listed under it.

        Keyset paging: ``after`` is the previous page's ``next`` (the last
        claim id it held); ``limit`` is capped at MAX_QUEUE_PAGE. Returns
        {"items": [...], "next": id or None on the last page}. A sent-back
        item carries the editor's latest request (``request_note``,
        ``requested_by``, ``requested_at``; None on other items); each says
        whether readers' copy is orphaned (``publication_orphaned``).

        Whether the user may review is read from their role in the same
        query; the two-person rule is the store's ``two_person_rule`` (the
        desk's setting, see store.publications).
        """
        limit = max(1, min(limit, MAX_QUEUE_PAGE))
        if reason is not None and reason not in QUEUE_REASONS:
            raise DomainError("reason", f"reason must be one of {', '.join(QUEUE_REASONS)}")
        lookups = [sql for name in ([reason] if reason else QUEUE_REASONS)
                   for sql in _LOOKUPS[name]]
        rows = list(self.db.query(
            _QUEUE_SQL.format(lookups="\n            UNION ALL\n            ".join(lookups)),
            {"user": user_id, "after": after if after is not None else 2**63 - 1,
             "limit": limit + 1, "two_person": bool(self.two_person_rule)}))
        items = [{**row, "publication_orphaned": bool(row["publication_orphaned"])}
                 for row in rows[:limit]]
        return {"items": items, "next": items[-1]["id"] if len(rows) > limit else None}


# -- the queue's one query ------------------------------------------------------------
#
# One query a page, whatever its size. Each reason is found through an index
# that lists claims in id order (the status, assignee and last-author indexes
# on claims, the anchor-state index on publications), and the lookups are a
# UNION ALL, not one WHERE with ORs (which SQLite answers by scanning every
# claim). With ORDER BY id DESC LIMIT over the compound, SQLite merges the
# lookups, each already in order, and stops once the page (plus one row,
# which tells whether another page follows) is full: a page costs its size,
# not the size of the queue. Only "its article is assigned to me" is sorted
# (the claims of those articles).
#
# A claim found by several lookups is listed by the one of its first reason
# only: each lookup keeps the claims whose _RANK (the place in QUEUE_REASONS
# of the first reason that applies) is its own.


def _roles(least: str) -> str:
    return ", ".join(f"'{role}'" for role in ROLES if role_at_least(role, least))


# Whether the user may approve, and is on the desk: constant for the whole
# query, so SQLite runs each once.
_REVIEWER = f"(SELECT role IN ({_roles('editor')}) FROM users WHERE id = :user)"
_DESK_MEMBER = f"(SELECT role IN ({_roles('factchecker')}) FROM users WHERE id = :user)"

# When each reason applies to claim ``c`` (see QUEUE_REASONS).
_APPLIES = {
    "sent_back": "c.status = 'changes_requested'"
                 " AND (c.last_edited_by = :user OR c.assignee_id = :user)",
    "to_review": f"c.status = 'in_review' AND {_REVIEWER}"
                 " AND (NOT :two_person OR c.last_edited_by IS NOT :user)",
    "needs_attention": f"c.status != 'in_review' AND {_DESK_MEMBER} AND EXISTS ("
                       "SELECT 1 FROM claim_publications o WHERE o.claim_id = c.id"
                       " AND o.anchor_state = 'orphaned' AND o.retracted_at IS NULL)",
    "claim_assigned": "c.assignee_id = :user",
    "article_assigned": "(SELECT assignee_id FROM articles WHERE id = c.article_id) = :user",
}
assert tuple(_APPLIES) == QUEUE_REASONS
# The rank of claim ``c`` in the user's queue: its first reason's place in
# QUEUE_REASONS (NULL: not in the queue).
_RANK = "CASE " + " ".join(f"WHEN {_APPLIES[reason]} THEN {rank}"
                           for rank, reason in enumerate(QUEUE_REASONS)) + " END"


def _lookup(reason: str, source: str, condition: str, claim_id: str = "c.id") -> str:
    """The claims an index finds for ``reason`` whose first reason it is;
    ``claim_id`` names the column the lookup's index keeps in order."""
    rank = QUEUE_REASONS.index(reason)
    return (f"SELECT {claim_id} AS id, {rank} AS rank FROM {source} WHERE {condition}"
            f" AND {claim_id} < :after AND {_RANK} = {rank}")


_LOOKUPS = {
    # "+c.status": through the person's index, not the status index (which
    # would walk every claim sent back to anyone).
    "sent_back": [
        _lookup("sent_back", "claims c",
                "c.last_edited_by = :user AND +c.status = 'changes_requested'"),
        # ...those the lookup above has not found
        _lookup("sent_back", "claims c", "c.assignee_id = :user"
                " AND +c.status = 'changes_requested' AND c.last_edited_by IS NOT :user")],
    "to_review": [_lookup("to_review", "claims c", f"c.status = 'in_review' AND {_REVIEWER}")],
    "needs_attention": [_lookup(
        "needs_attention", "claim_publications p JOIN claims c ON c.id = p.claim_id",
        f"p.anchor_state = 'orphaned' AND p.retracted_at IS NULL AND {_DESK_MEMBER}",
        "p.claim_id")],
    "claim_assigned": [_lookup("claim_assigned", "claims c", "c.assignee_id = :user")],
    # CROSS JOIN keeps the articles outside: SQLite would rather walk every
    # claim in id order and look its article up.
    "article_assigned": [_lookup("article_assigned",
                                 "articles a CROSS JOIN claims c ON c.article_id = a.id",
                                 "a.assignee_id = :user")],
}

_QUEUE_SQL = """
    WITH page AS (
        SELECT * FROM (
            {lookups}
            ORDER BY 1 DESC LIMIT :limit)
    )
    SELECT c.id, c.article_id, a.title AS article_title, c.verdict, c.status, c.exact,
           c.label, c.anchor_state, c.updated_at, c.assignee_id, c.last_edited_by,
           a.assignee_id AS article_assignee_id,
           CASE page.rank """ + " ".join(f"WHEN {rank} THEN '{reason}'" for rank, reason in
                                         enumerate(QUEUE_REASONS)) + """ END AS reason,
           coalesce(p.anchor_state = 'orphaned' AND p.retracted_at IS NULL, 0)
               AS publication_orphaned,
           json_extract(request.after, '$.note') AS request_note,
           request.actor AS requested_by, request.at AS requested_at
    FROM page
    JOIN claims c ON c.id = page.id
    JOIN articles a ON a.id = c.article_id
    LEFT JOIN claim_publications p ON p.claim_id = c.id
    -- the editor's latest request, for sent-back claims only: the claim's
    -- audit entries, newest first, through their index
    LEFT JOIN audit_log request ON page.rank = 0 AND request.id = (
        SELECT id FROM audit_log
        WHERE entity = 'claim' AND entity_id = c.id AND action = 'request_changes'
        ORDER BY id DESC LIMIT 1)
    ORDER BY c.id DESC
"""
