"""marshmallow schemas for every API request (body and query) and response.

flask-smorest validates requests and dumps responses with them, and builds
the OpenAPI document from them. Request schemas raise on unknown fields; the
error handler turns a ValidationError into the one JSON error shape, naming
each field.
"""

import functools

from marshmallow import (INCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate,
                         validates_schema)

from annotations.models import CLAIM_STATUSES, ROLES, STANCES, VERDICTS


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _required_text(max_length: int, **kwargs):
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length), **kwargs)


# -- requests ---------------------------------------------------------------

class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    # An offset past SQLite's INTEGER range would fail in the database (500).
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 2**63 - 1))


class ArticleListArgs(PageArgs):
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    q = _text(200)


class ArticleImportIn(StrictSchema):
    url = _required_text(2048)
    title = _text(500)
    publisher = _text(200)
    author = _text(200)
    published_date = fields.Date()
    language = _text(35)
    text = fields.String()
    html = fields.String()

    @validates_schema
    def one_body(self, data, **kwargs):
        given = [k for k in ("text", "html") if data.get(k) is not None]
        if len(given) != 1:
            raise ValidationError("give exactly one of text or html", "text")


class CitationIn(StrictSchema):
    url = _required_text(2048)
    title = _text(500)
    publisher = _text(200)
    excerpt = _text(5000)
    accessed_date = fields.Date()
    archive_url = _text(2048, allow_none=True)
    stance = fields.String(validate=validate.OneOf(STANCES))


class CitationPatch(CitationIn):
    url = _text(2048)


class QuoteSelectorIn(StrictSchema):
    type = fields.String(validate=validate.Equal("TextQuoteSelector"))
    exact = _required_text(10000)
    prefix = _text(1000, load_default="")
    suffix = _text(1000, load_default="")


class ClaimIn(StrictSchema):
    passage_id = fields.Integer(required=True, strict=True)
    start = fields.Integer(strict=True)
    end = fields.Integer(strict=True)
    exact = _text(10000)
    selector = fields.Nested(QuoteSelectorIn)
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    label = _text(100, load_default="")
    rationale = _text(20000, load_default="")
    citations = fields.List(fields.Nested(CitationIn), load_default=list,
                            validate=validate.Length(max=50))

    @validates_schema
    def offsets_or_selector(self, data, **kwargs):
        has_offsets = "start" in data or "end" in data
        if has_offsets and "selector" in data:
            raise ValidationError("give start/end or a selector, not both", "selector")
        if not has_offsets and "selector" not in data:
            raise ValidationError("give start and end offsets or a TextQuoteSelector", "selector")
        if has_offsets:
            for name in ("start", "end"):
                if name not in data:
                    raise ValidationError("start and end go together", name)


class ClaimPatch(StrictSchema):
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    label = _text(100)
    rationale = _text(20000)

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("nothing to change", "_schema")


class LoginIn(StrictSchema):
    username = _required_text(64)
    password = _required_text(1024)


class TokenIn(StrictSchema):
    name = _required_text(100)


class UserIn(StrictSchema):
    username = _required_text(64)
    password = fields.String(required=True, validate=validate.Length(min=8, max=1024))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class UserPatch(StrictSchema):
    password = fields.String(validate=validate.Length(min=8, max=1024))
    role = fields.String(validate=validate.OneOf(ROLES))

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("nothing to change", "_schema")


# -- responses --------------------------------------------------------------

