"""The trust comparison's background work: refreshing one school's rollup after a change, on the
task queue when one is configured (jobs: Celery with Redis). `rollup_refresh` is idempotent, so a
redelivered or retried message does no harm; losing the database retries it a few times."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import rollup_refresh_queued


@shared_task(
    name="trusts.rollup_refresh",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def rollup_refresh_task(school_id):
    rollup_refresh_queued(school_id)
