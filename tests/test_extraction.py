"""Full pages through the extractor (annotations/extraction.py) and the
splitter: the story's passages without the page's boilerplate, and the
page's metadata. The pages in tests/fixtures/pages/ are written for these
tests after common layouts: a news site, a blog, a wire story, a paywall."""

from pathlib import Path

import pytest

from annotations.extraction import extract_page, is_full_document
from annotations.importer import parse_article
from annotations.models import Passage

PAGES = Path(__file__).parent / "fixtures" / "pages"


def parsed(name: str, url: str = "https://reader.example/saved"):
    return parse_article((PAGES / name).read_text(encoding="utf-8"), "auto", "text",
                         page_url=url)


def texts(article) -> list[str]:
    return [p.text for p in article.passages]


def everything(article) -> str:
    return "\n".join(texts(article))


def test_news_site_keeps_the_story_and_drops_the_page_around_it():
    article = parsed("news_site.html")

    assert article.format == "html"
    assert article.passages[0] == Passage(
        "heading", "Harbour dredging plan will cost twice the council's estimate, audit finds")
    assert Passage("heading", "Silt treatment left out") in article.passages
    body = [p for p in article.passages if p.kind == "paragraph"]
    assert body[0].text.startswith("The council's plan to deepen the east channel")
    assert body[-1].text.startswith("The audit also recommends that future capital projects")
    assert len(body) == 7
    text = everything(article)
    for boilerplate in ("Advertisement", "Read more", "Council approves harbour deepening",
                        "Share on Facebook", "Share this article", "morning briefing",
                        "Sign up", "Most read", "School bus timetable", "All rights reserved",
                        "Subscribe", "Politics", "dataLayer", "Privacy"):
        assert boilerplate not in text, boilerplate


def test_news_site_metadata_has_the_headline_without_the_site_name():
    metadata = parsed("news_site.html").metadata

    assert metadata.title == \
        "Harbour dredging plan will cost twice the council's estimate, audit finds"
    assert "Harbourview Courier" not in metadata.title
    assert metadata.author == "Priya Raman"
    assert metadata.published_date == "2026-03-04"
    assert metadata.publisher == "Harbourview Courier"
    assert metadata.language == "en-GB"
    assert metadata.canonical_url == \
        "https://www.harbourview-courier.example/news/2026/03/harbour-dredging-audit"


def test_blog_post_keeps_its_list_and_quote_and_drops_comments_and_widgets():
    article = parsed("blog.html")

    kinds = [p.kind for p in article.passages]
    assert kinds.count("list_item") == 3 and kinds.count("quote") == 1
    assert Passage("heading", "Ce qu'il faudrait publier") in article.passages
    text = everything(article)
    for boilerplate in ("Partager", "Articles similaires", "Merci pour ce travail",
                        "Laisser un commentaire", "Articles récents", "Propulsé par WordPress",
                        "Catégories", "Un blog sur les statistiques"):
        assert boilerplate not in text, boilerplate
    metadata = article.metadata
    assert (metadata.title, metadata.author, metadata.published_date, metadata.publisher,
            metadata.language) == ("Ce que disent vraiment les chiffres du vélo à Lyon",
                                   "Camille Fontaine", "2026-02-18", "Carnets de données", "fr")
    assert metadata.canonical_url == \
        "https://carnets-de-donnees.example/2026/02/chiffres-velo-lyon/"


def test_wire_story_keeps_its_dateline_and_credits_and_drops_read_more():
    article = parsed("wire_story.html")

    paragraphs = [p.text for p in article.passages if p.kind == "paragraph"]
    assert paragraphs[0].startswith("GENEVA, Jan 12 (Meridian Wire) - Negotiators returned")
    assert paragraphs[-1].startswith("(Reporting by Jonas Aberg")
    text = everything(article)
    for boilerplate in ("Read more", "Grain corridor suspended as inspections stall",
                        "Trust Principles", "Licensing", "Oil steadies", "quotes delayed"):
        assert boilerplate not in text, boilerplate
    metadata = article.metadata
    assert (metadata.title, metadata.author, metadata.published_date, metadata.publisher) == (
        "Grain corridor talks resume in Geneva after two-week pause", "Jonas Aberg",
        "2026-01-12", "Meridian Wire")


