"""Check that no access-log entry was changed, removed or reordered: walks each school's hash
chain from its last retention checkpoint and reports the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from pupils.access_log import broken_links
from schools.models import School


class Command(BaseCommand):
    help = "Verify the access log's hash chain of every school (or one, by URN)."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="URN of one school")

    def handle(self, *args, school=None, **options):
        schools = School.objects.order_by("pk")
        if school:
            schools = schools.filter(urn=school)
            if not schools:
                raise CommandError(f"No school has URN {school}.")
        failed = []
        for each in schools:
            first = next(broken_links(each), None)
            if first is None:
                self.stdout.write(f"{each}: the access log is whole.")
                continue
            entry, why = first
            where = (
                f"entry {entry.sequence} (id {entry.pk}, {entry.at:%d/%m/%Y %H:%M})" if entry else "the end"
            )
            failed.append(each)
            self.stderr.write(f"{each}: first broken link at {where}: {why}.")
        if failed:
            raise CommandError(f"The access log is broken at {len(failed)} school(s).")
