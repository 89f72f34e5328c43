"""The claim desk's list: GET /api/v1/claims, every claim across articles,
filtered, searched and paged by keyset (annotations/store/claim_list.py)."""

from datetime import timedelta

from flask import g

from annotations.store.claim_list import ClaimFilters

from ..db import get_store
from ..schemas import ClaimListArgs, ClaimListOut, SimilarClaimOut, SimilarClaimsArgs, schema
from . import bp
from .helpers import errors, require_role


def _person(value: str | None) -> int | None:
    if value is None or value == "none":
        return None
    return g.user["id"] if value == "me" else int(value)


def _day_after(day) -> str | None:
    """A "to" date is inclusive: everything before the next day."""
    return (day + timedelta(days=1)).isoformat() if day else None


def claim_filters(args: dict) -> ClaimFilters:
    """The store's filters from the list's query arguments."""
    return ClaimFilters(
        verdicts=tuple(args.get("verdict", ())), statuses=tuple(args.get("status", ())),
        assignee_id=_person(args.get("assignee")), unassigned=args.get("assignee") == "none",
        author_id=_person(args.get("author")), article_id=args.get("article"),
        site=args.get("site"),
        created_from=args["created_from"].isoformat() if args.get("created_from") else None,
        created_to=_day_after(args.get("created_to")),
        updated_from=args["updated_from"].isoformat() if args.get("updated_from") else None,
        updated_to=_day_after(args.get("updated_to")),
        has_sources=args.get("has_sources"), orphaned=args.get("orphaned"),
        query=args.get("q", ""))


@bp.get("/claims")
@require_role("factchecker")
@bp.arguments(ClaimListArgs, location="query")
@bp.response(200, ClaimListOut)
@errors(401, 403, 422)
def list_claims(args):
    """Claims across articles, newest first (or best match with `q`), by keyset pages."""
    filters = claim_filters(args)
    store = get_store()
    claims, next_cursor = store.claim_list(filters, args["sort"], args.get("after"),
                                           args["limit"])
    counts = store.claim_counts(filters) if args["counts"] else None
    return {"claims": claims, "next": next_cursor, "counts": counts}


@bp.get("/claims/similar")
@require_role("factchecker")
@bp.arguments(SimilarClaimsArgs, location="query")
@bp.response(200, schema(SimilarClaimOut, many=True))
@errors(401, 403, 422)
def similar_claims(args):
    """Earlier fact-checks like `text`: published claims of other articles, best first,
    with the words they share (check once, show everywhere). A claim linked to an
    earlier fact-check is not listed: that fact-check is, once, saying how many pages
    follow it."""
    return get_store().earlier_fact_checks(args["text"], args.get("article"), args["limit"])
