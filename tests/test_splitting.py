"""Splitting plain text and HTML into passages (annotations.splitting)."""

import re
import unicodedata
from pathlib import Path

import pytest

from annotations.splitting import split_html, split_text

SEED_ARTICLE = Path(__file__).parents[2] / "shared" / "seed-article.txt"


def pairs(passages):
    return [(p.kind, p.text) for p in passages]


# -- plain text ----------------------------------------------------------------

# Shaped like a wire story: lead, roman-numeral sections, numbered subheads,
# some blocks separated by blank lines and some not, a conclusion, and the
# trailing blank lines an editor's copy-paste leaves behind.
ARTICLE = (
    "\n"
    "Water ministers from four countries agreed in Lisbon on Tuesday to share river-flow "
    "readings in real time, a step officials called “overdue” after last summer’s drought.\n"
    "I. What the ministers agreed\n"
    "1. A shared data platform\n"
    "The platform will publish readings from 140 gauging stations every hour — a tenfold "
    "increase on the weekly bulletins farmers rely on today.\n"
    "\n"
    "2. Who pays for it\n"
    "Costs of about €12 million will be split by each country’s share of the basin. "
    "“Nobody gets a free ride,” one delegate said.\n"
    "II. Doubts from farmers’ groups\n"
    "Irrigation associations say the readings will be used to cap their allocations "
    "without consultation.\n"
    "\n"
    "\n"
    "III. What happens next\n"
    "1. A pilot in the autumn\n"
    "The first stations go live in October; the full network — if funded — is due by 2027.\n"
    "Conclusion\n"
    "Whether the deal survives the next dry summer, and the politics that come with it, "
    "remains to be seen.\n"
    + "\n" * 15
)


def test_news_article_is_split_into_headings_and_paragraphs():
    assert pairs(split_text(ARTICLE)) == [
        ("paragraph",
         "Water ministers from four countries agreed in Lisbon on Tuesday to share river-flow "
         "readings in real time, a step officials called “overdue” after last summer’s drought."),
        ("heading", "I. What the ministers agreed"),
        ("heading", "1. A shared data platform"),
        ("paragraph",
         "The platform will publish readings from 140 gauging stations every hour — a tenfold "
         "increase on the weekly bulletins farmers rely on today."),
        ("heading", "2. Who pays for it"),
        ("paragraph",
         "Costs of about €12 million will be split by each country’s share of the basin. "
         "“Nobody gets a free ride,” one delegate said."),
        ("heading", "II. Doubts from farmers’ groups"),
        ("paragraph",
         "Irrigation associations say the readings will be used to cap their allocations "
         "without consultation."),
        ("heading", "III. What happens next"),
        ("heading", "1. A pilot in the autumn"),
        ("paragraph",
         "The first stations go live in October; the full network — if funded — is due by 2027."),
        ("heading", "Conclusion"),
        ("paragraph",
         "Whether the deal survives the next dry summer, and the politics that come with it, "
         "remains to be seen."),
    ]


def test_hard_wrapped_paragraph_is_joined_into_one_passage():
    wrapped = (
        "The committee met for the third time this year and again failed to\n"
        "agree on a common position on the proposal, which several members\n"
        "described as unworkable in its current form.\n"
    )
    assert pairs(split_text(wrapped)) == [(
        "paragraph",
        "The committee met for the third time this year and again failed to agree on a "
        "common position on the proposal, which several members described as unworkable "
        "in its current form.",
    )]


def test_consecutive_finished_sentences_stay_separate_passages():
    # Same line lengths as a wrapped paragraph, but every line ends a sentence.
    text = (
        "The committee met for the third time this year on Monday.\n"
        "It again failed to agree on a common position on the proposal.\n"
    )
    assert pairs(split_text(text)) == [
        ("paragraph", "The committee met for the third time this year on Monday."),
        ("paragraph", "It again failed to agree on a common position on the proposal."),
    ]


def test_bullet_lines_become_list_items_without_the_marker():
    text = "Key points\n- Readings every hour\n- Costs shared by basin area\n* Pilot in October\n"
    assert pairs(split_text(text)) == [
        ("heading", "Key points"),
        ("list_item", "Readings every hour"),
        ("list_item", "Costs shared by basin area"),
        ("list_item", "Pilot in October"),
    ]


def test_quote_lines_become_quotes_without_the_marker():
    text = ("The minister was blunt.\n"
            "> Nobody gets a free ride.\n"
            ">We will publish everything.\n")
    assert pairs(split_text(text)) == [
        ("paragraph", "The minister was blunt."),
        ("quote", "Nobody gets a free ride."),
        ("quote", "We will publish everything."),
    ]


