import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

FIXTURES = Path(settings.FIXTURE_DIRS[0])


@pytest.fixture
def broken_fixtures(tmp_path):
    """A writable copy of the fixtures; edit one file's records, then seed from it."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)

    def edit(name: str, change) -> Path:
        path = target / name
        records = yaml.safe_load(path.read_text())
        change(records)
        path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True))
        return target

    return edit
