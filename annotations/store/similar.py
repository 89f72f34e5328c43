"""Earlier fact-checks like a new claim: published claims of other articles,
found by the claims' full-text indexes (m0021) and ranked by
annotations.similarity.

Candidates are the claims sharing the most telling words with the new one:
each word weighs its inverse document frequency, so "unemployment" counts
for more than "fell", and words most claims hold ("the", "said") are not
asked at all: their lists are most of the index and say nothing of which
claims are alike. Reading a few short lists of row ids and adding weights
is cheaper at a million claims than ranking every match with bm25.
"""

import math
import time
from collections import Counter

from ..similarity import matched_words, pieces, similarity, words
from ..text import has_unspaced_script, word_form
from .base import StoreBase
from .claim_list import is_indexed_word

# Trigram terms: shorter pieces cannot be asked of the trigram index.
_MIN_PIECE = 3
_MAX_TERMS = 12
_CANDIDATES = 100
# A word more than this share of claims hold tells nothing...
_COMMON_SHARE = 0.05
# ...once there are enough claims for a share to mean anything.
_COMMON_FLOOR = 1000
# Counting the claims that hold "the" reads its whole list: a word found
# common is remembered (per database file) for this long.
_COMMON_FOR_SECONDS = 600
_known_common: dict[tuple[str, str], float] = {}


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _terms(text: str) -> list[tuple[str, str]]:
    """(index, term) pairs: the words of ``text`` for the word index, and
    the three-character pieces of its runs of Chinese or Japanese (or other
    text the word index cannot hold) for the trigram index."""
    indexed, pieced = [], []
    for word in words(text):
        # As the word index keeps it, so its count is found: "café" is "cafe".
        if is_indexed_word(folded := word_form(word)):
            indexed.append(("claims_words", folded))
        else:
            pieced += [("claims_fts", p)
                       for p in (pieces(word) if has_unspaced_script(word) else [word])
                       if len(p) >= _MIN_PIECE]
    return list(dict.fromkeys(indexed + pieced))


class SimilarClaims(StoreBase):
    def similar_claims(self, text: str, exclude_article_id: int | None = None,
                       limit: int = 5, min_score: float = 0.15) -> list[dict]:
        """Published, not retracted claims of other articles whose quote is
        like ``text``, best first, each with its ``score`` and the
        ``matched_words`` of ``text`` it holds. What is shown of each is the
        published version."""
        weights = self._weights(_terms(text))
        ranked = []
        for row in self._candidates(weights, exclude_article_id):
            score = similarity(text, row["exact"])
            if score >= min_score:
                ranked.append({**row, "score": round(score, 3),
                               "matched_words": matched_words(text, row["exact"])})
        ranked.sort(key=lambda claim: (-claim["score"], claim["id"]))
        return ranked[:limit]

    def _weights(self, terms: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """The telling terms, rarest first, each with its inverse document
        frequency; a term no claim holds is left out."""
        claims = self.db.execute("SELECT max(id) FROM claims").fetchone()[0] or 0
        common = max(_COMMON_SHARE * claims, _COMMON_FLOOR)
        path = self.db.execute("PRAGMA database_list").fetchone()[2]
        now = time.monotonic()
        weights = {}
        for index, term in terms:
            if _known_common.get((path, term), 0) > now:
                continue
            # A piece of three characters is one trigram; a longer one (not
            # a token of either index) is weighed as rare.
            row = self.db.execute(f"SELECT doc FROM {index}_terms WHERE term = ?",
                                  [term]).fetchone()
            held = row[0] if row else (None if index == "claims_words" or len(term) == 3
                                       else 1)
            if held is None:
                continue
            if held > common:
                _known_common[(path, term)] = now + _COMMON_FOR_SECONDS
                continue
            weights[(index, term)] = math.log((claims + 1) / held)
        best = sorted(weights, key=weights.get, reverse=True)[:_MAX_TERMS]
        return {term: weights[term] for term in best}

    def _candidates(self, weights: dict[tuple[str, str], float],
                    exclude_article_id: int | None) -> list[dict]:
        """Published, not retracted claims of other articles holding the
        most weight of ``weights``' terms: the best ``_CANDIDATES``."""
        held = Counter()
        for (index, term), weight in weights.items():
            for (claim_id,) in self.db.execute(
                    f"SELECT rowid FROM {index} WHERE {index} MATCH ?", [_phrase(term)]):
                held[claim_id] += weight
        if not held:
            return []
        best = [claim_id for claim_id, _ in held.most_common(_CANDIDATES * 4)]
        rows = self.db.query(
            "SELECT c.id, c.article_id, p.exact, p.verdict, p.label, a.title AS article_title,"
            " a.url AS article_url"
            " FROM claims c"
            " JOIN claim_publications p ON p.claim_id = c.id AND p.retracted_at IS NULL"
            " JOIN articles a ON a.id = c.article_id"
            f" WHERE c.id IN ({','.join('?' * len(best))}) AND c.article_id IS NOT ?",
            [*best, exclude_article_id])
        return sorted(rows, key=lambda row: (-held[row["id"]], row["id"]))[:_CANDIDATES]
