"""W3C Web Annotation import: a document checked whole, then written in one
transaction, or refused whole (see the package docstring)."""

from ..anchoring import ArticleText, count_occurrences
from ..importer import DEFAULT_LIMITS, ImportLimits, ParsedArticle, check_passage_limits
from ..models import (ARTICLE_FIELDS, CLAIM_STATUSES, PASSAGE_KINDS, STANCES, Actor,
                      DomainError, Passage)
from ..rules import check_choice, check_citation_count, check_verdict, require_sources
from ..sanitize import clean_rationale
from ..store import Store
from ..rules import CLAIM_SUMMARY_MAX
from ..text import normalize_text
from ..urls import validate_http_url
from .vocabulary import MAX_IMPORT_ANNOTATIONS, stored_time


class _Problems:
    """Collects every problem in a document so the refusal names them all."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, message: str) -> None:
        self.items.append((where, message))

    def check(self, rule, *args) -> None:
        """Run a domain rule; its refusal becomes one of the problems."""
        try:
            rule(*args)
        except DomainError as error:
            self.add(error.field, error.message)

    def raise_if_any(self) -> None:
        if self.items:
            where, message = self.items[0]
            more = f" (and {len(self.items) - 1} more problems)" if len(self.items) > 1 else ""
            error = DomainError(where, message + more)
            error.problems = self.items
            raise error


def _text(value, where, problems, required=False, limit=20000) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(where, "must be a non-empty string" if required else "must be a string")
        return ""
    if len(value) > limit:
        problems.add(where, f"longer than {limit} characters")
    return value


def _url(value, where, problems, required=True) -> str | None:
    if value in (None, "") and not required:
        return None
    try:
        return validate_http_url(value, where)
    except DomainError as error:
        problems.add(where, error.message)
        return None


def _pages(document, problems) -> list:
    """The annotations of a collection (embedded pages), a page, or a list."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        problems.add("document", "must be a JSON object")
        return []
    kind = document.get("type")
    if kind == "Annotation":
        return [document]
    if kind == "AnnotationPage":
        items = document.get("items")
        if not isinstance(items, list):
            problems.add("items", "an AnnotationPage needs an items list")
            return []
        return items
    if kind != "AnnotationCollection":
        problems.add("type", "expected AnnotationCollection, AnnotationPage or Annotation")
        return []
    # Pages are linked by IRIs: the whole export embeds the first and holds
    # the others under "factdesk:pages" (exports made before linked them by
    # embedding each in the previous one's "next", also read).
    embedded = document.get("factdesk:pages", [])
    if not isinstance(embedded, list):
        problems.add("factdesk:pages", "must be a list of AnnotationPage objects")
        embedded = []
    by_id = {page.get("id"): page for page in embedded if isinstance(page, dict)}
    items, page, seen = [], document.get("first"), 0
    while page is not None:
        seen += 1
        if isinstance(page, str):
            if page not in by_id:
                problems.add(f"page {seen}", f"the page {page} is not in the document: import"
                             " the whole export (GET /api/v1/exports/annotations.jsonld)")
                break
            page = by_id[page]
        if not isinstance(page, dict) or page.get("type") != "AnnotationPage" \
                or not isinstance(page.get("items"), list):
            problems.add(f"page {seen}", "pages must be AnnotationPage objects with items")
            break
        items.extend(page["items"])
        page = page.get("next")
        if seen > 10_000:
            problems.add("first", "too many pages")
            break
    total = document.get("total")
    if isinstance(total, int) and total != len(items):
        problems.add("total", f"says {total} annotations but the pages hold {len(items)}")
    return items


