"""The claim desk page (/claims) in Chromium: filters kept in the address and
restored from a shared one, search in any script, "Load more", bulk actions
that change all the selected claims or none (with the reason shown), a
phone-width layout, and user text shown as text."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .conftest import login
from .helpers import TIMEOUT_MS, add_article, add_claim, as_actor, injected, stored_claim

PHONE = {"width": 360, "height": 740}
HARBOUR = ("Harbour plan approved\n\n"
           "The mayor said the harbour plan creates 4,000 jobs by 2030.\n\n"
           "Кандидат заявил, что безработица упала до 3%.\n")
RENTS = ("Rents in the capital\n\n"
         "東京の家賃は昨年9%上昇したと報告書は述べた。\n\n"
         "The report says rents rose faster than wages.\n")


def _desk(server):
    """fay (factchecker) and eda (editor); two articles on two sites, four claims by fay."""
    fay = server.user("fay", "factchecker")
    eda = server.user("eda", "editor")
    _, harbour = add_article(server, "https://news.example.com/harbour", HARBOUR,
                             title="Harbour plan approved")
    _, rents = add_article(server, "https://www.other.example.org/rents", RENTS,
                           title="Rents in the capital")
    source = [{"url": "https://stats.example.org/figures"}]
    claims = {
        "jobs": add_claim(server, fay, harbour[1], "creates 4,000 jobs", "verified",
                          citations=source, label="Jobs figure"),
        "unemployment": add_claim(server, fay, harbour[2], "безработица упала до 3%", "denied",
                                  citations=source),
        "tokyo": add_claim(server, fay, rents[1], "東京の家賃は昨年9%上昇した", "unverified"),
        "wages": add_claim(server, fay, rents[2], "rents rose faster than wages", "denied"),
    }
    return {"fay": fay, "eda": eda, "claims": claims}


def _open_desk(page, server, query: str = ""):
    page.goto(f"{server.url}/claims{query}")
    _settled(page)


def _settled(page):
    """The page's listeners are in place and the latest list has arrived."""
    page.wait_for_selector("#claim-desk[data-ready][data-state=loaded]", state="attached",
                           timeout=TIMEOUT_MS)


def _shown_ids(page) -> list[int]:
    return [int(i) for i in page.eval_on_selector_all(
        "#claim-rows tr", "rows => rows.map(r => r.dataset.claimId)")]


def _filter(page, **values):
    """Fill the filter form's text fields, then press Filter."""
    for name, value in values.items():
        page.fill(f"#claim-filters [name={name}]", value)
    page.click("#claim-filters button[type=submit]")
    _settled(page)


def test_filters_live_in_the_address_and_a_shared_address_restores_them(live_server, new_page):
    desk = _desk(live_server)
    page = new_page()
    login(page, live_server, "fay")
    page.click("header nav a:has-text('Claims')")
    _settled(page)
    claims = desk["claims"]
    # Every claim, last changed first, with the count per verdict.
    assert _shown_ids(page) == [claims[n]["id"] for n in ("wages", "tokyo", "unemployment",
                                                         "jobs")]
    expect(page.locator("#claim-summary")).to_have_text(
        "4 claims: ✔ 1 Verified · ✘ 2 False · ? 1 Unverified")

    page.check("#claim-filters input[name=verdict][value=denied]")
    _filter(page, site="news.example.com")

    assert _shown_ids(page) == [claims["unemployment"]["id"]]
    expect(page.locator("#claim-summary")).to_have_text(
        "1 claim: ✔ 0 Verified · ✘ 1 False · ? 0 Unverified")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"verdict": ["denied"], "site": ["news.example.com"]}
    row = page.locator(f"tr[data-claim-id='{claims['unemployment']['id']}']")
    expect(row).to_contain_text("Harbour plan approved")
    expect(row).to_contain_text("news.example.com")

    # Someone else opens the shared address: the same filters, the same claims.
    other = new_page()
    login(other, live_server, "eda")
    _open_desk(other, live_server, "?" + urlsplit(page.url).query)
    assert other.is_checked("#claim-filters input[name=verdict][value=denied]")
    assert not other.is_checked("#claim-filters input[name=verdict][value=verified]")
    assert other.input_value("#f-site") == "news.example.com"
    assert _shown_ids(other) == [claims["unemployment"]["id"]]

    # The row leads to the claim on its article page.
    other.locator(f"tr[data-claim-id='{claims['unemployment']['id']}'] a.claim-quote").click()
    other.wait_for_selector(f"#claim-{claims['unemployment']['id']}", timeout=TIMEOUT_MS)
    assert other.url.endswith(f"#claim-{claims['unemployment']['id']}")

    # Back to the list: the address's filters again.
    page.go_back()
    _settled(page)
    assert _shown_ids(page) == [claims[n]["id"] for n in ("wages", "tokyo", "unemployment",
                                                         "jobs")]
    assert page.input_value("#f-site") == ""
    assert page.errors == [] and other.errors == []


