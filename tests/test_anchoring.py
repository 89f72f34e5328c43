"""Quote selectors and re-finding quotes (annotations.anchoring)."""

import json
from pathlib import Path

import pytest

from annotations.anchoring import Anchor, ArticleText
from annotations.quote_finding import anchor_text, collapse
from annotations.importer import parse_article
from annotations.models import CONTEXT_LENGTH, SYSTEM, DomainError

HEADING = "I. What the ministers agreed in Lisbon on Tuesday"
PARAGRAPH = ("The platform will publish readings from 140 gauging stations every hour, "
             "a tenfold increase on the weekly bulletins farmers rely on today.")
CLOSING = "Critics said the figures would be used against them."


def utf16_units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.fixture
def article():
    return ArticleText([HEADING, PARAGRAPH, CLOSING])


# -- selector -------------------------------------------------------------------

def test_context_length_is_32_code_points():
    assert CONTEXT_LENGTH == 32


def test_selector_in_the_middle_of_a_passage(article):
    start = PARAGRAPH.index("gauging stations")
    end = start + len("gauging stations")
    selector = article.selector(1, start, end)
    assert selector == {
        "exact": "gauging stations",
        "prefix": PARAGRAPH[start - 32:start],
        "suffix": PARAGRAPH[end:end + 32],
    }
    assert len(selector["prefix"]) == 32 and len(selector["suffix"]) == 32
    assert selector["prefix"].endswith("readings from 140 ")
    assert selector["suffix"].startswith(" every hour, a tenfold")


def test_prefix_crosses_into_the_previous_passage_joined_by_newline(article):
    selector = article.selector(1, 0, len("The platform"))
    assert selector["exact"] == "The platform"
    assert selector["prefix"] == (HEADING + "\n")[-32:]
    assert selector["prefix"].endswith("on Tuesday\n")


def test_suffix_crosses_into_the_next_passage_joined_by_newline(article):
    start = PARAGRAPH.index("farmers rely on today.")
    selector = article.selector(1, start, len(PARAGRAPH))
    assert selector["exact"] == "farmers rely on today."
    assert selector["suffix"] == ("\n" + CLOSING)[:32]
    assert selector["suffix"].startswith("\nCritics said")


def test_context_is_cut_short_at_the_start_and_end_of_the_article(article):
    first = article.selector(0, 0, 2)
    assert first == {"exact": "I.", "prefix": "", "suffix": HEADING[2:34]}
    last = article.selector(2, len(CLOSING) - 5, len(CLOSING))
    assert last["exact"] == "them."
    assert last["suffix"] == ""
    assert last["prefix"] == CLOSING[len(CLOSING) - 37:len(CLOSING) - 5]


def test_selecting_a_whole_passage(article):
    selector = article.selector(2, 0, len(CLOSING))
    assert selector["exact"] == CLOSING
    assert selector["prefix"] == (PARAGRAPH + "\n")[-32:]
    assert selector["suffix"] == ""


@pytest.mark.parametrize("start, end, field", [
    (-1, 5, "start"),                       # negative
    (len(CLOSING) + 1, len(CLOSING) + 2, "start"),  # starts past the end
    (10, 5, "end"),                         # reversed
    (5, 5, "end"),                          # empty
    (0, len(CLOSING) + 1, "end"),           # ends past the end
    ("0", 5, "start"),                      # not an int
    (0, "5", "end"),
    (0.0, 5, "start"),
    (0, 5.0, "end"),
    (None, 5, "start"),
    (0, None, "end"),
    (True, 5, "start"),                     # a JSON true is not an offset
    (0, True, "end"),
])
def test_bad_offsets_are_refused_with_the_field_named(article, start, end, field):
    with pytest.raises(DomainError) as info:
        article.selector(2, start, end)
    assert info.value.field == field


# -- Unicode: offsets are code points ------------------------------------------

