from django.core.management.base import BaseCommand

from schools.backup import backup_write


class Command(BaseCommand):
    help = "Write every school's data and uploaded files to one zip file (restore it with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the zip file to write, e.g. sendtrack-2026-11-23.zip")

    def handle(self, *args, path, **options):
        backup_write(target=path)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}."))
