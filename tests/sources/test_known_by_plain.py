"""The knowledge-date rule for plain rows (a release's frozen files) gives the database
rule's answers (sources.models.known_by)."""

import datetime

import pytest

from compacts.models import TrajectoryFinding
from sources.models import known_by_plain
from tests.factories import SourceFactory, TrajectoryFindingFactory, cite

pytestmark = pytest.mark.django_db

PERIODS = [
    (None, "unknown"),
    (datetime.date(2016, 1, 1), "year"),
    (datetime.date(2016, 10, 1), "quarter"),
    (datetime.date(2016, 12, 1), "month"),
]
DOCUMENTS = [None, datetime.date(2016, 12, 1), datetime.date(2017, 3, 1)]
AS_OF = [datetime.date(2016, 11, 30), datetime.date(2016, 12, 31), datetime.date(2017, 3, 31)]


def test_the_plain_rule_agrees_with_the_database_rule():
    expected = {}
    for start, precision in PERIODS:
        for published in DOCUMENTS:
            finding = TrajectoryFindingFactory(period_start=start, period_precision=precision)
            source = SourceFactory(
                published_on=published, date_precision="month" if published else "unknown"
            )
            cite(finding, source=source)
            expected[finding.pk] = (published, start, precision)

    for as_of in AS_OF:
        known = set(TrajectoryFinding.objects.known_by(as_of).values_list("pk", flat=True))
        plain = {
            pk
            for pk, (published, start, precision) in expected.items()
            if known_by_plain(as_of, known_since=published, period_start=start, precision=precision)
        }
        assert plain == known, as_of
