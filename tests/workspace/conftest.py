import pytest

from compacts.models import Assessment
from tests.factories import AssessmentFactory, make_stages


@pytest.fixture
def stages():
    """The six stages, by name."""
    return make_stages()


@pytest.fixture
def draft():
    """An assessment nobody has published yet."""
    return AssessmentFactory(status=Assessment.Status.DRAFT, published_at=None)
