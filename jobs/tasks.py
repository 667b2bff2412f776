"""The jobs app's own scheduled task: fail the jobs that can no longer finish."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Job

STALE_MESSAGE = (
    "The job stopped without finishing (the server running it was restarted or lost). Nothing it "
    "was doing was kept: start it again."
)


@shared_task(name="jobs.fail_stale")
def fail_stale():
    """A job queued or running far longer than any job takes was lost with its worker."""
    hours = getattr(settings, "JOB_STALE_HOURS", 2)
    cutoff = timezone.now() - timedelta(hours=hours)
    return (
        Job.objects.exclude(status__in=Job.FINISHED)
        .filter(created_at__lt=cutoff)
        .update(status=Job.Status.FAILED, message=STALE_MESSAGE, finished_at=timezone.now())
    )
