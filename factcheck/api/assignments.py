"""Assigning claims and articles to factcheckers, and "my queue".

Who may assign: editors and admins give anything to any factchecker, editor
or admin, or to nobody. A factchecker may only take work for themselves (an
unassigned claim or article, or one already theirs) and give back what is
theirs (unassign it): handing work to colleagues, or taking it from them, is
the desk editor's call.
"""

from flask import g

from ..auth import has_role
from ..db import get_store
from ..schemas import ArticleAssignmentOut, AssigneeIn, ClaimOut, QueueArgs, QueueOut
from . import bp
from .helpers import ETAG_HEADER, actor, claim_response, errors, require_role


def _only_self() -> bool:
    """Editors assign anyone; a factchecker only takes or gives back their own."""
    return not has_role(g.user, "editor")


@bp.put("/claims/<int:claim_id>/assignee")
@require_role("factchecker")
@bp.arguments(AssigneeIn)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@errors(400, 401, 403, 404, 413, 415, 422)
def assign_claim(data, claim_id: int):
    """Assign a claim to a factchecker, or unassign it (``null``); its version stays.
    Factcheckers may only take unassigned claims or give back their own."""
    return claim_response(get_store().assign_claim(claim_id, data["assignee_id"], actor(),
                                                   _only_self()))


@bp.put("/articles/<int:article_id>/assignee")
@require_role("factchecker")
@bp.arguments(AssigneeIn)
@bp.response(200, ArticleAssignmentOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def assign_article(data, article_id: int):
    """Assign an article (all its claims) to a factchecker, or unassign it (``null``).
    Factcheckers may only take unassigned articles or give back their own."""
    return get_store().assign_article(article_id, data["assignee_id"], actor(), _only_self())


@bp.get("/queue")
@require_role("factchecker")
@bp.arguments(QueueArgs, location="query")
@bp.response(200, QueueOut)
@errors(401, 403, 422)
def my_queue(args):
    """My queue, newest first, each claim once with why it is there: sent back
    to me, waiting for my review, needing attention (published, then orphaned
    by a re-import), assigned to me or on an article assigned to me.
    ``reason`` keeps one of these. Paged: ``limit`` claims below the id
    ``after`` (the previous page's ``next``)."""
    return get_store().queue(g.user["id"], args["limit"], args.get("after"),
                             args.get("reason"))
