import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

FIXTURES = Path(settings.FIXTURE_DIRS[0])
# libyaml's loader and dumper: the pure-Python ones took 0.5 s a test to read and write back
# one large fixture file (the seed itself reads with libyaml too).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@pytest.fixture
def broken_fixtures(tmp_path):
    """A writable copy of the fixtures; edit one file's records, then seed from it."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)

    def edit(name: str, change) -> Path:
        path = target / name
        records = yaml.load(path.read_text(), Loader=LOADER)
        change(records)
        path.write_text(yaml.dump(records, Dumper=DUMPER, sort_keys=False, allow_unicode=True))
        return target

    return edit
