"""Schemas of the claim desk's list: GET /api/v1/claims."""

from marshmallow import Schema, ValidationError, fields, validate

from annotations.models import CLAIM_STATUSES, VERDICTS
from annotations.store.claim_list import SORTS

from .base import ROW_ID, StrictSchema

MAX_CLAIM_LIST_PAGE = 200


def _person(value: str) -> None:
    """"me", "none" (assignee only) or a user id."""
    if value not in ("me", "none") and not (value.isdigit() and 0 < int(value) < 2**63):
        raise ValidationError('"me", "none" or a user id')


class ClaimListArgs(StrictSchema):
    verdict = fields.List(fields.String(validate=validate.OneOf(VERDICTS)),
                          validate=validate.Length(max=len(VERDICTS)),
                          metadata={"description": "repeat for several: any of them"})
    status = fields.List(fields.String(validate=validate.OneOf(CLAIM_STATUSES)),
                         validate=validate.Length(max=len(CLAIM_STATUSES)),
                         metadata={"description": "workflow states; repeat for several"})
    assignee = fields.String(validate=_person, metadata={
        "description": '"me", "none" (unassigned) or a user id'})
    author = fields.String(validate=[_person, validate.NoneOf(["none"])], metadata={
        "description": '"me" or a user id: who created the claim'})
    article = fields.Integer(validate=ROW_ID)
    site = fields.String(validate=validate.Length(1, 253), metadata={
        "description": "the articles' host, e.g. news.example.com"})
    created_from = fields.Date(metadata={"description": "YYYY-MM-DD, inclusive"})
    created_to = fields.Date(metadata={"description": "YYYY-MM-DD, inclusive"})
    updated_from = fields.Date()
    updated_to = fields.Date()
    has_sources = fields.Boolean()
    orphaned = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "words that must all occur in the quote, label or rationale "
                       "(anywhere in a word, any script)"})
    sort = fields.String(load_default="updated", validate=validate.OneOf(SORTS), metadata={
        "description": "newest update or creation first, or best match first (with q)"})
    after = fields.String(validate=validate.Length(1, 200), metadata={
        "description": "the previous page's `next`"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_CLAIM_LIST_PAGE))
    counts = fields.Boolean(load_default=False, metadata={
        "description": "also count the claims the filters select, per verdict (a count of "
                       "every match: ask once per filter, not per page)"})


class ClaimListItemOut(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    article_title = fields.String()
    article_url = fields.String()
    exact = fields.String(metadata={"description": "the quoted span"})
    verdict = fields.String()
    label = fields.String()
    status = fields.String()
    anchor_state = fields.String()
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    created_by = fields.Integer(allow_none=True)
    author = fields.String(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    assignee = fields.String(allow_none=True)
    citation_count = fields.Integer()


class ClaimListOut(Schema):
    claims = fields.List(fields.Nested(ClaimListItemOut))
    next = fields.String(allow_none=True, metadata={
        "description": "pass as `after` for the next page; null on the last"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True,
                         metadata={"description": "claims the filters select, per verdict, "
                                                  "when asked with counts=true, else null"})
