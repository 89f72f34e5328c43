"""Request schemas (bodies and query strings) for articles, claims,
citations and accounts."""

from collections.abc import Mapping

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from annotations.models import CLAIM_STATUSES, MAX_CITATIONS, ROLES, STANCES, VERDICTS
from annotations.rationale_markdown import MAX_RATIONALE_MARKDOWN
from annotations.rules import CLAIM_SUMMARY_MAX
from annotations.workflow import MAX_NOTE_LENGTH, TRANSITIONS

from .base import ROW_ID, StrictSchema, _required_text, _text


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    # An offset past SQLite's INTEGER range would fail in the database (500).
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 2**63 - 1))


class HistoryArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    # Keyset paging: the entries after this audit id (the previous page's "next").
    after = fields.Integer(validate=validate.Range(0, 2**63 - 1))


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
    text = fields.String(metadata={"description": "the article as plain text"})
    html = fields.String(metadata={
        "description": "the article as HTML: a fragment, or a whole page whose main text "
                       "and metadata are extracted"})

    @validates_schema
    def one_body(self, data, **kwargs):
        # Neither: the page is fetched from url.
        given = [k for k in ("text", "html") if data.get(k) is not None]
        if len(given) > 1:
            raise ValidationError("give at most one of text or html (neither: the page is "
                                  "fetched from url)", "text")


class ArticleMetadataPatch(StrictSchema):
    """Corrections to an article's metadata; an empty string (or null date)
    clears a field, a field left out is kept."""
    title = _text(500)
    publisher = _text(200)
    author = _text(200)
    published_date = fields.Date(allow_none=True)
    language = _text(35)

    @validates_schema
    def something(self, data, **kwargs):
        if not data:
            raise ValidationError("give at least one of title, publisher, author, "
                                  "published_date, language", "_schema")


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


RATIONALE_HELP = ("HTML, cleaned by bleach to a small safe subset; or give rationale_markdown "
                  "instead (not both)")
RATIONALE_MARKDOWN_HELP = (
    "the rationale as Markdown (CommonMark: paragraphs, *emphasis*, **strong**,"
    " [links](https://…), lists, > quotes, `code`; raw HTML shows as text; only http(s)"
    " links are kept): stored as the source the desk edits, rendered to the clean HTML"
    " readers get")


class _OneRationale:
    """A rationale comes as HTML or as Markdown: the body as sent is checked,
    since a schema's default fills ``rationale`` in."""

    @pre_load
    def one_rationale(self, data, **kwargs):
        if isinstance(data, Mapping) and "rationale" in data and "rationale_markdown" in data:
            raise ValidationError("give rationale (HTML) or rationale_markdown, not both",
                                  "rationale_markdown")
        return data


SUMMARY_HELP = ("what was claimed, in the desk's words (ClaimReview's claimReviewed; the quote"
                " when empty)")


class ClaimContentIn(_OneRationale, StrictSchema):
    """What a new claim says, wherever it is placed (a passage span, or a
    selection on a live page: factcheck/schemas/page_claims.py)."""
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    label = _text(100, load_default="")
    rationale = _text(20000, load_default="", metadata={"description": RATIONALE_HELP})
    rationale_markdown = _text(MAX_RATIONALE_MARKDOWN,
                               metadata={"description": RATIONALE_MARKDOWN_HELP})
    summary = _text(CLAIM_SUMMARY_MAX, load_default="", metadata={"description": SUMMARY_HELP})
    citations = fields.List(fields.Nested(CitationIn), load_default=list,
                            validate=validate.Length(max=MAX_CITATIONS))


class ClaimIn(ClaimContentIn):
    passage_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    start = fields.Integer(strict=True)
    end = fields.Integer(strict=True)
    exact = _text(10000)
    selector = fields.Nested(QuoteSelectorIn)

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


class CitationEdit(CitationPatch):
    """One entry of a claim's new list of sources: ``id`` keeps (and edits)
    one of its citations; without it, a new source (``url`` required)."""
    id = fields.Integer(strict=True, validate=ROW_ID)


class ClaimPatch(_OneRationale, StrictSchema):
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    label = _text(100)
    rationale = _text(20000, metadata={"description": RATIONALE_HELP})
    rationale_markdown = _text(MAX_RATIONALE_MARKDOWN,
                               metadata={"description": RATIONALE_MARKDOWN_HELP})
    summary = _text(CLAIM_SUMMARY_MAX, metadata={"description": SUMMARY_HELP})
    citations = fields.List(
        fields.Nested(CitationEdit), validate=validate.Length(max=MAX_CITATIONS),
        metadata={"description": "the claim's sources as they should be, in their order: "
                                 "listed with id are kept (and moved to where they are "
                                 "listed), without id added, left out removed"})

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("nothing to change", "_schema")


class RationalePreviewIn(StrictSchema):
    markdown = fields.String(required=True, validate=validate.Length(max=MAX_RATIONALE_MARKDOWN),
                             metadata={"description": RATIONALE_MARKDOWN_HELP})


class TransitionIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(TRANSITIONS))
    note = _text(MAX_NOTE_LENGTH, metadata={
        "description": "request_changes: what to change (kept in the discussion); "
                       "retract: the reason readers are shown"})
    correction_note = _text(MAX_NOTE_LENGTH, metadata={
        "description": "approve: what readers are told when the revision changes a published "
                       "verdict, label or rationale (required then)"})
    minor_edit = fields.Boolean(metadata={
        "description": "approve: the rationale was reworded without changing its meaning"})


class AnchorIn(StrictSchema):
    """A new span for a claim (re-attach an orphaned one, or move it)."""
    passage_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    start = fields.Integer(required=True, strict=True)
    end = fields.Integer(required=True, strict=True)
    exact = _text(10000)


class LoginIn(StrictSchema):
    username = _required_text(64)
    password = _required_text(1024)


class TokenIn(StrictSchema):
    name = _required_text(100)


class SignInTokenIn(LoginIn):
    """A password sign-in that answers with a new token instead of a session."""
    name = _required_text(100)


class UserIn(StrictSchema):
    username = _required_text(64)
    password = fields.String(required=True, validate=validate.Length(min=8, max=1024))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class UserPatch(StrictSchema):
    password = fields.String(validate=validate.Length(min=8, max=1024))
    role = fields.String(validate=validate.OneOf(ROLES))
    # JSON true or false only (not "yes", "off"...).
    disabled = fields.Boolean(truthy={True}, falsy={False}, metadata={
        "description": "true: the account can no longer log in, and its sessions and API "
                       "tokens are refused (it is kept, and its claims keep their author); "
                       "false: it can log in again"})

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("nothing to change", "_schema")


class PasswordChangeIn(StrictSchema):
    """Your own new password; your other sessions end, this one stays."""
    current_password = _required_text(1024)
    new_password = fields.String(required=True, validate=validate.Length(min=8, max=1024))

    @validates_schema
    def a_new_one(self, data, **kwargs):
        if data.get("current_password") == data.get("new_password"):
            raise ValidationError("choose a password other than the current one",
                                  "new_password")
