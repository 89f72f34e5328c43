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
from .helpers import ETAG_HEADER, ApiError, actor, claim_response, errors, require_role


def _check_may_assign(current: int | None, wanted: int | None) -> None:
    """403 unless the caller may move this work from ``current`` to ``wanted``."""
    if has_role(g.user, "editor"):
        return
    me = g.user["id"]
    taking = wanted == me and current in (None, me)
    giving_back = wanted is None and current == me
    if not (taking or giving_back):
        raise ApiError(403, "a factchecker may only assign to themselves what is unassigned, "
                            "or unassign what is theirs; ask an editor", "assignee_id")


@bp.put("/claims/<int:claim_id>/assignee")
@require_role("factchecker")
@bp.arguments(AssigneeIn)
@bp.response(200, ClaimOut, headers=ETAG_HEADER)
@errors(400, 401, 403, 404, 413, 415, 422)
def assign_claim(data, claim_id: int):
    """Assign a claim to a factchecker, or unassign it (``null``); its version stays.
    Factcheckers may only take unassigned claims or give back their own."""
    store = get_store()
    _check_may_assign(store.claim(claim_id)["assignee_id"], data["assignee_id"])
    return claim_response(store.assign_claim(claim_id, data["assignee_id"], actor()))


@bp.put("/articles/<int:article_id>/assignee")
@require_role("factchecker")
@bp.arguments(AssigneeIn)
@bp.response(200, ArticleAssignmentOut)
@errors(400, 401, 403, 404, 413, 415, 422)
def assign_article(data, article_id: int):
    """Assign an article (all its claims) to a factchecker, or unassign it (``null``).
    Factcheckers may only take unassigned articles or give back their own."""
    store = get_store()
    _check_may_assign(store.article(article_id)["assignee_id"], data["assignee_id"])
    return store.assign_article(article_id, data["assignee_id"], actor())


@bp.get("/queue")
@require_role("factchecker")
@bp.arguments(QueueArgs, location="query")
@bp.response(200, QueueOut)
@errors(401, 403, 422)
def my_queue(args):
    """My queue, newest first: claims assigned to me and the claims of articles
    assigned to me. Paged: ``limit`` claims below the id ``after`` (the
    previous page's ``next``)."""
    return get_store().queue(g.user["id"], args["limit"], args.get("after"))
