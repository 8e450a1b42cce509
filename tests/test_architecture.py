"""The rooms' import rules (import-linter contracts in pyproject.toml) hold, and they bite:
a forbidden import added to a copy of the project breaks its contract."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_project_keeps_every_contract(project_copy):
    result = _lint(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


HOUSE = "The house"


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("cities/leak.py", "from workspace.models import Interview", "Confidentiality"),
        ("alerts/leak.py", "import workspace.selectors", "Confidentiality"),
        ("compacts/leak.py", "import dashboard.selectors", HOUSE),
        ("charts/leak.py", "from compacts.models import Stage", HOUSE),
        ("charts/leak.py", "from sources import matching", HOUSE),  # same floor, independent
        ("dashboard/leak.py", "import releases.selectors", HOUSE),
        ("common/leak.py", "import cities.models", HOUSE),
        ("workspace/leak.py", "from seed import seeding", HOUSE),
        ("config/leak.py", "from cities import views", "config imports no app"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(project_copy, module, forbidden_import, contract):
    (project_copy / module).write_text(forbidden_import + "\n")

    result = _lint(project_copy)

    assert result.returncode != 0
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
