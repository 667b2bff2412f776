import time

from django.core.management.base import BaseCommand

from schools.models import School
from trusts.services import rollup_refresh


class Command(BaseCommand):
    help = (
        "Recompute the trust comparison's figures of every school (or of the schools given by URN), "
        "after a bulk load or when the academic year turns. The pages keep them up to date after "
        "each change by themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument("urns", nargs="*", help="URNs of the schools (default: every school)")

    def handle(self, *args, urns, **options):
        schools = School.objects.order_by("name")
        if urns:
            schools = schools.filter(urn__in=urns)
        started = time.perf_counter()
        count = 0
        for school in schools:
            rollup_refresh(school_id=school.pk)
            count += 1
        seconds = time.perf_counter() - started
        schools = "school" if count == 1 else "schools"
        self.stdout.write(f"Refreshed the figures of {count} {schools} in {seconds:.1f} s.")
