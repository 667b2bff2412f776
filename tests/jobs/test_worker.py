"""A real Celery worker, consuming from Redis, runs a job end to end (CI has Redis on 6379)."""

import os
import socket
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from imports.models import ImportBatch
from jobs.models import Job
from pupils.models import Pupil
from sendtrack.celery import app
from tests.factories import MembershipFactory, SchoolClassFactory, SchoolFactory
from tests.imports.files import pupils_csv
from tests.imports.test_views import upload

BROKER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = pytest.mark.slow


def redis_is_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def reset_connections():
    """Drop the connections made for the in-memory broker, so both sides use the new one."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker():
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379: CI needs it for the worker test.")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    # The app reads Django's CELERY_* settings by their full names.
    saved = {key: app.conf[key] for key in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")}
    app.conf.update(CELERY_BROKER_URL=BROKER, CELERY_TASK_ALWAYS_EAGER=False)
    assert app.connection_for_write().as_uri() == BROKER
    reset_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        reset_connections()


@pytest.mark.django_db(transaction=True)
def test_a_worker_confirms_a_large_import_through_redis(worker, client, settings):
    settings.IMPORT_JOB_ROWS = 2
    school = SchoolFactory(name="Oakfield")
    SchoolClassFactory(school=school, name="4 Oak", year_group=4)
    senco = MembershipFactory(school=school, role="senco")
    client.force_login(senco.user)
    upload(client, pupils_csv())
    batch = ImportBatch.objects.get()
    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE
    assert job.message == "pupils.csv was imported: 3 new, 0 updated, 0 unchanged."
    assert Pupil.objects.filter(school=school).count() == 3
