"""The vocabulary both directions share: the JSON-LD context, page size and
the citation fields carried as "factdesk:" properties."""

from ..models import CITATION_FIELDS

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FACTDESK_NS = "https://factdesk.example.org/ns#"
CONTEXT = [ANNO_CONTEXT, {"factdesk": FACTDESK_NS}]
# Pages are embedded one inside the previous one's "next", so they are large:
# 100 pages hold the 100,000 annotations an import accepts, far from any
# JSON nesting limit.
PAGE_SIZE = 1000
MAX_IMPORT_ANNOTATIONS = 100_000
# Citation fields carried as "factdesk:" properties of a linking body.
CITATION_EXTRAS = tuple(k for k in CITATION_FIELDS if k not in ("url", "stance"))
