"""W3C Web Annotation JSON-LD: export claims, and import them back.

Each claim is an Annotation with motivation "assessing". Its target is the
article URL with a TextQuoteSelector and a TextPositionSelector (code
points in the article text, passages joined by a newline). Its body carries
the verdict (purpose "assessing"), the label ("tagging"), the rationale
("describing", HTML) and each citation: a SpecificResource with purpose
"linking" whose source is the cited page (an External Web Resource may not
carry a purpose). The claim summary is "factdesk:claimSummary". Times are
xsd:dateTime in UTC with "Z", as the model requires.

Every annotation carries its own @context and is dereferenceable at its id
(what readers see of the claim). The collection is served as the Web
Annotation Protocol's container, a page at a time (see exporting); the
whole export holds every page in one file, linked by IRIs.

So that an export re-imported into an empty database gives the same claims,
the collection also carries each article's metadata and passages under the
"factdesk:articles" key; properties the model has no word for use the
"factdesk:" prefix, declared in the context.

The whole export is the desk's working copies, each with its workflow
state ("factdesk:status": a published claim under revision is a draft
again). ``published_only`` exports what readers see instead: each claim's
publication (published or retracted), with the dates readers are shown
("factdesk:firstPublished", "factdesk:lastApproved"), its public correction
log ("factdesk:corrections") and, once retracted, when and why. A
publication a re-import orphaned is exported without a position, like any
orphaned claim.
"""

from .exporting import Collection, annotation_document, export_collection
from .importing import MAX_IMPORT_ANNOTATIONS, import_collection

__all__ = ["Collection", "annotation_document", "export_collection", "import_collection",
           "MAX_IMPORT_ANNOTATIONS"]
