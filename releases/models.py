"""A release freezes the published data as a Frictionless Data Package.

Its files are stored in the database (so they travel with backups and every app machine
sees them) and never change: database triggers (releases/triggers.py) refuse any update,
delete or truncate of a release or its files, and any file added to a release after the
transaction that made it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .triggers import FILES_ONLY_WITH_THEIR_RELEASE, REFUSE_CHANGE, REFUSE_TRUNCATE

NUMBER_PATTERN = r"^[0-9]{4}\.[1-9][0-9]*$"


class Release(models.Model):
    number = models.CharField(
        max_length=20, unique=True, help_text='The year and a sequence number, e.g. "2026.1".'
    )
    note = models.TextField(help_text="What this release adds or changes, for its readers.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=NUMBER_PATTERN), name="release_number_format"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="release_note_required"),
        ]
        triggers = [REFUSE_CHANGE, REFUSE_TRUNCATE]

    def __str__(self) -> str:
        return f"Release {self.number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("releases:release-detail", args=[self.number])


class ReleaseFile(models.Model):
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=100)  # its path inside the package
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="release_file_unique"),
        ]
        triggers = [
            REFUSE_CHANGE,
            REFUSE_TRUNCATE,
            FILES_ONLY_WITH_THEIR_RELEASE,
        ]

    def __str__(self) -> str:
        return f"{self.release.number}/{self.name}"
