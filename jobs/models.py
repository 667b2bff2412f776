"""A background job as its user sees it: what was asked, by whom, how far it has got, how it ended.

The work itself runs in a Celery task (jobs.runner); this row is what the job's page reads while it
runs, and what tells the user when it failed. With no broker configured the task runs in-process,
so the row is finished by the time the page that started it answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        still_member = Q(school__memberships__user=user, school__memberships__is_active=True)
        member = Q(school__isnull=True) | still_member
        return self.filter(member, requested_by=user).distinct()


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    FINISHED = (Status.DONE, Status.FAILED)

    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField("what it is doing", max_length=200, blank=True)
    message = models.TextField(blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def result_name(self):
        return self.result.name.rsplit("/", 1)[-1] if self.result else ""

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
