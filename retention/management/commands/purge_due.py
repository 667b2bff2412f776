"""Delete what is due under each school's retention periods (for a scheduled job): the same
purge as the retention review page, with the same record of what was purged."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retention import selectors, services
from retention.models import Kind
from schools.models import School


class Command(BaseCommand):
    help = "Delete records past their retention period, school by school, and record each purge."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="URN of one school (all schools if left out)")
        parser.add_argument("--kind", choices=Kind.values, action="append", help="one kind (repeatable)")
        parser.add_argument("--dry-run", action="store_true", help="only say what is due")

    def handle(self, *args, school=None, kind=None, dry_run=False, **options):
        schools = School.objects.order_by("pk")
        if school:
            schools = schools.filter(urn=school)
            if not schools:
                raise CommandError(f"No school has URN {school}.")
        today = timezone.localdate()
        due = {
            Kind.PUPIL_RECORDS: selectors.due_pupils,
            Kind.ACCESS_LOG: selectors.due_access_log,
            Kind.SCHOOL_EVIDENCE: selectors.due_school_evidence,
        }
        for each in schools:
            for chosen in kind or Kind.values:
                label = Kind(chosen).label.lower()
                if dry_run:
                    self.stdout.write(f"{each}: {due[chosen](each, today).count()} {label} due.")
                    continue
                try:
                    record = services.purge(school=each, kind=chosen, today=today)
                except services.PurgeRefused as error:
                    self.stderr.write(f"{each}: {error.messages[0]}")
                    continue
                held = f" ({record.held_back} held back)" if record.held_back else ""
                self.stdout.write(f"{each}: deleted {record.count} {label}, {record.files} file(s){held}.")
