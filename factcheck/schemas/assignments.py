"""Schemas for assigning claims and articles, and for "my queue"."""

from marshmallow import Schema, fields, validate

from annotations.store.assignments import MAX_QUEUE_PAGE

from .base import ROW_ID, StrictSchema


class AssigneeIn(StrictSchema):
    assignee_id = fields.Integer(required=True, allow_none=True, validate=ROW_ID, metadata={
        "description": "a factchecker's, editor's or admin's user id; null unassigns"})


class QueueArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_QUEUE_PAGE))
    # Keyset paging, newest first: the claims with an id below this one
    # (the previous page's "next").
    after = fields.Integer(validate=ROW_ID)


class ArticleAssignmentOut(Schema):
    id = fields.Integer()
    title = fields.String()
    assignee_id = fields.Integer(allow_none=True)


class QueueItemOut(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    article_title = fields.String()
    verdict = fields.String()
    status = fields.String()
    exact = fields.String()
    label = fields.String()
    anchor_state = fields.String()
    updated_at = fields.String()
    reason = fields.String(metadata={
        "description": "why it is in the queue: claim_assigned or article_assigned "
                       "(more reasons may come: treat unknown ones as plain work)"})


class QueueOut(Schema):
    items = fields.List(fields.Nested(QueueItemOut))
    next = fields.Integer(allow_none=True, metadata={
        "description": "pass as ``after`` for the next page; null on the last page"})
