"""Every page of the annotator UI passes axe-core (WCAG 2.1 A/AA and best
practices) without a serious or critical violation, at desktop and phone
width, in the states people use: the annotator with a claim open, a form
showing its error, the public fact-check page, the error pages.

To check a new page, add one line to PAGES: a name, the path (formatted with
the fixture's ids: article_id, claim_id, published_id), who is signed in
(None: nobody), and optionally a step to take once the page has loaded."""

from dataclasses import dataclass
from typing import Callable

import pytest

from .a11y import assert_accessible, axe_violations
from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, open_claim, wait_until_ready

WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 360, "height": 740}}


@dataclass(frozen=True)
class Page:
    path: str
    user: str | None = "eda"
    then: Callable | None = None


def _open_the_claim(page, ids):
    open_claim(page, ids["claim_id"])


def _annotator_ready(page, ids):
    wait_until_ready(page)


def _wrong_password(page, ids):
    page.fill("#username", "eda")
    page.fill("#password", "not the password")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("[role=alert], .error", timeout=TIMEOUT_MS)


def _import_error(page, ids):
    page.fill("#url", "ftp://not-a-web-page.example/")
    page.click("#import-button")
    page.wait_for_selector("#import-error", timeout=TIMEOUT_MS)


def _history_shown(page, ids):
    open_claim(page, ids["claim_id"])
    page.click("#show-history")
    page.locator("#history-entries li").first.wait_for(timeout=TIMEOUT_MS)


def _request_changes_form(page, ids):
    # eda is an editor: the claim in review offers "Request changes", which asks for a note.
    open_claim(page, ids["claim_id"])
    page.click("#action-request_changes")
    page.wait_for_selector("#action-form:not([hidden])", timeout=TIMEOUT_MS)


def _overlap_chooser(page, ids):
    wait_until_ready(page)
    page.locator(f'#passages mark.claim[data-claim-id="{ids["inner_id"]}"]').click()
    page.wait_for_selector(".claim-chooser:not([hidden])", timeout=TIMEOUT_MS)


def _new_token(page, ids):
    page.fill("#token-name", "export script")
    page.locator("#token-name").press("Enter")
    page.wait_for_selector("#new-token", timeout=TIMEOUT_MS)


def _claims_listed(page, ids):
    page.wait_for_selector("#claims-table tbody tr, .claim-row, [data-claim-id]",
                           timeout=TIMEOUT_MS)


PAGES = {
    "login": Page("/login", user=None),
    "login with wrong password": Page("/login", user=None, then=_wrong_password),
    "articles": Page("/"),
    "annotator": Page("/articles/{article_id}", then=_annotator_ready),
    "annotator with the claim panel open": Page("/articles/{article_id}", then=_open_the_claim),
    "claim panel showing its history": Page("/articles/{article_id}", then=_history_shown),
    "claim panel asking for a note": Page("/articles/{article_id}", then=_request_changes_form),
    "overlapping claims: the chooser": Page("/articles/{article_id}", then=_overlap_chooser),
    "annotator for readers": Page("/articles/{article_id}", user=None),
    "claim page (published, to readers)": Page("/claims/{published_id}", user=None),
    "claim page (draft preview for the desk)": Page("/claims/{claim_id}"),
    "queue": Page("/queue"),
    "claims list": Page("/claims", then=_claims_listed),
    "import": Page("/import"),
    "import with an error": Page("/import", then=_import_error),
    "article details": Page("/articles/{article_id}/details"),
    "tokens": Page("/tokens"),
    "tokens with a new token": Page("/tokens", then=_new_token),
    "exports": Page("/exports"),
    "desk": Page("/desk"),
    "people": Page("/users"),
    "your account": Page("/account"),
    "your account for a factchecker": Page("/account", user="fay"),
    "API docs": Page("/api/docs"),
    "not found": Page("/articles/999999"),
    "forbidden to readers": Page("/claims/{claim_id}", user=None),
}


@pytest.fixture
def desk(live_server):
    """An editor, a factchecker, an article with a draft claim (assigned) and
    a published one: enough for every page to show its content."""
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    article_id, passages = add_article(
        live_server, "https://news.example/harbour",
        "Harbour plan\n\nThe mayor said the harbour plan creates 400 jobs.\n\n"
        "Officials added that the quay will open in spring.\n",
        title="Harbour plan", publisher="Example News")
    draft = add_claim(live_server, checker, passages[1], "creates 400 jobs", "unverified",
                      submit=True, label="Unproven")
    published = add_claim(live_server, checker, passages[2], "quay will open in spring",
                          "denied", publish_by=editor, label="Too early",
                          rationale="<p>The works schedule says autumn.</p>",
                          citations=({"url": "https://port.example.org/schedule",
                                      "title": "Works schedule", "stance": "refutes"},))
    # Inside the published one: clicking there asks which claim to open.
    inner = add_claim(live_server, checker, passages[2], "open in spring", "unverified")
    return {"article_id": article_id, "claim_id": draft["id"],
            "published_id": published["id"], "inner_id": inner["id"]}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(live_server, new_page, desk, name, width):
    spec = PAGES[name]
    page = new_page(viewport=WIDTHS[width])
    if spec.user:
        login(page, live_server, spec.user)
    page.goto(live_server.url + spec.path.format(**desk))
    if spec.then:
        spec.then(page, desk)
    assert_accessible(page, where=f"{name} at {width} width")
    assert page.errors == []


def test_the_checker_reports_what_it_finds(live_server, new_page):
    """The check is live: an unlabelled field added to a page is reported
    with its rule and element (so a passing run means axe looked)."""
    page = new_page()
    page.goto(live_server.url + "/login")
    page.evaluate("""() => {
      const input = document.createElement('input');
      input.id = 'nameless';
      document.querySelector('main').append(input);
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "label" in str(failure.value) and "#nameless" in str(failure.value)
    assert any(v["id"] == "label" for v in axe_violations(page, "#nameless"))
