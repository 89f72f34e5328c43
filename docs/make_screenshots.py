"""Take the README's screenshots in real Chromium.

    .venv/bin/python docs/make_screenshots.py

Builds a throwaway database with the demo article and a second article,
serves it, logs in as an editor and saves PNGs next to this file, and the
claim panel's two layouts in screenshots/: beside the article at 1440 px
(side-panel-1440.png) and as a bottom sheet at 360 px (bottom-sheet-360.png).
"""

import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from annotations.demo import load_demo  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.store import Actor, Store, open_database  # noqa: E402
from factcheck import create_app  # noqa: E402
from factcheck.auth import hash_password  # noqa: E402

HERE = Path(__file__).resolve().parent
SHOTS = HERE / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SECOND_ARTICLE = """Ports reopen after the storm
Authorities said on Monday that all three container terminals had reopened.
Shipping volumes were down 12 percent in the week of the storm, the port authority said.
"""


def build(db_path: Path) -> None:
    db = open_database(db_path)
    migrations.apply(db)
    store = Store(db)
    editor = store.create_user("editor", hash_password("screenshot-password"), "editor")
    actor = Actor(editor["id"], editor["username"])
    store.import_article("https://news.example.org/2025/ports-reopen",
                         parse_article(SECOND_ARTICLE, "text"), actor,
                         title="Ports reopen after the storm", publisher="Harbour Times")
    load_demo(store, actor)
    db.close()


def log_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", "editor")
    page.fill("#password", "screenshot-password")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=editor (")


def panel_screenshots(browser, base: str) -> None:
    """The demo's denied claim open in the panel: beside the article at
    1440 px, a bottom sheet under its sentence at 360 px."""
    SHOTS.mkdir(exist_ok=True)
    for viewport, name in (({"width": 1440, "height": 900}, "side-panel-1440.png"),
                           ({"width": 360, "height": 740}, "bottom-sheet-360.png")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, base)
        page.goto(base + "/articles/2")
        page.wait_for_selector("#annotator[data-ready]", state="attached")
        mark = page.locator("#passages mark.claim.verdict-denied[tabindex]").first
        mark.scroll_into_view_if_needed()
        mark.click()
        page.wait_for_selector("#claim-panel[open]")
        page.wait_for_function("() => document.getElementById('panel-title').textContent"
                               ".startsWith('Claim ')")
        page.locator("#claim-panel").evaluate("el => { el.scrollTop = 0; }")
        page.screenshot(path=str(SHOTS / name))
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "shots.db"
        build(db_path)
        app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "screenshots"})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/login")
            page.fill("#username", "editor")
            page.fill("#password", "screenshot-password")
            page.click("form.stack button[type=submit]")
            page.goto(base + "/")
            page.screenshot(path=str(HERE / "article-list.png"))
            page.goto(base + "/articles/2")
            page.screenshot(path=str(HERE / "article-page.png"))
            page.click("#passages mark.claim.verdict-denied")
            page.wait_for_selector("#claim-panel[open]")
            page.screenshot(path=str(HERE / "claim-panel.png"))
            mobile = browser.new_page(viewport={"width": 360, "height": 740})
            mobile.goto(base + "/articles/2")
            mobile.screenshot(path=str(HERE / "article-page-360px.png"))
            panel_screenshots(browser, base)
            browser.close()
        server.shutdown()
    print("wrote", ", ".join(str(p.relative_to(HERE)) for p in sorted(HERE.glob("**/*.png"))))


if __name__ == "__main__":
    main()
