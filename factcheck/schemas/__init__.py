"""marshmallow schemas for every API request (body and query) and response.

flask-smorest validates requests and dumps responses with them, and builds
the OpenAPI document from them. Request schemas raise on unknown fields; the
error handler turns a ValidationError into the one JSON error shape, naming
each field.
"""

# The schemas live in modules by purpose; every public name is re-exported
# here, so ``from factcheck.schemas import X`` and ``getattr(schemas, name)``
# keep working.
from .base import StrictSchema, schema
from .requests import (PageArgs, HistoryArgs, ArticleListArgs, ArticleImportIn,
                       ArticleMetadataPatch, CitationIn,
                       CitationPatch, CitationEdit, QuoteSelectorIn, ClaimIn, ClaimPatch,
                       TransitionIn, AnchorIn, LoginIn, TokenIn, SignInTokenIn, UserIn, UserPatch,
                       PasswordChangeIn, RationalePreviewIn)
from .responses import (CitationOut, CorrectionOut, PublicationOut, ChangeRequestOut, ClaimOut,
                        PassageOut, ArticleSummaryOut, ArticleOut, ArticlePageOut, ImportOut, AuditEntryOut, HistoryOut, UserOut, SessionOut,
                        TokenOut, NewTokenOut, TokenUserOut, NewTokenUserOut, ErrorDetail, ErrorOut,
                        RationalePreviewOut)
from .readers import (HighlightsArgs, AliasIn, AliasOut, TextQuoteSelectorOut, TextPositionOut,
                      ReaderCitationOut, HighlightOut, HighlightsOut, LookupEntryOut,
                      LookupOut)
from .exports import (ExportArgs, AnnotationExportArgs, ClaimReviewArgs, WholeJson,
                      AnnotationDocumentIn, ImportAnnotationsOut, JsonLdOut, ClaimReviewOut,
                      ClaimReviewFeedOut, AnnotationCollectionOut, AnnotationContainerArgs,
                      AnnotationOut, ClaimReviewFeedArgs, ExportCountOut)
from .assignments import (AssigneeIn, QueueArgs, ArticleAssignmentOut, QueueItemOut, QueueOut)
from .comments import CommentListArgs, CommentIn, CommentOut, CommentsOut
from .links import LinkIn, ClaimLinkOut
from .page_claims import (PageArgsIn, PageClaimIn, PageClaimItemOut, PageArticleOut,
                          PageClaimsOut, PageClaimCreatedOut)
from .claim_list import (ClaimListArgs, ClaimListItemOut, ClaimListOut, ClaimBulkIn,
                         ClaimBulkItemOut, ClaimBulkOut, SimilarClaimsArgs, SimilarClaimOut)

__all__ = [
    "StrictSchema", "schema", "PageArgs", "HistoryArgs", "ArticleListArgs", "ArticleImportIn",
    "ArticleMetadataPatch",
    "CitationIn", "CitationPatch", "CitationEdit", "TransitionIn", "AnchorIn",
    "CorrectionOut", "PublicationOut", "ChangeRequestOut", "QuoteSelectorIn", "ClaimIn", "ClaimPatch", "LoginIn",
    "TokenIn", "SignInTokenIn", "UserIn", "UserPatch", "PasswordChangeIn", "CitationOut", "ClaimOut", "PassageOut", "ArticleSummaryOut",
    "ArticleOut", "ArticlePageOut", "ImportOut", "AuditEntryOut", "HistoryOut", "UserOut",
    "SessionOut", "TokenOut", "NewTokenOut", "TokenUserOut", "NewTokenUserOut", "ErrorDetail", "ErrorOut", "HighlightsArgs",
    "AliasIn", "AliasOut", "TextQuoteSelectorOut", "TextPositionOut", "ReaderCitationOut",
    "HighlightOut", "HighlightsOut", "LookupEntryOut", "LookupOut", "ExportArgs", "AnnotationExportArgs", "ClaimReviewArgs",
    "WholeJson", "AnnotationDocumentIn", "ImportAnnotationsOut", "JsonLdOut", "ClaimReviewOut",
    "ClaimReviewFeedOut", "AnnotationCollectionOut", "AnnotationContainerArgs", "AnnotationOut",
    "ClaimReviewFeedArgs", "ExportCountOut",
    "AssigneeIn", "QueueArgs", "ArticleAssignmentOut", "QueueItemOut", "QueueOut",
    "CommentListArgs", "CommentIn", "CommentOut", "CommentsOut",
    "LinkIn", "ClaimLinkOut",
    "PageArgsIn", "PageClaimIn", "PageClaimItemOut", "PageArticleOut", "PageClaimsOut",
    "PageClaimCreatedOut",
    "SimilarClaimsArgs", "SimilarClaimOut", "RationalePreviewIn", "RationalePreviewOut",
    "ClaimListArgs", "ClaimListItemOut", "ClaimListOut", "ClaimBulkIn", "ClaimBulkItemOut",
    "ClaimBulkOut",
]
