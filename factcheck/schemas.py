"""marshmallow schemas for every API request and response body."""

from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))


class CitationOut(Schema):
    id = fields.Integer()
    url = fields.String()
    title = fields.String()
    publisher = fields.String()
    excerpt = fields.String()
    accessed_date = fields.String(allow_none=True)
    archive_url = fields.String(allow_none=True)
    stance = fields.String()


class ClaimOut(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    passage_id = fields.Integer(allow_none=True)
    start = fields.Integer(attribute="start_offset", allow_none=True)
    end = fields.Integer(attribute="end_offset", allow_none=True)
    exact = fields.String()
    prefix = fields.String()
    suffix = fields.String()
    anchor_state = fields.String()
    verdict = fields.String()
    label = fields.String()
    rationale = fields.String()
    status = fields.String()
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    published_at = fields.String(allow_none=True)
    citations = fields.List(fields.Nested(CitationOut))


class PassageOut(Schema):
    id = fields.Integer()
    ordinal = fields.Integer()
    kind = fields.String()
    text = fields.String()
    text_hash = fields.String()


class ArticleSummaryOut(Schema):
    id = fields.Integer()
    url = fields.String()
    title = fields.String()
    publisher = fields.String()
    author = fields.String()
    published_date = fields.String(allow_none=True)
    language = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    claim_count = fields.Integer()
    published_count = fields.Integer()


class ArticleOut(ArticleSummaryOut):
    passages = fields.List(fields.Nested(PassageOut))
    claims = fields.List(fields.Nested(ClaimOut))


class ArticlePageOut(Schema):
    items = fields.List(fields.Nested(ArticleSummaryOut))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
