"""Delete uploaded files that no record points to any more (left by a crash between a row's
deletion and its file's, or by the app before it deleted removed attachments)."""

import datetime

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone


def referenced_files():
    """Every file name held in a FileField of any model."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                )
    return names


def stored_files(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def orphans(storage, older_than):
    """Stored files that no row names, last changed before `older_than` (a file being uploaded now
    has no row yet)."""
    kept = referenced_files()
    for name in stored_files(storage):
        if name not in kept and storage.get_modified_time(name) < older_than:
            yield name


class Command(BaseCommand):
    help = "Delete uploaded files that no record points to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list them")

    def handle(self, *args, dry_run=False, **options):
        storage = default_storage
        try:
            found = sorted(orphans(storage, timezone.now() - datetime.timedelta(hours=1)))
        except FileNotFoundError:
            found = []  # no upload yet: the folder does not exist
        for name in found:
            if not dry_run:
                storage.delete(name)
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} {name}")
        self.stdout.write(f"{len(found)} file(s) no record points to.")
