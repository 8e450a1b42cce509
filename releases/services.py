"""Making a release: a lead freezes the published data under a new number."""

import hashlib
import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles

from . import package
from .models import Release, ReleaseFile

NUMBER_TAKEN = "Release {number} exists already; releases never change, so choose a new number."


@transaction.atomic
def release_create(*, user, number: str, note: str) -> Release:
    """Freeze the published data as release ``number``. Only a lead researcher may."""
    if not roles.is_lead(user):
        raise PermissionDenied
    release = Release(number=number.strip(), note=note.strip(), created_by=user)
    release.full_clean(validate_unique=False)
    if Release.objects.filter(number=release.number).exists():
        raise ValidationError({"number": NUMBER_TAKEN.format(number=release.number)})
    release.save()
    files = package.build(
        number=release.number, note=release.note, created=release.created_at.isoformat()
    )
    ReleaseFile.objects.bulk_create(
        ReleaseFile(
            release=release,
            name=name,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        for name, content in sorted(files.items())
    )
    return release


def next_number(today=None) -> str:
    """The next free number this year: 2026.1, 2026.2, ..."""
    year = (today or timezone.localdate()).year
    taken = Release.objects.filter(number__startswith=f"{year}.").values_list("number", flat=True)
    return f"{year}.{max((int(n.split('.')[1]) for n in taken), default=0) + 1}"


def zip_bytes(release: Release) -> bytes:
    """The whole package as one zip, its files under compact-tracker-<number>/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in release.files.order_by("name"):
            info = zipfile.ZipInfo(
                f"compact-tracker-{release.number}/{file.name}",
                date_time=release.created_at.timetuple()[:6],
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, bytes(file.content))
    return buffer.getvalue()
