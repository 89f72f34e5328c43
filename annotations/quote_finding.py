"""The decision of docs/anchoring.md: where a remembered quote (exact,
prefix, suffix) stands in a text that may have changed, or that it is gone.

extension/anchoring.js implements the same specification for the browser;
tests/fixtures/anchoring_cases.json holds the cases both must agree on.
annotations.anchoring applies it to an article's passages.
"""

import re
import unicodedata
from dataclasses import dataclass

from .edit_distance import edit_distance, similarity

# Exact occurrences of a quote scored one by one at most: a quote found a
# thousand times cannot be told apart by its context anyway (only its whole
# remembered context, occurring once, still places it).
MAX_OCCURRENCES = 1000

# The constants of docs/anchoring.md, as in extension/anchoring.js.
WEIGHTS = {"quote": 0.5, "prefix": 0.2, "suffix": 0.2, "position": 0.1}
MIN_SCORE = 0.5
MARGIN = 0.05
MIN_FUZZY_LENGTH = 4
MAX_FUZZY_CANDIDATES = 8
MAX_PIECE_HITS = 500
BREAK_AGREEMENT = 0.7
WEAK_EVIDENCE = 0.5
STRONG_EVIDENCE = 0.75
BOTH_SIDES = 0.5
FULL_AGREEMENT = 0.85
BOTH_SIDES_FULL = 0.6
DISTINCTIVE_LENGTH = 20

_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{_WS}]+")
_BREAK = re.compile("[\n\r\u2028\u2029]")
_PREFIX_BREAK = re.compile(f"[\n\r\u2028\u2029][{_WS}]*$")
_SUFFIX_BREAK = re.compile(f"^[{_WS}]*[\n\r\u2028\u2029]")
_NON_DIGITS = re.compile(r"[^0-9]")
NEGATIONS = {"no", "not", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere",
             "cannot"}


@dataclass
class Match:
    """A candidate place in the normalised text."""
    start: int
    end: int
    errors: int
    changed: int = 0
    score: float = 0.0
    prefix_agreement: float = 0.0
    suffix_agreement: float = 0.0


@dataclass
class Decision:
    state: str                      # anchored | anchored-with-changes | orphaned
    match: Match | None = None
    reason: str = ""


class NormalizedText:
    """Whitespace runs collapsed to one space; ``map[i]`` is the index in the
    original of normalised character i, ``breaks`` the normalised indices of
    runs that held a line break (a paragraph edge)."""

    def __init__(self, original: str):
        self.original = original
        parts, mapping, breaks = [], [], set()
        last = 0
        for run in _SPACES.finditer(original):
            parts.append(original[last:run.start()])
            mapping.extend(range(last, run.start()))
            if _BREAK.search(run.group()):
                breaks.add(len(mapping))
            mapping.append(run.start())
            parts.append(" ")
            last = run.end()
        parts.append(original[last:])
        mapping.extend(range(last, len(original)))
        mapping.append(len(original))
        self.text = "".join(parts)
        self.map = mapping
        self.breaks = breaks

    def boundary_before(self, at: int) -> bool:
        return at == 0 or (self.text[at - 1] == " " and at - 1 in self.breaks)

    def boundary_after(self, at: int) -> bool:
        return at == len(self.text) or (self.text[at] == " " and at in self.breaks)


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text or "")


def is_word(ch: str | None) -> bool:
    return bool(ch) and ch != " " and unicodedata.category(ch)[0] in "LNM"


# -- aligning the quote with the text ----------------------------------------------

def best_match_in(text: str, start: int, stop: int, pattern: str) -> Match:
    """The substring of text[start:stop] with the fewest edits from
    ``pattern`` (Sellers' algorithm); the first such end wins a tie."""
    width = stop - start
    window = text[start:stop]
    cost = [0] * (width + 1)
    origin = list(range(width + 1))
    for i in range(1, len(pattern) + 1):
        diag_cost, diag_origin = cost[0], origin[0]
        cost[0], origin[0] = i, 0
        pi = pattern[i - 1]
        for j in range(1, width + 1):
            up_cost, up_origin = cost[j], origin[j]
            best = diag_cost + (pi != window[j - 1])
            best_origin = diag_origin
            if up_cost + 1 < best:
                best, best_origin = up_cost + 1, up_origin
            if cost[j - 1] + 1 < best:
                best, best_origin = cost[j - 1] + 1, origin[j - 1]
            diag_cost, diag_origin = up_cost, up_origin
            cost[j], origin[j] = best, best_origin
    best_end = 0
    for j in range(1, width + 1):
        if cost[j] < cost[best_end]:
            best_end = j
    return Match(start + origin[best_end], start + best_end, cost[best_end])


# -- candidates ---------------------------------------------------------------------

def _occurrences(text: str, piece: str, limit: int) -> list[int]:
    hits = []
    at = text.find(piece)
    while at != -1 and len(hits) <= limit:
        hits.append(at)
        at = text.find(piece, at + 1)
    return hits


