"""Backup and restore of everything sendtrack holds: every table (pupil data and its history,
users, memberships, schemes, reports) as a Django XML fixture, plus the uploaded files, in one
zip file. Restoring goes into an empty database, so nothing is merged over newer data.

Sessions, login-attempt logs (axes) and Django's own content types and permissions are left out:
they are rebuilt or are not the school's data.
"""

import io
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core import management
from django.db import transaction
from django.test.utils import override_settings

from .models import School

DATA_NAME = "data.xml"  # XML keeps microseconds, which the JSON encoder would cut to milliseconds
UPLOADS_PREFIX = "uploads/"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class RestoreError(Exception):
    pass


def backup_write(*, target):
    """Write the zip to `target` (a path or a binary file object)."""
    data = io.StringIO()
    management.call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in EXCLUDED],
        "--natural-foreign",
        "--format=xml",
        stdout=data,
    )
    media = Path(settings.MEDIA_ROOT)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, data.getvalue())
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.write(path, UPLOADS_PREFIX + path.relative_to(media).as_posix())


def backup_restore(*, source):
    """Load a backup into an empty database and put its uploaded files back."""
    if School.objects.exists():
        raise RestoreError("The database already holds schools: restore only into an empty database.")
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        if DATA_NAME not in names:
            raise RestoreError(f"This is not a sendtrack backup: it has no {DATA_NAME}.")
        media = Path(settings.MEDIA_ROOT).resolve()
        for name in names:
            if name.startswith(UPLOADS_PREFIX) and not name.endswith("/"):
                destination = (media / name.removeprefix(UPLOADS_PREFIX)).resolve()
                if media not in destination.parents:
                    raise RestoreError(f"The backup names a file outside the uploads folder: {name}")
        with tempfile.TemporaryDirectory() as folder, transaction.atomic():
            fixture = Path(folder) / DATA_NAME
            fixture.write_bytes(archive.read(DATA_NAME))
            # The history tables are restored from the backup like any other: loading must not
            # add to them. django-simple-history would record the many-to-many .set() that
            # loaddata makes (a pupil's agencies) as a new change, unless history is switched off.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                management.call_command("loaddata", str(fixture), verbosity=0)
        for name in names:
            if name.startswith(UPLOADS_PREFIX) and not name.endswith("/"):
                destination = media / name.removeprefix(UPLOADS_PREFIX)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(name))
