"""Linked claims (annotations.links): the link a claim carries, and the
request that makes one."""

from marshmallow import Schema, fields

from .base import ROW_ID, StrictSchema


class LinkIn(StrictSchema):
    origin_id = fields.Integer(required=True, strict=True, validate=ROW_ID, metadata={
        "description": "the earlier fact-check to follow: a published, not retracted claim of "
                       "another article (one linked itself stands for its original)"})


class ClaimLinkOut(Schema):
    """Where a linked claim's verdict, rationale and sources come from."""
    claim_id = fields.Integer(metadata={"description": "the original fact-check"})
    article_id = fields.Integer()
    article_title = fields.String(metadata={"description": "where it was first published"})
    article_url = fields.String()
    retracted = fields.Boolean(metadata={
        "description": "the original was retracted (readers see this claim retracted too)"})
