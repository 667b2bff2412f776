import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from django.utils.module_loading import import_string

from assessment.models import Assessment
from demo.benchmarks import SECTIONS, TRUST_SECTIONS, Bench
from demo.generator import build_demo, demo_from_database

SIZES = {"primary": 420, "secondary": 1500, "trust": 800}
# The trust profile: 50 primary schools of 800 pupils (QUALITY.md), plus the demo's small second.
SCHOOLS = {"trust": 50}
# QUALITY.md's assessment rows of each profile (about).
ROWS = {"primary": 50_000, "secondary": 225_000, "trust": 6_000_000}


class Command(BaseCommand):
    help = (
        "Build a scale profile of QUALITY.md in a throwaway test database and print timings and "
        "query counts of the pages and jobs QUALITY.md sets targets for. Run it on PostgreSQL "
        "(DATABASE_URL=postgres://...) for the figures that count; your own data is not touched. "
        "With --existing it measures the demo already in the database instead (the trust profile "
        "takes 20 minutes and more to build: build it once with seed_demo, then measure it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(SIZES), default="secondary")
        parser.add_argument("--pupils", type=int, help="pupils in the main school (default: the profile's)")
        parser.add_argument(
            "--schools", type=int, help="main-size schools of the trust profile (default: 50)"
        )
        parser.add_argument("--repeat", type=int, default=7, help="timed runs per measurement")
        parser.add_argument("--only", help="run only the sections whose path contains this text")
        parser.add_argument(
            "--existing",
            action="store_true",
            help="measure the demo already in the database (built by seed_demo), which the "
            "measurements write to (jobs, saves); build nothing",
        )

    def handle(self, *args, profile, pupils, schools, repeat, only, existing, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        if existing:
            demo = demo_from_database()
            if demo is None:
                raise CommandError("The database has no demo: build one with seed_demo first.")
            self._measure(demo, profile, repeat, only, existing=True)
            return
        old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
        try:
            self._run(profile, pupils or SIZES[profile], schools or SCHOOLS.get(profile, 1), repeat, only)
        finally:
            teardown_databases(old_config, verbosity=0)

    def _run(self, profile, pupils, schools, repeat, only):
        self.stdout.write(
            f"Database: {connection.vendor}. Profile: {profile}, {pupils} pupils in the main school"
            + (f", {schools} main-size schools." if profile == "trust" else ".")
        )
        start = time.perf_counter()
        demo = build_demo(
            pupils=pupils,
            profile="primary" if profile == "trust" else profile,
            schools=schools,
        )
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"Built the demo data in {seconds:.1f} s ({seconds / len(demo['schools']):.1f} s a school)."
        )
        self._measure(demo, profile, repeat, only, existing=False)

    def _measure(self, demo, profile, repeat, only, *, existing):
        rows = Assessment.objects.count()
        pupils = sum(built.pupils for built in demo["schools"])
        smaller = "" if rows >= 0.9 * ROWS[profile] else f"; smaller than the {profile} profile's"
        self.stdout.write(
            f"Database: {connection.vendor}{' (existing data)' if existing else ''}. "
            f"{len(demo['schools'])} schools, {pupils:,} pupils, {rows:,} assessment rows "
            f"(QUALITY.md: about {ROWS[profile]:,}{smaller})."
        )
        if connection.vendor == "postgresql":
            # A live database has table statistics (autovacuum); freshly bulk-loaded tables do not,
            # and the planner would then measure plans no school would get.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bench = Bench(demo, profile=profile, repeat=repeat, existing=existing)
        for path in TRUST_SECTIONS if profile == "trust" else SECTIONS:
            if only and only not in path:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(path))
            for what, figure in import_string(path)(bench):
                self.stdout.write(f"  {what}: {figure}")
