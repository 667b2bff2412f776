"""Start a background job and run it, the same way for every kind of job.

A kind of job is a function `work(job, progress)` made into a Celery task by `@job_task(kind)`.
`start()` records the job and queues its task once the request's transaction commits; the task
runs the function and records how it ended. What makes every job safe to retry:

- the task does nothing for a job that has already finished (a redelivered message, a retry
  after the work committed);
- each kind's work is one transaction, or checks what is already done before it does it;
- losing the database part way retries the task a few times, then fails the job with words.

With no broker configured (`make run`), Celery runs the task in-process as soon as it is queued
(CELERY_TASK_ALWAYS_EAGER), so a new user needs no other server.
"""

import logging
from dataclasses import dataclass

from celery import shared_task
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

RETRIES = 3
UNEXPECTED = (
    "The job stopped with an unexpected error, and what it had started was not kept. Try again; "
    "if it fails again, tell your administrator."
)
UNREACHABLE = (
    "The job could not be started because the job queue is not reachable. Nothing was changed: "
    "try again in a few minutes, and tell your administrator if it keeps happening."
)
DATABASE_LOST = "The job lost its connection to the database several times and stopped. Try again later."


class JobFailed(Exception):
    """A failure the user is told about in these words."""


@dataclass(frozen=True)
class Outcome:
    message: str
    url: str = ""  # where the user goes next: the imported batch, say
    file_name: str = ""  # a file to download, with its content
    content: bytes = b""


def _progress_key(pk):
    return f"job-progress:{pk}"


class Progress:
    """How far a job has got. Kept in the cache, not the job's row: the work usually runs inside
    one transaction, and a row written there would not be seen until the work is over."""

    def __init__(self, job):
        self.job = job

    def __call__(self, done, total, step=""):
        cache.set(_progress_key(self.job.pk), (done, total, step), timeout=60 * 60)


def live(job):
    """The job with its latest progress filled in from the cache (for the job's page)."""
    if job.status == Job.Status.RUNNING:
        latest = cache.get(_progress_key(job.pk))
        if latest:
            job.done, job.total, job.step = latest
    return job


def start(task, *, title, by, school=None, params=None):
    """Record a job and queue its task when the current transaction commits."""
    job = Job.objects.create(kind=task.kind, title=title, requested_by=by, school=school, params=params or {})
    transaction.on_commit(lambda: _queue(task, job.pk))
    return job


def _queue(task, pk):
    try:
        task.delay(pk)
    except Exception:  # kombu raises its own errors when the broker cannot be reached
        logger.exception("Could not queue job %s", pk)
        _finish(pk, Job.Status.FAILED, UNREACHABLE)


def _finish(pk, status, message, outcome=None):
    fields = {"status": status, "message": message, "finished_at": timezone.now()}
    job = Job.objects.get(pk=pk)
    if outcome is not None:
        job.result_url = outcome.url
        if outcome.file_name:
            job.result.save(outcome.file_name, ContentFile(outcome.content), save=False)
        fields.update(result_url=job.result_url, result=job.result.name)
    Job.objects.filter(pk=pk).update(**fields)
    cache.delete(_progress_key(pk))


def run(pk, work):
    """Run `work` for job `pk` once: a job already finished is left as it is."""
    claimed = Job.objects.filter(pk=pk).exclude(status__in=Job.FINISHED)
    if not claimed.update(status=Job.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1):
        return
    job = Job.objects.select_related("school", "requested_by").get(pk=pk)
    try:
        outcome = work(job, Progress(job))
    except JobFailed as failed:
        _finish(pk, Job.Status.FAILED, str(failed))
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Job %s (%s) failed", pk, job.kind)
        _finish(pk, Job.Status.FAILED, UNEXPECTED)
    else:
        _finish(pk, Job.Status.DONE, outcome.message, outcome)


def _release(pk):
    """Let the retry claim the job again; if the database is still away, the retry will find the
    job running and the sweep (`manage.py run_periodic_jobs`) fails it when it is stale."""
    try:
        Job.objects.filter(pk=pk, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
    except (OperationalError, InterfaceError):
        logger.warning("Job %s could not be released for its retry", pk)


def job_task(kind):
    """Make `work(job, progress) -> Outcome` the Celery task of jobs of this kind."""

    def decorate(work):
        @shared_task(name=f"jobs.{kind}", bind=True, acks_late=True, max_retries=RETRIES)
        def task(self, pk):
            try:
                run(pk, work)
            except (OperationalError, InterfaceError) as lost:
                if self.request.retries >= RETRIES:
                    _finish(pk, Job.Status.FAILED, DATABASE_LOST)
                    return
                _release(pk)
                raise self.retry(exc=lost, countdown=2**self.request.retries) from lost

        task.kind = kind
        task.work = work
        return task

    return decorate
