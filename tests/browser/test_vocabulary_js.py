"""The shared vocabulary (extension/vocabulary.js, served to the annotator as
/static/js/vocabulary.js) in the annotator page: present, frozen, equal to
the Python source, and what the annotator's messages are built from. The
extension's side is checked in test_extension.py."""

from annotations.models import vocabulary_for_js

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, open_new_claim

TEXT = "Turnout story\n\nThe mayor said turnout was 72% in the city.\n"

DATA_JS = """() => Object.fromEntries(Object.entries(window.FactVocabulary)
  .filter(([, value]) => typeof value !== 'function'))"""


def _article_page(live_server, new_page):
    live_server.user("fay", "factchecker")
    article_id, _ = add_article(live_server, "https://news.example/turnout", TEXT)
    page = new_page()
    login(page, live_server, "fay")
    return page, f"{live_server.url}/articles/{article_id}"


def test_the_annotator_page_has_the_python_vocabulary(live_server, new_page):
    page, url = _article_page(live_server, new_page)
    page.goto(url)
    assert page.evaluate(DATA_JS) == vocabulary_for_js()
    assert page.evaluate("""() => [Object.isFrozen(FactVocabulary),
        Object.isFrozen(FactVocabulary.verdictDisplay.denied),
        FactVocabulary.verdictWord('denied'), FactVocabulary.verdictIcon('denied'),
        FactVocabulary.roleAtLeast('editor', 'factchecker'),
        FactVocabulary.roleAtLeast('anonymous', 'reader')]""") == \
        [True, True, "False", "✘", True, False]
    assert page.errors == []


def test_the_annotator_builds_its_verdict_message_from_the_vocabulary(live_server, new_page):
    page, url = _article_page(live_server, new_page)
    # Serve a vocabulary with the verdicts in another order: the annotator's
    # message follows it, so it has no list of its own.
    def reorder(route):
        source = route.fetch().text()
        original = '"verdicts": ["verified", "denied", "unverified"]'
        assert original in source
        route.fulfill(body=source.replace(original, '"verdicts": ["unverified", "denied", "verified"]'),
                      content_type="text/javascript; charset=utf-8")
    page.route("**/static/js/vocabulary.js", reorder)
    page.goto(url)
    open_new_claim(page, "#passage-1", "turnout was 72%")
    page.click("#save-claim")
    page.wait_for_function(
        "() => document.getElementById('panel-error').textContent !== ''", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-error") == "Verdict: choose unverified, denied or verified"
    assert page.errors == []