def _exact_candidates(text: str, quote: str) -> list[Match] | None:
    found = []
    at = text.find(quote)
    while at != -1:
        if len(found) == MAX_OCCURRENCES:
            return None
        found.append(Match(at, at + len(quote), 0))
        at = text.find(quote, at + 1)
    return found


def max_errors_for(length: int) -> int:
    if length < 6:
        return 1
    return min(12, max(2, length // 8))


def _fuzzy_candidates(text: str, pattern: str, max_errors: int, exact: list[Match]) -> list[Match]:
    pieces = max_errors + 1
    piece_length = len(pattern) // pieces
    band = max_errors + 1
    buckets: dict[int, list[int]] = {}     # key -> [smallest diagonal, hits]
    for p in range(pieces):
        offset = p * piece_length
        hits = _occurrences(text, pattern[offset:offset + piece_length], MAX_PIECE_HITS)
        if len(hits) > MAX_PIECE_HITS:
            continue
        for hit in hits:
            diagonal = hit - offset
            bucket = buckets.setdefault(diagonal // band, [diagonal, 0])
            bucket[0] = min(bucket[0], diagonal)
            bucket[1] += 1
    top = max((b[1] for b in buckets.values()), default=0)
    enough = max(1, -(-top // 2))
    ranked = sorted((b for b in buckets.values()
                     if not any(abs(c.start - b[0]) <= band for c in exact)),
                    key=lambda b: (-b[1], b[0]))
    taken = {(c.start, c.end) for c in exact}
    found = []
    for diagonal, hits in [b for b in ranked if b[1] >= enough][:MAX_FUZZY_CANDIDATES]:
        low = max(0, diagonal - band)
        high = min(len(text), diagonal + len(pattern) + band)
        match = best_match_in(text, low, high, pattern)
        if match.errors > max_errors or (match.start, match.end) in taken:
            continue
        taken.add((match.start, match.end))
        found.append(match)
    return found


def _align_to_words(text: str, c: Match, quote: str, prefix: str, suffix: str) -> Match:
    start, end = c.start, c.end
    start_aligned = not (is_word(prefix[-1:]) and is_word(quote[0]))
    end_aligned = not (is_word(suffix[:1]) and is_word(quote[-1]))
    if quote[0] != " ":
        while start < end and text[start] == " ":
            start += 1
    if quote[-1] != " ":
        while end > start and text[end - 1] == " ":
            end -= 1
    if start_aligned:
        while start > 0 and is_word(text[start - 1]) and is_word(text[start]):
            start -= 1
    if end_aligned:
        while end < len(text) and is_word(text[end]) and is_word(text[end - 1]):
            end += 1
    if (start, end) == (c.start, c.end):
        return c
    return Match(start, end, edit_distance(quote, text[start:end]))


# -- small edits -----------------------------------------------------------------------

def _core(word: str) -> str:
    a, b = 0, len(word)
    while a < b and not is_word(word[a]):
        a += 1
    while b > a and not is_word(word[b - 1]):
        b -= 1
    return word[a:b].lower()


def _is_negation(word: str) -> bool:
    w = _core(word).replace("\u2019", "'")
    return w in NEGATIONS or w.endswith("n't")


def changed_words(expected: str, found: str) -> int:
    """How many words differ, or -1 when a difference is not a small edit
    (see docs/anchoring.md, "Edit rules")."""
    a = expected.strip(" ").split(" ")
    b = found.strip(" ").split(" ")
    if len(a) != len(b):
        return -1
    changed = 0
    for x_word, y_word in zip(a, b):
        if x_word == y_word:
            continue
        changed += 1
        if _NON_DIGITS.sub("", x_word) != _NON_DIGITS.sub("", y_word):
            return -1
        if _is_negation(x_word) != _is_negation(y_word):
            return -1
        x, y = _core(x_word), _core(y_word)
        if x == y:
            continue
        if max(len(x), len(y)) <= 3:
            if not (len(x) == len(y) and sorted(x) == sorted(y)
                    and edit_distance(x, y, 1, True) == 1):
                return -1
            continue
        allowed = max(1, max(len(x), len(y)) // 3)
        if edit_distance(x, y, allowed, True) > allowed:
            return -1
    return changed


# -- the decision ------------------------------------------------------------------------

def _side_agreement(context: str, context_break: bool, window: str, boundary: bool) -> float:
    agreement = similarity(context, window) if context else 0.0
    if (context_break or not context) and boundary:
        agreement = max(agreement, BREAK_AGREEMENT)
    return agreement


def _evaluate(page: NormalizedText, c: Match, quote: str, prefix: str, suffix: str,
              prefix_break: bool, suffix_break: bool, hint: float | None) -> None:
    text = page.text
    c.prefix_agreement = _side_agreement(
        prefix, prefix_break, text[max(0, c.start - len(prefix)):c.start],
        page.boundary_before(c.start))
    c.suffix_agreement = _side_agreement(
        suffix, suffix_break, text[c.end:c.end + len(suffix)], page.boundary_after(c.end))
    position = 0.5 if hint is None else \
        max(0.0, 1 - abs(c.start / max(len(text), 1) - hint) * 2)
    c.score = (WEIGHTS["quote"] * max(0.0, 1 - c.errors / len(quote))
               + WEIGHTS["prefix"] * c.prefix_agreement
               + WEIGHTS["suffix"] * c.suffix_agreement
               + WEIGHTS["position"] * position)


def _word_at_end(text: str) -> str:
    at = len(text)
    while at > 0 and is_word(text[at - 1]):
        at -= 1
    return text[at:]


def _word_at_start(text: str) -> str:
    at = 0
    while at < len(text) and is_word(text[at]):
        at += 1
    return text[:at]


def decide(page: NormalizedText, exact: str, prefix: str = "", suffix: str = "",
           hint: float | None = None) -> Decision:
    """The anchoring decision of docs/anchoring.md in normalised text."""
    quote = collapse(exact)
    if not quote.strip(" "):
        return Decision("orphaned", reason="empty quote")
    prefix_break = bool(_PREFIX_BREAK.search(prefix or ""))
    suffix_break = bool(_SUFFIX_BREAK.search(suffix or ""))
    prefix, suffix = collapse(prefix), collapse(suffix)
    text = page.text
    exact_matches = _exact_candidates(text, quote)
    if exact_matches is None:
        if not (prefix or suffix):
            return Decision("orphaned", reason="ambiguous")
        context = prefix + quote + suffix
        at = text.find(context)
        if at == -1 or text.find(context, at + 1) != -1:
            return Decision("orphaned", reason="ambiguous")
        at += len(prefix)
        return Decision("anchored", Match(at, at + len(quote), 0, score=1.0))
    candidates = list(exact_matches)
    # An exact occurrence whose remembered context agrees on both sides is
    # not beaten by a near match: the near-match search is skipped.
    settled = False
    for c in exact_matches:
        _evaluate(page, c, quote, prefix, suffix, prefix_break, suffix_break, hint)
        if ((c.prefix_agreement >= FULL_AGREEMENT if prefix else c.prefix_agreement > 0)
                and (c.suffix_agreement >= FULL_AGREEMENT if suffix else c.suffix_agreement > 0)):
            settled = True
            break
    if not settled and len(quote) >= MIN_FUZZY_LENGTH:
        for c in _fuzzy_candidates(text, quote, max_errors_for(len(quote)), exact_matches):
            c = _align_to_words(text, c, quote, prefix, suffix)
            if c.errors == 0 and text[c.start:c.end] == quote:
                continue
            c.changed = changed_words(quote, text[c.start:c.end])
            if c.changed > 0:
                candidates.append(c)
    # A word the quote cuts must still be the same word (class 3).
    cut_before = _word_at_end(prefix) if is_word(quote[0]) else ""
    cut_after = _word_at_start(suffix) if is_word(quote[-1]) else ""
    candidates = [c for c in candidates
                  if text[max(0, c.start - len(cut_before)):c.start] == cut_before
                  and text[c.end:c.end + len(cut_after)] == cut_after]
    if not candidates:
        return Decision("orphaned", reason="quote not found")
    for c in candidates:
        _evaluate(page, c, quote, prefix, suffix, prefix_break, suffix_break, hint)
    candidates.sort(key=lambda c: (-c.score, c.start))
    best = candidates[0]
    if len(candidates) > 1 and best.score - candidates[1].score < MARGIN:
        return Decision("orphaned", reason="ambiguous")
    p, s = best.prefix_agreement, best.suffix_agreement
    strong = max(p, s) >= STRONG_EVIDENCE or (p >= BOTH_SIDES and s >= BOTH_SIDES)
    distinctive = len(candidates) == 1 and best.errors == 0 and len(quote) >= DISTINCTIVE_LENGTH
    evidence = max(p, s) >= WEAK_EVIDENCE if distinctive else strong
    if evidence and best.errors > 0:
        words = len(quote.strip(" ").split(" "))
        full = max(p, s) >= FULL_AGREEMENT or (p >= BOTH_SIDES_FULL and s >= BOTH_SIDES_FULL)
        allowed = max(2, -(-words // 3)) if full else max(1, words // 5)
        if best.changed > allowed:
            return Decision("orphaned", reason="too many changes")
    if not evidence:
        return Decision("orphaned", reason="no context")
    if best.score < MIN_SCORE:
        return Decision("orphaned", reason="too different")
    return Decision("anchored" if best.errors == 0 else "anchored-with-changes", best)


def anchor_text(text: str, exact: str, prefix: str = "", suffix: str = "",
                hint: float | None = None) -> dict:
    """Anchor a selector in plain text, as FactAnchoring.anchor does in the
    browser: {state, start, end, text} with code point offsets."""
    page = NormalizedText(text)
    decision = decide(page, exact, prefix, suffix, hint)
    if decision.state == "orphaned":
        return {"state": "orphaned", "reason": decision.reason}
    start = page.map[decision.match.start]
    end = page.map[decision.match.end - 1] + 1
    return {"state": decision.state, "start": start, "end": end, "text": text[start:end]}
