"""Backup and restore round-trip every table and the uploaded files."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from demo.generator import build_demo
from schools.backup import EXCLUDED

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("transactional_db_with_migration_data"),
    pytest.mark.slow,
]


def school_tables():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        yield model


def snapshot():
    """Every row of every table, as plain values, keyed by model: what must survive a round trip."""
    return {
        model._meta.label: sorted(map(repr, model._default_manager.order_by("pk").values()))
        for model in school_tables()
    }


def test_backup_then_restore_gives_back_every_row_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "observation.txt").write_text("Lesson observation notes")
    build_demo(pupils=20, seed=7)
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100

    call_command("backup", str(tmp_path / "backup.zip"))
    call_command("flush", "--no-input")
    (settings.MEDIA_ROOT / "evidence" / "observation.txt").unlink()
    assert snapshot() != before

    call_command("restore", str(tmp_path / "backup.zip"))
    assert snapshot() == before
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
