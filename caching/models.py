from django.db import models
from django.db.models import Q


class DataVersion(models.Model):
    """One row: a random token that database triggers replace whenever public data changes.

    A token rather than a counter, so a restored or rolled-back database never reuses a
    version some cache already holds pages for.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_single_row")]

    def __str__(self) -> str:
        return str(self.token)
