"""Schemas for a claim's internal discussion (factcheckers and up only)."""

from marshmallow import Schema, fields

from annotations.store.comments import MAX_COMMENT_LENGTH

from .base import StrictSchema
from .requests import HistoryArgs


class CommentListArgs(HistoryArgs):
    """``limit`` comments after the comment id ``after`` (the previous page's ``next``)."""


class CommentIn(StrictSchema):
    # The length is checked on the normalised text (the store's rule), so
    # trailing spaces do not count against it.
    body = fields.String(required=True, metadata={
        "description": f"plain text, line breaks kept; 1 to {MAX_COMMENT_LENGTH} characters "
                       "after trimming"})


class CommentOut(Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
    author_id = fields.Integer(allow_none=True)
    author = fields.String()
    body = fields.String()
    created_at = fields.String()


class CommentsOut(Schema):
    claim_id = fields.Integer()
    comments = fields.List(fields.Nested(CommentOut))
    next = fields.Integer(allow_none=True, metadata={
        "description": "pass as ``after`` for the next page; null on the last page"})
