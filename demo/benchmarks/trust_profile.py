"""The trust profile's own measurements (`manage.py benchmark --profile trust`), beside the trust
comparison (demo.benchmarks.trusts) and one school's dashboards (demo.benchmarks.gaps):

- a web worker's resident memory once it has served the trust pages (QUALITY.md: at most 250 MB
  on the trust profile), read from /proc/self/status (VmRSS, and VmHWM, its peak) where there
  is one, else from getrusage's peak;
- the trust's governor pack (every school's signed-off governor SEF summary in one zip), started
  as the trust lead starts it, through the jobs runner: queued on commit and, with no broker
  configured, run in-process as `make run` runs it (a Celery worker runs the same function).
"""

import resource
import sys
import time
import zipfile

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.documents import pdf_bytes
from demo.benchmarks import Timing
from demo.reports_data import sign_off_every_school
from jobs.models import Job


def memory_now():
    """(resident MB now, peak resident MB) of this process."""
    try:
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak /= 1024 * 1024 if sys.platform == "darwin" else 1024
        return peak, peak


def measure_memory(bench):
    """After the trust comparison and one school's dashboards (the sections before this one),
    with WeasyPrint loaded and one PDF made, as a production worker has them from its start
    (sendtrack/wsgi.py)."""
    pdf_bytes("<p>sendtrack</p>")
    for name in ("trusts:comparison", "gaps:dashboard", "gaps:attendance"):
        response = bench.client("trustlead").get(reverse(name))
        assert response.status_code == 200, (name, response.status_code)
    resident, peak = memory_now()
    note = "" if bench.existing else " (this process also built the demo: an upper bound)"
    yield (
        "web worker resident memory after the trust pages (WeasyPrint loaded)",
        f"{resident:.0f} MB now, {peak:.0f} MB at its peak{note} (target at most 250 MB)",
    )


def measure_governor_pack(bench):
    start = time.perf_counter()
    signed = sign_off_every_school(bench.demo)
    if signed:
        yield (
            "signed off the SEF of the schools the demo had not (untimed setup)",
            f"{signed} schools in {time.perf_counter() - start:.1f} s",
        )
    client = bench.client("trustlead")
    url = reverse("reports:governor_pack")
    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    runs = []

    def build():
        response = client.post(url)
        assert response.status_code == 302, response.status_code
        job = Job.objects.filter(kind="reports.governor_pack").latest("pk")
        while not eager and job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
            time.sleep(0.2)
            job.refresh_from_db()
        assert job.status == Job.Status.DONE, (job.status, job.message)
        runs.append(job)

    # Once: a pack of 50 PDFs takes minutes, and the first PDF of a process is part of its cost
    # (WeasyPrint's import), as it is in a worker's first job.
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        build()
        timing = Timing((time.perf_counter() - start) * 1000, len(captured), 1)
    job = runs[-1]
    with job.result.open("rb") as stored, zipfile.ZipFile(stored) as pack:
        pdfs = sum(name.endswith(".pdf") for name in pack.namelist())
        size = job.result.size
    how = "in-process (no broker)" if eager else "by a Celery worker"
    yield f"trust governor pack job, {pdfs} school PDFs, run {how}", timing
    yield "  the pack", f"{size / 1024:,.0f} KB; {pdfs / (timing.median_ms / 1000):.1f} PDFs a second"