def test_crlf_input_gives_the_same_passages_as_lf_and_no_carriage_returns():
    lf = "I. What was agreed\nThe ministers signed the accord.\n\nConclusion\nIt may not last.\n"
    crlf = lf.replace("\n", "\r\n")
    result = split_text(crlf)
    assert pairs(result) == pairs(split_text(lf)) == [
        ("heading", "I. What was agreed"),
        ("paragraph", "The ministers signed the accord."),
        ("heading", "Conclusion"),
        ("paragraph", "It may not last."),
    ]
    assert not any("\r" in p.text for p in result)


def test_decomposed_accents_are_composed_to_nfc():
    decomposed = "The cafe\u0301 owner in Gene\u0300ve spoke."
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    [passage] = split_text(decomposed)
    assert passage.text == "The caf\u00e9 owner in Gen\u00e8ve spoke."
    assert "\u0301" not in passage.text and "\u0300" not in passage.text


def test_whitespace_runs_collapse_to_one_space():
    [passage] = split_text("  The\tminister\u00a0said   it\u2009was \t final.  ")
    assert passage.text == "The minister said it was final."


def test_quotes_dashes_and_non_latin_scripts_are_kept_as_written():
    line = "“Нейтралитет” — 中立 — isn’t ‘simple’, the envoy said."
    [passage] = split_text(line)
    assert passage.text == line


def test_blank_only_text_gives_no_passages():
    assert split_text("\n \n\t\n\u00a0\n") == []


# -- the shared seed article ------------------------------------------------------

_SECTION_HEADING = re.compile(r"^(?:I|II|III|\d+)\. ")


def _normalised(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).split())


def test_seed_article_headings_and_paragraphs_follow_its_lines():
    if not SEED_ARTICLE.exists():
        pytest.skip(f"seed article not present at {SEED_ARTICLE}")
    lines = [_normalised(l) for l in SEED_ARTICLE.read_text(encoding="utf-8").splitlines()]
    lines = [l for l in lines if l]
    expected = [
        ("heading" if _SECTION_HEADING.match(l) or l == "Conclusion" else "paragraph", l)
        for l in lines
    ]
    # The file really has both kinds, so the comparison below means something.
    assert {kind for kind, _ in expected} == {"heading", "paragraph"}

    passages = split_text(SEED_ARTICLE.read_text(encoding="utf-8"))

    assert len(passages) == len(lines)
    assert pairs(passages) == expected


# -- HTML ----------------------------------------------------------------------------

def test_block_elements_map_to_passage_kinds():
    html = """
    <h1>Lisbon accord</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>
    <p>Ministers agreed to share data.</p>
    <ul><li>Hourly readings</li><li>Shared costs</li></ul>
    <ol><li>Pilot first</li></ol>
    <blockquote>Nobody gets a free ride.</blockquote>
    """
    passages, title = split_html(html)
    assert pairs(passages) == [
        ("heading", "Lisbon accord"), ("heading", "Two"), ("heading", "Three"),
        ("heading", "Four"), ("heading", "Five"), ("heading", "Six"),
        ("paragraph", "Ministers agreed to share data."),
        ("list_item", "Hourly readings"), ("list_item", "Shared costs"),
        ("list_item", "Pilot first"),
        ("quote", "Nobody gets a free ride."),
    ]
    assert title == ""


def test_blockquote_holding_paragraphs_gives_one_quote_per_paragraph():
    passages, _ = split_html(
        "<p>She said:</p><blockquote><p>We will publish everything.</p>"
        "<p>Every hour, every station.</p></blockquote><p>Then she left.</p>")
    assert pairs(passages) == [
        ("paragraph", "She said:"),
        ("quote", "We will publish everything."),
        ("quote", "Every hour, every station."),
        ("paragraph", "Then she left."),
    ]


def test_page_chrome_scripts_and_styles_are_dropped_with_their_content():
    html = """<!doctype html>
    <html><head><title>Lisbon accord</title>
      <style>p { color: red }</style>
      <script>var tracker = "<p>injected paragraph</p>";</script>
    </head><body>
      <header>Site masthead</header>
      <nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <p>Ministers agreed to share data.</p>
      <aside>Related: other stories</aside>
      <form><label>Subscribe to our newsletter</label><input name="email"></form>
      <script>document.write("more script text")</script>
      <footer>Copyright notice</footer>
    </body></html>"""
    passages, title = split_html(html)
    assert pairs(passages) == [("paragraph", "Ministers agreed to share data.")]
    assert title == "Lisbon accord"


def test_inline_markup_is_flattened_into_the_paragraph_text():
    passages, _ = split_html(
        '<p>The <b>minister</b> <a href="https://example.org/x">said</a> it was '
        '<span class="hl">final</span>, <em>twice</em>.<br>Then she left.</p>')
    assert pairs(passages) == [
        ("paragraph", "The minister said it was final, twice. Then she left."),
    ]


