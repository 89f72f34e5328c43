"""Articles: import and re-import, their passages, aliases and deletion."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..anchoring import ArticleText
from ..importer import ParsedArticle
from ..lookup import key_hash
from ..models import ARTICLE_FIELDS, SYSTEM, Actor, DomainError
from ..text import normalize_text, text_hash
from ..urls import url_key, validate_http_url
from .base import StoreBase
from .database import utcnow


@dataclass
class ImportResult:
    article_id: int
    created: bool
    passage_count: int
    claims_kept: int = 0
    claims_orphaned: int = 0
    # Other URLs of the page (its canonical URL, where a fetch was
    # redirected to) added as aliases, and those another article holds.
    aliases_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A fetch that found the page unchanged (HTTP 304): nothing was imported.
    unchanged: bool = False


# What the last fetch of the article's page answered (fetching.FetchedPage).
FETCH_FIELDS = ("fetched_at", "http_etag", "http_last_modified")


class Articles(StoreBase):
    def import_article(self, url: str, parsed: ParsedArticle, actor: Actor = SYSTEM,
                       fetched: dict | None = None, other_urls: Iterable[str] = (),
                       **metadata) -> ImportResult:
        """Create the article at ``url``, or replace its text when it exists.

        Re-importing keeps every claim: each is found again in the new text by
        its quote and context, or marked orphaned when its quote is gone.

        ``metadata`` given by the caller is written as given; what the page
        says about itself (``parsed.metadata``) fills the fields the article
        has no value for, so a re-import keeps an editor's corrections. The
        page's canonical URL and ``other_urls`` become aliases. ``fetched``
        holds FETCH_FIELDS when the page was fetched.
        """
        url = validate_http_url(url)
        key = url_key(url)
        metadata = _clean_metadata(metadata)
        page = _clean_metadata(parsed.metadata.article_fields())
        if parsed.title:
            page.setdefault("title", parsed.title)
        fetch = {k: (fetched or {}).get(k) for k in FETCH_FIELDS} if fetched else {}
        now = utcnow()
        with self.transaction():
            existing = self._first("SELECT * FROM articles WHERE url_key = ?", [key])
            if existing is None:
                result = self._create_article(url, key, parsed, actor, {**page, **metadata},
                                              fetch, now)
            else:
                missing = {k: v for k, v in page.items() if not existing[k]}
                result = self._reimport(existing, url, parsed, actor, {**missing, **metadata},
                                        fetch, now)
            self._add_page_aliases(result, [parsed.metadata.canonical_url, *other_urls], actor)
        return result

    def _add_page_aliases(self, result: ImportResult, urls: Iterable[str | None],
                          actor: Actor) -> None:
        """Each URL as an alias of the article unless it is the article's
        own, already its alias, or another article's (a warning then)."""
        for url in dict.fromkeys(u for u in urls if u):
            try:
                key = url_key(url)
            except DomainError:
                continue
            owner = self.find_article_id(key)
            if owner == result.article_id:
                continue
            if owner is not None:
                result.warnings.append(f"{url} is already article {owner}'s URL; "
                                       f"not added as an alias")
                continue
            try:
                self.add_alias(result.article_id, url, actor)
            except DomainError as error:
                result.warnings.append(f"{url} not added as an alias: {error.message}")
                continue
            result.aliases_added.append(url)

    def record_unchanged_fetch(self, article_id: int, fetched: dict) -> dict:
        """A fetch that found the page unchanged (HTTP 304): only when it
        was fetched, and any new validators, are written."""
        with self.transaction():
            self.article(article_id)
            changes = {k: fetched[k] for k in FETCH_FIELDS if fetched.get(k)}
            self.db.table("articles").update(article_id, changes)
        return self.article(article_id)

    def update_article_metadata(self, article_id: int, changes: dict, actor: Actor) -> dict:
        """Write the given ARTICLE_FIELDS (an empty value clears one), audited
        with the values before and after; fields left out are kept."""
        unknown = set(changes) - set(ARTICLE_FIELDS)
        if unknown:
            raise DomainError(sorted(unknown)[0], "unknown article field")
        values = {k: normalize_text(v) if isinstance(v, str) else v for k, v in changes.items()}
        # published_date is NULL when unknown; the text fields are ''.
        values = {k: (None if k == "published_date" else "") if v in (None, "") else v
                  for k, v in values.items()}
        with self.transaction():
            article = self.article(article_id)
            changed = {k: v for k, v in values.items() if article[k] != v}
            if changed:
                self.db.table("articles").update(article_id, {**changed, "updated_at": utcnow()})
                self._audit(actor, "update", "article", article_id,
                            {k: article[k] for k in changed}, changed)
        return self.article(article_id)

    def _create_article(self, url: str, key: str, parsed: ParsedArticle, actor: Actor,
                        metadata: dict, fetch: dict, now: str) -> ImportResult:
        row = {"url": url, "url_key": key, "key_hash": key_hash(key), "created_at": now,
               "updated_at": now, **metadata, **fetch}
        article_id = self.db.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values())).lastrowid
        # executemany rather than insert_all: this is the import hot path, and
        # the columns are fixed by the schema.
        self.db.conn.executemany(
            "INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
            " VALUES (?, ?, ?, ?, ?)",
            [(article_id, i, p.kind, p.text, text_hash(p.text))
             for i, p in enumerate(parsed.passages)])
        self._index_text(article_id, [p.text for p in parsed.passages], replace=False)
        self._audit(actor, "create", "article", article_id, None,
                    {"url": url, **metadata, "passages": len(parsed.passages)})
        return ImportResult(article_id, True, len(parsed.passages))

    def _reimport(self, article: dict, url: str, parsed: ParsedArticle, actor: Actor,
                  metadata: dict, fetch: dict, now: str) -> ImportResult:
        article_id = article["id"]
        old_passages = {p["ordinal"]: p for p in self.passages(article_id)}
        passage_ids = []
        for ordinal, passage in enumerate(parsed.passages):
            row = {"article_id": article_id, "ordinal": ordinal, "kind": passage.kind,
                   "text": passage.text, "text_hash": text_hash(passage.text)}
            old = old_passages.get(ordinal)
            if old is None:
                passage_ids.append(self.db.table("passages").insert(row).last_pk)
            else:
                if old["text_hash"] != row["text_hash"] or old["kind"] != row["kind"]:
                    self.db.table("passages").update(old["id"], row)
                passage_ids.append(old["id"])

        kept, orphaned = self._reanchor_claims(
            article_id, ArticleText([p.text for p in parsed.passages]), passage_ids, actor, now)
        self.db.execute("DELETE FROM passages WHERE article_id = ? AND ordinal >= ?",
                        [article_id, len(parsed.passages)])
        before = {k: article[k] for k in ("url", *ARTICLE_FIELDS)}
        self.db.table("articles").update(article_id, {"url": url, "updated_at": now, **metadata,
                                                      **fetch})
        # After the row: the substring index reads the article's new title.
        self._index_text(article_id, [p.text for p in parsed.passages])
        self._audit(actor, "reimport", "article", article_id,
                    {**before, "passages": len(old_passages)},
                    {"url": url, **metadata, "passages": len(parsed.passages),
                     "claims_kept": kept, "claims_orphaned": orphaned})
        return ImportResult(article_id, False, len(parsed.passages), kept, orphaned)

    def _index_text(self, article_id: int, texts: list[str], replace: bool = True) -> None:
        """The article's whole text in the full-text index (one row each)."""
        if replace:
            self.db.execute("DELETE FROM article_text_fts WHERE rowid = ?", [article_id])
        self.db.execute("INSERT INTO article_text_fts (rowid, text) VALUES (?, ?)",
                        [article_id, "\n".join(texts)])
        self._index_unspaced_words(article_id, texts, replace)

    def article(self, article_id: int) -> dict:
        return self._one("SELECT * FROM articles WHERE id = ?", [article_id],
                         "article", article_id)

    def find_article_by_url(self, url: str) -> dict | None:
        """The article at this URL (its own, not an alias), or None."""
        try:
            key = url_key(url)
        except DomainError:
            return None
        return self._first("SELECT * FROM articles WHERE url_key = ?", [key])

    def find_article_id(self, key: str) -> int | None:
        """The article whose URL, or one of whose aliases, has this key."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE url_key = ?"
            " UNION ALL SELECT article_id FROM article_aliases WHERE url_key = ? LIMIT 1",
            [key, key]).fetchone()
        return row[0] if row else None

    def article_ids(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def delete_article(self, article_id: int, actor: Actor) -> None:
        """Delete an article with its passages, claims and citations.

        The audit log keeps an entry for the article and for each claim."""
        with self.transaction():
            article = self.article(article_id)
            for claim in self.claims_for_article(article_id, published_only=False):
                self._audit(actor, "delete", "claim", claim["id"], claim, None)
            self.db.execute("DELETE FROM articles WHERE id = ?", [article_id])
            self.db.execute("DELETE FROM article_text_fts WHERE rowid = ?", [article_id])
            self._audit(actor, "delete", "article", article_id, article, None)

    def article_size(self, article_id: int) -> dict:
        """How many passages and claims the article holds (two index counts)."""
        passages, = self.db.execute("SELECT count(*) FROM passages WHERE article_id = ?",
                                    [article_id]).fetchone()
        claims, = self.db.execute("SELECT count(*) FROM claims WHERE article_id = ?",
                                  [article_id]).fetchone()
        return {"passages": passages, "claims": claims}

    def passages(self, article_id: int) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM passages WHERE article_id = ? ORDER BY ordinal", [article_id]))

    def passage(self, passage_id: int) -> dict:
        return self._one("SELECT * FROM passages WHERE id = ?", [passage_id],
                         "passage", passage_id)

    def article_text(self, article_id: int) -> ArticleText:
        """The article's passages joined, as anchoring sees them."""
        return ArticleText([p["text"] for p in self.passages(article_id)])

    def text_around(self, passage: dict, reach: int) -> tuple[ArticleText, int]:
        """The article's text as article_text() has it for ``reach``
        characters either side of ``passage``, and the passage's index in
        it: the passages within reach only (each is at least one character
        with its separator), not the whole article."""
        ordinal = passage["ordinal"]
        rows = self.db.execute(
            "SELECT ordinal, text FROM passages WHERE article_id = ? AND ordinal BETWEEN ? AND ?"
            " ORDER BY ordinal", [passage["article_id"], ordinal - reach, ordinal + reach])
        ordinals, texts = zip(*rows)
        return ArticleText(texts), ordinals.index(ordinal)

    # -- aliases: other URLs of the same article --------------------------------

    def aliases(self, article_id: int) -> list[dict]:
        self.article(article_id)
        return list(self.db.query(
            "SELECT * FROM article_aliases WHERE article_id = ? ORDER BY id", [article_id]))

    def alias(self, article_id: int, alias_id: int) -> dict:
        return self._one("SELECT * FROM article_aliases WHERE id = ? AND article_id = ?",
                         [alias_id, article_id], "alias", alias_id)

    def add_alias(self, article_id: int, url: str, actor: Actor) -> dict:
        url = validate_http_url(url)
        key = url_key(url)
        with self.transaction():
            article = self.article(article_id)
            if article["url_key"] == key:
                raise DomainError("url", "this is the article's own URL")
            owner = self.find_article_id(key)
            if owner is not None:
                raise DomainError("url", f"this URL already belongs to article {owner}")
            alias_id = self.db.table("article_aliases").insert({
                "article_id": article_id, "url": url, "url_key": key,
                "key_hash": key_hash(key), "created_at": utcnow()}).last_pk
            self._audit(actor, "add_alias", "article", article_id, None, {"alias": url})
        return self.alias(article_id, alias_id)

    def remove_alias(self, article_id: int, alias_id: int, actor: Actor) -> None:
        with self.transaction():
            alias = self.alias(article_id, alias_id)
            self.db.execute("DELETE FROM article_aliases WHERE id = ?", [alias_id])
            self._audit(actor, "remove_alias", "article", article_id, {"alias": alias["url"]}, None)


def _clean_metadata(metadata: dict) -> dict:
    """Known article fields with a value, their text normalised."""
    unknown = set(metadata) - set(ARTICLE_FIELDS)
    if unknown:
        raise DomainError(sorted(unknown)[0], "unknown article field")
    return {k: normalize_text(v) if isinstance(v, str) else v
            for k, v in metadata.items() if v not in (None, "")}
