"""Shared steps for the browser tests: data set-up through the store, text
selection in a passage, API calls made by the page itself, and the checks
for injected markup."""

import threading
from contextlib import contextmanager

from annotations.importer import parse_article
from annotations.store import Actor

# Playwright's default of 30 s hides a hang for too long; the server is local.
TIMEOUT_MS = 5000


@contextmanager
def serving(server):
    """``server`` (an HTTP server with serve_forever and shutdown) answering
    on a thread for the with-block."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)


def add_article(server, url: str, text: str, **metadata) -> tuple[int, list[dict]]:
    """Import ``text`` (plain text) at ``url``; the article id and its passages."""
    store = server.store()
    try:
        result = store.import_article(url, parse_article(text, "text"), **metadata)
        return result.article_id, store.passages(result.article_id)
    finally:
        store.db.close()


def as_actor(user: dict) -> Actor:
    return Actor(user["id"], user["username"])


def add_claim(server, user: dict, passage: dict, quote: str, verdict: str = "unverified",
              publish_by: dict | None = None, submit: bool = False, **fields) -> dict:
    """A claim on the first occurrence of ``quote`` in ``passage``, made by
    ``user``; submitted for review by ``user`` (``submit``), and approved by
    ``publish_by`` when given."""
    start = passage["text"].index(quote)
    store = server.store()
    try:
        claim = store.create_claim(passage["id"], start, start + len(quote), verdict,
                                   as_actor(user), **fields)
        if submit or publish_by:
            claim = store.transition_claim(claim["id"], "submit", as_actor(user))
        if publish_by:
            # The same person writing and approving is a one-person desk's set-up.
            store.two_person_rule = publish_by["id"] != user["id"]
            claim = store.transition_claim(claim["id"], "approve", as_actor(publish_by))
        return claim
    finally:
        store.db.close()


def take_action(server, user: dict, claim_id: int, action: str, **text) -> dict:
    """A workflow action on a claim through the store, as ``user``."""
    store = server.store()
    try:
        return store.transition_claim(claim_id, action, as_actor(user), **text)
    finally:
        store.db.close()


def stored_claim(server, claim_id: int) -> dict:
    store = server.store()
    try:
        return store.claim(claim_id)
    finally:
        store.db.close()


def stored_claims(server, article_id: int) -> list[dict]:
    store = server.store()
    try:
        return store.claims_for_article(article_id, published_only=False)
    finally:
        store.db.close()


def stored_passage(server, passage_id: int) -> dict:
    store = server.store()
    try:
        return store.passage(passage_id)
    finally:
        store.db.close()


SELECT_JS = """([selector, quote]) => {
  // Select the first occurrence of `quote` in the passage, across the text
  // nodes that highlights split it into, as a user dragging the mouse would.
  const passage = document.querySelector(selector);
  const at = passage.textContent.indexOf(quote);
  if (at < 0) throw new Error('quote not in passage: ' + quote);
  const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, node, startSet = false;
  while ((node = walker.nextNode())) {
    const length = node.data.length;
    if (!startSet && at < seen + length) { range.setStart(node, at - seen); startSet = true; }
    if (startSet && at + quote.length <= seen + length) {
      range.setEnd(node, at + quote.length - seen);
      break;
    }
    seen += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""


def wait_until_ready(page) -> None:
    """The annotator's scripts have run (its listeners are in place): a key
    pressed or a click made earlier would be lost."""
    page.wait_for_selector("#annotator[data-ready]", state="attached", timeout=TIMEOUT_MS)


def select_text(page, passage_selector: str, quote: str) -> None:
    wait_until_ready(page)
    selected = page.evaluate(SELECT_JS, [passage_selector, quote])
    assert selected == quote


def open_new_claim(page, passage_selector: str, quote: str) -> None:
    """Select ``quote`` and press "c"; the panel opens on it."""
    select_text(page, passage_selector, quote)
    page.keyboard.press("c")
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    assert page.text_content("#panel-title") == "New claim"
    assert page.text_content("#panel-quote") == quote


def highlight(page, claim_id: int):
    return page.locator(f'#passages mark.claim[data-claim-id="{claim_id}"]')


def open_claim(page, claim_id: int) -> None:
    """Click the claim's highlight; the panel shows the claim."""
    wait_until_ready(page)
    highlight(page, claim_id).click()
    page.wait_for_selector("#claim-panel[open]", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "id => document.getElementById('panel-title').textContent === 'Claim ' + id",
        arg=claim_id, timeout=TIMEOUT_MS)


def panel_status(page, text: str) -> None:
    page.wait_for_function(
        "text => document.getElementById('panel-status').textContent === text",
        arg=text, timeout=TIMEOUT_MS)


@contextmanager
def refreshed(page):
    """Wait, after the block, until the page has swapped in freshly rendered
    passages and claim list (the annotator does so after every change, a
    moment after it reports the change in the panel)."""
    page.evaluate("() => { document.getElementById('article').dataset.stale = 'yes'; }")
    yield
    page.wait_for_function(
        "() => { const a = document.getElementById('article'); return a && !a.dataset.stale; }",
        timeout=TIMEOUT_MS)


def checked_verdict(page) -> str | None:
    return page.evaluate(
        "() => { const r = document.querySelector('#claim-form input[name=verdict]:checked');"
        " return r ? r.value : null; }")


API_JS = """async ([method, url, body, headers]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const options = {method, credentials: 'same-origin',
                   headers: Object.assign({'X-CSRFToken': token, Accept: 'application/json'}, headers || {})};
  if (body !== null) {
    options.body = JSON.stringify(body);
    options.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, options);
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) {}
  return {status: response.status, etag: response.headers.get('ETag'), data};
}"""


def api(page, method: str, url: str, body=None, headers=None) -> dict:
    """A request made by the page with its session cookie and CSRF token,
    as the page's own script would make it."""
    return page.evaluate(API_JS, [method, url, body, headers])


INJECTED_JS = """() => {
  // Anything here came from user data rather than from our templates.
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(el.localName + '[' + attr.name + ']');
      if (/^(href|src|action|formaction|xlink:href)$/i.test(attr.name) &&
          /^\\s*(javascript|data|vbscript):/i.test(attr.value) && el.localName !== 'link') {
        found.push(el.localName + '[' + attr.name + '=' + attr.value + ']');
      }
    }
    const name = el.localName;
    if (['svg', 'iframe', 'object', 'embed', 'img', 'math', 'base', 'style'].includes(name)) {
      found.push(name);
    }
    if (name === 'script') {
      const path = el.src ? new URL(el.src).pathname : '(inline)';
      if (!/^\\/static\\/js\\/([a-z]+\\/)?[a-z]+\\.js$/.test(path) || new URL(el.src).origin !== location.origin) {
        found.push('script ' + path);
      }
    }
  }
  return found;
}"""


def injected(page) -> list[str]:
    return page.evaluate(INJECTED_JS)


CSP_WATCH_JS = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    e.violatedDirective + ' ' + e.blockedURI);
});"""


def watch_csp(page) -> None:
    """Record Content-Security-Policy violations: an injected handler that
    the policy blocked still shows up here."""
    page.add_init_script(CSP_WATCH_JS)


def csp_violations(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations || []")
