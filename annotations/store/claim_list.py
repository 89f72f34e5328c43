"""The claim desk's list: every claim across articles, filtered, searched and
paged by keyset, so page 1,000 costs what page 1 does.

Search is FTS5 over quote, label and rationale, and every term must occur.
A whole word of a script written with spaces ("budget", "безработица",
"EU") is asked of the word index (m0021), as a prefix from three letters
on, so "rent" finds "rents". Any other term of three characters or more
(Chinese or Japanese, "4,000") is asked of the trigram index (m0016,
m0021), which finds it anywhere, in any script; a shorter one (a
two-character Chinese word, "🏠") as the trigrams that start with it, and
then checked with instr(). A single letter that starts too many trigrams is
only checked with instr(), on the rows the other filters leave: a scan.
"""

import base64
import json
import unicodedata
from dataclasses import dataclass, field

from ..models import VERDICTS, DomainError
from ..text import UNSPACED_RANGES, has_unspaced_script, word_form
from .base import StoreBase

SORTS = ("updated", "created", "relevance")
_SORT_COLUMN = {"updated": "c.updated_at", "created": "c.created_at"}
_TRIGRAM = 3
# Trigrams a short term may expand to before it is scanned for instead.
_MAX_EXPANSIONS = 300


@dataclass(frozen=True)
class ClaimFilters:
    """What the desk narrows the list by; None or empty means any."""
    verdicts: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    assignee_id: int | None = None
    unassigned: bool = False
    author_id: int | None = None
    article_id: int | None = None
    site: str | None = None          # a host, as in URL keys: "news.example.com"
    created_from: str | None = None  # ISO dates or times, inclusive
    created_to: str | None = None    # exclusive
    updated_from: str | None = None
    updated_to: str | None = None
    has_sources: bool | None = None
    orphaned: bool | None = None
    query: str = ""
    terms: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self):
        # Composed (NFC), as stored text is: a decomposed "café" pasted in
        # is the same term.
        terms = unicodedata.normalize("NFC", self.query).lower().split()
        object.__setattr__(self, "terms", tuple(dict.fromkeys(terms)))


def _phrase(term: str) -> str:
    """An FTS5 string: the term as itself, whatever characters it holds."""
    return '"' + term.replace('"', '""') + '"'


def site_clause(article_id: str, site: str) -> tuple:
    """SQL true when the article ``article_id`` names is on ``site`` (a
    host), and its parameters. URL keys start with the host: "host",
    "host/…" or "host?…"; each is a range of the unique index on url_key
    ("0" and "@" follow "/" and "?"), so a site's articles are found
    without a scan."""
    site = site.lower()
    return (f"{article_id} IN (SELECT id FROM articles WHERE url_key = ?"
            " UNION ALL SELECT id FROM articles WHERE url_key >= ? AND url_key < ?"
            " UNION ALL SELECT id FROM articles WHERE url_key >= ? AND url_key < ?)",
            site, site + "/", site + "0", site + "?", site + "@")


def _where(filters: ClaimFilters) -> tuple[list[str], list]:
    clauses, params = [], []

    def add(clause: str, *values) -> None:
        clauses.append(clause)
        params.extend(values)

    if filters.verdicts:
        add(f"c.verdict IN ({','.join('?' * len(filters.verdicts))})", *filters.verdicts)
    if filters.statuses:
        add(f"c.status IN ({','.join('?' * len(filters.statuses))})", *filters.statuses)
    if filters.unassigned:
        add("c.assignee_id IS NULL")
    elif filters.assignee_id is not None:
        add("c.assignee_id = ?", filters.assignee_id)
    if filters.author_id is not None:
        add("c.created_by = ?", filters.author_id)
    if filters.article_id is not None:
        add("c.article_id = ?", filters.article_id)
    if filters.site:
        add(*site_clause("c.article_id", filters.site))
    for column, start, end in (("created_at", filters.created_from, filters.created_to),
                               ("updated_at", filters.updated_from, filters.updated_to)):
        if start:
            add(f"c.{column} >= ?", start)
        if end:
            add(f"c.{column} < ?", end)
    if filters.has_sources is not None:
        exists = "EXISTS (SELECT 1 FROM citations s WHERE s.claim_id = c.id)"
        add(exists if filters.has_sources else f"NOT {exists}")
    if filters.orphaned is not None:
        add("c.anchor_state = ?", "orphaned" if filters.orphaned else "anchored")
    return clauses, params


def _short_term_query(db, term: str) -> str | None:
    """An FTS5 query of the trigrams that start with ``term`` (of one or two
    characters): every claim holding the term holds one of them, as the
    index pads each column (m0021). None when there are too many to ask
    (a single Latin letter): the term is then only scanned for."""
    starts = [row[0] for row in db.execute(
        "SELECT term FROM claims_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
        [term, term + "\U0010ffff", _MAX_EXPANSIONS + 1])]
    if len(starts) > _MAX_EXPANSIONS:
        return None
    return "(" + " OR ".join(map(_phrase, starts)) + ")" if starts else '""'


def is_indexed_word(term: str) -> bool:
    """Whether the word index holds ``term`` (in its word_form) as one
    token: letters and digits only (unicode61 splits on anything else), in
    a script written with spaces."""
    return term.isalnum() and not has_unspaced_script(term)


def _word_query(word: str) -> str:
    # A prefix from three letters on: "rent" finds "rents"; "EU" is a word
    # of its own, not the start of "Europe".
    return _phrase(word) + ("*" if len(word) >= _TRIGRAM else "")


