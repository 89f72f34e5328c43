"""Per-claim discussion for the desk (never shown to readers): factcheckers
and up read and add comments on any claim, drafts included. A comment does
not change the claim, so no If-Match is needed."""

from ..db import get_store
from ..schemas import CommentIn, CommentListArgs, CommentOut, CommentsOut
from . import bp
from .helpers import actor, errors, keyset_page, require_role


@bp.get("/claims/<int:claim_id>/comments")
@require_role("factchecker")
@bp.arguments(CommentListArgs, location="query")
@bp.response(200, CommentsOut)
@errors(401, 403, 404, 422)
def claim_comments(args, claim_id: int):
    """A claim's internal discussion, oldest first; paged: ``limit`` comments
    after the comment id ``after`` (the previous page's ``next``)."""
    limit = args["limit"]
    # One more than asked tells whether another page follows.
    comments = get_store().comments(claim_id, after=args.get("after"), limit=limit + 1)
    comments, following = keyset_page(comments, limit)
    return {"claim_id": claim_id, "comments": comments, "next": following}


@bp.post("/claims/<int:claim_id>/comments")
@require_role("factchecker")
@bp.arguments(CommentIn)
@bp.response(201, CommentOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def add_claim_comment(data, claim_id: int):
    """Add a comment to a claim's internal discussion (kept in its history too)."""
    return get_store().add_comment(claim_id, data["body"], actor()), 201
