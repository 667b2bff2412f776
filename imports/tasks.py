"""The import's background work: confirming a large file, and forgetting abandoned previews."""

from celery import shared_task
from django.urls import reverse

from jobs.runner import JobFailed, Outcome, job_task

from . import services
from .models import ImportBatch

ERRORS_NAMED = 3


@shared_task(name="imports.expire_previews")
def expire_previews():
    """Every school's previews left unconfirmed too long lose their rows (they hold pupil data)."""
    return services.import_batch_expire_old()


@job_task("imports.confirm")
def confirm_batch(job, progress):
    batch = ImportBatch.objects.select_related("school").get(pk=job.params["batch"], school=job.school)
    url = reverse("imports:batch", args=[batch.pk])
    try:
        plan = services.import_batch_confirm(
            batch=batch, by=job.requested_by, decisions=job.params.get("decisions"), progress=progress
        )
    except services.BatchNotPending as refused:
        raise JobFailed(str(refused)) from refused
    except services.ImportRejected as rejected:
        first = "; ".join(str(error) for error in rejected.errors[:ERRORS_NAMED])
        raise JobFailed(
            f"Nothing was imported: the records changed since the file was checked, and "
            f"{len(rejected.errors)} row(s) no longer fit ({first}). Open the preview to see them all."
        ) from rejected
    return Outcome(message=confirmed_message(batch.file_name, plan.counts), url=url)


def confirmed_message(file_name, counts):
    return (
        f"{file_name} was imported: {counts['create']} new, {counts['update']} updated, "
        f"{counts['unchanged']} unchanged."
    )
