from django.core.files.base import ContentFile

from core.roles import Role
from jobs.models import Job
from tests.url_tables import ALL


def senco_job(world_school):
    """A finished job with a file, started by the school's SENCO: only the SENCO finds it."""
    job = Job.objects.create(
        kind="tests.echo",
        title="Echo",
        school=world_school.school,
        requested_by=world_school.members[Role.SENCO].user,
        status=Job.Status.DONE,
    )
    job.result.save("echo.txt", ContentFile(b"hello"))
    return job


PERMISSIONS = {
    "jobs:list": ("get", ALL, False),
    "jobs:detail": ("get", {Role.SENCO}, "job"),
    "jobs:result": ("get", {Role.SENCO}, "job"),
}
TARGETS = {"job": senco_job}
