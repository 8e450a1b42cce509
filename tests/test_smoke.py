import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_changes_are_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
