"""Anchor 200 claims on a 20,000-word page in real Chromium; print the time.

    .venv/bin/python bench/anchoring_browser.py [--runs 7] [--baseline HEAD]

The page is generated (paragraphs with inline markup, a script and a hidden
block); the claims are quotes taken from it, with 32 characters of context,
as the service sends them. Timed inside the page with performance.now():
reading the DOM text (FactAnchoring.textOf), anchoring all 200 (anchorAll)
and wrapping each in a <mark> (wrapRange). A second figure times the same on
a page where every tenth quote has a typo (20 edited quotes), so the
near-match path runs too, and gives the median time per claim. Last, every
case of tests/fixtures/anchoring_cases.json is anchored in the page and
counted correct (the expected state and span), wrong (placed where the
fixture says it must not be) or missed (orphaned though expected placed).

With --baseline (a git revision, e.g. HEAD, or the path of another
anchoring.js) the same figures are taken for that version too, its pages
interleaved with the current one's, so that both are measured under the same
machine load, and both are printed; the results and the page after wrapping
must be the same.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WORDS = ("the minister said government officials report week agreement talks ceasefire "
         "sanctions million percent trade ports Brussels Beijing Kyiv Moscow données "
         "данные 数据 statement confirmed denied evidence record").split()


def build_page(rng: random.Random, words: int) -> tuple[str, list[str]]:
    sentences, count = [], 0
    while count < words:
        n = rng.randint(12, 28)
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        sentences.append(f"{sentence.capitalize()} {len(sentences)}.")
        count += n + 1
    paragraphs, html = [], []
    for i in range(0, len(sentences), 5):
        paragraph = sentences[i:i + 5]
        paragraphs.append(paragraph)
        body = " ".join(paragraph)
        # Some inline markup inside paragraphs, as news pages have.
        body = body.replace(" minister ", " <b>minister</b> ", 1).replace(" trade ", " <a href='#'>trade</a> ", 1)
        html.append(f"<p>{body}</p>")
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>bench</title></head><body>"
            "<script>var x = 1;</script><div style='display:none'>hidden text</div>"
            + "\n".join(html) + "</body></html>")
    return page, sentences


JS = """
([selectors]) => {
  const A = window.FactAnchoring;
  const t0 = performance.now();
  const text = A.textOf(document.body);
  const t1 = performance.now();
  const results = A.anchorAll(text.text, selectors);
  const t2 = performance.now();
  let marks = 0;
  results.forEach((r) => {
    if (r.state === 'orphaned') return;
    marks += A.wrapRange(text, r.start, r.end, () => document.createElement('mark')).length;
  });
  const t3 = performance.now();
  // Per claim: the page prepared once, each selector anchored on its own.
  const page = A.prepare(text.text);
  const perClaim = selectors.map((selector) => {
    const s0 = performance.now();
    A.anchorPrepared(page, selector);
    return performance.now() - s0;
  });
  const states = {};
  results.forEach((r) => { states[r.state] = (states[r.state] || 0) + 1; });
  perClaim.sort((a, b) => a - b);
  return {read: t1 - t0, anchor: t2 - t1, wrap: t3 - t2, total: t3 - t0, states, marks,
          perClaim: perClaim[Math.floor(perClaim.length / 2)],
          words: text.text.split(/\\s+/).length,
          outcome: JSON.stringify(results) + document.body.innerHTML};
}
"""


def selectors_for(sentences: list[str], text: str, rng: random.Random, typo_every: int = 0):
    chosen = rng.sample(range(len(sentences)), 200)
    selectors = []
    for n, index in enumerate(chosen):
        exact = sentences[index]
        at = text.index(exact)
        selector = {"exact": exact, "prefix": text[max(0, at - 32):at],
                    "suffix": text[at + len(exact):at + len(exact) + 32],
                    "position": {"start": at}, "textLength": len(text)}
        if typo_every and n % typo_every == 0:
            # The imported text had a typo that the page has since fixed.
            selector["exact"] = exact[:10] + exact[11] + exact[10] + exact[12:]
        selectors.append(selector)
    return selectors


def baseline_script(spec: str, tmp: str) -> Path:
    """The path of the baseline anchoring.js: a file, or extension/anchoring.js at a git revision."""
    if Path(spec).is_file():
        return Path(spec)
    source = subprocess.run(["git", "show", f"{spec}:extension/anchoring.js"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tmp) / "baseline-anchoring.js"
    path.write_text(source, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--baseline", help="git revision or anchoring.js to measure alongside")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rng = random.Random(7)
    html, sentences = build_page(rng, args.words)
    text = " ".join(sentences)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        page_path = Path(tmp) / "page.html"
        page_path.write_text(html, encoding="utf-8")
        scripts = {"": ROOT / "extension" / "anchoring.js"}
        if args.baseline:
            scripts = {"baseline": baseline_script(args.baseline, tmp), "current": scripts[""]}
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, typo_every in (("exact quotes", 0), ("every 10th quote with a typo", 10)):
            selectors = selectors_for(sentences, text, random.Random(11), typo_every)
            timings = {name: [] for name in scripts}
            for _ in range(args.runs):
                for name, script in scripts.items():  # interleaved: the same load for each
                    page = browser.new_page()
                    page.goto(page_path.as_uri())
                    page.add_script_tag(path=str(script))
                    timings[name].append(page.evaluate(JS, [selectors]))
                    page.close()
            for name, runs in timings.items():
                report(f"{label}{f' [{name}]' if name else ''}", runs)
            if len(scripts) > 1:
                same = len({runs[0]["outcome"] for runs in timings.values()}) == 1
                print(f"  same results and marks in both: {'yes' if same else 'NO'}")
        fixture_figures(browser)
        browser.close()


def report(label: str, timings: list[dict]) -> None:
    median = statistics.median(t["total"] for t in timings)
    last = timings[-1]
    print(f"{label}: {last['words']} words, 200 claims, states {json.dumps(last['states'])}, "
          f"{last['marks']} marks")
    print(f"  median of {len(timings)}: {median:.1f} ms total "
          f"(read DOM {statistics.median(t['read'] for t in timings):.1f}, "
          f"anchor {statistics.median(t['anchor'] for t in timings):.1f}, "
          f"wrap {statistics.median(t['wrap'] for t in timings):.1f}); target < 100 ms")
    print(f"  median per claim: {statistics.median(t['perClaim'] for t in timings):.3f} ms"
          " (anchoring alone, page prepared once); target < 3 ms")


CASES_JS = """(cases) => cases.map((c) => {
  const r = FactAnchoring.anchor(c.text, c.selector);
  return r.state === 'orphaned' ? null : [r.state, r.startCodePoint, r.endCodePoint];
})"""


def fixture_figures(browser) -> None:
    """correct / wrong / missed over the project's own cases."""
    from tests.test_anchoring import CASES
    page = browser.new_page()
    page.set_content("<!doctype html><meta charset='utf-8'><body></body>")
    page.add_script_tag(path=str(ROOT / "extension" / "anchoring.js"))
    results = page.evaluate(CASES_JS, [{"text": c["new_text"], "selector": c["selector"]}
                                      for c in CASES])
    page.close()
    correct = wrong = missed = 0
    for case, result in zip(CASES, results):
        expected = case["expected"]
        if result is None:
            if expected is None:
                correct += 1
            else:
                missed += 1
        elif expected is not None and (result[1], result[2]) == tuple(expected) \
                and result[0] == case["state"]:
            correct += 1
        else:
            wrong += 1
    total = len(CASES)
    print(f"fixture ({total} cases, tests/fixtures/anchoring_cases.json): "
          f"correct {correct} ({100 * correct / total:.1f} %), wrong {wrong}, missed {missed}")


if __name__ == "__main__":
    sys.exit(main())
