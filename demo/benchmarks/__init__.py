"""What `manage.py benchmark` measures, and the helpers each measurement uses.

Each entry of SECTIONS is the dotted path of a function `measure(bench)` that yields rows
`(what, figure)`, for example `("grid page, class of 30 x 6 subjects", bench.timed(get_page))`.
`bench` carries the built demo (`bench.demo`, `bench.main`, the main BuiltSchool), a logged-in
test client per demo username (`bench.client("senco")`) and `bench.timed(fn)`, which runs fn
`bench.repeat` times and returns a Timing: median milliseconds and the SQL queries of one run.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.two_factor import sign_in_demo_client

SECTIONS = [
    "demo.benchmarks.assessment.measure",
    "demo.benchmarks.plans.measure",
    "demo.benchmarks.reports.measure",
    "demo.benchmarks.gaps.measure",
    "demo.benchmarks.interventions.measure",
    "demo.benchmarks.imports.measure",
    "demo.benchmarks.trusts.measure",
]
# The trust profile (issue 15): the trust comparison, one school's gap dashboard and E to H page,
# a web worker's memory after those pages, then the trust's governor pack job.
TRUST_SECTIONS = [
    "demo.benchmarks.trusts.measure",
    "demo.benchmarks.gaps.measure",
    "demo.benchmarks.trust_profile.measure_memory",
    "demo.benchmarks.trust_profile.measure_governor_pack",
]


@dataclass
class Timing:
    median_ms: float
    queries: int | None
    runs: int

    def __str__(self):
        counted = (
            "queries not counted (the log keeps 9,000)" if self.queries is None else f"{self.queries} queries"
        )
        return f"{self.median_ms:.1f} ms median of {self.runs}, {counted}"


class Bench:
    def __init__(self, demo, *, profile, repeat=7, existing=False):
        self.demo = demo
        self.existing = existing  # measuring a demo built earlier, not by this process
        self.main = demo["schools"][0]
        self.profile = profile
        self.repeat = repeat
        self._clients = {}

    def client(self, username):
        if username not in self._clients:
            client = Client()
            try:
                sign_in_demo_client(client, self.demo["users"][username])
            except RuntimeError:
                # A code is accepted once per user per 30 s: another run (--existing) may have
                # just used this one. Wait for the next.
                time.sleep(30 - time.time() % 30 + 1)
                sign_in_demo_client(client, self.demo["users"][username])
            self._clients[username] = client
        return self._clients[username]

    def timed(self, fn, *, repeat=None, setup=None):
        """Median wall time of fn() over `repeat` runs (after one warm-up), and its query count.

        `setup`, if given, runs untimed before each run (for example to undo a save)."""
        repeat = repeat or self.repeat
        if setup:
            setup()
        fn()  # warm-up: template and query caches, as a running server would have them
        times, queries = [], 0
        for _ in range(repeat):
            if setup:
                setup()
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            overflowed = len(connection.queries_log) == connection.queries_log.maxlen
            queries = None if overflowed else len(captured)
        return Timing(statistics.median(times), queries, repeat)
