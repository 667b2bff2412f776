import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from django.utils.module_loading import import_string

from demo.benchmarks import SECTIONS, Bench
from demo.generator import build_demo

SIZES = {"primary": 420, "secondary": 1500, "trust": 800}
# The trust profile: 50 primary schools of 800 pupils (QUALITY.md), plus the demo's small second.
SCHOOLS = {"trust": 50}


class Command(BaseCommand):
    help = (
        "Build a scale profile of QUALITY.md in a throwaway test database and print timings and "
        "query counts of the pages and jobs QUALITY.md sets targets for. Run it on PostgreSQL "
        "(DATABASE_URL=postgres://...) for the figures that count; your own data is not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(SIZES), default="secondary")
        parser.add_argument("--pupils", type=int, help="pupils in the main school (default: the profile's)")
        parser.add_argument("--repeat", type=int, default=7, help="timed runs per measurement")
        parser.add_argument("--only", help="run only the sections whose path contains this text")

    def handle(self, *args, profile, pupils, repeat, only, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
        try:
            self._run(profile, pupils or SIZES[profile], repeat, only)
        finally:
            teardown_databases(old_config, verbosity=0)

    def _run(self, profile, pupils, repeat, only):
        vendor = connection.vendor
        self.stdout.write(f"Database: {vendor}. Profile: {profile}, {pupils} pupils in the main school.")
        start = time.perf_counter()
        demo = build_demo(
            pupils=pupils,
            profile="primary" if profile == "trust" else profile,
            schools=SCHOOLS.get(profile, 1),
        )
        self.stdout.write(f"Built the demo data in {time.perf_counter() - start:.1f} s.")
        if vendor == "postgresql":
            # A live database has table statistics (autovacuum); freshly bulk-loaded tables do not,
            # and the planner would then measure plans no school would get.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bench = Bench(demo, profile=profile, repeat=repeat)
        for path in SECTIONS:
            if only and only not in path:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(path))
            for what, figure in import_string(path)(bench):
                self.stdout.write(f"  {what}: {figure}")
