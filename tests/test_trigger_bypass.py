"""The database's triggers have one bypass, pgtrigger.ignore() in the test harness's flush
(tests/conftest.py); no code of the project takes it or any other way around them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PROJECT_CODE = {".venv", "var", "tests", "node_modules", ".git"}
# pgtrigger's own bypasses, and PostgreSQL's ways of switching triggers off.
BYPASSES = re.compile(
    r"pgtrigger\s*\.\s*(ignore|disable|uninstall)"
    r"|from\s+pgtrigger\s+import\s+[^\n]*\b(ignore|disable|uninstall)\b"
    r"|session_replication_role"
    r"|DISABLE\s+TRIGGER",
    re.IGNORECASE,
)


def _project_python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not NOT_PROJECT_CODE & set(path.relative_to(ROOT).parts)
    ]


def test_no_project_code_bypasses_the_triggers():
    files = _project_python_files()
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in BYPASSES.finditer(path.read_text())
    ]

    assert len(files) > 50  # the search did look at the project
    assert offenders == []


def test_the_test_harness_names_its_one_bypass():
    conftest = (ROOT / "tests" / "conftest.py").read_text()

    assert {m.group(0) for m in BYPASSES.finditer(conftest)} == {"pgtrigger.ignore"}
