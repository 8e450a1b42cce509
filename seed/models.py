"""Which rows the seed owns.

``manage.py seed`` is a sync of the fixtures: it creates, updates and removes the rows that
came from them, and never touches rows researchers added (an assessment they rated, a
citation a lead typed in the admin). It tells the two apart by this ledger: one entry for
every row a fixture record made or matched, keyed by the record's natural key.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SeededRow(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    fixture = models.CharField(max_length=60, help_text="The fixture file the record is in.")
    natural_key = models.CharField(max_length=500, help_text="The record, as messages name it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="seeded_row_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fixture}: {self.natural_key}"
