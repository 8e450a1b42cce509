"""Django's {# #} comment ends at the line's end: one spread over two lines is printed on the
page as text (a rating form once showed its own layout note to every researcher)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCLOSED = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_no_template_comment_runs_over_a_line():
    templates = [
        path
        for path in ROOT.rglob("*.html")
        if ".venv" not in path.parts
        and "var" not in path.parts
        and "node_modules" not in path.parts
    ]
    unclosed = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates
        for text in [path.read_text()]
        for match in UNCLOSED.finditer(text)
    ]

    assert templates
    assert unclosed == []