class CitationOut(Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
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
    rationale = fields.String(metadata={"description": "HTML, cleaned by bleach"})
    status = fields.String()
    version = fields.Integer()
    created_by = fields.Integer(allow_none=True)
    updated_by = fields.Integer(allow_none=True)
    published_by = fields.Integer(allow_none=True)
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
    verified_count = fields.Integer()
    denied_count = fields.Integer()
    unverified_count = fields.Integer()


class ArticleOut(ArticleSummaryOut):
    passages = fields.List(fields.Nested(PassageOut))
    claims = fields.List(fields.Nested(ClaimOut))


class ArticlePageOut(Schema):
    items = fields.List(fields.Nested(ArticleSummaryOut))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class ImportOut(Schema):
    created = fields.Boolean()
    passage_count = fields.Integer()
    claims_kept = fields.Integer()
    claims_orphaned = fields.Integer()
    article = fields.Nested(ArticleOut)


class AuditEntryOut(Schema):
    id = fields.Integer()
    actor_id = fields.Integer(allow_none=True)
    actor = fields.String()
    action = fields.String()
    entity = fields.String()
    entity_id = fields.Integer()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    at = fields.String()


class HistoryOut(Schema):
    claim_id = fields.Integer()
    entries = fields.List(fields.Nested(AuditEntryOut))


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    created_at = fields.String()


class SessionOut(Schema):
    user = fields.Nested(UserOut, allow_none=True)
    csrf_token = fields.String()


class TokenOut(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.String()
    last_used_at = fields.String(allow_none=True)
    revoked_at = fields.String(allow_none=True)


class NewTokenOut(TokenOut):
    token = fields.String(metadata={"description": "shown once; only its hash is stored"})


class ErrorDetail(Schema):
    status = fields.Integer()
    code = fields.String()
    message = fields.String()
    field = fields.String(allow_none=True)
    fields = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ErrorOut(Schema):
    error = fields.Nested(ErrorDetail)
    current = fields.Nested(ClaimOut, metadata={"description": "on 412: the claim as it is now"})


@functools.cache
def schema(cls, many: bool = False) -> Schema:
    """One shared instance per schema: building one deep-copies its fields,
    and instances hold no per-request state."""
    return cls(many=many)


# -- reader highlights and aliases ------------------------------------------

class HighlightsArgs(StrictSchema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2048))


class AliasIn(StrictSchema):
    url = _required_text(2048)


class AliasOut(Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    url = fields.String()
    created_at = fields.String()


class TextQuoteSelectorOut(Schema):
    type = fields.Constant("TextQuoteSelector")
    exact = fields.String()
    prefix = fields.String()
    suffix = fields.String()


class TextPositionOut(Schema):
    type = fields.Constant("TextPositionSelector")
    start = fields.Integer()
    end = fields.Integer()


class ReaderCitationOut(CitationOut):
    """What readers see of a source: no internal ids or dates."""

    class Meta:
        exclude = ("id", "claim_id", "accessed_date")


class HighlightOut(Schema):
    id = fields.Integer()
    verdict = fields.String()
    label = fields.String()
    rationale = fields.String(metadata={"description": "HTML, cleaned by bleach"})
    selector = fields.Nested(TextQuoteSelectorOut)
    position = fields.Nested(TextPositionOut, allow_none=True, metadata={
        "description": "code points in the article text (passages joined by a newline)"})
    passage_position = fields.Nested(TextPositionOut, metadata={
        "description": "code points within the claim's passage"})
    citations = fields.List(fields.Nested(ReaderCitationOut))
    updated_at = fields.String()


class HighlightsOut(Schema):
    url = fields.String()
    article = fields.Dict(allow_none=True, metadata={
        "description": "id, title, url, publisher, updated_at and text_length; null when unknown"})
    claims = fields.List(fields.Nested(HighlightOut))


# -- exports ------------------------------------------------------------------

class ExportArgs(StrictSchema):
    """The exports page's form sends every filter, the unset ones empty: an
    empty value means no filter, not a bad value."""
    article_id = fields.Integer(validate=validate.Range(1, 2**63 - 1))
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    since = fields.Date()
    until = fields.Date()
    annotator = _text(64)
    bom = fields.Boolean(load_default=False)

    @pre_load
    def empty_means_unset(self, data, **kwargs):
        return {key: value for key, value in data.items() if value != ""}


class AnnotationExportArgs(StrictSchema):
    article_id = fields.Integer(validate=validate.Range(1, 2**63 - 1))
    published = fields.Boolean(load_default=False, truthy={"1", "true"},
                               falsy={"0", "false", ""})


class ClaimReviewArgs(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "snippet")),
                           metadata={"description": "snippet: an embeddable script element"})


class WholeJson(Schema):
    """A body handed on as sent, any JSON value: the domain checks it whole
    and names every problem."""

    class Meta:
        unknown = INCLUDE

    def load(self, data, **kwargs):
        return data


class AnnotationDocumentIn(WholeJson):
    """A W3C Web Annotation document (JSON-LD): an AnnotationCollection, an
    AnnotationPage, one annotation or a list of them."""


class ImportAnnotationsOut(Schema):
    articles = fields.Integer()
    claims = fields.Integer()
    claim_ids = fields.List(fields.Integer())


class JsonLdOut(Schema):
    """JSON-LD: the properties named here, and more (documentation only)."""

    class Meta:
        unknown = INCLUDE

    context = fields.Raw(data_key="@context")
    type = fields.String(data_key="@type")


class ClaimReviewOut(JsonLdOut):
    """schema.org ClaimReview (JSON-LD)."""

    url = fields.String()
    claimReviewed = fields.String()
    reviewRating = fields.Dict()
    itemReviewed = fields.Dict()
    author = fields.Dict()
    datePublished = fields.String()


class ClaimReviewFeedOut(JsonLdOut):
    """schema.org DataFeed of ClaimReview items."""

    name = fields.String()
    dataFeedElement = fields.List(fields.Nested(ClaimReviewOut))


class AnnotationCollectionOut(Schema):
    """W3C Web Annotation AnnotationCollection with its AnnotationPages embedded."""

    class Meta:
        unknown = INCLUDE

    context = fields.Raw(data_key="@context")
    id = fields.String()
    type = fields.String()
    label = fields.String()
    total = fields.Integer()
    first = fields.Dict()
