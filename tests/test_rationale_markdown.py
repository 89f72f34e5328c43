"""Markdown rationales: what the desk types becomes the same safe HTML subset
as a rationale typed as HTML; hostile Markdown is neutralised; a rationale
written as HTML gets a Markdown source that shows what it showed."""

import re
import time

import pytest

from annotations.demo import DEMO_CLAIMS
from annotations.rationale_markdown import (MAX_RATIONALE_MARKDOWN, markdown_from_html,
                                            render_markdown)
from annotations.sanitize import RATIONALE_TAGS, clean_rationale, rationale_text

REL = 'rel="nofollow noopener noreferrer"'


def tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-z0-9]+)", html))


def test_markdown_renders_to_the_rationale_subset():
    html = render_markdown(
        "The figure is *wrong*: see **the ministry's table** and "
        "[the archive](https://archive.example/t?x=1&y=2).\n\n"
        "- first point\n- second with `code`\n\n1. one\n2. two\n\n> a quoted line")
    assert "<em>wrong</em>" in html and "<strong>the ministry's table</strong>" in html
    assert f'<a href="https://archive.example/t?x=1&amp;y=2" {REL}>the archive</a>' in html
    assert "<ul><li>first point</li><li>second with <code>code</code></li></ul>" in \
        html.replace("\n", "")
    assert "<ol><li>one</li><li>two</li></ol>" in html.replace("\n", "")
    assert "<blockquote><p>a quoted line</p></blockquote>" in html.replace("\n", "")
    assert tags(html) <= RATIONALE_TAGS


def test_bare_urls_become_links_and_only_http_links_survive():
    html = render_markdown("Read https://stats.example.org/report and www.stats.example.org/b "
                           "or [ftp](ftp://files.example/x) or [relative](/admin)")
    report = "https://stats.example.org/report"
    assert f'<a href="{report}" {REL}>{report}</a>' in html
    assert f'<a href="http://www.stats.example.org/b" {REL}>' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://stats.example.org/report", "http://www.stats.example.org/b"]
    assert "ftp" in html and "relative" in html  # their text stays, as text


@pytest.mark.parametrize("source", [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](  javascript:alert(1) )",
    "<javascript:alert(1)>",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](https://img.example/a.png)",
    "[ref]: javascript:alert(1)\n\n[ref]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<http://ok.example/\"onmouseover=\"alert(1)>",
    "`<script>alert(1)</script>`",
])
def test_hostile_markdown_is_neutralised(source):
    html = render_markdown(source)
    assert tags(html) <= RATIONALE_TAGS
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html)  # no event handler attribute
    assert not re.search(r'href="(?!https?://)', html)
    assert "<img" not in html and "<script" not in html and "<svg" not in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # never inside a tag
    assert clean_rationale(html) == html  # already as clean as the sanitiser makes it


def test_typed_html_shows_as_text():
    html = render_markdown("Use <em>this</em> & <script>alert(1)</script>")
    assert html == ("<p>Use &lt;em&gt;this&lt;/em&gt; &amp; "
                    "&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert rationale_text(html) == "Use <em>this</em> & <script>alert(1)</script>"


def test_constructs_outside_the_subset_stay_text():
    html = render_markdown("# Not a heading\n\n---\n\n    not code\n\n![alt](https://i.example/a)")
    assert tags(html) <= {"p", "a"}
    assert "# Not a heading" in html and "not code" in html


def test_the_longest_allowed_markdown_renders_quickly():
    for hostile in ("[" * MAX_RATIONALE_MARKDOWN, "*a" * (MAX_RATIONALE_MARKDOWN // 2),
                    "<" * MAX_RATIONALE_MARKDOWN, "> " * (MAX_RATIONALE_MARKDOWN // 2)):
        started = time.perf_counter()
        render_markdown(hostile)
        assert time.perf_counter() - started < 3


# -- a Markdown source for rationales written as HTML ------------------------------

ROUND_TRIPS = [
    "<p>One <em>two</em> <strong>three</strong></p><p>Second paragraph.</p>",
    f'<p>See <a href="https://x.example/a_(b)?q=1&amp;r=2" {REL}>the *record*</a>.</p>',
    "<ul><li>a</li><li>b <em>c</em><ul><li>nested</li></ul></li></ul><ol><li>x</li><li>y</li></ol>",
    "<blockquote><p>quoted</p><p>twice</p></blockquote>",
    "<p>Code <code>a `b` c</code>; 5 * 3 = 15_000 [not](a link) &lt;b&gt; ! #1</p>",
    "<p>- a dash</p><p># a hash</p><p>2) two</p><p>3. three</p><p>+ plus</p><p>&gt; gt</p>",
    "<p>line one<br>line two</p>",
]


def normalised(html: str) -> str:
    return re.sub(r">\s+", ">", html.strip())


@pytest.mark.parametrize("html", ROUND_TRIPS + [claim[3] for claim in DEMO_CLAIMS])
def test_the_markdown_of_an_html_rationale_renders_back_to_it(html):
    cleaned = clean_rationale(html)
    source = markdown_from_html(cleaned)
    assert "<" not in source.replace("\\<", "").replace("](<", "")  # no tags in the source
    assert normalised(render_markdown(source)) == normalised(cleaned)


def test_the_markdown_of_an_html_rationale_reads_as_markdown():
    cleaned = clean_rationale('<p>The <em>official</em> record: '
                              '<a href="https://gov.example/r">the transcript</a></p>'
                              "<ul><li>one</li><li>two</li></ul>")
    assert markdown_from_html(cleaned) == ("The *official* record: "
                                           "[the transcript](https://gov.example/r)\n\n"
                                           "- one\n- two")


@pytest.mark.parametrize("html", [
    "plain text, no paragraph",
    "<p>trailing break<br></p>",
    "<p><a>a link whose href was dropped</a> and <em> spaced </em>words</p>",
    "<ul><li><p>loose</p></li><li><p>items</p></li></ul>",
])
def test_markup_markdown_cannot_say_the_same_way_keeps_its_words(html):
    cleaned = clean_rationale(html)
    rendered = render_markdown(markdown_from_html(cleaned))
    assert rationale_text(rendered).split() == rationale_text(cleaned).split()


def test_an_empty_rationale_has_an_empty_source():
    assert markdown_from_html("") == "" and render_markdown("") == ""
