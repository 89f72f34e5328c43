"""Check once, show everywhere, end to end (issue 15): three articles repeat
one claim in different words. The desk imports them, checks the claim once
(the original, published), links the other two from the service's
suggestions and publishes them, then corrects the original through the
usual revision flow. A reader with the real extension sees the original's
verdict on all three pages, "first published on" on the other two, and,
after the correction, the correction on all three, through the lookup
buckets the correction invalidated."""

import re
import urllib.parse
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from .conftest import serving_app
from .helpers import TIMEOUT_MS, serving
from .test_extension import NEWS_HOST, extension_browser, news_handler
from .test_extension_corrections import DeskApi

# (path, headline, paragraph, the claim as this article words it)
ARTICLES = [
    ("/2026/03/ferry-hearing.html", "Ferry fares under scrutiny",
     "At Monday's hearing the transport minister claimed that ferry fares had doubled since "
     "2019. Officials promised a review of the winter timetable.",
     "ferry fares had doubled since 2019"),
    ("/2026/03/islanders-protest.html", "Islanders protest at the terminal",
     "Protesters outside the terminal repeated that ferry fares have doubled since 2019, "
     "holding up old tickets as proof.",
     "ferry fares have doubled since 2019"),
    ("/2026/04/opinion-crossing.html", "Opinion: the crossing we cannot afford",
     "It is now common to hear that the price of a ferry ticket doubled since 2019, though "
     "few who say so cite a source.",
     "the price of a ferry ticket doubled since 2019"),
]
CORRECTION = "The operator's archived fare tables show a rise of about a third, not a doubling."


def _page(headline: str, paragraph: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{headline}'
            f'</title></head><body><article><h1>{headline}</h1><p>{paragraph}</p></article>'
            "</body></html>")


@pytest.fixture
def service(tmp_path, new_database):
    """The live service, its lookup answers revalidated on every visit
    (max-age 0), so a reader's second visit asks again, as one a minute
    later would."""
    with serving_app(new_database(tmp_path / "links.db"), LOOKUP_MAX_AGE=0,
                     LOOKUP_STALE_WHILE_REVALIDATE=0) as server:
        yield server


@pytest.fixture
def news(service):
    pages = {path: _page(headline, paragraph) for path, headline, paragraph, _ in ARTICLES}
    server = ThreadingHTTPServer(("127.0.0.1", 0), news_handler(pages))
    with serving(server):
        yield f"http://{NEWS_HOST}:{server.server_port}"


def _desk_checks_once_and_links(service, news) -> list[int]:
    editor = DeskApi(service, service.user("eddie", "editor"))
    checker = DeskApi(service, service.user("fay", "factchecker"))
    claims = []
    for path, headline, paragraph, quote in ARTICLES:
        article = checker.ok("POST", "/articles", {"url": news + path, "title": headline,
                                                   "text": f"{headline}\n\n{paragraph}"})
        article = article.get("article", article)
        (passage,) = [p for p in article["passages"] if quote in p["text"]]
        if not claims:
            claim = checker.create(passage, quote, "denied", label="Exaggerated",
                                   rationale="<p>Fares rose, but far less than that.</p>",
                                   citations=[{"url": "https://fares.example.org/archive",
                                               "title": "Fare archive"}])
        else:
            claim = checker.create(passage, quote, "unverified")
            query = urllib.parse.urlencode({"text": quote, "article": article["id"]})
            suggestions = checker.ok("GET", f"/claims/similar?{query}")
            assert suggestions, quote
            # The best suggestion is the original, or an appearance linked to it.
            best = suggestions[0]
            assert claims[0] in (best["id"], (best["link"] or {}).get("claim_id"))
            _, _, etag = checker.call("GET", f"/claims/{claim['id']}")
            linked = checker.ok("PUT", f"/claims/{claim['id']}/link",
                                {"origin_id": best["id"]}, if_match=etag)
            assert linked["link"]["claim_id"] == claims[0]
            assert linked["verdict"] == "denied"
        checker.act(claim["id"], "submit")
        assert editor.act(claim["id"], "approve")["status"] == "published"
        claims.append(claim["id"])
    return claims


def _reader_sees(context, url: str, claim_id: int, verdict_word: str, classes: str):
    """Open ``url`` as a reader and hover the claim's mark; the popover."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    mark = page.locator(f'mark.fdx-mark[data-fdx-claim="{claim_id}"]').first
    expect(mark).to_be_attached(timeout=TIMEOUT_MS)
    expect(mark).to_have_class(re.compile(rf"(^|\s){classes}(\s|$)"))
    mark.hover()
    box = page.locator(".fdx-popover-host .popover")
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    expect(box.locator(".verdict strong")).to_have_text(verdict_word)
    return page, box


def test_one_correction_reaches_every_page_repeating_the_claim(browser, tmp_path, service, news):
    claims = _desk_checks_once_and_links(service, news)
    original_title = ARTICLES[0][1]
    with extension_browser(browser, tmp_path / "profile") as (context, worker, _):
        worker.evaluate("(url) => chrome.storage.sync.set({serviceUrl: url})", service.url)

        for (path, *_), claim_id in zip(ARTICLES, claims):
            page, box = _reader_sees(context, news + path, claim_id, "False", "fdx-denied")
            expect(box.locator(".verdict .label")).to_have_text(" · Exaggerated")
            expect(box.locator(".rationale")).to_have_text("Fares rose, but far less than that.")
            expect(box.locator(".sources li a")).to_have_text("Fare archive")
            origin = box.locator(".origin")
            if claim_id == claims[0]:
                expect(origin).to_have_count(0)
            else:
                expect(origin).to_have_text(f"Fact-check first published on {original_title}")
                expect(origin.locator("a")).to_have_attribute("href", news + ARTICLES[0][0])
            assert page.errors == []
            page.close()

        # The original is corrected, through the usual revision flow.
        editor = DeskApi(service, service.user("ed2", "editor"))
        checker = DeskApi(service, service.user("fay2", "factchecker"))
        checker.edit(claims[0], {"verdict": "unverified", "label": "",
                                 "rationale": "<p>The fare archive shows a rise of a third.</p>"})
        checker.act(claims[0], "submit")
        assert editor.act(claims[0], "approve", correction_note=CORRECTION)["status"] == \
            "published"

        for (path, *_), claim_id in zip(ARTICLES, claims):
            page, box = _reader_sees(context, news + path, claim_id, "Unverified",
                                     "fdx-unverified")
            expect(box.locator(".corrected")).to_contain_text(CORRECTION)
            expect(box.locator(".previous")).to_have_text("Previously: False · Exaggerated")
            expect(box.locator(".rationale")).to_have_text(
                "The fare archive shows a rise of a third.")
            assert page.errors == []
            page.close()
