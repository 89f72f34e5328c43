"""Automated accessibility checks with axe-core, run inside the page.

``assert_accessible(page)`` fails listing every violation whose impact is
serious or critical: rule id, what it asks for, and the elements it found.

How axe gets in despite the service's CSP (``script-src 'self'``):
Playwright's ``add_script_tag(path=...)`` inlines the file as a <script>
element, which that CSP rightly blocks. ``page.evaluate`` instead runs the
source through the DevTools protocol, which CSP does not govern, so the
page's real policy stays in force for everything else the test checks.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

BLOCKING_IMPACTS = ("serious", "critical")

# Standards checked: WCAG 2.1 A and AA plus axe's best practices (landmarks,
# one main, headings), which catch the structural slips WCAG rules miss.
RUN_OPTIONS = {"runOnly": {"type": "tag",
                           "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                      "best-practice"]},
               "resultTypes": ["violations"]}


def _inject_axe(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # The source is an expression statement; wrapping it in a function
        # body keeps Playwright from treating it as a function to call.
        page.evaluate(AXE_SOURCE + "\n;void 0")


def axe_violations(page, context=None, options=None) -> list[dict]:
    """Every axe violation on the page (or within ``context``: a CSS
    selector or an axe context object), as axe reports them."""
    _inject_axe(page)
    return page.evaluate(
        """async ([context, options]) => {
          const results = await axe.run(context || document, options);
          return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary,
                                     impact: n.impact}))}));
        }""",
        [context, options or RUN_OPTIONS])


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{(node['summary'] or '').splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page, context=None, where: str = "") -> None:
    """Fail when axe finds a serious or critical violation on ``page``
    (or within ``context``); ``where`` names the page/state in the message."""
    blocking = [v for v in axe_violations(page, context)
                if v["impact"] in BLOCKING_IMPACTS]
    label = where or page.url
    assert not blocking, (f"{len(blocking)} serious/critical accessibility violation(s) "
                          f"on {label}:\n{describe(blocking)}")
