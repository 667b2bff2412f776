from django.core.management.base import BaseCommand, CommandError

from schools.backup import BackupKeyError, backup_write, make_key


class Command(BaseCommand):
    help = (
        "Write every school's data and uploaded files to one file, encrypted with BACKUP_KEY and "
        "readable by its owner only (restore it with `restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the file to write, e.g. sendtrack-2026-11-23.backup")
        parser.add_argument("--make-key", action="store_true", help="print a new backup key and stop")

    def handle(self, *args, path, **options):
        if options.get("make_key"):
            self.stdout.write(make_key())
            return
        if not path:
            raise CommandError("Name the file to write, e.g. `manage.py backup sendtrack-2026-11-23.backup`.")
        try:
            backup_write(target=path)
        except BackupKeyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} (encrypted, readable by you only)."))
