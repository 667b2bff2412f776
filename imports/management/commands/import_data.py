"""Import a file of pupils, SEN status, assessments, attendance or behaviour counts from the
command line, with the browser's checks.

    manage.py import_data --school 123456 --kind attendance attendance.csv [--dry-run] [--user senco]

Every problem is printed as "Row 3, Date of Birth: ..." and the command exits with status 1,
storing nothing. Without problems it prints what was (or, with --dry-run, would be) done.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from imports import ctf, selectors, services
from imports.models import ImportKind
from imports.reading import max_bytes
from schools.models import School


class Command(BaseCommand):
    help = (
        "Import pupils, SEN status, assessments, attendance or behaviour counts from a CSV or Excel "
        "(.xlsx) file, or a Common Transfer File (--kind ctf), all or nothing. A CTF's disagreements "
        "with the record take the defaults the browser's preview shows."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file, or a Common Transfer File (.xml)")
        parser.add_argument("--school", required=True, help="the school's URN")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--dry-run", action="store_true", help="check and report, but store nothing")
        parser.add_argument("--user", help="the username recorded in history as the importer")

    def handle(self, *args, file, school, kind, dry_run, user, **options):
        try:
            school_obj = School.objects.get(urn=school)
        except School.DoesNotExist:
            raise CommandError(f"No school has the URN {school}.") from None
        by = None
        if user:
            try:
                by = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user is called {user}.") from None
        path = Path(file)
        limit = ctf.max_bytes() if kind == ImportKind.CTF else max_bytes()
        try:
            with path.open("rb") as handle:
                # One byte over the limit is enough for the size check to refuse the file.
                content = handle.read(limit + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None

        preview = selectors.import_preview(school=school_obj, kind=kind, content=content, file_name=path.name)
        if not preview.ok:
            self._fail(preview.errors)
        plan = preview.plan
        for warning in plan.warnings:
            self.stdout.write(f"Check: {warning}")
        if dry_run:
            self.stdout.write(self._summary(kind, plan.counts, done=False))
            self.stdout.write("Dry run: nothing was stored.")
            return
        try:
            with transaction.atomic():
                batch = services.import_batch_create(
                    school=school_obj, by=by, preview=preview, content=content
                )
                plan = services.import_batch_confirm(batch=batch, by=by)
        except services.ImportRejected as rejected:
            self._fail(rejected.errors)
        self.stdout.write(self.style.SUCCESS(self._summary(kind, plan.counts, done=True)))

    def _fail(self, errors):
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file: nothing was imported."
        )

    @staticmethod
    def _summary(kind, counts, *, done):
        def n(count, one, many):
            return f"{count} {one if count == 1 else many}"

        verb = "Imported" if done else "Would import"
        if kind in (ImportKind.PUPILS, ImportKind.CTF):
            new = n(counts["create"], "new pupil", "new pupils")
            return f"{verb}: {new}, {counts['update']} updated, {counts['unchanged']} unchanged."
        if kind == ImportKind.SEN_STATUS:
            new = n(counts["create"], "new SEN status change", "new SEN status changes")
            return f"{verb}: {new}, {counts['update']} corrected, {counts['unchanged']} unchanged."
        what = ImportKind(kind).label.lower()
        new = n(counts["create"], "new record", "new records")
        return f"{verb} {what}: {new}, {counts['update']} changed, {counts['unchanged']} unchanged."
