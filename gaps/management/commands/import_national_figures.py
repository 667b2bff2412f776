from django.core.management.base import BaseCommand, CommandError

from gaps.dfe import DfeFileError
from gaps.services import comparators_import_ks2
from schools.models import School


class Command(BaseCommand):
    help = (
        "Import the DfE key stage 2 national pupil characteristics CSV, as published, into the "
        "national comparators of one school (--urn) or of every school."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--urn", help="the school's URN; every school when left out")

    def handle(self, *args, path, urn, **options):
        schools = School.objects.filter(urn=urn) if urn else School.objects.all()
        if urn and not schools:
            raise CommandError(f"No school has the URN {urn}.")
        for school in schools:
            try:
                with open(path, "rb") as source:
                    created, updated = comparators_import_ks2(
                        school=school, source=source, file_name=path.rsplit("/", 1)[-1]
                    )
            except (OSError, DfeFileError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{school}: {created} national figures added, {updated} updated.")
