"""Background jobs: started from a request, run once, their progress and end told to the user."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from imports import tasks as import_tasks
from imports.models import ImportBatch
from jobs import runner
from jobs.models import Job
from jobs.tasks import STALE_MESSAGE, fail_stale
from pupils.models import Pupil
from tests.factories import MembershipFactory
from tests.imports.files import pupils_csv
from tests.imports.test_views import upload


@pytest.fixture
def oak(school):
    from tests.factories import SchoolClassFactory

    return SchoolClassFactory(school=school, name="4 Oak", year_group=4)


@runner.job_task("tests.echo")
def echo(job, progress):
    progress(1, 2, "halfway")
    if job.params.get("fail"):
        raise runner.JobFailed("The file named no pupil.")
    if job.params.get("crash"):
        raise KeyError("surprise")
    return runner.Outcome(message=f"Echoed {job.params['word']}.", file_name="echo.txt", content=b"hello")


def start_echo(user, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start(echo, title="Echo", by=user, params=params)
    job.refresh_from_db()
    return job


def test_a_job_runs_once_and_keeps_its_result(senco, django_capture_on_commit_callbacks, client):
    job = start_echo(senco.user, django_capture_on_commit_callbacks, word="owl")
    assert (job.status, job.message, job.attempts) == (Job.Status.DONE, "Echoed owl.", 1)
    assert job.result_name.startswith("echo") and job.percent == 100

    # A redelivered message (or a retry after the work was done) does nothing more.
    echo.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.attempts == 1

    client.force_login(senco.user)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Finished." in html and "Echoed owl." in html and "hx-trigger" not in html
    download = client.get(reverse("jobs:result", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"hello"
    assert download["Cache-Control"] == "no-store"


def test_a_failed_job_says_why_in_words(senco, django_capture_on_commit_callbacks, client):
    told = start_echo(senco.user, django_capture_on_commit_callbacks, fail=True)
    assert (told.status, told.message) == (Job.Status.FAILED, "The file named no pupil.")
    crashed = start_echo(senco.user, django_capture_on_commit_callbacks, crash=True)
    assert (crashed.status, crashed.message) == (Job.Status.FAILED, runner.UNEXPECTED)
    client.force_login(senco.user)
    html = client.get(reverse("jobs:detail", args=[crashed.pk])).content.decode()
    assert "This job did not finish." in html and "unexpected error" in html
    assert client.get(reverse("jobs:result", args=[crashed.pk])).status_code == 404


def test_a_job_that_cannot_be_queued_fails_with_words(senco, django_capture_on_commit_callbacks):
    with mock.patch.object(echo, "delay", side_effect=ConnectionRefusedError("no broker")):
        job = start_echo(senco.user, django_capture_on_commit_callbacks, word="owl")
    assert (job.status, job.message) == (Job.Status.FAILED, runner.UNREACHABLE)


def test_a_running_job_shows_its_progress_and_polls(senco, client):
    job = Job.objects.create(kind="tests.echo", title="Echo", requested_by=senco.user)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    runner.Progress(job)(30, 120, "storing the rows")
    client.force_login(senco.user)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    # 30 of 120 is a quarter.
    assert 'value="25"' in html and "30 of 120 done." in html and "storing the rows" in html
    assert 'hx-trigger="every 1s"' in html
    partial = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="job-progress"')


def test_only_its_requester_sees_a_job(senco, school, client):
    job = Job.objects.create(kind="tests.echo", title="Echo", requested_by=senco.user)
    other = MembershipFactory(school=school, role=senco.role)
    client.force_login(other.user)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404
    assert "Echo" not in client.get(reverse("jobs:list")).content.decode()


def test_lost_jobs_are_failed_after_two_hours(senco):
    from datetime import timedelta

    from django.utils import timezone

    old = Job.objects.create(kind="tests.echo", title="Old", requested_by=senco.user)
    new = Job.objects.create(kind="tests.echo", title="New", requested_by=senco.user)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert fail_stale() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.message) == (Job.Status.FAILED, STALE_MESSAGE)
    assert new.status == Job.Status.QUEUED


def test_a_large_import_is_confirmed_by_a_job(
    senco_client, senco, oak, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2  # the file has 3 pupils
    response = upload(senco_client, pupils_csv())
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = senco_client.post(reverse("imports:confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.school) == ("imports.confirm", Job.Status.DONE, senco.school)
    assert job.message == "pupils.csv was imported: 3 new, 0 updated, 0 unchanged."
    assert job.result_url == reverse("imports:batch", args=[batch.pk])
    assert Pupil.objects.filter(school=senco.school).count() == 3

    # Confirming again (a second tab) imports nothing twice, and says so.
    with django_capture_on_commit_callbacks(execute=True):
        senco_client.post(reverse("imports:confirm", args=[batch.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert again.status == Job.Status.FAILED
    assert again.message == "This file was already imported; nothing more was done."
    assert Pupil.objects.count() == 3


def test_abandoned_previews_of_every_school_lose_their_rows(senco_client, school, other_school):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=30)
    stale = [
        ImportBatch.objects.create(school=s, kind="pupils", file_name="a.csv", payload=[{"x": 1}])
        for s in (school, other_school)
    ]
    fresh = ImportBatch.objects.create(school=school, kind="pupils", file_name="b.csv", payload=[{"x": 1}])
    ImportBatch.objects.filter(pk__in=[b.pk for b in stale]).update(created_at=old)
    assert import_tasks.expire_previews() == 2
    assert set(ImportBatch.objects.filter(payload=[]).values_list("pk", flat=True)) == {b.pk for b in stale}
    fresh.refresh_from_db()
    assert fresh.is_pending and fresh.payload == [{"x": 1}]
    assert not mail.outbox
