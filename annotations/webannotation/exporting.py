"""W3C Web Annotation export of claims (see the package docstring).

Three shapes of one collection, all built from the same pages:

- ``annotation_document``: one annotation, dereferenced at its id;
- ``container`` and ``collection_page``: the Web Annotation Protocol's
  container (an AnnotationCollection with its first page embedded) and its
  pages, each answering at its own id, linked by ``next``/``prev`` IRIs;
- ``export_collection``: the whole collection in one file, for another desk
  to import: the same pages (the first embedded as ``first``, the others
  under "factdesk:pages", still linked by IRIs) and the articles' text.
"""

from urllib.parse import urlencode

from ..models import ARTICLE_FIELDS
from ..store import Store
from .vocabulary import CONTEXT, PAGE_SIZE, SOURCE_EXTRAS, model_time

COLLECTION_LABEL = "Fact desk claims"


def _publication_terms(claim: dict) -> dict:
    """What readers are told about a publication beyond its body: dates, the
    correction log (oldest first) and the retraction."""
    terms = {"factdesk:firstPublished": model_time(claim["first_published_at"]),
             "factdesk:lastApproved": model_time(claim["published_at"])}
    if claim["corrections"]:
        terms["factdesk:corrections"] = [
            {"factdesk:date": model_time(c["at"]), "factdesk:note": c["note"],
             "factdesk:previousVerdict": c["previous_verdict"], "factdesk:verdict": c["verdict"],
             "factdesk:previousLabel": c["previous_label"], "factdesk:label": c["label"]}
            for c in claim["corrections"]]
    if claim["retracted_at"]:
        terms["factdesk:retracted"] = model_time(claim["retracted_at"])
        terms["factdesk:retractionReason"] = claim["retraction_reason"]
    return terms


def citation_body(citation: dict) -> dict:
    """A citation as a body. An External Web Resource may not carry a
    purpose, so the cited page is the ``source`` of a SpecificResource that
    says why it is there ("linking", and the desk's stance)."""
    source = {"id": citation["url"], "type": "Text"}
    for key in SOURCE_EXTRAS:
        if citation.get(key):
            source[f"factdesk:{key}"] = citation[key]
    return {"type": "SpecificResource", "purpose": "linking", "source": source,
            "factdesk:stance": citation["stance"]}


def annotation_id(base_url: str, claim_id: int) -> str:
    return f"{base_url}/api/v1/annotations/{claim_id}"


def _annotation(claim: dict, article: dict, passage_starts: dict, base_url: str,
                usernames: dict, published: bool = False) -> dict:
    """One claim as a complete annotation, its own @context included, so an
    item taken out of its page is still one."""
    body = [{"type": "TextualBody", "purpose": "assessing", "value": claim["verdict"],
             "format": "text/plain"}]
    if claim["label"]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": claim["label"],
                     "format": "text/plain"})
    if claim["rationale"]:
        body.append({"type": "TextualBody", "purpose": "describing", "value": claim["rationale"],
                     "format": "text/html"})
    body.extend(citation_body(citation) for citation in claim["citations"])
    selectors = [{"type": "TextQuoteSelector", "exact": claim["exact"],
                  "prefix": claim["prefix"], "suffix": claim["suffix"]}]
    if claim["anchor_state"] == "anchored":
        start = passage_starts[claim["passage_id"]] + claim["start_offset"]
        selectors.append({"type": "TextPositionSelector", "start": start,
                          "end": start + claim["end_offset"] - claim["start_offset"]})
    annotation = {
        "@context": CONTEXT,
        "id": annotation_id(base_url, claim["id"]),
        "type": "Annotation",
        "motivation": "assessing",
        "created": model_time(claim["created_at"]),
        "modified": model_time(claim["updated_at"]),
        "body": body,
        "target": {"type": "SpecificResource", "source": article["url"],
                   "selector": selectors},
        "factdesk:status": claim["status"],
        "factdesk:anchorState": claim["anchor_state"],
    }
    if claim.get("summary"):
        annotation["factdesk:claimSummary"] = claim["summary"]
    if published:
        annotation.update(_publication_terms(claim))
    creator = usernames.get(claim["created_by"])
    if creator:
        annotation["creator"] = {"type": "Person", "nickname": creator}
    return annotation


def _annotations(store: Store, claims: list[dict], base_url: str, published: bool) -> list:
    article_ids = {c["article_id"] for c in claims}
    articles = store.articles_by_id(article_ids)
    starts = store.passage_starts(article_ids)
    usernames = {u["id"]: u["username"] for u in store.list_users()}
    return [_annotation(c, articles[c["article_id"]], starts, base_url, usernames, published)
            for c in claims]