FAMILY = "👩\u200d👩\u200d👧"   # one emoji drawn from five code points
DOVE = "🕊️"                     # astral code point plus variation selector
UNICODE_PASSAGE = (f"Reactions {FAMILY} poured in — some with a {DOVE} — as Beijing’s “中立” "
                   "(нейтралитет, neutrality) was debated. 😀 End.")


@pytest.mark.parametrize("quote", [FAMILY, DOVE, "“中立”", "нейтралитет", "neutrality", "😀 End."])
def test_offsets_are_python_string_indices_not_utf16_units(quote):
    text = ArticleText(["Lead 🙂 line", UNICODE_PASSAGE])
    start = UNICODE_PASSAGE.index(quote)
    end = start + len(quote)

    selector = text.selector(1, start, end)

    assert selector["exact"] == quote == UNICODE_PASSAGE[start:end]
    # Every quote here has an astral emoji before it or in it, so a browser's
    # UTF-16 offsets would be different numbers.
    assert (utf16_units(UNICODE_PASSAGE[:start]), utf16_units(UNICODE_PASSAGE[:end])) != (start, end)
    assert text.locate(selector["exact"], selector["prefix"], selector["suffix"]) == \
        Anchor(1, start, end)


def test_context_around_emoji_is_32_code_points():
    text = ArticleText([UNICODE_PASSAGE])
    start = UNICODE_PASSAGE.index("нейтралитет")
    selector = text.selector(0, start, start + len("нейтралитет"))
    assert len(selector["prefix"]) == 32
    assert selector["prefix"] == UNICODE_PASSAGE[start - 32:start]
    assert DOVE in selector["prefix"]
    assert utf16_units(selector["prefix"]) > 32


# -- locate -----------------------------------------------------------------------

def test_locate_finds_a_unique_quote_by_its_context(article):
    start = PARAGRAPH.index("tenfold increase")
    selector = article.selector(1, start, start + len("tenfold increase"))
    assert article.locate(**selector) == Anchor(1, start, start + len("tenfold increase"))


def test_a_short_quote_without_any_context_is_not_placed(article):
    # Found once, but nothing around it says it is the same place (issue
    # #12, class 2): a short quote needs evidence from its surroundings.
    assert article.locate("tenfold increase") is None


def test_a_long_unique_quote_needs_only_some_context():
    old = ArticleText(["Officials said the plan for the harbour was sound and would go ahead."])
    quote = "the plan for the harbour was sound"
    selector = old.selector(0, 15, 15 + len(quote))
    assert selector["exact"] == quote
    new_passage = ("After a long night, officials said the plan for the harbour was sound, "
                   "for now.")
    new = ArticleText(["A new heading", new_passage])
    start = new_passage.index(quote)
    assert new.locate(**selector) == Anchor(1, start, start + len(quote))


def test_a_short_unique_quote_whose_context_changed_on_both_sides_is_not_placed():
    old = ArticleText(["Officials said the plan was sound and would go ahead."])
    selector = old.selector(0, 15, 33)
    assert selector["exact"] == "the plan was sound"
    new = ArticleText(["A new heading",
                       "After a long night, critics doubted the plan was sound, for now."])
    assert new.locate(**selector) is None


def test_a_fixed_typo_is_located_with_changes():
    old = ArticleText(["Port story", "A spokesperson said the goverment had already approved "
                                     "the environmental assessment last month."])
    quote = "the goverment had already approved"
    start = old.passage_texts[1].index(quote)
    selector = old.selector(1, start, start + len(quote))
    fixed = old.passage_texts[1].replace("goverment", "government")
    anchor = ArticleText(["Port story", fixed]).locate(**selector)
    assert anchor == Anchor(1, start, start + len(quote) + 1)
    assert anchor.changed
    assert fixed[anchor.start:anchor.end] == "the government had already approved"


def test_prefix_decides_between_two_occurrences():
    text = ArticleText(["Alpha said the plan was sound.", "Beta said the plan was sound."])
    exact = "the plan was sound"
    assert text.locate(exact, prefix="Beta said ", suffix=".") == Anchor(1, 10, 28)
    assert text.locate(exact, prefix="Alpha said ", suffix=".") == Anchor(0, 11, 29)


