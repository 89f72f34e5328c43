"""The browser's side panel of an extension, driven from a test.

Playwright lists no side panel among a context's pages (it is a page in no
tab), but DevTools does: this attaches to it through the Target domain of a
page's CDP session and runs script in it. The methods mirror the few of
Playwright's Page that the tests use (evaluate, fill, click, check,
text_content...), so tests/browser/a11y.py's assert_accessible works on it
too. Interaction is by DOM calls (element.click(), value + input events),
not by trusted mouse or keys: the panel's own handlers do not ask for those.
"""

import itertools
import json
import re

from .helpers import TIMEOUT_MS

# What Playwright would call as a function rather than evaluate as an expression.
_FUNCTION = re.compile(r"^(async\s+)?(\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>|^(async\s+)?function\b")


class SidePanel:
    def __init__(self, page, session, session_id, url):
        self._page = page
        self._cdp = session
        self._id = session_id
        self._replies = {}
        self._ids = itertools.count(1)
        self.url = url
        session.on("Target.receivedMessageFromTarget", self._received)

    @classmethod
    def find(cls, page, url_prefix: str, timeout_ms: int = TIMEOUT_MS) -> "SidePanel":
        """The side panel whose address starts with ``url_prefix`` (waits for it)."""
        session = page.context.new_cdp_session(page)
        for _ in range(max(1, timeout_ms // 100)):
            targets = session.send("Target.getTargets")["targetInfos"]
            found = [t for t in targets if t["type"] == "page" and t["url"].startswith(url_prefix)]
            if found:
                attached = session.send("Target.attachToTarget",
                                        {"targetId": found[0]["targetId"], "flatten": False})
                return cls(page, session, attached["sessionId"], found[0]["url"])
            page.wait_for_timeout(100)
        raise AssertionError(f"no side panel at {url_prefix}")

    def _received(self, event):
        if event.get("sessionId") == self._id:
            message = json.loads(event["message"])
            if "id" in message:
                self._replies[message["id"]] = message

    def _send(self, method: str, params: dict) -> dict:
        message_id = next(self._ids)
        self._cdp.send("Target.sendMessageToTarget", {
            "sessionId": self._id,
            "message": json.dumps({"id": message_id, "method": method, "params": params})})
        for _ in range(TIMEOUT_MS // 20):
            if message_id in self._replies:
                reply = self._replies.pop(message_id)
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]
            self._page.wait_for_timeout(20)  # lets Playwright deliver the reply
        raise AssertionError(f"the side panel did not answer {method}")

    def evaluate(self, expression: str, arg=None):
        source = expression.strip()
        if _FUNCTION.match(source):
            source = f"({source})({json.dumps(arg)})"
        result = self._send("Runtime.evaluate", {"expression": source, "awaitPromise": True,
                                                 "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise AssertionError(details.get("exception", {}).get("description") or details["text"])
        return result["result"].get("value")

    def wait_for_function(self, expression: str, arg=None, timeout: int = TIMEOUT_MS):
        """Until ``expression`` is truthy; errors count as not yet (the
        panel's document may still be loading)."""
        last = None
        for _ in range(max(1, timeout // 100)):
            try:
                value = self.evaluate(expression, arg)
            except AssertionError as error:
                value, last = None, error
            if value:
                return value
            self._page.wait_for_timeout(100)
        raise AssertionError(f"timed out in the side panel waiting for {expression} ({last})")

    def _on(self, selector: str, action: str, value=None):
        return self.evaluate(f"""([selector, value]) => {{
          const element = document.querySelector(selector);
          if (!element) throw new Error('no ' + selector + ' in the side panel');
          {action}
        }}""", [selector, value])

    def text_content(self, selector: str) -> str:
        return self._on(selector, "return element.textContent;")

    def input_value(self, selector: str) -> str:
        return self._on(selector, "return element.value;")

    def is_hidden(self, selector: str) -> bool:
        return self._on(selector, "return element.hidden || !element.getClientRects().length;")

    def fill(self, selector: str, value: str) -> None:
        self._on(selector, "element.focus(); element.value = value;"
                           " element.dispatchEvent(new Event('input', {bubbles: true}));"
                           " element.dispatchEvent(new Event('change', {bubbles: true}));", value)

    select_option = fill

    def click(self, selector: str) -> None:
        # After the answer: a click that closes the panel would otherwise
        # take the answer with it.
        self._on(selector, "setTimeout(() => element.click());")

    def check(self, selector: str) -> None:
        self._on(selector, "element.click();")

    def wait_until_closed(self, timeout_ms: int = TIMEOUT_MS) -> None:
        """Until no page has this side panel's address any more."""
        for _ in range(max(1, timeout_ms // 100)):
            targets = self._cdp.send("Target.getTargets")["targetInfos"]
            if not any(t["url"] == self.url for t in targets):
                return
            self._page.wait_for_timeout(100)
        raise AssertionError(f"the side panel {self.url} stayed open")
