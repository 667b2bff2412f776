"""`manage.py benchmark --only gaps`: the school gap dashboard on the profile's main school,
beside the time of the raw SQL aggregate queries it needs (its floor), then the other gap
screens.

Everything is measured twice on PostgreSQL: first as the demo was built, when the tables have
no planner statistics (this server runs without autovacuum, and the benchmark builds its data
seconds before measuring), then after ANALYZE of the tables the gap screens read, as any live
database has them (autovacuum analyzes a table once a tenth of it has changed). The ANALYZE
runs in a transaction that is rolled back after the second round, so the statistics do not
outlive this section (PostgreSQL keeps only the row and page counts it also records).
"""

import statistics
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.benchmarks import Timing

TABLES = [
    "pupils_pupil",
    "assessment_assessment",
    "assessment_assessmentpoint",
    "assessment_target",
    "attendance_attendance",
    "attendance_exclusion",
    "attendance_participation",
    "interventions_interventionplace",
]


def measure(bench):
    yield from _round(bench, "")
    if connection.vendor != "postgresql":
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(TABLES))
        yield from _round(bench, " [after ANALYZE]")
        transaction.set_rollback(True)


def _round(bench, note):
    client = bench.client("senco")
    url = reverse("gaps:dashboard")

    def get_page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    # The page and its floor are timed in alternation, run by run, so that both see the same
    # load on the machine. The floor replays the SQL of a warm page (the first request of a
    # session sends a few queries that later ones do not).
    get_page()
    with CaptureQueriesContext(connection) as captured:
        get_page()
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    page, floor, queries = _alternate(bench.repeat, get_page, raw)
    yield f"gap dashboard (overview), SENCO{note}", Timing(page, queries, bench.repeat)
    yield f"its raw SQL (floor){note}", Timing(floor, len(statements), bench.repeat)
    yield (
        f"ratio page / floor{note}",
        f"{page / floor:.2f}x (target at most 2x; page target 150 ms)",
    )
    for what, name, user in (
        ("C grids and gaps, SENCO", "gaps:grid", "senco"),
        ("D pupils, targets and watch list, SENCO", "gaps:pupils", "senco"),
        ("E to H attendance, governor", "gaps:attendance", "governor"),
    ):
        reader = bench.client(user)
        yield f"{what}{note}", bench.timed(lambda reader=reader, name=name: reader.get(reverse(name)))


def _alternate(repeat, page, floor):
    """Median ms of `page` and of `floor`, run one after the other `repeat` times (after a
    warm-up of each), and the queries of one page."""
    page()
    floor()
    pages, floors, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            page()
            pages.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        with CaptureQueriesContext(connection):
            start = time.perf_counter()
            floor()
            floors.append((time.perf_counter() - start) * 1000)
    return statistics.median(pages), statistics.median(floors), queries