def annotation_document(store: Store, claim_id: int, base_url: str) -> dict:
    """The annotation at its id: the claim as readers see it (its
    publication, published or retracted); NotFound when never published."""
    claim = store.public_claim(claim_id)
    return _annotations(store, [claim], base_url, published=True)[0]


class Collection:
    """One collection: every claim (the desk's working copies), or the
    publications (``published_only``), of all articles or one. Its id is
    the container's address with the query that selects it."""

    def __init__(self, store: Store, base_url: str, published_only: bool = False,
                 article_id: int | None = None, page_size: int | None = None):
        self.store, self.base_url = store, base_url
        self.published_only, self.article_id = published_only, article_id
        self.page_size = page_size or PAGE_SIZE
        query = {}
        if article_id is not None:
            query["article_id"] = article_id
        if published_only:
            query["published"] = 1
        self.query = query
        self.id = f"{base_url}/api/v1/annotations" + (f"?{urlencode(query)}" if query else "")
        self.total = store.annotation_count(published_only, article_id)
        self.article_ids = set()  # the articles of the pages made so far

    @property
    def page_count(self) -> int:
        return -(-self.total // self.page_size)

    def page_id(self, number: int) -> str:
        return f"{self.base_url}/api/v1/annotations?{urlencode({**self.query, 'page': number})}"

    def summary(self) -> dict:
        """What a page says of the collection it is part of."""
        return {"id": self.id, "type": "AnnotationCollection", "label": COLLECTION_LABEL,
                "total": self.total}

    def page(self, number: int, claims: list[dict] | None = None) -> dict | None:
        """Page ``number`` (from 0), None past the last one."""
        if not 0 <= number < self.page_count:
            return None
        if claims is None:
            claims = self.store.annotation_claims(self.published_only, self.article_id,
                                                  self.page_size, offset=number * self.page_size)
        self.article_ids.update(c["article_id"] for c in claims)
        page = {"id": self.page_id(number), "type": "AnnotationPage", "partOf": self.summary(),
                "startIndex": number * self.page_size,
                "items": _annotations(self.store, claims, self.base_url, self.published_only)}
        if number > 0:
            page["prev"] = self.page_id(number - 1)
        if number + 1 < self.page_count:
            page["next"] = self.page_id(number + 1)
        return page

    def pages(self):
        """Every page in order, reading the claims once (by id, not offset)."""
        after = 0
        for number in range(self.page_count):
            claims = self.store.annotation_claims(self.published_only, self.article_id,
                                                  self.page_size, after=after)
            if not claims:
                return
            after = claims[-1]["id"]
            yield self.page(number, claims)

    def container(self, embed_first: bool = True) -> dict:
        """The collection as the Protocol's container: its first page
        embedded (or, ``embed_first`` off, named by its IRI), the last named;
        an empty collection has neither."""
        document = {"@context": CONTEXT, "id": self.id,
                    "type": ["BasicContainer", "AnnotationCollection"],
                    "label": COLLECTION_LABEL, "total": self.total}
        if self.total:
            document["first"] = self.page(0) if embed_first else self.page_id(0)
            document["last"] = self.page_id(self.page_count - 1)
        return document

    def page_document(self, number: int) -> dict | None:
        page = self.page(number)
        return None if page is None else {"@context": CONTEXT, **page}


def _article_entries(store: Store, article_ids) -> list[dict]:
    entries = []
    for article_id in sorted(article_ids):
        article = store.article(article_id)
        entries.append({"url": article["url"], **{key: article[key] for key in ARTICLE_FIELDS},
                        "passages": [{"kind": p["kind"], "text": p["text"]}
                                     for p in store.passages(article_id)]})
    return entries


def export_collection(store: Store, base_url: str, published_only: bool = False,
                      article_id: int | None = None) -> dict:
    """The whole collection in one document (see the module docstring), the
    desk's working copies or (``published_only``) the publications, with
    each article's metadata and passages under "factdesk:articles" so that
    another desk can import it into an empty database."""
    collection = Collection(store, base_url, published_only, article_id)
    pages = list(collection.pages())
    article_ids = collection.article_ids | ({article_id} if article_id is not None else set())
    document = {"@context": CONTEXT, "id": collection.id, "type": "AnnotationCollection",
                "label": COLLECTION_LABEL, "total": collection.total}
    if pages:
        document["first"] = pages[0]
        document["last"] = pages[-1]["id"]
        if len(pages) > 1:
            document["factdesk:pages"] = pages[1:]
    document["factdesk:articles"] = _article_entries(store, article_ids)
    return document