def test_paywall_teaser_imports_the_teaser_without_the_subscription_box():
    article = parsed("paywall.html")

    assert texts(article) == [
        "Inside the state's missing broadband millions",
        "Three years after lawmakers set aside $210 million to bring high-speed internet to "
        "rural counties, fewer than one in five of the promised connections have been built, "
        "a Prairie Ledger review of state contracts shows.",
        "The review found that two contractors received advance payments worth $64 million "
        "for projects that had not broken ground by the end of the last fiscal year."]
    # Two authors from the JSON-LD.
    assert article.metadata.author == "Dana Whitfield, Luis Ortega"
    assert article.metadata.publisher == "The Prairie Ledger"
    assert article.metadata.published_date == "2025-11-20"


def test_a_relative_canonical_url_is_made_absolute_and_only_http_is_kept():
    page = ('<!doctype html><html lang="de"><head><title>Bericht</title>'
            '<link rel="canonical" href="/politik/bericht-2026"></head><body><article>'
            '<h1>Bericht</h1><p>Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr '
            'beschlossen, nach einer langen Debatte über die Schulen.</p></article></body></html>')
    assert extract_page(page, "https://zeitung.example/a?id=1").metadata.canonical_url == \
        "https://zeitung.example/politik/bericht-2026"
    assert extract_page(page.replace("/politik/bericht-2026", "javascript:alert(1)"),
                        "https://zeitung.example/a").metadata.canonical_url is None


def test_markup_in_the_story_still_goes_through_bleach():
    page = ('<!doctype html><html><head><title>Story</title></head><body><article>'
            '<h1>Story</h1><p onclick="steal()">The mayor <script>alert(1)</script>said the '
            'bridge would reopen in <img src=x onerror=alert(2)>May, two months late.</p>'
            '<p>Engineers found <a href="javascript:alert(3)">cracks</a> in the deck in '
            'January and closed it to traffic.</p></article></body></html>')

    article = parse_article(page)

    text = everything(article)
    assert "The mayor said the bridge would reopen in May, two months late." in text
    for markup in ("alert", "onclick", "onerror", "<", "javascript"):
        assert markup not in text


def test_fragments_and_text_are_imported_as_before():
    fragment = parse_article("<h2>Budget</h2><p>Advertisement</p><p>The budget grew.</p>")
    assert fragment.passages == [Passage("heading", "Budget"),
                                 Passage("paragraph", "Advertisement"),
                                 Passage("paragraph", "The budget grew.")]
    assert fragment.metadata.article_fields() == {}
    text = parse_article("Budget\nThe budget grew.", "text")
    assert texts(text) == ["Budget", "The budget grew."]


def test_a_page_the_extractor_finds_no_story_in_is_split_whole():
    article = parse_article("<html><body><div>Only a line of text</div></body></html>")
    assert texts(article) == ["Only a line of text"]


@pytest.mark.parametrize("content, full", [
    ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
    ("<html lang='en'><body><p>x</p></body></html>", True),
    ("<body><p>x</p></body>", True),
    ("<p>x</p><p>y</p>", False),
    ("<div><h1>x</h1></div>", False),
    ("The <html> element is the root.", False),
])
def test_full_documents_are_told_from_fragments(content, full):
    assert is_full_document(content) is full


def test_a_page_with_too_much_markup_is_refused_before_extraction():
    from annotations.importer import ImportLimits
    from annotations.models import DomainError
    page = "<!doctype html><html><body>" + "<p>a</p>" * 600 + "</body></html>"
    with pytest.raises(DomainError) as caught:
        parse_article(page, "html", "html", ImportLimits(max_html_tags=1000))
    assert "max_html_tags" in caught.value.message


def test_an_xhtml_page_with_an_xml_declaration_is_extracted():
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Tariffs | Site'
            '</title><meta property="og:site_name" content="Site"/></head><body><nav>'
            '<a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Tariffs</h1>'
            '<p>The ministry said on Monday that tariffs on steel would rise in April, '
            'after talks with exporters failed.</p></article></body></html>')

    article = parse_article(page)

    assert (article.title, article.metadata.publisher) == ("Tariffs", "Site")
    assert texts(article) == ["Tariffs", "The ministry said on Monday that tariffs on steel "
                                         "would rise in April, after talks with exporters failed."]
