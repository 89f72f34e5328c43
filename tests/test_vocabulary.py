"""extension/vocabulary.js (also served as static/js/vocabulary.js) holds
annotations.models.vocabulary_for_js() as a JSON literal: the verdicts with
their words, icons and colours, stances, roles in rank order and statuses.
The Python side is the source; this test fails when the JavaScript copy
drifts from it.

To regenerate the literal after changing annotations/models.py:

    .venv/bin/python tests/test_vocabulary.py --write
"""

import json
import sys
from pathlib import Path

from annotations.models import vocabulary_for_js

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY_JS = ROOT / "extension" / "vocabulary.js"
LINKED = ROOT / "static" / "js" / "vocabulary.js"
MARKER = "const DATA = "


def literal_span(source: str) -> tuple[int, int, object]:
    """Where the JSON literal after ``const DATA = `` starts and ends, and its value."""
    start = source.index(MARKER) + len(MARKER)
    value, end = json.JSONDecoder().raw_decode(source, start)
    return start, end, value


def render(vocabulary: dict, indent: str = "  ") -> str:
    """The literal as written in the file: one key per line, two levels deep."""
    def line(key, value, depth):
        pad = indent * depth
        if isinstance(value, dict) and depth == 2:
            inner = ",\n".join(line(k, v, depth + 1) for k, v in value.items())
            return f"{pad}{json.dumps(key)}: {{\n{inner}\n{pad}}}"
        return f"{pad}{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
    body = ",\n".join(line(k, v, 2) for k, v in vocabulary.items())
    return f"{{\n{body}\n{indent}}}"


def write() -> None:
    source = VOCABULARY_JS.read_text(encoding="utf-8")
    start, end, _ = literal_span(source)
    VOCABULARY_JS.write_text(source[:start] + render(vocabulary_for_js()) + source[end:],
                             encoding="utf-8")


def test_the_javascript_vocabulary_is_the_python_one():
    _, _, value = literal_span(VOCABULARY_JS.read_text(encoding="utf-8"))
    assert value == vocabulary_for_js()


def test_the_literal_is_as_the_writer_renders_it():
    # So --write never produces a diff on an up-to-date file.
    source = VOCABULARY_JS.read_text(encoding="utf-8")
    start, end, _ = literal_span(source)
    assert source[start:end] == render(vocabulary_for_js())


def test_the_annotator_serves_the_same_file():
    # A link, as for anchoring.js: Chromium refuses symlinked files in an
    # unpacked extension, so the real file lives in extension/.
    assert LINKED.is_symlink()
    assert LINKED.resolve() == VOCABULARY_JS.resolve()


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    write()
    print(f"wrote {VOCABULARY_JS.relative_to(ROOT)}")
