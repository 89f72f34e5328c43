"""The store: the only code that reads or writes the database tables.

Every operation that writes more than one row runs inside one transaction
(``Store.transaction``, built on ``db.atomic()``), so a failure leaves
nothing half-written. Each write that matters to the
newsroom also appends to the audit log in the same transaction.
"""

import contextlib
import datetime
import json
import re
import sqlite3
from dataclasses import dataclass

import sqlite_utils

from .anchoring import ArticleText
from .importer import ParsedArticle
from .models import (CLAIM_STATUSES, ROLES, STANCES, VERDICTS, DomainError, NotFound,
                     VersionConflict)
from .text import normalize_text, text_hash
from .urls import url_key, validate_http_url


def utcnow() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def open_database(path, set_wal: bool = True) -> sqlite_utils.Database:
    """A connection set up the way the service needs it.

    WAL lets readers and the writer work at once; the mode is stored in the
    file, so per-request handles may skip setting it (``set_wal=False``).
    Foreign keys are off by default in SQLite and must be asked for on every
    connection.
    """
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    if set_wal and str(path) != ":memory:":
        db.enable_wal()
    # Durable enough under WAL (a power cut may lose the last commit, never
    # corrupt) and much faster than FULL for many small transactions.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


@dataclass(frozen=True)
class Actor:
    """Who is doing a write, for the audit trail; None means the system."""

    id: int | None
    username: str


SYSTEM = Actor(None, "system")

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer,
# kana and CJK ideographs.
_UNSPACED_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


@dataclass
class ImportResult:
    article_id: int
    created: bool
    passage_count: int
    claims_kept: int = 0
    claims_orphaned: int = 0


ARTICLE_FIELDS = ("title", "publisher", "author", "published_date", "language")
CITATION_FIELDS = ("url", "title", "publisher", "excerpt", "accessed_date", "archive_url", "stance")


