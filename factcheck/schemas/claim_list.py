"""Schemas of the claim desk's list: GET /api/v1/claims."""

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from annotations.models import CLAIM_STATUSES, VERDICTS
from annotations.store.bulk import ASSIGN, MAX_BULK_CLAIMS
from annotations.store.claim_list import SORTS
from annotations.workflow import MAX_NOTE_LENGTH, TRANSITIONS

from .base import ROW_ID, StrictSchema, _text
from .links import ClaimLinkOut

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


# -- bulk actions: POST /api/v1/claims/bulk ---------------------------------------------

BULK_ACTIONS = (ASSIGN, *TRANSITIONS)


class ClaimBulkIn(StrictSchema):
    claim_ids = fields.List(
        fields.Integer(strict=True, validate=ROW_ID), required=True,
        validate=validate.Length(1, MAX_BULK_CLAIMS),
        metadata={"description": f"the claims to act on, each once (at most {MAX_BULK_CLAIMS})"})
    action = fields.String(required=True, validate=validate.OneOf(BULK_ACTIONS), metadata={
        "description": "assign, or a workflow action (as POST /claims/{id}/transitions)"})
    assignee_id = fields.Integer(allow_none=True, validate=ROW_ID, metadata={
        "description": "assign (required): a factchecker's, editor's or admin's user id; "
                       "null unassigns"})
    note = _text(MAX_NOTE_LENGTH, metadata={
        "description": "request_changes: what to change; retract: the public reason "
                       "(the same for every claim)"})
    correction_note = _text(MAX_NOTE_LENGTH, metadata={
        "description": "approve: what readers are told where a revision changes a published "
                       "verdict, label or rationale"})
    minor_edit = fields.Boolean(metadata={
        "description": "approve: the rationales were reworded without changing their meaning"})

    @validates("claim_ids")
    def each_claim_once(self, claim_ids, **kwargs):
        seen = {}
        for index, claim_id in enumerate(claim_ids):
            if claim_id in seen:
                raise ValidationError(
                    {index: [f"claim {claim_id} is listed twice (also at {seen[claim_id]})"]})
            seen[claim_id] = index

    @validates_schema
    def assignee_with_assign_only(self, data, **kwargs):
        if data.get("action") == ASSIGN and "assignee_id" not in data:
            raise ValidationError("whom to assign the claims to (null: nobody)", "assignee_id")
        if "action" in data and data["action"] != ASSIGN and "assignee_id" in data:
            raise ValidationError("only with the action assign", "assignee_id")


class ClaimBulkItemOut(Schema):
    id = fields.Integer()
    status = fields.String()
    version = fields.Integer()
    assignee_id = fields.Integer(allow_none=True)


class ClaimBulkOut(Schema):
    action = fields.String()
    claims = fields.List(fields.Nested(ClaimBulkItemOut), metadata={
        "description": "every claim acted on, as it now is, in the order asked"})


class SimilarClaimsArgs(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(1, 2000), metadata={
        "description": "the wording of the claim being checked (e.g. the selected quote)"})
    article = fields.Integer(validate=ROW_ID, metadata={
        "description": "the article being checked: its own claims are left out"})
    limit = fields.Integer(load_default=5, validate=validate.Range(1, 20))


class SimilarClaimOut(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    article_title = fields.String()
    article_url = fields.String()
    exact = fields.String(metadata={"description": "the published quote"})
    verdict = fields.String()
    label = fields.String()
    score = fields.Float(metadata={
        "description": "0–1: the Jaccard index of the two wordings' character trigrams"})
    matched_words = fields.List(fields.String(), metadata={
        "description": "the words of `text` that the earlier claim holds"})
    linked_from = fields.Integer(metadata={
        "description": "how many other pages readers see following this fact-check "
                       "(claims linked to it, published)"})
    link = fields.Nested(ClaimLinkOut, allow_none=True, metadata={
        "description": "when the earlier claim is itself linked: the original it follows "
                       "(its verdict and label are shown; a link to it goes to that one)"})