def test_entities_are_decoded_once():
    passages, title = split_html(
        "<title>Fish &amp; chips</title>"
        "<p>Caf&eacute; &#8212; &#x2019;n&#8217; &lt;b&gt; &amp;lt; &quot;x&quot;</p>")
    assert pairs(passages) == [("paragraph", "Café — ’n’ <b> &lt; \"x\"")]
    assert title == "Fish & chips"


def test_event_handlers_and_javascript_urls_never_reach_passage_text():
    html = (
        '<p onclick="steal()" onmouseover="alert(1)">Hover me</p>'
        '<p><a href="javascript:alert(document.cookie)">Read more</a></p>'
        '<img src="x" onerror="alert(1)">'
        '<p><a href="jav&#x09;ascript:alert(2)" onfocus="alert(3)">Tabbed</a></p>'
        '<iframe src="javascript:alert(4)">frame text</iframe>'
        '<svg onload="alert(5)"><text>svg text</text></svg>'
    )
    passages, _ = split_html(html)
    assert pairs(passages) == [
        ("paragraph", "Hover me"), ("paragraph", "Read more"), ("paragraph", "Tabbed"),
    ]
    joined = " ".join(p.text for p in passages).lower()
    for needle in ("javascript", "onclick", "onerror", "onmouseover", "onfocus", "onload", "alert"):
        assert needle not in joined


@pytest.mark.parametrize("tail", [
    '<img src=x onerror=alert(1)',
    '<a href=javascript:alert(1)',
    '<img src="x" onerror="alert(1)"',
    '<p onclick=alert(1)',
    '</div',
])
def test_markup_cut_off_at_the_end_of_the_file_is_dropped_not_kept_as_text(tail):
    # A truncated download ends inside a tag: browsers drop it, and so must we.
    passages, _ = split_html("<p>Ministers agreed.</p>" + tail)
    assert pairs(passages) == [("paragraph", "Ministers agreed.")]


def test_a_lone_less_than_sign_at_the_end_is_text():
    passages, _ = split_html("<p>Turnout was < 40")
    assert pairs(passages) == [("paragraph", "Turnout was < 40")]


def test_title_is_returned_and_not_a_passage():
    passages, title = split_html(
        "<html><head><title>  Lisbon\n accord —  “overdue”  </title></head>"
        "<body><p>Body text.</p></body></html>")
    assert title == "Lisbon accord — “overdue”"
    assert pairs(passages) == [("paragraph", "Body text.")]


def test_unclosed_and_misnested_markup_still_gives_clean_passages():
    html = ("<h2>Heading never closed<p>First <b>bold never closed"
            "<p>Second paragraph<li>stray item</span></i> tail"
            "<p>Last</div></p></body></html><p>After the end")
    passages, _ = split_html(html)
    assert pairs(passages) == [
        ("heading", "Heading never closed"),
        ("paragraph", "First bold never closed"),
        ("paragraph", "Second paragraph"),
        ("list_item", "stray item tail"),
        ("paragraph", "Last"),
        ("paragraph", "After the end"),
    ]


def test_loose_text_around_nested_blocks_gets_its_own_passages():
    passages, _ = split_html("<div>Before<p>Inside</p>After</div>")
    assert pairs(passages) == [
        ("paragraph", "Before"), ("paragraph", "Inside"), ("paragraph", "After"),
    ]


def test_html_whitespace_and_unicode_are_normalised_like_text():
    passages, _ = split_html("<p>  cafe\u0301\n\t\u00a0 “中立”  —  нейтралитет </p>")
    assert pairs(passages) == [("paragraph", "caf\u00e9 “中立” — нейтралитет")]


def test_title_case_heading_directly_above_a_short_paragraph_is_not_joined():
    text = ("Beijing’s Dual Approach to the War in Ukraine\n"
            "Despite portraying itself as neutral, Beijing kept ties.\n")
    assert [(p.kind, p.text) for p in split_text(text)] == [
        ("heading", "Beijing’s Dual Approach to the War in Ukraine"),
        ("paragraph", "Despite portraying itself as neutral, Beijing kept ties."),
    ]


def test_numbered_titles_ending_in_quote_or_question_are_headings():
    text = "II. A partnership with “no limits”\n2. Is it neutral?\n3. Buy milk and eggs.\n"
    assert [(p.kind, p.text) for p in split_text(text)] == [
        ("heading", "II. A partnership with “no limits”"),
        ("heading", "2. Is it neutral?"),
        ("list_item", "3. Buy milk and eggs."),
    ]