def test_suffix_decides_between_two_occurrences():
    text = ArticleText(["The plan was sound, Alpha said.", "The plan was sound, Beta said."])
    exact = "The plan was sound"
    assert text.locate(exact, prefix="", suffix=", Beta said.") == Anchor(1, 0, 18)
    assert text.locate(exact, prefix="", suffix=", Alpha said.") == Anchor(0, 0, 18)


def test_occurrences_in_the_same_passage_are_told_apart_by_context():
    passage = "Ministers called it sound; critics called it sound too."
    text = ArticleText([passage])
    second = passage.index("sound", passage.index("sound") + 1)
    assert text.locate("sound", prefix="critics called it ", suffix=" too.") == \
        Anchor(0, second, second + 5)


def test_tied_context_gives_none_rather_than_a_guess():
    text = ArticleText(["Alpha said the plan was sound.", "Beta said the plan was sound."])
    # Neither occurrence has the remembered context: no winner.
    assert text.locate("the plan was sound", prefix="Gamma said ", suffix="!") is None
    # No context at all: no winner either.
    assert text.locate("the plan was sound") is None


def test_identical_context_on_both_occurrences_gives_none():
    text = ArticleText(["He said: the plan was sound.", "He said: the plan was sound."])
    assert text.locate("the plan was sound", prefix="He said: ", suffix=".") is None


def test_deleted_quote_gives_none(article):
    assert article.locate("the plan was sound", prefix="Officials said ", suffix=".") is None


def test_empty_quote_gives_none(article):
    assert article.locate("", prefix=HEADING, suffix=PARAGRAPH) is None


def test_quote_split_across_two_passages_is_not_matched():
    # The sentence was broken into two paragraphs by an edit.
    text = ArticleText(["Officials said the plan", "was sound and would go ahead."])
    assert text.locate("the plan was sound", prefix="Officials said ", suffix=" and") is None
    # Even the joined text (with its separator) never matches across passages.
    assert text.locate("the plan\nwas sound") is None



def test_a_quote_found_more_often_than_examined_is_placed_by_its_whole_context():
    # "5%" occurs 1,200 times, more than locate scores one by one; its whole
    # remembered context occurs once, so a re-import still places it.
    texts = [f"Item {i} says the rate is 5% now." for i in range(1200)]
    text = ArticleText(texts)
    target = 700
    start = texts[target].index("5%")
    selector = text.selector(target, start, start + 2)

    anchor = text.locate(selector["exact"], selector["prefix"], selector["suffix"])

    assert anchor == Anchor(target, start, start + 2)
    # Without a context that tells it apart, it stays unplaced.
    assert text.locate("5%", "rate is ", " now.") is None


def test_reimporting_unchanged_text_keeps_a_claim_on_a_frequent_quote(store):
    body = "\n\n".join(f"Item {i} says the rate is 5% now." for i in range(1200))
    parsed = parse_article(body, "text")
    article_id = store.import_article("https://news.example.com/rates", parsed, SYSTEM).article_id
    passage = store.passages(article_id)[700]
    start = passage["text"].index("5%")
    store.create_claim(passage["id"], start, start + 2, "unverified", SYSTEM)

    result = store.import_article("https://news.example.com/rates", parsed, SYSTEM)

    assert (result.claims_kept, result.claims_orphaned) == (1, 0)


# -- the shared cases (tests/fixtures/anchoring_cases.json) -----------------------------
#
# The same cases run in Chromium against extension/anchoring.js
# (tests/browser/test_anchoring_js.py): one specification (docs/anchoring.md),
# two implementations, the same decision on every case.

CASES_FILE = Path(__file__).parent / "fixtures" / "anchoring_cases.json"
OPEN, CLOSE = "⟦", "⟧"