def _parse_articles(document, problems, limits: ImportLimits) -> dict:
    articles = {}
    raw = document.get("factdesk:articles", []) if isinstance(document, dict) else []
    if not isinstance(raw, list):
        problems.add("factdesk:articles", "must be a list")
        return articles
    for i, entry in enumerate(raw):
        where = f"factdesk:articles.{i}"
        if not isinstance(entry, dict):
            problems.add(where, "must be an object")
            continue
        url = _url(entry.get("url"), f"{where}.url", problems)
        passages = []
        raw_passages = entry.get("passages")
        if not isinstance(raw_passages, list) or not raw_passages:
            problems.add(f"{where}.passages", "must be a non-empty list")
            raw_passages = []
        for n, p in enumerate(raw_passages):
            if not isinstance(p, dict) or p.get("kind") not in PASSAGE_KINDS \
                    or not isinstance(p.get("text"), str) or not p["text"].strip():
                problems.add(f"{where}.passages.{n}", "needs a kind and a non-empty text")
                continue
            passages.append(Passage(p["kind"], normalize_text(p["text"])))
        problems.check(check_passage_limits, passages, limits, f"{where}.passages")
        metadata = {k: entry.get(k) for k in ARTICLE_FIELDS if isinstance(entry.get(k), str)}
        if url:
            articles[url] = (passages, metadata)
    return articles


def _citation(body: dict, where: str, problems) -> dict:
    """A linking body: a SpecificResource whose source is the cited page
    (the model's form), or the cited page itself (older exports)."""
    source = body.get("source") if body.get("type") == "SpecificResource" else body
    if isinstance(source, str):
        source = {"id": source}
    if not isinstance(source, dict):
        problems.add(f"{where}.source", "must be the cited resource, with its id")
        source = {}
    url = _url(source.get("id"), f"{where}.source.id", problems)
    stance = body.get("factdesk:stance", "supports")
    problems.check(check_choice, f"{where}.factdesk:stance", stance, STANCES)
    citation = {"url": url, "stance": stance}
    for key in ("title", "publisher", "excerpt"):
        citation[key] = _text(source.get(f"factdesk:{key}"), f"{where}.{key}", problems)
    archive = _url(source.get("factdesk:archive_url"), f"{where}.archive_url", problems,
                   required=False)
    if archive:
        citation["archive_url"] = archive
    if isinstance(source.get("factdesk:accessed_date"), str):
        citation["accessed_date"] = source["factdesk:accessed_date"]
    return citation


def _parse_annotation(item, where, problems) -> dict | None:
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        problems.add(where, "must be an Annotation object")
        return None
    if item.get("motivation") != "assessing":
        problems.add(f"{where}.motivation", "must be 'assessing'")
    target = item.get("target")
    if not isinstance(target, dict):
        problems.add(f"{where}.target", "must be an object with source and selector")
        return None
    source = _url(target.get("source"), f"{where}.target.source", problems)
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if isinstance(s, dict)
                  and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict)
                     and s.get("type") == "TextPositionSelector"), None)
    if quote is None:
        problems.add(f"{where}.target.selector", "needs a TextQuoteSelector")
        return None
    exact = _text(quote.get("exact"), f"{where}.target.selector.exact", problems, required=True)
    prefix = _text(quote.get("prefix"), f"{where}.target.selector.prefix", problems)
    suffix = _text(quote.get("suffix"), f"{where}.target.selector.suffix", problems)
    if position is not None and not (isinstance(position.get("start"), int)
                                     and isinstance(position.get("end"), int)
                                     and 0 <= position["start"] < position["end"]):
        problems.add(f"{where}.target.selector", "TextPositionSelector needs 0 <= start < end")
        position = None
    bodies = item.get("body")
    bodies = bodies if isinstance(bodies, list) else [bodies]
    creator = item.get("creator")
    nickname = creator.get("nickname") if isinstance(creator, dict) else None
    claim = {"source": source, "exact": exact, "prefix": prefix, "suffix": suffix,
             "id": item.get("id") if isinstance(item.get("id"), str) else None,
             "created": stored_time(item.get("created")),
             "modified": stored_time(item.get("modified")),
             "summary": _text(item.get("factdesk:claimSummary"), f"{where}.factdesk:claimSummary",
                              problems, limit=CLAIM_SUMMARY_MAX),
             "position": position, "verdict": None, "label": "", "rationale": "",
             "citations": [], "status": item.get("factdesk:status", "draft"),
             "orphaned": item.get("factdesk:anchorState") == "orphaned",
             "creator": _text(nickname, f"{where}.creator.nickname", problems, limit=64) or None}
    problems.check(check_choice, f"{where}.factdesk:status", claim["status"], CLAIM_STATUSES)
    for n, body in enumerate(bodies):
        body_where = f"{where}.body.{n}"
        if not isinstance(body, dict):
            problems.add(body_where, "must be an object")
            continue
        purpose = body.get("purpose")
        if purpose == "assessing":
            claim["verdict"] = body.get("value")
            problems.check(check_verdict, claim["verdict"], f"{body_where}.value")
        elif purpose == "tagging":
            claim["label"] = _text(body.get("value"), f"{body_where}.value", problems, limit=100)
        elif purpose == "describing":
            claim["rationale"] = clean_rationale(_text(body.get("value"), f"{body_where}.value",
                                                       problems))
        elif purpose == "linking":
            claim["citations"].append(_citation(body, body_where, problems))
        else:
            problems.add(f"{body_where}.purpose",
                         "must be assessing, tagging, describing or linking")
    if claim["verdict"] is None and not any(w.startswith(f"{where}.body")
                                            for w, _ in problems.items):
        problems.add(f"{where}.body", "needs a body with purpose 'assessing' giving the verdict")
    problems.check(check_citation_count, len(claim["citations"]), f"{where}.body")
    if claim["status"] == "published":
        problems.check(require_sources, claim["verdict"], len(claim["citations"]), f"{where}.body")
    return claim


