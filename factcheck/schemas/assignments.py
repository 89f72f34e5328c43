"""Schemas for assigning claims and articles, and for "my queue"."""

from marshmallow import Schema, fields, validate

from annotations.store.assignments import MAX_QUEUE_PAGE, QUEUE_REASONS

from .base import ROW_ID, StrictSchema


class AssigneeIn(StrictSchema):
    assignee_id = fields.Integer(required=True, allow_none=True, validate=ROW_ID, metadata={
        "description": "a factchecker's, editor's or admin's user id; null unassigns"})


class QueueArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_QUEUE_PAGE))
    # Keyset paging, newest first: the claims with an id below this one
    # (the previous page's "next").
    after = fields.Integer(validate=ROW_ID)
    reason = fields.String(validate=validate.OneOf(QUEUE_REASONS), metadata={
        "description": "only the claims listed for this reason"})


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
    assignee_id = fields.Integer(allow_none=True)
    article_assignee_id = fields.Integer(allow_none=True)
    last_edited_by = fields.Integer(allow_none=True)
    reason = fields.String(metadata={
        "description": "why it is in my queue, the first that applies: sent_back (changes "
                       "were requested on a claim I last edited or am assigned), to_review "
                       "(in review, and I may approve it), needs_attention (readers' copy "
                       "was orphaned by a re-import and no fix is in review; the whole desk "
                       "sees these), claim_assigned, article_assigned. Treat unknown reasons "
                       "as plain work"})
    publication_orphaned = fields.Boolean(metadata={
        "description": "readers' copy of the claim is off its page (orphaned, not retracted)"})
    request_note = fields.String(allow_none=True, metadata={
        "description": "sent_back: the editor's latest request for changes (else null)"})
    requested_by = fields.String(allow_none=True, metadata={
        "description": "sent_back: who requested the changes"})
    requested_at = fields.String(allow_none=True)


class QueueOut(Schema):
    items = fields.List(fields.Nested(QueueItemOut))
    next = fields.Integer(allow_none=True, metadata={
        "description": "pass as ``after`` for the next page; null on the last page"})
