"""The People page and Your account in Chromium: an editor creates an
account, changes its role, disables it (the person cannot log in), enables
it and resets its password (the new one logs in); everyone changes their own
password, and a wrong current password is refused and changes nothing."""

from .a11y import assert_accessible
from .conftest import PASSWORD, login
from .helpers import TIMEOUT_MS

NEW_PASSWORD = "my own new password"


def _row(page, username: str):
    return page.locator(f'tr[data-username="{username}"]')


def _try_login(browser_page, server, username: str, password: str):
    """Submit the login form; the page shows where it ended."""
    browser_page.goto(server.url + "/login")
    browser_page.fill("#username", username)
    browser_page.fill("#password", password)
    browser_page.click("form.stack button[type=submit]")
    browser_page.wait_for_load_state()


def _logged_in_as(page, username: str) -> bool:
    return page.locator("span.who").filter(has_text=f"{username} (").count() == 1


def _handed_over_password(page) -> str:
    box = page.locator("#handed-over-password")
    box.wait_for(timeout=TIMEOUT_MS)
    return box.inner_text().strip()


def test_editor_manages_an_account_from_the_people_page(live_server, new_page):
    live_server.user("ed", "editor")
    page = new_page()
    login(page, live_server, "ed")
    page.get_by_role("link", name="People").click()
    page.get_by_role("heading", name="People").wait_for(timeout=TIMEOUT_MS)
    assert_accessible(page, where="People page")
    # An editor cannot grant admin.
    assert page.locator("#new-role option").all_inner_texts() == [
        "reader", "factchecker", "editor"]

    page.get_by_label("Username").fill("casey")
    page.locator("#new-role").select_option("factchecker")
    page.get_by_role("button", name="Create account").click()
    first_password = _handed_over_password(page)
    assert page.get_by_role("status").filter(
        has_text="Account casey created as factchecker.").count() == 1
    assert _row(page, "casey").locator(".person-role").inner_text() == "factchecker"
    assert_accessible(page, where="People page with a password shown once")

    _row(page, "casey").get_by_label("Role for casey").select_option("reader")
    _row(page, "casey").get_by_role("button", name="Change role of casey").click()
    page.get_by_text("casey is now reader.").wait_for(timeout=TIMEOUT_MS)
    assert _row(page, "casey").locator(".person-role").inner_text() == "reader"

    casey = new_page()
    _try_login(casey, live_server, "casey", first_password)
    assert _logged_in_as(casey, "casey")

    _row(page, "casey").get_by_role("button", name="Disable casey").click()
    page.get_by_text("casey is disabled").first.wait_for(timeout=TIMEOUT_MS)
    assert "disabled since" in _row(page, "casey").locator(".person-state").inner_text()
    assert_accessible(page, where="People page with a disabled account")
    # Logged out at once, and refused at the login page.
    casey.goto(live_server.url + "/")
    assert not _logged_in_as(casey, "casey")
    _try_login(casey, live_server, "casey", first_password)
    assert casey.get_by_role("alert").inner_text() == \
        "This account is disabled. Ask an editor to enable it."
    assert not _logged_in_as(casey, "casey")

    _row(page, "casey").get_by_role("button", name="Enable casey").click()
    page.get_by_text("casey is enabled and can log in again.").wait_for(timeout=TIMEOUT_MS)
    assert _row(page, "casey").locator(".person-state").inner_text() == "active"
    _try_login(casey, live_server, "casey", first_password)
    assert _logged_in_as(casey, "casey")

    _row(page, "casey").get_by_role("button", name="Reset password of casey").click()
    reset_password = _handed_over_password(page)
    assert reset_password != first_password
    casey.goto(live_server.url + "/")
    assert not _logged_in_as(casey, "casey")  # the reset logged casey out
    _try_login(casey, live_server, "casey", first_password)
    assert casey.get_by_role("alert").inner_text() == "Unknown username or wrong password."
    _try_login(casey, live_server, "casey", reset_password)
    assert _logged_in_as(casey, "casey")
    assert page.errors == [] and casey.errors == []


def test_people_page_is_refused_to_a_factchecker(live_server, new_page):
    live_server.user("fc", "factchecker")
    page = new_page()
    login(page, live_server, "fc")
    assert page.get_by_role("link", name="People").count() == 0
    response = page.goto(live_server.url + "/users")
    assert response.status == 403


def test_own_password_change_refuses_a_wrong_current_password(live_server, new_page):
    live_server.user("fc", "factchecker")
    page = new_page()
    login(page, live_server, "fc")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Change your password").wait_for(timeout=TIMEOUT_MS)
    assert_accessible(page, where="Your account")

    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password (at least 8 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    alert = page.get_by_role("alert")
    alert.wait_for(timeout=TIMEOUT_MS)
    assert alert.inner_text() == "The current password is wrong."
    assert page.get_by_label("Current password").get_attribute("aria-invalid") == "true"
    assert_accessible(page, where="Your account with an error")
    assert _logged_in_as(page, "fc")
    other = new_page()
    _try_login(other, live_server, "fc", PASSWORD)
    assert _logged_in_as(other, "fc")  # the old password still works

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password (at least 8 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    page.get_by_text("Your password is changed.").wait_for(timeout=TIMEOUT_MS)
    assert _logged_in_as(page, "fc")  # this session stays
    other.goto(live_server.url + "/")
    assert not _logged_in_as(other, "fc")  # the other one ended
    _try_login(other, live_server, "fc", PASSWORD)
    assert other.get_by_role("alert").inner_text() == "Unknown username or wrong password."
    _try_login(other, live_server, "fc", NEW_PASSWORD)
    assert _logged_in_as(other, "fc")
    assert page.errors == [] and other.errors == []