def unmark(marked: str) -> tuple[str, tuple[int, int] | None]:
    """Text without its ⟦ ⟧ marks, and the marked span (code points)."""
    start = marked.find(OPEN)
    if start == -1:
        return marked, None
    end = marked.index(CLOSE) - 1
    return marked.replace(OPEN, "", 1).replace(CLOSE, "", 1), (start, end)


def load_cases() -> list[dict]:
    """Each case with the selector the store keeps for the marked quote in
    the old text (passages split on newlines) and the expected span in the
    new text (None when the claim must be orphaned)."""
    cases = []
    for case in json.loads(CASES_FILE.read_text(encoding="utf-8")):
        old, (start, end) = unmark(case["old"])
        new, expected = unmark(case["new"])
        article = ArticleText(old.split("\n"))
        index = article.passage_at(start)
        offset = article.starts[index]
        selector = article.selector(index, start - offset, end - offset)
        cases.append({**case, "selector": selector, "new_text": new, "expected": expected})
    return cases


CASES = load_cases()


def test_the_case_file_covers_every_class_with_enough_cases():
    assert len(CASES) >= 60
    assert len({c["id"] for c in CASES}) == len(CASES)
    classes = {c["class"] for c in CASES}
    assert {"1-copy", "2-context", "3-words", "4-typos", "5-short", "whitespace", "moved",
            "inserted", "unicode", "rewrite"} <= classes
    for case in CASES:
        assert (case["expected"] is None) == (case["state"] == "orphaned"), case["id"]
        if case["state"] == "anchored":
            start, end = case["expected"]
            assert collapse(case["new_text"][start:end]) == collapse(case["selector"]["exact"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_shared_case(case):
    result = anchor_text(case["new_text"], **case["selector"])
    assert result["state"] == case["state"], (case["note"], result)
    if case["expected"] is not None:
        assert (result["start"], result["end"]) == case["expected"], case["note"]
    # Re-import's locate (passages = the new text's lines) decides the same.
    new = ArticleText(case["new_text"].split("\n"))
    anchor = new.locate(**case["selector"])
    if case["expected"] is None:
        assert anchor is None
    else:
        start = new.starts[anchor.passage_index] + anchor.start
        assert (start, start + anchor.end - anchor.start) == case["expected"]
        assert anchor.changed == (case["state"] == "anchored-with-changes")


def test_reimport_with_a_typo_fix_keeps_the_claim_on_the_corrected_words(store):
    url = "https://news.example.com/harbour"
    before = ("Harbour expansion approved\n\nA spokesperson said the goverment had already "
              "approved the environmental assessment last month.")
    article_id = store.import_article(url, parse_article(before, "text"), SYSTEM).article_id
    passage = store.passages(article_id)[1]
    quote = "the goverment had already approved"
    start = passage["text"].index(quote)
    claim = store.create_claim(passage["id"], start, start + len(quote), "unverified", SYSTEM)

    result = store.import_article(url, parse_article(before.replace("goverment", "government"),
                                                     "text"), SYSTEM)

    assert (result.claims_kept, result.claims_orphaned) == (1, 0)
    after = store.claim(claim["id"])
    assert after["anchor_state"] == "anchored"
    assert after["exact"] == "the government had already approved"
    assert after["suffix"].startswith(" the environmental")


def test_reimport_with_a_changed_number_orphans_the_claim(store):
    url = "https://news.example.com/harbour-cost"
    before = "Harbour\n\nThe expansion will cost 310 million euros and create 1,200 jobs."
    article_id = store.import_article(url, parse_article(before, "text"), SYSTEM).article_id
    passage = store.passages(article_id)[1]
    quote = "will cost 310 million euros"
    start = passage["text"].index(quote)
    store.create_claim(passage["id"], start, start + len(quote), "unverified", SYSTEM)

    result = store.import_article(url, parse_article(before.replace("310", "320"), "text"),
                                  SYSTEM)

    assert (result.claims_kept, result.claims_orphaned) == (0, 1)
