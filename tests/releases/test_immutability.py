"""The database keeps a release as it was made: its rows and files are never updated,
deleted or truncated, and no file joins a release after the transaction that made it."""

import hashlib

import pytest
from django.db import IntegrityError, connection, transaction

from releases import services
from releases.models import Release, ReleaseFile
from tests.factories import CityFactory, make_stages, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    make_stages()
    CityFactory(name="Denver", slug="denver")
    return services.release_create(
        user=user_with_role("lead", "release-lead"), number="2026.1", note="Denver."
    )


def _refused(change) -> None:
    with pytest.raises(IntegrityError, match="A release is immutable"), transaction.atomic():
        change()


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _a_file(release: Release, name: str = "data/forged.csv") -> ReleaseFile:
    return ReleaseFile(
        release=release, name=name, content=b"x", sha256=hashlib.sha256(b"x").hexdigest()
    )


def test_making_a_release_writes_the_release_and_its_files(release):
    assert Release.objects.get(number="2026.1") == release
    assert release.files.filter(name="datapackage.json").exists()


def test_a_release_is_never_updated(release):
    file = release.files.first()

    _refused(lambda: Release.objects.filter(pk=release.pk).update(note="rewritten"))
    _refused(lambda: ReleaseFile.objects.filter(pk=file.pk).update(content=b"forged"))

    release.refresh_from_db()
    assert release.note == "Denver."


def test_a_release_is_never_deleted(release):
    file = release.files.first()

    _refused(lambda: ReleaseFile.objects.filter(pk=file.pk).delete())
    # The ORM refuses this one itself (its files protect it); the database refuses it too.
    _refused(lambda: _sql("DELETE FROM releases_release WHERE id = %s", [release.pk]))

    assert ReleaseFile.objects.filter(pk=file.pk).exists()


# Committed first: PostgreSQL refuses to truncate a table with foreign-key checks pending.
@pytest.mark.django_db(transaction=True)
def test_a_release_is_never_truncated(release):
    files_before = release.files.count()

    _refused(lambda: _sql("TRUNCATE releases_releasefile"))
    _refused(lambda: _sql("TRUNCATE releases_release, releases_releasefile"))

    assert release.files.count() == files_before


def test_a_file_may_be_added_in_the_transaction_that_makes_the_release(release):
    # release_create's transaction (a savepoint inside the test's) has not ended yet.
    _a_file(release).save()

    assert release.files.filter(name="data/forged.csv").exists()


@pytest.mark.django_db(transaction=True)
def test_no_file_joins_a_release_after_the_transaction_that_made_it(release):
    files_before = release.files.count()

    _refused(lambda: _a_file(release).save())
    _refused(lambda: ReleaseFile.objects.bulk_create([_a_file(release, "data/late.csv")]))

    assert release.files.count() == files_before


@pytest.mark.django_db(transaction=True)
def test_a_second_release_is_made_with_its_files_after_the_first(release):
    second = services.release_create(user=release.created_by, number="2026.2", note="Again.")

    assert second.files.count() == release.files.count() > 0
