"""How alike two claims' wordings are, in any script.

The measure is the Jaccard index of the two texts' character trigrams
(case-folded, spaces collapsed): shared words count whatever their order
and inflection ("unemployment fell" ~ "fall in unemployment"), and it needs
no word boundaries, so Chinese and Japanese compare as well as English. It
is cheap enough to rerank a hundred full-text candidates per keystroke.
"""

import re

from .text import has_unspaced_script

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def _folded(text: str) -> str:
    return _SPACES.sub(" ", text.casefold()).strip()


def trigrams(text: str) -> set[str]:
    folded = _folded(text)
    return {folded[i:i + 3] for i in range(len(folded) - 2)} or ({folded} if folded else set())


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) to 1 (the same text, case and spacing aside)."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def words(text: str) -> list[str]:
    """The distinct words of a text, case-folded, longest first."""
    return sorted(dict.fromkeys(_WORD.findall(text.casefold())), key=len, reverse=True)


def matched_words(query: str, candidate: str) -> list[str]:
    """The query's words that the candidate holds: as words, or, for a word
    of a script written without spaces (a whole run of Chinese or Japanese
    is one "word"), each piece of three characters it shares."""
    held, folded = set(words(candidate)), _folded(candidate)
    found = []
    for word in words(query):
        if not has_unspaced_script(word):
            if word in held:
                found.append(word)
            continue
        found += [piece for piece in pieces(word) if piece in folded and piece not in found]
    return found


def pieces(word: str) -> list[str]:
    """A word of an unspaced script as the index can be asked for it: its
    three-character pieces (the whole word when shorter)."""
    if len(word) <= 3:
        return [word]
    return list(dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2)))