def _locate(claim: dict, text: ArticleText):
    """Where the claim goes: by position when it still shows the quote,
    else by quote and context. None when it cannot be placed surely."""
    position = claim["position"]
    if position:
        start, end = position["start"], position["end"]
        if text.text[start:end] == claim["exact"]:
            index = text.passage_at(start)
            passage_start = text.starts[index]
            if end <= passage_start + len(text.passage_texts[index]):
                return index, start - passage_start, end - passage_start
    # A quote found verbatim exactly once, inside one passage, is where the
    # annotation's author selected it: no context is needed to tell. (Re-
    # finding a quote in a changed text needs context; see docs/anchoring.md.)
    exact = claim["exact"]
    if exact and count_occurrences(text.text, exact, 1) == 1:
        start = text.text.index(exact)
        index = text.passage_at(start)
        passage_start = text.starts[index]
        if start + len(exact) <= passage_start + len(text.passage_texts[index]):
            return index, start - passage_start, start + len(exact) - passage_start
    anchor = text.locate(exact, claim["prefix"], claim["suffix"])
    return (anchor.passage_index, anchor.start, anchor.end) if anchor else None


def import_collection(store: Store, document, actor: Actor,
                      limits: ImportLimits = DEFAULT_LIMITS) -> dict:
    """Import a Web Annotation document whole or not at all.

    Everything is checked before anything is written; the first problem (and
    the count of the others) is reported. Articles in "factdesk:articles"
    are imported (or re-imported, when their text or metadata differ) first;
    each annotation must then land on its quote in its article's text,
    except one marked orphaned ("factdesk:anchorState"), which is imported
    orphaned when it does not.

    Importing is idempotent: an annotation already here (a claim imported
    from the same annotation id, or one on the same article with the same
    quote and context) is left as it is and counted as ``unchanged``. The
    annotation's created and modified times and its creator are kept as the
    claim's data; the audit names ``actor``, who imported it.
    """
    problems = _Problems()
    items = _pages(document, problems)
    if len(items) > MAX_IMPORT_ANNOTATIONS:
        problems.add("items", f"more than {MAX_IMPORT_ANNOTATIONS} annotations")
    articles = _parse_articles(document, problems, limits)
    claims = [_parse_annotation(item, f"items.{i}", problems) for i, item in enumerate(items)]
    problems.raise_if_any()

    # Where each claim lands, worked out against the texts that will exist.
    texts = {}
    for url, (passages, _) in articles.items():
        texts[url] = ArticleText([p.text for p in passages])
    for i, claim in enumerate(claims):
        if claim["source"] not in texts:
            existing = store.find_article_by_url(claim["source"])
            if existing is None:
                problems.add(f"items.{i}.target.source",
                             "no article with this URL in the file or the database")
                continue
            texts[claim["source"]] = ArticleText(
                [p["text"] for p in store.passages(existing["id"])])
        place = _locate(claim, texts[claim["source"]])
        # An orphaned claim was exported without a place; it comes back
        # orphaned (or anchored, should its quote be in the text after all).
        if place is None and not claim["orphaned"]:
            problems.add(f"items.{i}.target.selector", "the quote is not in the article text")
        claim["place"] = place
    problems.raise_if_any()

    # Claims already here, found before anything is written, so that two
    # annotations of one document never match each other.
    for claim in claims:
        existing = store.find_article_by_url(claim["source"])
        claim["existing"] = existing and store.find_imported_claim(
            existing["id"], claim["id"], claim["exact"], claim["prefix"], claim["suffix"])

    users = {u["username"]: u["id"] for u in store.list_users()}
    created, articles_written = [], 0
    passage_ids = {}  # article id -> its passages' ids, in order: read once each
    with store.transaction():
        article_ids = {}
        for url, (passages, metadata) in articles.items():
            existing = store.find_article_by_url(url)
            if existing is not None and _same_article(store, existing, passages, metadata):
                article_ids[url] = existing["id"]
                continue
            result = store.import_article(url, ParsedArticle(passages=passages), actor, **metadata)
            article_ids[url] = result.article_id
            articles_written += 1
        for claim in claims:
            if claim["existing"]:
                continue
            if claim["source"] not in article_ids:
                article_ids[claim["source"]] = store.find_article_by_url(claim["source"])["id"]
            article_id = article_ids[claim["source"]]
            # The document's creator is data (the claim's author, when that
            # account exists here); the audit always names the real importer.
            author = Actor(users[claim["creator"]], claim["creator"]) \
                if claim["creator"] in users else actor
            fields = {"label": claim["label"], "rationale": claim["rationale"],
                      "summary": claim["summary"], "citations": tuple(claim["citations"]),
                      "author": author}
            if claim["place"] is None:
                record = store.create_orphaned_claim(article_id, claim["exact"], claim["prefix"],
                                                     claim["suffix"], claim["verdict"], actor,
                                                     **fields)
            else:
                if article_id not in passage_ids:
                    passage_ids[article_id] = [p["id"] for p in store.passages(article_id)]
                index, start, end = claim["place"]
                record = store.create_claim(passage_ids[article_id][index], start, end,
                                            claim["verdict"], actor, **fields)
            record = _enter_review(store, record, claim["status"], actor)
            store.keep_imported_record(record["id"], claim["id"], claim["created"],
                                       claim["modified"])
            created.append(record["id"])
    return {"articles": articles_written, "claims": len(created), "claim_ids": created,
            "unchanged": sum(1 for claim in claims if claim["existing"])}


def _same_article(store: Store, existing: dict, passages: list, metadata: dict) -> bool:
    """Whether importing the article would change nothing: same passages
    (kind and text) and the same metadata where the document gives any."""
    if any(existing.get(key) != value for key, value in metadata.items() if value):
        return False
    stored = [(p["kind"], p["text"]) for p in store.passages(existing["id"])]
    return stored == [(p.kind, p.text) for p in passages]


def _enter_review(store, record: dict, status: str, actor: Actor) -> dict:
    """Bring an imported claim as far towards ``status`` as this desk's
    review allows: claims the document calls in review or published wait
    for an editor here (no verdict reaches readers unreviewed by this desk),
    except when the system itself restores an export (the CLI), which
    publishes what was published. Other states come in as drafts."""
    if status in ("in_review", "published"):
        record = store.transition_claim(record["id"], "submit", actor)
        if status == "published" and actor.id is None:
            record = store.transition_claim(record["id"], "approve", actor)
    return record
