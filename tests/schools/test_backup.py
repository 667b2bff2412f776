"""Backup and restore round-trip every table (the admin log included) and the uploaded files.
A backup is encrypted with the key in BACKUP_KEY (Fernet: AES with an HMAC on every chunk) and
written readable by its owner only; a restore refuses a wrong key and a changed or cut file."""

import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from demo.generator import build_demo
from schools.backup import EXCLUDED

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("transactional_db_with_migration_data"),
    pytest.mark.slow,
]

KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.BACKUP_KEY = KEY
    return KEY


def an_admin_change():
    """A row of the admin log: who changed what on the admin site."""
    admin = get_user_model().objects.get(username="admin")
    LogEntry.objects.log_actions(
        user_id=admin.pk,
        queryset=get_user_model().objects.filter(username="senco"),
        action_flag=CHANGE,
        change_message="Reset two-factor authentication",
        single_object=True,
    )


def school_tables():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        yield model


def snapshot():
    """Every row of every table, as plain values, keyed by model: what must survive a round trip.
    A content type is named by its natural key: the backup restores it by that, and its id in a
    test database depends on how often earlier tests re-created the content types."""
    from django.contrib.contenttypes.models import ContentType

    types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}

    def plain(model, row):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ContentType:
                row[field.attname] = types.get(row[field.attname])
        return repr(row)

    return {
        model._meta.label: sorted(plain(model, row) for row in model._default_manager.order_by("pk").values())
        for model in school_tables()
    }


def test_backup_then_restore_gives_back_every_row_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "observation.txt").write_text("Lesson observation notes")
    build_demo(pupils=20, seed=7)
    an_admin_change()
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100
    assert len(before["admin.LogEntry"]) == 1

    call_command("backup", str(tmp_path / "backup.zip"))
    call_command("flush", "--no-input")
    (settings.MEDIA_ROOT / "evidence" / "observation.txt").unlink()
    assert snapshot() != before

    call_command("restore", str(tmp_path / "backup.zip"))
    assert snapshot() == before
    assert ContentType.objects.exists()
    assert (settings.MEDIA_ROOT / "evidence" / "observation.txt").read_text() == "Lesson observation notes"


def test_restore_refuses_a_database_that_has_data(tmp_path):
    build_demo(pupils=7, seed=1)
    call_command("backup", str(tmp_path / "backup.zip"))
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(tmp_path / "backup.zip"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    with pytest.raises(CommandError):
        call_command("restore", str(not_zip))


def test_a_backup_is_encrypted_and_readable_by_its_owner_only(tmp_path):
    build_demo(pupils=7, seed=3)
    target = tmp_path / "backup.st"
    target.write_text("an older file, readable by all")
    os.chmod(target, 0o644)
    call_command("backup", str(target))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    content = target.read_bytes()
    assert not content.startswith(b"PK")  # not a readable zip
    for plain in (b"data.xml", b"senco", b"argon2", b"Oakfield"):
        assert plain not in content


def test_a_backup_needs_a_key(tmp_path, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="BACKUP_KEY"):
        call_command("backup", str(tmp_path / "backup.st"))
    assert not (tmp_path / "backup.st").exists()


@pytest.fixture
def written(tmp_path):
    build_demo(pupils=7, seed=5)
    call_command("backup", str(tmp_path / "backup.st"))
    call_command("flush", "--no-input")
    return tmp_path / "backup.st"


def test_restore_refuses_the_wrong_key(written, settings):
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="key"):
        call_command("restore", str(written))
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("damage", ["flip", "cut"])
def test_restore_refuses_a_changed_or_cut_backup(written, damage):
    content = bytearray(written.read_bytes())
    if damage == "flip":
        content[len(content) // 2] ^= 0x01
    else:
        content = content[: len(content) - 200]
    written.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="changed|incomplete"):
        call_command("restore", str(written))
    assert not get_user_model().objects.exists()
