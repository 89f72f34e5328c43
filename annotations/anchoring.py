"""Quote selectors over an article's passages, and re-finding them.

Offsets count Unicode code points (Python string indices), the W3C rule.
Prefix and suffix come from the article's whole text, its passages joined by
a newline, so a quote at the start of a passage still has context.
"""

import bisect
from dataclasses import dataclass

from .models import CONTEXT_LENGTH, DomainError

PASSAGE_SEPARATOR = "\n"
# Occurrences of a quote examined at most: scoring each against the context
# costs up to the context's length, and a quote found a thousand times in
# one passage cannot be told apart by its context anyway.
MAX_OCCURRENCES = 1000


@dataclass(frozen=True)
class Anchor:
    passage_index: int
    start: int
    end: int


class ArticleText:
    """The passages of one article, joined, with each passage's start."""

    def __init__(self, passage_texts: list[str]):
        self.passage_texts = list(passage_texts)
        self.starts = []
        position = 0
        for text in self.passage_texts:
            self.starts.append(position)
            position += len(text) + len(PASSAGE_SEPARATOR)
        self.text = PASSAGE_SEPARATOR.join(self.passage_texts)

    def selector(self, passage_index: int, start: int, end: int) -> dict:
        """exact/prefix/suffix for a span of one passage; checks the offsets."""
        passage = self.passage_texts[passage_index]
        # bool is an int subclass, but a JSON true is not an offset.
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise DomainError(name, "offsets must be integers")
        if start < 0 or start > len(passage):
            raise DomainError("start", f"start must be between 0 and {len(passage)}")
        if end <= start or end > len(passage):
            raise DomainError("end", f"end must be greater than start and at most {len(passage)}")
        absolute = self.starts[passage_index] + start
        absolute_end = self.starts[passage_index] + end
        return {
            "exact": passage[start:end],
            "prefix": self.text[max(0, absolute - CONTEXT_LENGTH):absolute],
            "suffix": self.text[absolute_end:absolute_end + CONTEXT_LENGTH],
        }

    def passage_at(self, absolute: int) -> int:
        # Articles imported before the passage limit may have millions.
        return max(0, bisect.bisect_right(self.starts, absolute) - 1)

    def locate(self, exact: str, prefix: str = "", suffix: str = "",
               within: int | None = None,
               max_occurrences: int = MAX_OCCURRENCES) -> Anchor | None:
        """Where the quote stands now, or None when it is gone or ambiguous.

        Every exact occurrence inside a single passage is scored by how much
        of the remembered prefix and suffix still surrounds it. One occurrence
        wins outright; several need a clear winner, otherwise the claim would
        be placed by a guess, and a wrong highlight is worse than none.
        ``within`` limits the search to one passage (by index). A quote
        found more than ``max_occurrences`` times is not placed either.
        """
        if not exact:
            return None
        candidates = []
        low, high = 0, len(self.text)
        if within is not None:
            low = self.starts[within]
            high = low + len(self.passage_texts[within])
        position = self.text.find(exact, low, high)
        for _ in range(max_occurrences):
            if position == -1:
                break
            index = self.passage_at(position)
            start = position - self.starts[index]
            end = start + len(exact)
            if end <= len(self.passage_texts[index]):
                before = self.text[max(0, position - len(prefix)):position]
                after = self.text[position + len(exact):position + len(exact) + len(suffix)]
                score = _common_suffix(prefix, before) + _common_prefix(suffix, after)
                candidates.append((score, Anchor(index, start, end)))
            position = self.text.find(exact, position + 1, high)
        if position != -1:
            return self._by_whole_context(exact, prefix, suffix, low, high)
        if not candidates:
            return None
        candidates.sort(key=lambda c: c[0], reverse=True)
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            return None
        return candidates[0][1]


    def _by_whole_context(self, exact: str, prefix: str, suffix: str, low: int,
                          high: int) -> Anchor | None:
        """A quote too frequent to score each occurrence is still placed when
        its whole remembered context (prefix, quote, suffix) occurs exactly
        once: the strongest evidence there is, found by two searches."""
        if not (prefix or suffix):
            return None
        context = prefix + exact + suffix
        position = self.text.find(context, max(0, low - len(prefix)), high + len(suffix))
        if position == -1 or self.text.find(context, position + 1,
                                            high + len(suffix)) != -1:
            return None
        position += len(prefix)
        index = self.passage_at(position)
        start = position - self.starts[index]
        if start + len(exact) > len(self.passage_texts[index]):
            return None
        return Anchor(index, start, start + len(exact))


def count_occurrences(text: str, exact: str, stop_after: int) -> int:
    """Occurrences of ``exact`` in ``text``, overlapping ones too (as locate
    sees them), counting no further than ``stop_after + 1``."""
    count = 0
    position = text.find(exact)
    while position != -1 and count <= stop_after:
        count += 1
        position = text.find(exact, position + 1)
    return count


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
