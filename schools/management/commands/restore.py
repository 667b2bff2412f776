import zipfile

from django.core.management.base import BaseCommand, CommandError

from schools.backup import BackupKeyError, RestoreError, backup_restore


class Command(BaseCommand):
    help = "Load a backup written by `backup` (with the same BACKUP_KEY) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            backup_restore(source=path)
        except (RestoreError, BackupKeyError, zipfile.BadZipFile, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