def test_search_finds_cyrillic_and_cjk_words(live_server, new_page):
    claims = _desk(live_server)["claims"]
    page = new_page()
    login(page, live_server, "fay")
    _open_desk(page, live_server)

    _filter(page, q="БЕЗРАБОТИЦА")
    assert _shown_ids(page) == [claims["unemployment"]["id"]]
    _filter(page, q="家賃")  # two characters: shorter than a trigram
    assert _shown_ids(page) == [claims["tokyo"]["id"]]
    _filter(page, q="東京の家賃")
    assert _shown_ids(page) == [claims["tokyo"]["id"]]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["東京の家賃"]}

    # A reload of the address searches again.
    page.reload()
    _settled(page)
    assert page.input_value("#f-q") == "東京の家賃"
    assert _shown_ids(page) == [claims["tokyo"]["id"]]
    _filter(page, q="nothing like this")
    assert _shown_ids(page) == []
    expect(page.locator("#claim-empty")).to_be_visible()
    assert page.errors == []


def test_load_more_follows_the_cursor_to_the_last_page(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    text = "Many numbers\n\n" + "".join(f"Figure {n:02d} is right.\n\n" for n in range(57))
    _, passages = add_article(live_server, "https://news.example.com/numbers", text)
    made = [add_claim(live_server, fay, passages[n + 1], f"Figure {n:02d}")["id"]
            for n in range(57)]
    page = new_page()
    login(page, live_server, "fay")
    _open_desk(page, live_server)

    assert len(_shown_ids(page)) == 50
    expect(page.locator("#claim-summary")).to_contain_text("57 claims")
    page.click("#load-more")
    _settled(page)

    shown = _shown_ids(page)
    assert sorted(shown) == sorted(made) and len(set(shown)) == 57
    expect(page.locator("#load-more")).to_be_hidden()
    assert page.errors == []


def test_bulk_submit_sends_the_selected_claims_for_review(live_server, new_page):
    claims = _desk(live_server)["claims"]
    page = new_page()
    login(page, live_server, "fay")
    _open_desk(page, live_server)
    # A factchecker is offered no approving nor retracting.
    offered = page.eval_on_selector_all("#bulk-action option", "os => os.map(o => o.value)")
    assert offered == ["assign", "submit", "withdraw"]

    picked = [claims["jobs"]["id"], claims["tokyo"]["id"]]
    for claim_id in picked:
        page.check(f"tr[data-claim-id='{claim_id}'] input.pick-claim")
    expect(page.locator("#bulk-count")).to_have_text("2 claims selected")
    page.select_option("#bulk-action", "submit")
    page.click("#bulk-apply")
    expect(page.locator("#bulk-status")).to_have_text(
        "Submit for review: done for 2 claims.", timeout=TIMEOUT_MS)
    _settled(page)

    for claim_id in picked:
        expect(page.locator(f"tr[data-claim-id='{claim_id}'] .status")).to_have_text("in review")
        assert stored_claim(live_server, claim_id)["status"] == "in_review"
    assert stored_claim(live_server, claims["wages"]["id"])["status"] == "draft"
    expect(page.locator("#bulk-count")).to_have_text("No claims selected")
    assert page.errors == [] and page.dialogs == []


def test_a_bulk_approve_is_refused_as_a_whole_and_says_why(live_server, new_page):
    desk = _desk(live_server)
    claims = desk["claims"]
    with live_server.store() as store:  # in review: the jobs figure only
        store.transition_claim(claims["jobs"]["id"], "submit", as_actor(desk["fay"]))
    page = new_page()
    login(page, live_server, "eda")
    _open_desk(page, live_server)

    page.check("#select-all")
    expect(page.locator("#bulk-count")).to_have_text("4 claims selected")
    page.select_option("#bulk-action", "approve")
    page.click("#bulk-apply")

    error = page.locator("#bulk-error")
    expect(error).to_be_visible(timeout=TIMEOUT_MS)
    # The first refusing claim in the list's order: the wages claim, a draft.
    wages = claims["wages"]["id"]
    expect(error).to_have_text(
        f"Nothing was changed: claim {wages}: a draft claim cannot be sent to published (approve)")
    expect(page.locator(f"tr[data-claim-id='{wages}']")).to_have_class(re.compile(r"\brefused\b"))
    assert stored_claim(live_server, claims["jobs"]["id"])["status"] == "in_review"
    expect(page.locator("#bulk-count")).to_have_text("4 claims selected")  # kept to fix

    # The refused selection narrowed to what is in review: approved.
    page.uncheck("#select-all")
    page.check(f"tr[data-claim-id='{claims['jobs']['id']}'] input.pick-claim")
    page.click("#bulk-apply")
    expect(page.locator("#bulk-status")).to_have_text(
        "Approve and publish: done for 1 claim.", timeout=TIMEOUT_MS)
    expect(error).to_be_hidden()
    assert stored_claim(live_server, claims["jobs"]["id"])["status"] == "published"
    assert page.errors == []


def test_a_phone_shows_the_desk_without_sideways_scrolling(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    long_url = "https://news.example.com/" + "a-very-long-path-segment-" * 8
    _, passages = add_article(live_server, long_url,
                              "Headline\n\n" + "Averyveryverylongwordwithoutanyspaces" * 4 + ".\n",
                              title="A title " + "that goes on " * 10)
    add_claim(live_server, fay, passages[1], "Averyveryverylongwordwithoutanyspaces" * 3,
              label="Label " * 20)
    page = new_page(viewport=PHONE)
    login(page, live_server, "fay")
    _open_desk(page, live_server)

    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#f-q", "#f-created-to", "#bulk-action", "#bulk-apply", "#claim-rows tr"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)
    page.select_option("#bulk-action", "assign")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.errors == []


def test_markup_in_a_quote_or_label_shows_as_text(live_server, new_page):
    fay = live_server.user("fay", "factchecker")
    text = ("Markup test\n\n"
            'He wrote <img src=x onerror="alert(1)"> in the comment box.\n')
    _, passages = add_article(live_server, "https://news.example.com/markup", text,
                              title="<script>alert(2)</script> title")
    claim = add_claim(live_server, fay, passages[1], '<img src=x onerror="alert(1)">',
                      label='<svg onload="alert(3)">label</svg>')
    page = new_page()
    login(page, live_server, "fay")
    _open_desk(page, live_server)
    _filter(page, q="onerror")

    row = page.locator(f"tr[data-claim-id='{claim['id']}']")
    expect(row.locator("a.claim-quote")).to_have_text('“<img src=x onerror="alert(1)">”')
    expect(row.locator(".label")).to_have_text('<svg onload="alert(3)">label</svg>')
    expect(row.locator(".claim-article")).to_have_text("<script>alert(2)</script> title")
    assert injected(page) == []
    assert page.dialogs == [] and page.errors == []