class Store:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction that takes SQLite's write lock up front.

        ``db.atomic()`` starts with a plain BEGIN: a transaction that reads
        first and writes later then fails at once ("database is locked") when
        another gunicorn worker committed in between. BEGIN IMMEDIATE waits
        for the lock instead, so read-check-write (version checks) is safe
        across processes. Nested calls become savepoints through atomic().
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.execute("COMMIT")

    # -- audit ---------------------------------------------------------

    def _audit(self, actor: Actor, action: str, entity: str, entity_id: int,
               before=None, after=None):
        # A plain INSERT: every write goes through here, and sqlite-utils'
        # insert() inspects the table each time.
        self.db.execute(
            "INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, before, after, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [actor.id, actor.username, action, entity, entity_id,
             None if before is None else json.dumps(before, ensure_ascii=False, default=str),
             None if after is None else json.dumps(after, ensure_ascii=False, default=str),
             utcnow()])

    def history(self, entity: str, entity_id: int) -> list[dict]:
        rows = self.db.query(
            "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
        return [
            {**row,
             "before": json.loads(row["before"]) if row["before"] else None,
             "after": json.loads(row["after"]) if row["after"] else None}
            for row in rows
        ]

    # -- users ---------------------------------------------------------

    def create_user(self, username: str, password_hash: str, role: str,
                    actor: Actor = SYSTEM) -> dict:
        username = normalize_text(username or "")
        if not username or len(username) > 64:
            raise DomainError("username", "username must be 1 to 64 characters")
        if role not in ROLES:
            raise DomainError("role", f"role must be one of {', '.join(ROLES)}")
        if self.user_by_username(username):
            raise DomainError("username", f"user {username!r} already exists")
        with self.transaction():
            user_id = self.db.table("users").insert({
                "username": username, "password_hash": password_hash,
                "role": role, "created_at": utcnow(),
            }).last_pk
            self._audit(actor, "create", "user", user_id, None,
                        {"username": username, "role": role})
        return self.user(user_id)

    def user(self, user_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM users WHERE id = ?", [user_id]))
        return rows[0] if rows else None

    def user_by_username(self, username: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM users WHERE username = ?", [username]))
        return rows[0] if rows else None

    def count_users(self, role: str | None = None) -> int:
        if role:
            return self.db.execute("SELECT count(*) FROM users WHERE role = ?", [role]).fetchone()[0]
        return self.db.execute("SELECT count(*) FROM users").fetchone()[0]

    # -- articles ------------------------------------------------------

    def import_article(self, url: str, parsed: ParsedArticle, actor: Actor = SYSTEM,
                       **metadata) -> ImportResult:
        """Create the article at ``url``, or replace its text when it exists.

        Re-importing keeps every claim: each is found again in the new text by
        its quote and context, or marked orphaned when its quote is gone.
        """
        url = validate_http_url(url)
        key = url_key(url)
        unknown = set(metadata) - set(ARTICLE_FIELDS)
        if unknown:
            raise DomainError(sorted(unknown)[0], "unknown article field")
        metadata = {k: normalize_text(v) if isinstance(v, str) else v
                    for k, v in metadata.items() if v not in (None, "")}
        if "title" not in metadata and parsed.title:
            metadata["title"] = parsed.title
        now = utcnow()
        with self.transaction():
            existing = self._article_by_key(key)
            if existing is None:
                row = {"url": url, "url_key": key, "created_at": now, "updated_at": now,
                       **metadata}
                article_id = self.db.execute(
                    f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values())).lastrowid
                # executemany rather than insert_all: this is the import hot
                # path, and the columns are fixed by the schema.
                self.db.conn.executemany(
                    "INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(article_id, i, p.kind, p.text, text_hash(p.text))
                     for i, p in enumerate(parsed.passages)])
                self._index_text(article_id, [p.text for p in parsed.passages], replace=False)
                self._audit(actor, "create", "article", article_id, None,
                            {"url": url, **metadata, "passages": len(parsed.passages)})
                return ImportResult(article_id, True, len(parsed.passages))
            return self._reimport(existing, url, parsed, actor, metadata, now)

    def _reimport(self, article: dict, url: str, parsed: ParsedArticle, actor: Actor,
                  metadata: dict, now: str) -> ImportResult:
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

        text = ArticleText([p.text for p in parsed.passages])
        kept = orphaned = 0
        for claim in self.db.query("SELECT * FROM claims WHERE article_id = ?", [article_id]):
            anchor = text.locate(claim["exact"], claim["prefix"], claim["suffix"])
            if anchor is None:
                orphaned += 1
                change = {"anchor_state": "orphaned", "passage_id": None,
                          "start_offset": None, "end_offset": None}
            else:
                kept += 1
                change = {"anchor_state": "anchored",
                          "passage_id": passage_ids[anchor.passage_index],
                          "start_offset": anchor.start, "end_offset": anchor.end,
                          **text.selector(anchor.passage_index, anchor.start, anchor.end)}
            if any(claim[k] != v for k, v in change.items()):
                before = {k: claim[k] for k in change}
                self.db.table("claims").update(
                    claim["id"], {**change, "version": claim["version"] + 1, "updated_at": now})
                action = "orphan" if change["anchor_state"] == "orphaned" else "reanchor"
                self._audit(actor, action, "claim", claim["id"], before, change)

        self.db.execute("DELETE FROM passages WHERE article_id = ? AND ordinal >= ?",
                        [article_id, len(parsed.passages)])
        self._index_text(article_id, [p.text for p in parsed.passages])
        before = {k: article[k] for k in ("url", *ARTICLE_FIELDS)}
        self.db.table("articles").update(article_id, {"url": url, "updated_at": now, **metadata})
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

    def _article_by_key(self, key: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE url_key = ?", [key]))
        return rows[0] if rows else None

    def article(self, article_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise NotFound("article", article_id)
        return rows[0]

    def article_by_url(self, url: str) -> dict | None:
        try:
            return self._article_by_key(url_key(url))
        except DomainError:
            return None

    def _article_filters(self, verdict=None, status=None, q=None,
                         published_only=False) -> tuple[str, list]:
        """WHERE clause for the article list: articles with a claim of that
        verdict/status (published ones only for readers) and matching text."""
        where, params = [], []
        claim_conditions = []
        if published_only:
            claim_conditions.append("c.status = 'published'")
        if verdict:
            claim_conditions.append("c.verdict = ?")
            params.append(verdict)
        if status:
            claim_conditions.append("c.status = ?")
            params.append(status)
        if verdict or status:
            where.append("EXISTS (SELECT 1 FROM claims c WHERE c.article_id = articles.id AND "
                         + " AND ".join(claim_conditions) + ")")
        q = normalize_text(q or "")
        # Only quotes or spaces: no words to search for, so no text filter
        # (an empty MATCH would be an FTS syntax error).
        fts_query = self.db.quote_fts(q) if q else ""
        if fts_query:
            text_match = (
                "(articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                " OR articles.id IN"
                " (SELECT rowid FROM article_text_fts WHERE article_text_fts MATCH ?))")
            params.extend([fts_query, fts_query])
            if _UNSPACED_SCRIPT.search(q):
                # unicode61 indexes a run of Chinese, Japanese, Thai... as one
                # token, so a word inside the run is found only as a substring.
                substring = []
                for term in q.replace('"', " ").split():
                    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                    substring.append(
                        "(articles.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM passages p"
                        " WHERE p.article_id = articles.id AND p.text LIKE ? ESCAPE '\\'))")
                    params.extend([pattern, pattern])
                text_match = f"({text_match} OR ({' AND '.join(substring)}))"
            where.append(text_match)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def list_articles(self, limit: int = 50, offset: int = 0, verdict: str | None = None,
                      status: str | None = None, q: str | None = None,
                      published_only: bool = False) -> list[dict]:
        """Newest first, with claim counts (of published claims for readers)."""
        where, params = self._article_filters(verdict, status, q, published_only)
        visible = "AND c.status = 'published'" if published_only else ""
        return list(self.db.query(
            f"""
            SELECT articles.*,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible})
                AS claim_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id
                 AND c.status = 'published') AS published_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'verified') AS verified_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'denied') AS denied_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'unverified') AS unverified_count
            FROM articles {where}
            ORDER BY articles.created_at DESC, articles.id DESC LIMIT ? OFFSET ?
            """, params + [limit, offset]))

    def count_articles(self, verdict: str | None = None, status: str | None = None,
                       q: str | None = None, published_only: bool = False) -> int:
        where, params = self._article_filters(verdict, status, q, published_only)
        return self.db.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]

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

    def passages(self, article_id: int) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM passages WHERE article_id = ? ORDER BY ordinal", [article_id]))

    # -- claims --------------------------------------------------------

    def create_claim(self, passage_id: int, start: int, end: int, verdict: str,
                     actor: Actor, label: str = "", rationale: str = "",
                     citations: tuple = ()) -> dict:
        """A claim on a span of one passage, with its citations, in one go.

        ``rationale`` must already be sanitised by the caller's sanitiser.
        """
        if verdict not in VERDICTS:
            raise DomainError("verdict", f"verdict must be one of {', '.join(VERDICTS)}")
        passage_rows = list(self.db.query("SELECT * FROM passages WHERE id = ?", [passage_id]))
        if not passage_rows:
            raise NotFound("passage", passage_id)
        passage = passage_rows[0]
        siblings = self.passages(passage["article_id"])
        text = ArticleText([p["text"] for p in siblings])
        selector = text.selector(passage["ordinal"], start, end)
        checked_citations = [self._checked_citation(c, f"citations.{i}")
                             for i, c in enumerate(citations)]
        return self._insert_claim(actor, checked_citations, {
            "article_id": passage["article_id"], "passage_id": passage_id,
            "start_offset": start, "end_offset": end, **selector,
            "anchor_state": "anchored", "verdict": verdict,
            "label": normalize_text(label or ""), "rationale": rationale or ""})

    def _insert_claim(self, actor: Actor, citations: list[dict], row: dict) -> dict:
        """A new draft claim with its checked citations and its audit entry."""
        now = utcnow()
        with self.transaction():
            claim_id = self.db.table("claims").insert({
                **row, "status": "draft", "version": 1,
                "created_by": actor.id, "updated_by": actor.id,
                "created_at": now, "updated_at": now,
            }).last_pk
            for citation in citations:
                self.db.table("citations").insert({**citation, "claim_id": claim_id, "created_at": now})
            claim = self.claim(claim_id)
            self._audit(actor, "create", "claim", claim_id, None, claim)
        return claim

    def create_orphaned_claim(self, article_id: int, exact: str, prefix: str, suffix: str,
                              verdict: str, actor: Actor, label: str = "", rationale: str = "",
                              citations: tuple = ()) -> dict:
        """A claim whose quote is not in its article's text any more, as a
        re-import leaves one: kept with its quote and context, no passage.
        For bringing back an exported orphaned claim (Web Annotation import).
        """
        if verdict not in VERDICTS:
            raise DomainError("verdict", f"verdict must be one of {', '.join(VERDICTS)}")
        if not exact:
            raise DomainError("exact", "the quote is empty")
        self.article(article_id)
        checked_citations = [self._checked_citation(c, f"citations.{i}")
                             for i, c in enumerate(citations)]
        return self._insert_claim(actor, checked_citations, {
            "article_id": article_id, "passage_id": None,
            "start_offset": None, "end_offset": None,
            "exact": exact, "prefix": prefix or "", "suffix": suffix or "",
            "anchor_state": "orphaned", "verdict": verdict,
            "label": normalize_text(label or ""), "rationale": rationale or ""})

    def _checked_citation(self, citation: dict, field: str) -> dict:
        unknown = set(citation) - set(CITATION_FIELDS)
        if unknown:
            raise DomainError(f"{field}.{sorted(unknown)[0]}", "unknown citation field")
        out = {k: normalize_text(v) if isinstance(v, str) else v for k, v in citation.items()}
        out["url"] = validate_http_url(out.get("url"), f"{field}.url")
        if out.get("archive_url"):
            out["archive_url"] = validate_http_url(out["archive_url"], f"{field}.archive_url")
        stance = out.setdefault("stance", "supports")
        if stance not in STANCES:
            raise DomainError(f"{field}.stance", f"stance must be one of {', '.join(STANCES)}")
        return out

    def claim(self, claim_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        if not rows:
            raise NotFound("claim", claim_id)
        claim = rows[0]
        claim["citations"] = self.citations(claim_id)
        return claim

    def citations(self, claim_id: int) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM citations WHERE claim_id = ? ORDER BY id", [claim_id]))

    def claims_for_article(self, article_id: int, published_only: bool = True) -> list[dict]:
        sql = "SELECT * FROM claims WHERE article_id = ?"
        if published_only:
            sql += " AND status = 'published'"
        claims = list(self.db.query(sql + " ORDER BY id", [article_id]))
        by_id = {c["id"]: {**c, "citations": []} for c in claims}
        if by_id:
            marks = ",".join("?" * len(by_id))
            for citation in self.db.query(
                    f"SELECT * FROM citations WHERE claim_id IN ({marks}) ORDER BY id", list(by_id)):
                by_id[citation["claim_id"]]["citations"].append(citation)
        return list(by_id.values())

    def set_claim_status(self, claim_id: int, status: str, actor: Actor,
                         expected_version: int | None = None) -> dict:
        if status not in CLAIM_STATUSES:
            raise DomainError("status", f"status must be one of {', '.join(CLAIM_STATUSES)}")
        with self.transaction():
            before = self.claim(claim_id)
            self._check_version(before, expected_version)
            if before["status"] == status:
                return before
            if (status == "published" and before["verdict"] in ("verified", "denied")
                    and not before["citations"]):
                raise DomainError("citations",
                                  "a verified or denied claim needs a citation before publishing")
            now = utcnow()
            published = {"published_by": actor.id, "published_at": now} if status == "published" \
                else {"published_by": None, "published_at": None}
            self.db.table("claims").update(claim_id, {
                "status": status, "version": before["version"] + 1,
                "updated_by": actor.id, "updated_at": now, **published})
            after = self.claim(claim_id)
            self._audit(actor, "publish" if status == "published" else "unpublish",
                        "claim", claim_id, before, after)
        return after

    # -- claim edits, guarded by version ---------------------------------

    @staticmethod
    def _check_version(claim: dict, expected_version: int | None) -> None:
        if expected_version is not None and claim["version"] != expected_version:
            raise VersionConflict(claim)

    def _bump(self, claim: dict, actor: Actor, changes: dict | None = None) -> None:
        self.db.table("claims").update(claim["id"], {
            **(changes or {}), "version": claim["version"] + 1,
            "updated_by": actor.id, "updated_at": utcnow()})

    def create_claim_from_quote(self, passage_id: int, exact: str, prefix: str, suffix: str,
                                verdict: str, actor: Actor, **fields) -> dict:
        """A claim placed by a W3C TextQuoteSelector, checked against the passage."""
        passage = self.passage(passage_id)
        if not exact:
            raise DomainError("selector.exact", "the quote is empty")
        occurrences = passage["text"].count(exact)
        if occurrences == 0:
            raise DomainError("selector.exact", "the quote does not match the passage text")
        if occurrences == 1:
            start = passage["text"].index(exact)
        else:
            text = ArticleText([p["text"] for p in self.passages(passage["article_id"])])
            anchor = text.locate(exact, prefix or "", suffix or "", within=passage["ordinal"])
            if anchor is None:
                raise DomainError("selector.prefix",
                                  "the quote occurs more than once in the passage; "
                                  "give a prefix or suffix that tells which")
            start = anchor.start
        return self.create_claim(passage_id, start, start + len(exact), verdict, actor, **fields)

    def passage(self, passage_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM passages WHERE id = ?", [passage_id]))
        if not rows:
            raise NotFound("passage", passage_id)
        return rows[0]

    def update_claim(self, claim_id: int, changes: dict, actor: Actor,
                     expected_version: int | None) -> dict:
        """Change verdict, label or rationale (already sanitised)."""
        allowed = {"verdict", "label", "rationale"}
        unknown = set(changes) - allowed
        if unknown:
            raise DomainError(sorted(unknown)[0], "this field cannot be changed")
        if "verdict" in changes and changes["verdict"] not in VERDICTS:
            raise DomainError("verdict", f"verdict must be one of {', '.join(VERDICTS)}")
        if "label" in changes:
            changes = {**changes, "label": normalize_text(changes["label"] or "")}
        with self.transaction():
            before = self.claim(claim_id)
            self._check_version(before, expected_version)
            if (before["status"] == "published" and changes.get("verdict") in ("verified", "denied")
                    and not before["citations"]):
                raise DomainError("verdict", "a published verified or denied claim needs a citation")
            self._bump(before, actor, changes)
            after = self.claim(claim_id)
            self._audit(actor, "update", "claim", claim_id, before, after)
        return after

    def delete_claim(self, claim_id: int, actor: Actor, expected_version: int | None) -> None:
        with self.transaction():
            before = self.claim(claim_id)
            self._check_version(before, expected_version)
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._audit(actor, "delete", "claim", claim_id, before, None)

    def citation(self, citation_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM citations WHERE id = ?", [citation_id]))
        if not rows:
            raise NotFound("citation", citation_id)
        return rows[0]

    def add_citation(self, claim_id: int, citation: dict, actor: Actor,
                     expected_version: int | None = None) -> dict:
        """Add a source to a claim; the claim's version moves on."""
        checked = self._checked_citation(citation, "citation")
        with self.transaction():
            before = self.claim(claim_id)
            self._check_version(before, expected_version)
            citation_id = self.db.table("citations").insert(
                {**checked, "claim_id": claim_id, "created_at": utcnow()}).last_pk
            self._bump(before, actor)
            after = self.claim(claim_id)
            self._audit(actor, "update", "claim", claim_id, before, after)
        return self.citation(citation_id)

    def update_citation(self, citation_id: int, changes: dict, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            editable = {k: current[k] for k in CITATION_FIELDS}
            checked = self._checked_citation({**editable, **changes}, "citation")
            before = self.claim(current["claim_id"])
            self._check_version(before, expected_version)
            self.db.table("citations").update(citation_id, checked)
            self._bump(before, actor)
            after = self.claim(current["claim_id"])
            self._audit(actor, "update", "claim", current["claim_id"], before, after)
        return self.citation(citation_id)

    def delete_citation(self, citation_id: int, actor: Actor,
                        expected_version: int | None = None) -> dict:
        with self.transaction():
            current = self.citation(citation_id)
            before = self.claim(current["claim_id"])
            self._check_version(before, expected_version)
            if (before["status"] == "published" and before["verdict"] in ("verified", "denied")
                    and len(before["citations"]) == 1):
                raise DomainError("citation",
                                  "a published verified or denied claim keeps at least one citation")
            self.db.execute("DELETE FROM citations WHERE id = ?", [citation_id])
            self._bump(before, actor)
            after = self.claim(current["claim_id"])
            self._audit(actor, "update", "claim", current["claim_id"], before, after)
        return after

    # -- accounts: users, API tokens, failed logins ------------------------

    def list_users(self) -> list[dict]:
        return list(self.db.query(
            "SELECT id, username, role, created_at FROM users ORDER BY username"))

    def update_user(self, user_id: int, actor: Actor, role: str | None = None,
                    password_hash: str | None = None) -> dict:
        if role is not None and role not in ROLES:
            raise DomainError("role", f"role must be one of {', '.join(ROLES)}")
        with self.transaction():
            before = self.user(user_id)
            if before is None:
                raise NotFound("user", user_id)
            changes = {}
            if role is not None:
                changes["role"] = role
            if password_hash is not None:
                changes["password_hash"] = password_hash
            if changes:
                self.db.table("users").update(user_id, changes)
            after = self.user(user_id)
            self._audit(actor, "update", "user", user_id,
                        {"role": before["role"]},
                        {"role": after["role"], "password_changed": password_hash is not None})
        return after

    def delete_user(self, user_id: int, actor: Actor) -> None:
        """Claims keep their content; their author fields become null."""
        with self.transaction():
            before = self.user(user_id)
            if before is None:
                raise NotFound("user", user_id)
            self.db.execute("DELETE FROM users WHERE id = ?", [user_id])
            self._audit(actor, "delete", "user", user_id,
                        {"username": before["username"], "role": before["role"]}, None)

    def create_token(self, user_id: int, name: str, token_hash: str) -> dict:
        name = normalize_text(name or "")
        if not name or len(name) > 100:
            raise DomainError("name", "a token needs a name of 1 to 100 characters")
        token_id = self.db.table("api_tokens").insert({
            "user_id": user_id, "name": name, "token_hash": token_hash,
            "created_at": utcnow(), "last_used_at": None, "revoked_at": None,
        }).last_pk
        return self.token(user_id, token_id)

    def token(self, user_id: int, token_id: int) -> dict:
        rows = list(self.db.query(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens"
            " WHERE id = ? AND user_id = ?", [token_id, user_id]))
        if not rows:
            raise NotFound("token", token_id)
        return rows[0]

    def tokens_for_user(self, user_id: int) -> list[dict]:
        return list(self.db.query(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens"
            " WHERE user_id = ? ORDER BY id DESC", [user_id]))

    def revoke_token(self, user_id: int, token_id: int) -> dict:
        token = self.token(user_id, token_id)
        if token["revoked_at"] is None:
            self.db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                            [utcnow(), token_id])
        return self.token(user_id, token_id)

    def user_for_token(self, token_hash: str) -> dict | None:
        """The owner of a live token, or None; notes when it was last used."""
        rows = list(self.db.query(
            "SELECT users.*, api_tokens.id AS token_id, api_tokens.last_used_at"
            " FROM api_tokens JOIN users ON users.id = api_tokens.user_id"
            " WHERE token_hash = ? AND revoked_at IS NULL", [token_hash]))
        if not rows:
            return None
        row = rows[0]
        now = utcnow()
        # At most one write a minute per token: a script's every request
        # should not turn a read into a write.
        if row["last_used_at"] is None or row["last_used_at"][:16] != now[:16]:
            self.db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                            [now, row["token_id"]])
        return {k: v for k, v in row.items() if k not in ("token_id", "last_used_at")}

    def record_login_failure(self, username: str) -> None:
        self.db.table("login_failures").insert({"username": username, "at": utcnow()})

    def login_failures_since(self, username: str, since: str) -> list[str]:
        return [row["at"] for row in self.db.query(
            "SELECT at FROM login_failures WHERE username = ? AND at >= ? ORDER BY at",
            [username, since])]

    def clear_login_failures(self, username: str) -> None:
        self.db.execute("DELETE FROM login_failures WHERE username = ?", [username])

    # -- aliases and the reader's view ----------------------------------------

    def aliases(self, article_id: int) -> list[dict]:
        self.article(article_id)
        return list(self.db.query(
            "SELECT * FROM article_aliases WHERE article_id = ? ORDER BY id", [article_id]))

    def add_alias(self, article_id: int, url: str, actor: Actor) -> dict:
        url = validate_http_url(url)
        key = url_key(url)
        with self.transaction():
            article = self.article(article_id)
            if article["url_key"] == key:
                raise DomainError("url", "this is the article's own URL")
            owner = self.article_id_for_key(key)
            if owner is not None:
                raise DomainError("url", f"this URL already belongs to article {owner}")
            alias_id = self.db.table("article_aliases").insert({
                "article_id": article_id, "url": url, "url_key": key,
                "created_at": utcnow()}).last_pk
            self._audit(actor, "add_alias", "article", article_id, None, {"alias": url})
        return self.alias(article_id, alias_id)

    def alias(self, article_id: int, alias_id: int) -> dict:
        rows = list(self.db.query(
            "SELECT * FROM article_aliases WHERE id = ? AND article_id = ?", [alias_id, article_id]))
        if not rows:
            raise NotFound("alias", alias_id)
        return rows[0]

    def remove_alias(self, article_id: int, alias_id: int, actor: Actor) -> None:
        with self.transaction():
            alias = self.alias(article_id, alias_id)
            self.db.execute("DELETE FROM article_aliases WHERE id = ?", [alias_id])
            self._audit(actor, "remove_alias", "article", article_id, {"alias": alias["url"]}, None)

    def article_id_for_key(self, key: str) -> int | None:
        """The article whose URL, or one of whose aliases, has this key."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE url_key = ?"
            " UNION ALL SELECT article_id FROM article_aliases WHERE url_key = ? LIMIT 1",
            [key, key]).fetchone()
        return row[0] if row else None

    def published_fingerprint(self, article_id: int) -> tuple:
        """Changes whenever what a reader sees of the article changes: its
        metadata, or any published claim (edited, added, unpublished,
        deleted), including its citations, which bump the claim."""
        return tuple(self.db.execute(
            "SELECT a.updated_at, count(c.id), max(c.updated_at), max(c.id)"
            " FROM articles a LEFT JOIN claims c"
            "   ON c.article_id = a.id AND c.status = 'published'"
            " WHERE a.id = ?", [article_id]).fetchone())

    def reader_view(self, article_id: int) -> dict:
        """The article's published claims, each with its place in the article
        text (passages joined by one newline, code points)."""
        article = self.article(article_id)
        lengths = self.db.execute(
            "SELECT id, length(text) FROM passages WHERE article_id = ? ORDER BY ordinal",
            [article_id]).fetchall()
        starts, position = {}, 0
        for passage_id, length in lengths:
            starts[passage_id] = position
            position += length + 1
        claims = self.claims_for_article(article_id, published_only=True)
        for claim in claims:
            base = starts.get(claim["passage_id"])
            claim["position"] = None if base is None else {
                "start": base + claim["start_offset"], "end": base + claim["end_offset"]}
        return {"article": article, "text_length": max(position - 1, 0), "claims": claims}
