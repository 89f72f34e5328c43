"""Schemas of the reader API: highlights for a page and URL aliases."""

from marshmallow import Schema, fields, validate

from .base import StrictSchema, _required_text
from .links import ClaimLinkOut
from .responses import CitationOut, CorrectionOut


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
    status = fields.String(metadata={"description": "published, or retracted (see "
                                                    "retraction_reason; left out altogether "
                                                    "when the service sets RETRACTED_CLAIMS "
                                                    "to hide)"})
    first_published_at = fields.String()
    updated_at = fields.String(metadata={"description": "the last approval or the retraction"})
    corrected_at = fields.String(allow_none=True, metadata={
        "description": "the last correction (say \"Corrected on\" this date), or null"})
    corrections = fields.List(fields.Nested(CorrectionOut), metadata={
        "description": "the public correction log, oldest first"})
    retracted_at = fields.String(allow_none=True, metadata={
        "description": "when it was retracted (say \"Retracted on\" this date), or null"})
    retraction_reason = fields.String(metadata={
        "description": "the editor's public reason for the retraction (plain text), or \"\""})
    review_url = fields.String(metadata={
        "description": "the claim's public fact-check page, relative to the service's base "
                       "URL (e.g. claims/12): resolve it against the address the API was "
                       "called at, without /api/v1/…"})
    link = fields.Nested(ClaimLinkOut, allow_none=True, metadata={
        "description": "the earlier fact-check this one repeats, first published on another "
                       "article (say \"Fact-check first published on\" its title), or null"})


class HighlightsOut(Schema):
    url = fields.String()
    article = fields.Dict(allow_none=True, metadata={
        "description": "id, title, url, publisher, updated_at and text_length; null when unknown"})
    claims = fields.List(fields.Nested(HighlightOut))


class LookupEntryOut(Schema):
    hash = fields.String(metadata={"description": "SHA-256 of the URL key, lower-case hex"})
    article = fields.Dict(metadata={
        "description": "id, title, url, publisher, updated_at and text_length"})
    claims = fields.List(fields.Nested(HighlightOut))


class LookupOut(Schema):
    prefix = fields.String()
    entries = fields.List(fields.Nested(LookupEntryOut), metadata={
        "description": "one per URL key in the bucket (an article's own or an alias's) of an "
                       "article with claims readers see; pick yours by its full hash"})
