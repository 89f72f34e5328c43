"""Assignment in the annotator, in Chromium: an editor gives a claim to a
factchecker from the claim panel (who then finds it in their queue), a
factchecker takes a whole article and gives it back, a factchecker is
offered no way to hand work to others and is shown the server's refusal
when the work was taken meanwhile, and usernames are shown as text."""

from playwright.sync_api import expect

from .conftest import login
from .helpers import (add_article, add_claim, as_actor, injected, open_claim,
                      panel_status, stored_claim)

TEXT = "Bridge reopens\n\nThe minister said the bridge is open.\n\nCritics disagreed.\n"
XSS_NAME = '<img src=x onerror="alert(1)">'


def bridge_article(server, author):
    article_id, passages = add_article(server, "https://news.example/bridge", TEXT,
                                       title="Bridge reopens")
    first = add_claim(server, author, passages[1], "the bridge is open")
    second = add_claim(server, author, passages[2], "Critics disagreed")
    return article_id, first, second


def stored_article_assignee(server, article_id: int):
    with server.store() as store:
        return store.article(article_id)["assignee_id"]


def assign_in_store(server, editor, claim_id=None, article_id=None, to=None):
    """What another editor does meanwhile, in another window."""
    with server.store() as store:
        if claim_id is not None:
            store.assign_claim(claim_id, to["id"], as_actor(editor))
        if article_id is not None:
            store.assign_article(article_id, to["id"], as_actor(editor))