def _inside_unspaced_runs(db, term: str) -> list[str]:
    """Phrases for ``term`` written against a following character of a
    script without spaces ("政府はCOVIDの対策", "GDPは"): unicode61 makes
    the whole run one token, so the word index cannot see the word in it;
    the trigram index can, and its vocabulary says which such characters
    follow the term's last two letters anywhere (usually none)."""
    if len(term) < 2:
        return []
    followers = []
    # The run may end at the term with CJK punctuation ("…のCOVID。").
    for first, last in (*UNSPACED_RANGES, ("\u3000", "\u303f")):
        followers += [row[0][2:] for row in db.execute(
            "SELECT term FROM claims_fts_terms WHERE term >= ? AND term <= ? LIMIT ?",
            [term[-2:] + first, term[-2:] + last, _MAX_EXPANSIONS])]
    return [_phrase(term + follower) for follower in dict.fromkeys(followers)]


def _search(db, filters: ClaimFilters, clauses: list[str],
            params: list) -> tuple[str, str | None]:
    """The joins and MATCHes for the terms (added to ``clauses`` and
    ``params``), and the column that ranks them: ("", None) when there are
    no terms, or none an index ranks."""
    words, pieces = [], []
    for term in filters.terms:
        word = word_form(term)
        if not is_indexed_word(word):
            if len(term) >= _TRIGRAM:
                pieces.append(_phrase(term))
                continue
            # Short: narrowed by the trigrams it starts, then checked exactly.
            if (query := _short_term_query(db, term)) is not None:
                pieces.append(query)
            clauses.append("instr(lower(c.exact || ' ' || c.label || ' ' || c.rationale), ?) > 0")
            params.append(term)
        elif inside := _inside_unspaced_runs(db, term):
            clauses.append("(c.id IN (SELECT rowid FROM claims_words WHERE claims_words MATCH ?)"
                           " OR c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?))")
            params += [_word_query(word), " OR ".join(inside)]
        else:
            words.append(word)
    joins, rank = "", None
    if pieces:
        clauses.insert(0, "claims_fts MATCH ?")
        params.insert(0, " AND ".join(pieces))
        joins, rank = " JOIN claims_fts f ON f.rowid = c.id", "f.rank"
    if words:
        clauses.insert(0, "claims_words MATCH ?")
        params.insert(0, " AND ".join(map(_word_query, words)))
        joins, rank = " JOIN claims_words w ON w.rowid = c.id" + joins, "w.rank"
    return joins, rank


def encode_cursor(sort_value, claim_id: int) -> str:
    raw = json.dumps([sort_value, claim_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    """(sort value, claim id) from a cursor this module made for ``sort``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, claim_id = json.loads(raw)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise DomainError("after", "not a cursor this list gave") from None
    expected = (int, float) if sort == "relevance" else str
    if (not isinstance(value, expected) or isinstance(value, bool)
            or not isinstance(claim_id, int) or isinstance(claim_id, bool)):
        raise DomainError("after", "not a cursor of this sort order")
    return value, claim_id


class ClaimList(StoreBase):
    def claim_list(self, filters: ClaimFilters, sort: str = "updated", after: str | None = None,
                   limit: int = 50) -> tuple[list[dict], str | None]:
        """A page of claims and the cursor of the next page (None: last)."""
        if sort not in SORTS:
            raise DomainError("sort", f"one of {', '.join(SORTS)}")
        clauses, params = _where(filters)
        searching, ranker = _search(self.db, filters, clauses, params)
        joins = "JOIN articles a ON a.id = c.article_id" + searching
        if sort == "relevance" and not ranker:
            sort = "updated"  # nothing to rank by: newest first
        # bm25 is computed for every match it is asked of: only when ranking.
        rank = ranker if sort == "relevance" else "NULL"
        if sort == "relevance":
            order, key = f"{ranker}, c.id", ranker
            comparison = ">"
        else:
            key = _SORT_COLUMN[sort]
            order, comparison = f"{key} DESC, c.id DESC", "<"
        if after:
            value, claim_id = decode_cursor(after, sort)
            clauses.append(f"({key}, c.id) {comparison} (?, ?)")
            params.extend([value, claim_id])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = list(self.db.query(f"""
            SELECT c.id, c.article_id, c.exact, c.verdict, c.label, c.status, c.anchor_state,
                   c.created_at, c.updated_at, c.version, c.created_by, c.assignee_id,
                   author.username AS author, assignee.username AS assignee,
                   a.title AS article_title, a.url AS article_url,
                   (SELECT count(*) FROM citations s WHERE s.claim_id = c.id) AS citation_count,
                   {rank} AS rank
            FROM claims c {joins}
            LEFT JOIN users author ON author.id = c.created_by
            LEFT JOIN users assignee ON assignee.id = c.assignee_id
            {where} ORDER BY {order} LIMIT ?""", [*params, limit + 1]))
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            sort_value = last["rank"] if sort == "relevance" else last[f"{sort}_at"]
            next_cursor = encode_cursor(sort_value, last["id"])
        for row in page:
            row.pop("rank")
        return page, next_cursor

    def claim_counts(self, filters: ClaimFilters) -> dict[str, int]:
        """How many claims the filters select, per verdict (every verdict
        named, 0 included): the list's summary line."""
        clauses, params = _where(filters)
        joins, _ = _search(self.db, filters, clauses, params)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        counts = dict(self.db.execute(
            f"SELECT c.verdict, count(*) FROM claims c {joins} {where} GROUP BY c.verdict",
            params).fetchall())
        return {verdict: counts.get(verdict, 0) for verdict in VERDICTS}
