"""Backup and restore of everything sendtrack holds: every table (pupil data and its history,
users, memberships, schemes, reports, the admin log) as a Django XML fixture, plus the uploaded
files, in one zip, encrypted. Restoring goes into an empty database, so nothing is merged over
newer data.

Sessions, login-attempt logs (axes) and Django's own content types and permissions are left out:
they are rebuilt or are not the school's data.

The zip holds health data, password hashes and authenticator keys, so it never touches the disk
unencrypted. It is encrypted with the key in the BACKUP_KEY environment variable by Fernet (the
`cryptography` package: AES-128 in CBC mode with an HMAC-SHA256 over each token), in chunks of
8 MB, so that a large backup is not one token held twice in memory. Each chunk carries its
number and whether it is the last, inside the encryption, so a restore refuses a wrong key, a
changed byte, chunks reordered, and a file cut short. The file is created readable and writable
by its owner only (0600).
"""

import io
import os
import struct
import tempfile
import zipfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import management
from django.db import transaction
from django.test.utils import override_settings

from .models import School

DATA_NAME = "data.xml"  # XML keeps microseconds, which the JSON encoder would cut to milliseconds
UPLOADS_PREFIX = "uploads/"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "accounts.usersession", "axes"]
MAGIC = b"sendtrack-backup-1\n"
CHUNK = 8 * 1024 * 1024
_FRAME = struct.Struct(">I")  # the length of each encrypted chunk
_HEADER = struct.Struct(">Q?")  # inside the encryption: the chunk's number, and whether it is the last


class RestoreError(Exception):
    pass


class BackupKeyError(Exception):
    pass


def backup_key():
    """The Fernet key from settings.BACKUP_KEY (the environment), or BackupKeyError."""
    key = getattr(settings, "BACKUP_KEY", "")
    if not key:
        raise BackupKeyError(
            "Set BACKUP_KEY to the backup key (make one with `manage.py backup --make-key`) "
            "before making or restoring a backup."
        )
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise BackupKeyError(
            "BACKUP_KEY is not a backup key: make one with `manage.py backup --make-key`."
        ) from None


def make_key():
    return Fernet.generate_key().decode()


def encrypt_to(fernet, plain, path):
    """Write `plain` (bytes) to `path`, encrypted in chunks, the file created with mode 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file that was already there keeps its old mode otherwise
    with os.fdopen(descriptor, "wb") as out:
        out.write(MAGIC)
        chunks = range(0, max(len(plain), 1), CHUNK)
        for number, start in enumerate(chunks):
            last = number == len(chunks) - 1
            token = fernet.encrypt(_HEADER.pack(number, last) + plain[start : start + CHUNK])
            out.write(_FRAME.pack(len(token)) + token)


def decrypt(fernet, content):
    """The zip's bytes, or RestoreError saying why not."""
    if not content.startswith(MAGIC):
        raise RestoreError("This is not a sendtrack backup (or it was made before backups were encrypted).")
    plain, at, expected = io.BytesIO(), len(MAGIC), 0
    while at < len(content):
        if at + _FRAME.size > len(content):
            raise RestoreError("The backup is incomplete or has been changed: it is not restored.")
        (length,) = _FRAME.unpack_from(content, at)
        token = content[at + _FRAME.size : at + _FRAME.size + length]
        at += _FRAME.size + length
        try:
            chunk = fernet.decrypt(token)
        except InvalidToken:
            if expected == 0:
                raise RestoreError(
                    "The backup cannot be opened with this BACKUP_KEY: either the key is not the one "
                    "it was made with, or the file has been changed. Nothing was restored."
                ) from None
            raise RestoreError("The backup has been changed since it was made: it is not restored.") from None
        number, last = _HEADER.unpack_from(chunk)
        if number != expected:
            raise RestoreError("The backup has been changed since it was made: it is not restored.")
        plain.write(chunk[_HEADER.size :])
        expected += 1
        if last:
            if at != len(content):
                raise RestoreError("The backup has been changed since it was made: it is not restored.")
            return plain.getvalue()
    raise RestoreError("The backup is incomplete (cut short): it is not restored.")


def backup_write(*, target):
    """Write the encrypted backup to the file `target`."""
    fernet = backup_key()
    plain = io.BytesIO()
    _write_zip(plain)
    encrypt_to(fernet, plain.getbuffer(), target)


def _write_zip(target):
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
    fernet = backup_key()
    if School.objects.exists():
        raise RestoreError("The database already holds schools: restore only into an empty database.")
    plain = decrypt(fernet, Path(source).read_bytes())
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
    except zipfile.BadZipFile:
        raise RestoreError("The backup opened but holds no readable zip: it is not restored.") from None
    with archive:
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