def test_editor_assigns_a_claim_from_the_panel_and_it_is_in_the_factcheckers_queue(
        live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    live_server.user("rea", "reader")
    article_id, claim, _ = bridge_article(live_server, editor)

    page = new_page()
    login(page, live_server, "eda")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    expect(page.locator("#claim-assignee-name")).to_have_text("nobody")
    # Anyone on the desk, by name and role; readers cannot be assigned.
    options = page.locator("#claim-assignee option")
    expect(options).to_have_text(["choose someone…", "eda (editor)", "fay (factchecker)"])
    expect(page.locator("#claim-unassign")).to_be_hidden()
    expect(page.locator("#claim-take")).to_have_count(0)

    # Typing not yet saved survives assigning, and saves afterwards without a conflict.
    page.fill("#claim-rationale", "Typed before assigning.")
    page.select_option("#claim-assignee", label="fay (factchecker)")
    page.click("#claim-assign")
    panel_status(page, "Assigned to fay.")
    expect(page.locator("#claim-assignee-name")).to_have_text("fay")
    expect(page.locator("#claim-unassign")).to_be_visible()
    assert stored_claim(live_server, claim["id"])["assignee_id"] == checker["id"]
    expect(page.locator("#claim-rationale")).to_have_value("Typed before assigning.")
    page.click("#save-claim")
    panel_status(page, "Saved.")
    expect(page.locator("#conflict")).to_be_hidden()
    saved = stored_claim(live_server, claim["id"])
    assert "Typed before assigning." in saved["rationale"]
    assert saved["assignee_id"] == checker["id"]
    # The panel, redrawn from the save's answer, still names her.
    expect(page.locator("#claim-assignee-name")).to_have_text("fay")

    queue = new_page()
    login(queue, live_server, "fay")
    queue.goto(f"{live_server.url}/queue")
    row = queue.locator(f"tr[data-claim-id='{claim['id']}']")
    expect(row).to_have_attribute("data-reason", "claim_assigned")
    expect(row.locator(".reason")).to_have_text("Assigned to you")

    page.click("#claim-unassign")
    panel_status(page, "Unassigned: nobody is assigned now.")
    expect(page.locator("#claim-assignee-name")).to_have_text("nobody")
    assert stored_claim(live_server, claim["id"])["assignee_id"] is None
    queue.reload()
    expect(queue.locator(f"tr[data-claim-id='{claim['id']}']")).to_have_count(0)
    assert page.errors == [] and page.dialogs == [] and queue.errors == []


def test_factchecker_takes_an_unassigned_article_and_gives_it_back(live_server, new_page):
    editor = live_server.user("eda", "editor")
    checker = live_server.user("fay", "factchecker")
    article_id, claim, second = bridge_article(live_server, editor)

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    section = page.locator("#article-assignment")
    expect(section.locator("#article-assignee-name")).to_have_text("nobody")
    expect(page.locator("#article-assignee")).to_have_count(0)  # no picking others
    expect(page.locator("#article-give-back")).to_be_hidden()
    page.click("#article-take")
    expect(page.locator("#article-assignment-status")).to_have_text("Assigned to fay.")
    expect(section.locator("#article-assignee-name")).to_have_text("fay")
    expect(page.locator("#article-take")).to_be_hidden()
    assert stored_article_assignee(live_server, article_id) == checker["id"]

    # The page as the server renders it names her, and her queue holds its claims.
    page.reload()
    expect(page.locator("#article-assignee-name")).to_have_text("fay")
    expect(page.locator("#article-give-back")).to_be_visible()
    queue = new_page()
    login(queue, live_server, "fay")
    queue.goto(f"{live_server.url}/queue?reason=article_assigned")
    for item in (claim, second):
        expect(queue.locator(f"tr[data-claim-id='{item['id']}'] .reason")).to_have_text(
            "Its article is assigned to you")

    page.click("#article-give-back")
    expect(page.locator("#article-assignment-status")).to_have_text(
        "Unassigned: nobody is assigned now.")
    expect(page.locator("#article-assignee-name")).to_have_text("nobody")
    expect(page.locator("#article-take")).to_be_visible()
    assert stored_article_assignee(live_server, article_id) is None
    assert page.errors == [] and page.dialogs == []


def test_factchecker_cannot_assign_others_and_sees_the_refusal(live_server, new_page):
    editor = live_server.user("eda", "editor")
    live_server.user("fay", "factchecker")
    gus = live_server.user("gus", "factchecker")
    article_id, taken, free = bridge_article(live_server, editor)
    assign_in_store(live_server, editor, claim_id=taken["id"], to=gus)

    page = new_page()
    login(page, live_server, "fay")
    page.goto(f"{live_server.url}/articles/{article_id}")
    # Gus's claim: named, and nothing to do about it.
    open_claim(page, taken["id"])
    expect(page.locator("#claim-assignee-name")).to_have_text("gus")
    expect(page.locator("#claim-assignee")).to_have_count(0)
    expect(page.locator("#claim-assign")).to_have_count(0)
    expect(page.locator("#claim-take")).to_be_hidden()
    expect(page.locator("#claim-give-back")).to_be_hidden()

    # An unassigned claim she may take; an editor gives it to gus before she clicks.
    page.click("#panel-close")
    open_claim(page, free["id"])
    expect(page.locator("#claim-assignee-name")).to_have_text("nobody")
    page.fill("#claim-label", "kept while refused")
    assign_in_store(live_server, editor, claim_id=free["id"], article_id=article_id, to=gus)
    page.click("#claim-take")
    expect(page.locator("#panel-error")).to_have_text(
        "Assignee: a factchecker may only assign to themselves what is unassigned, "
        "or unassign what is theirs; ask an editor")
    # Then who has it now, and no button that would fail again.
    expect(page.locator("#claim-assignee-name")).to_have_text("gus")
    expect(page.locator("#claim-take")).to_be_hidden()
    expect(page.locator("#claim-label")).to_have_value("kept while refused")
    assert stored_claim(live_server, free["id"])["assignee_id"] == gus["id"]

    # The same for the whole article, which the page still shows as unassigned.
    page.click("#panel-close")
    expect(page.locator("#article-assignee-name")).to_have_text("nobody")
    page.click("#article-take")
    expect(page.locator("#article-assignment-error")).to_contain_text(
        "Assignee: a factchecker may only assign to themselves")
    expect(page.locator("#article-assignee-name")).to_have_text("gus")
    expect(page.locator("#article-take")).to_be_hidden()
    assert stored_article_assignee(live_server, article_id) == gus["id"]
    assert page.errors == [] and page.dialogs == []


def test_usernames_with_markup_show_as_text(live_server, new_page):
    editor = live_server.user("eda", "editor")
    odd = live_server.user(XSS_NAME, "factchecker")
    article_id, claim, _ = bridge_article(live_server, editor)

    page = new_page()
    login(page, live_server, "eda")
    page.goto(f"{live_server.url}/articles/{article_id}")
    open_claim(page, claim["id"])
    expect(page.locator("#claim-assignee option", has_text="factchecker")).to_have_text(
        f"{XSS_NAME} (factchecker)")
    page.select_option("#claim-assignee", value=str(odd["id"]))
    page.click("#claim-assign")
    panel_status(page, f"Assigned to {XSS_NAME}.")
    expect(page.locator("#claim-assignee-name")).to_have_text(XSS_NAME)
    page.click("#panel-close")

    page.select_option("#article-assignee", value=str(odd["id"]))
    page.click("#article-assign")
    expect(page.locator("#article-assignee-name")).to_have_text(XSS_NAME)
    # And as the server renders it on the next visit.
    page.reload()
    expect(page.locator("#article-assignee-name")).to_have_text(XSS_NAME)
    expect(page.locator("#article-assignee")).to_have_value(str(odd["id"]))
    open_claim(page, claim["id"])
    expect(page.locator("#claim-assignee-name")).to_have_text(XSS_NAME)
    assert injected(page) == []
    assert page.dialogs == [] and page.errors == []


def test_a_long_username_does_not_widen_the_panel_or_the_page(live_server, new_page):
    editor = live_server.user("eda", "editor")
    live_server.user("a-very-long-username-" * 3, "factchecker")
    article_id, claim, _ = bridge_article(live_server, editor)
    for width in (1280, 360):
        page = new_page(viewport={"width": width, "height": 800})
        login(page, live_server, "eda")
        page.goto(f"{live_server.url}/articles/{article_id}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        open_claim(page, claim["id"])
        panel = page.evaluate("() => { const p = document.getElementById('claim-panel');"
                              " return [p.scrollWidth, p.clientWidth]; }")
        assert panel[0] <= panel[1], (width, panel)
        expect(page.locator("#panel-close")).to_be_in_viewport()
