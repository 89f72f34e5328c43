"""Schemas of the exports: CSV filters, W3C Web Annotation documents and
schema.org ClaimReview (JSON-LD)."""

from marshmallow import INCLUDE, Schema, fields, pre_load, validate

from annotations.exports import MAX_SELECTED_CLAIMS
from annotations.models import CLAIM_STATUSES, VERDICTS

from .base import ROW_ID, StrictSchema, _text


class ExportArgs(StrictSchema):
    """The exports page's form sends every filter, the unset ones empty: an
    empty value means no filter, not a bad value."""
    article_id = fields.Integer(validate=ROW_ID)
    verdict = fields.String(validate=validate.OneOf(VERDICTS), metadata={
        "description": "the exported verdict (a published claim's is its published one)"})
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES), metadata={
        "description": "the exported row's status: a claim with a publication is published or"
                       " retracted (its revision's state is the revision_pending column)"})
    since = fields.Date()
    until = fields.Date()
    annotator = _text(64)
    claim_ids = fields.List(
        fields.Integer(validate=ROW_ID), data_key="claim",
        validate=validate.Length(1, MAX_SELECTED_CLAIMS),
        metadata={"description": f"only these claims (repeat: claim=1&claim=2; at most "
                                 f"{MAX_SELECTED_CLAIMS}), as the claim desk's selection"})
    bom = fields.Boolean(load_default=False)

    @pre_load
    def empty_means_unset(self, data, **kwargs):
        return {key: value for key, value in data.items() if value != ""}


class AnnotationExportArgs(StrictSchema):
    article_id = fields.Integer(validate=ROW_ID)
    published = fields.Boolean(
        load_default=False, truthy={"1", "true"}, falsy={"0", "false", ""},
        metadata={"description": "what readers see: each claim's publication (published or"
                                 " retracted), not the desk's working copy"})


class ExportCountOut(Schema):
    rows = fields.Integer(metadata={"description": "rows the table would have"})


class AnnotationContainerArgs(AnnotationExportArgs):
    page = fields.Integer(validate=validate.Range(0, 2**31), metadata={
        "description": "one page of the collection (from 0), as its id names it"})


class ClaimReviewFeedArgs(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 2**31),
                          metadata={"description": "the feed's page, from 1"})


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
    articles = fields.Integer(metadata={"description": "articles created or re-imported"})
    claims = fields.Integer(metadata={"description": "claims created"})
    claim_ids = fields.List(fields.Integer())
    unchanged = fields.Integer(metadata={
        "description": "annotations already here (imported before, or the same quote on the"
                       " same article), left as they are"})


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
    datePublished = fields.String(metadata={"description": "first published (YYYY-MM-DD)"})
    dateModified = fields.String(
        metadata={"description": "last approved revision (YYYY-MM-DD)"})


class ClaimReviewFeedOut(JsonLdOut):
    """schema.org DataFeed of ClaimReview items."""

    name = fields.String()
    dataFeedElement = fields.List(fields.Nested(ClaimReviewOut))


class AnnotationOut(Schema):
    """One W3C Web Annotation (JSON-LD), with its own @context."""

    class Meta:
        unknown = INCLUDE

    context = fields.Raw(data_key="@context")
    id = fields.String()
    type = fields.String()
    motivation = fields.String()
    body = fields.List(fields.Dict())
    target = fields.Dict()


class AnnotationCollectionOut(Schema):
    """W3C Web Annotation AnnotationCollection (or one of its pages)."""

    class Meta:
        unknown = INCLUDE

    context = fields.Raw(data_key="@context")
    id = fields.String()
    type = fields.Raw(metadata={"description": "AnnotationCollection (the container: also"
                                               " BasicContainer), or AnnotationPage"})
    label = fields.String()
    total = fields.Integer()
    first = fields.Raw(metadata={"description": "the first page, embedded or its IRI"})
    last = fields.String(metadata={"description": "the last page's IRI"})
    partOf = fields.Dict(metadata={"description": "a page's collection: id, label, total"})
    next = fields.String(metadata={"description": "a page's next page (IRI)"})
    prev = fields.String(metadata={"description": "a page's previous page (IRI)"})
    startIndex = fields.Integer()
    items = fields.List(fields.Dict())
