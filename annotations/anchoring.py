"""Quote selectors over an article's passages, and re-finding them.

Offsets count Unicode code points (Python string indices), the W3C rule.
Prefix and suffix come from the article's whole text, its passages joined by
a newline, so a quote at the start of a passage still has context.

Re-finding a quote follows docs/anchoring.md, the specification that
extension/anchoring.js implements for the browser: the same decisions on the
same text, checked case by case on tests/fixtures/anchoring_cases.json.
"""

import bisect
from dataclasses import dataclass, field

from .models import CONTEXT_LENGTH, DomainError
from .quote_finding import NormalizedText, decide

PASSAGE_SEPARATOR = "\n"


@dataclass(frozen=True)
class Anchor:
    passage_index: int
    start: int
    end: int
    # True for a near match: the text differs from the quote by small edits.
    changed: bool = field(default=False, compare=False)


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
        self._normalized = None

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

    def normalized(self) -> "NormalizedText":
        if self._normalized is None:
            self._normalized = NormalizedText(self.text)
        return self._normalized

    def locate(self, exact: str, prefix: str = "", suffix: str = "",
               within: int | None = None, hint: float | None = None) -> Anchor | None:
        """Where the quote stands now, or None when it is gone, changed in
        meaning, ambiguous or without evidence from its context: the
        decision of docs/anchoring.md (exact and near matches scored
        together), the one the browser makes on the same text. A near match
        is returned with ``changed`` set. ``within`` limits the search to one
        passage (by index) and the context around it; a place across two
        passages is not placed.
        """
        if within is None:
            low, high = 0, len(self.text)
            page = self.normalized()
        else:
            passage_start = self.starts[within]
            low = max(0, passage_start - len(prefix or ""))
            high = passage_start + len(self.passage_texts[within]) + len(suffix or "")
            page = NormalizedText(self.text[low:high])
        decision = decide(page, exact, prefix or "", suffix or "", hint)
        if decision.state == "orphaned":
            return None
        start = low + page.map[decision.match.start]
        end = low + page.map[decision.match.end - 1] + 1
        index = self.passage_at(start)
        if within is not None and index != within:
            return None
        passage_start = self.starts[index]
        if end > passage_start + len(self.passage_texts[index]):
            return None
        return Anchor(index, start - passage_start, end - passage_start,
                      changed=decision.state == "anchored-with-changes")


def count_occurrences(text: str, exact: str, stop_after: int) -> int:
    """Occurrences of ``exact`` in ``text``, overlapping ones too (as locate
    sees them), counting no further than ``stop_after + 1``."""
    count = 0
    position = text.find(exact)
    while position != -1 and count <= stop_after:
        count += 1
        position = text.find(exact, position + 1)
    return count


