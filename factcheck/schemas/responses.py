"""Response schemas for articles, claims, citations, history, accounts and
errors."""

from marshmallow import Schema, fields, missing

from annotations.rationale_markdown import markdown_from_html

from .links import ClaimLinkOut


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


class PublishedCitationOut(CitationOut):
    class Meta:
        exclude = ("id", "claim_id")


class CorrectionOut(Schema):
    at = fields.String()
    note = fields.String()
    previous_verdict = fields.String()
    verdict = fields.String()
    previous_label = fields.String()
    label = fields.String()


class PublicationOut(Schema):
    """What readers see of a claim while the desk may be revising it."""
    exact = fields.String()
    prefix = fields.String()
    suffix = fields.String()
    anchor_state = fields.String()
    passage_id = fields.Integer(allow_none=True)
    start = fields.Integer(attribute="start_offset", allow_none=True)
    end = fields.Integer(attribute="end_offset", allow_none=True)
    verdict = fields.String()
    label = fields.String()
    rationale = fields.String()
    summary = fields.String(metadata={"description": "the claim summary readers are shown"})
    status = fields.String(metadata={"description": "published or retracted"})
    version = fields.Integer(metadata={"description": "the claim version approved"})
    first_published_at = fields.String()
    published_at = fields.String(metadata={"description": "the last approval"})
    corrected_at = fields.String(allow_none=True)
    retracted_at = fields.String(allow_none=True)
    retraction_reason = fields.String()
    citations = fields.List(fields.Nested(PublishedCitationOut))
    corrections = fields.List(fields.Nested(CorrectionOut))
    link = fields.Nested(ClaimLinkOut, allow_none=True, metadata={
        "description": "the earlier fact-check readers are shown instead, or null"})


class ChangeRequestOut(Schema):
    by = fields.String()
    at = fields.String()
    note = fields.String()


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
    rationale_markdown = fields.Method("_rationale_markdown", metadata={
        "description": "the desk's copy only: the rationale's Markdown source. A rationale "
                       "written as HTML (rationale_format html) has none stored: this is then a "
                       "Markdown conversion of its HTML, stored as its source once saved",
        "type": "string"})
    rationale_format = fields.Method("_rationale_format", metadata={
        "description": "the desk's copy only: markdown (written as Markdown) or html",
        "type": "string", "enum": ["markdown", "html"]})
    summary = fields.String(metadata={"description": "what was claimed, in the desk's words"})
    status = fields.String()
    version = fields.Integer()
    created_by = fields.Integer(allow_none=True)
    updated_by = fields.Integer(allow_none=True)
    published_by = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    published_at = fields.String(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    last_edited_by = fields.Integer(allow_none=True, metadata={
        "description": "who last changed what the claim says (the two-person rule)"})
    citations = fields.List(fields.Nested(CitationOut))
    publication = fields.Nested(PublicationOut, allow_none=True, metadata={
        "description": "what readers see, when they see anything; differs from the claim "
                       "while a revision waits for approval"})
    actions = fields.List(fields.String(), metadata={
        "description": "the workflow actions the claim's state allows"})
    change_request = fields.Nested(ChangeRequestOut, allow_none=True, metadata={
        "description": "while changes are requested: the editor's latest request"})
    link = fields.Nested(ClaimLinkOut, allow_none=True, metadata={
        "description": "the earlier fact-check this claim follows (its verdict, label, "
                       "rationale and sources are that one's), or null"})

    # Readers' copies (publications) have no source column: both stay out.
    @staticmethod
    def _rationale_markdown(claim):
        if "rationale_markdown" not in claim:
            return missing
        source = claim["rationale_markdown"]
        return markdown_from_html(claim["rationale"]) if source is None else source

    @staticmethod
    def _rationale_format(claim):
        if "rationale_markdown" not in claim:
            return missing
        return "html" if claim["rationale_markdown"] is None else "markdown"


class RationalePreviewOut(Schema):
    html = fields.String(metadata={"description": "the clean HTML the Markdown is saved as"})


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
    fetched_at = fields.String(allow_none=True, metadata={
        "description": "when the page was last fetched by URL; null if never"})
    http_etag = fields.String(allow_none=True)
    http_last_modified = fields.String(allow_none=True)
    claim_count = fields.Integer()
    published_count = fields.Integer()
    verified_count = fields.Integer()
    denied_count = fields.Integer()
    unverified_count = fields.Integer()
    assignee_id = fields.Integer(allow_none=True)
    in_review_count = fields.Integer(allow_none=True, metadata={
        "description": "claims waiting for review; null for readers"})
    orphaned_count = fields.Integer(allow_none=True, metadata={
        "description": "published claims (not retracted) a re-import took off the page, "
                       "to re-attach; null for readers"})


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
    unchanged = fields.Boolean(metadata={
        "description": "a re-fetch found the page unchanged (HTTP 304): nothing re-imported"})
    aliases_added = fields.List(fields.String(), metadata={
        "description": "the page's canonical URL, or where a fetch was redirected, "
                       "added as aliases"})
    warnings = fields.List(fields.String())
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
    next = fields.Integer(allow_none=True, metadata={
        "description": "pass as ``after`` for the next page; null on the last page"})


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    created_at = fields.String()
    disabled = fields.Function(lambda user: bool(user.get("disabled_at")))
    disabled_at = fields.String(allow_none=True)
    last_login_at = fields.String(allow_none=True, metadata={
        "description": "the last password login (null: none recorded)"})


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


class TokenUserOut(TokenOut):
    """A token with the account it acts for."""
    user = fields.Nested(UserOut)


class NewTokenUserOut(TokenUserOut):
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
