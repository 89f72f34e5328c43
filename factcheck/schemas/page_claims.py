"""The extension's fact-checker mode: a claim recorded on a live page, and
the claims of a page (POST and GET /api/v1/page-claims)."""

from marshmallow import Schema, fields, validate

from annotations.importer import MAX_IMPORT_BYTES

from .base import StrictSchema, _required_text, _text
from .requests import ClaimContentIn, QuoteSelectorIn
from .responses import ClaimOut

URL_HELP = "the page's address as the browser has it (tracking parameters are ignored)"
CANONICAL_HELP = "the page's <link rel=canonical>, when it has one"


class PageArgsIn(StrictSchema):
    url = _required_text(2048, metadata={"description": URL_HELP})
    canonical_url = _text(2048, load_default=None, allow_none=True,
                          metadata={"description": CANONICAL_HELP})


class PageClaimIn(ClaimContentIn):
    url = _required_text(2048, metadata={"description": URL_HELP})
    canonical_url = _text(2048, load_default=None, allow_none=True,
                          metadata={"description": CANONICAL_HELP})
    # Characters here; the importer's byte limit (max_import_bytes) applies too.
    html = fields.String(validate=validate.Length(min=1, max=MAX_IMPORT_BYTES), metadata={
        "description": "the page as the fact-checker sees it (its DOM serialised), imported "
                       "like an upload (main-text extraction) when the desk does not know "
                       "the page yet; ignored when it does"})
    selector = fields.Nested(QuoteSelectorIn, required=True, metadata={
        "description": "the selection, with prefix and suffix from the page's visible text; "
                       "placed by the anchoring rules or refused"})


class PageClaimItemOut(Schema):
    id = fields.Integer()
    verdict = fields.String()
    label = fields.String()
    status = fields.String()
    anchor_state = fields.String()
    exact = fields.String()
    annotator_url = fields.String(metadata={"description": "the claim in the annotator"})


class PageArticleOut(Schema):
    id = fields.Integer()
    title = fields.String()
    url = fields.String()
    annotator_url = fields.String()


class PageClaimsOut(Schema):
    article = fields.Nested(PageArticleOut, allow_none=True, metadata={
        "description": "the page's article; null when the desk does not know the page"})
    claims = fields.List(fields.Nested(PageClaimItemOut), metadata={
        "description": "every claim on the article the caller may see: drafts, in review, "
                       "published, retracted"})


class PageClaimCreatedOut(PageClaimsOut):
    claim = fields.Nested(ClaimOut)
    imported = fields.Boolean(metadata={"description": "the page was imported by this request"})
