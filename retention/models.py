"""How long a school keeps each kind of record, what is held back from deletion, and what was
deleted. The purge itself is retention.services'."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from pupils.models import Pupil
from schools.models import School


class Kind(models.TextChoices):
    """The kinds of record a retention period applies to."""

    PUPIL_RECORDS = "pupils", "Records of pupils who have left"
    ACCESS_LOG = "access_log", "Access log entries"
    SCHOOL_EVIDENCE = "evidence", "Evidence about no pupil in particular"


class RetentionPolicy(models.Model):
    """A school's retention periods. A school without a row keeps the defaults."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="retention_policy")
    pupil_records_until_age = models.PositiveSmallIntegerField(
        "keep a leaver's record until their birthday of",
        default=25,
        validators=[MinValueValidator(18), MaxValueValidator(100)],
        help_text="SEN records are commonly kept until the pupil's 25th birthday, or later.",
    )
    access_log_years = models.PositiveSmallIntegerField(
        "keep access log entries for (years)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    school_evidence_years = models.PositiveSmallIntegerField(
        "keep evidence about no pupil in particular for (years)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self):
        return f"Retention at {self.school}"


class LegalHold(models.Model):
    """Records that must not be deleted while a claim, complaint, tribunal or inquiry is open:
    one pupil's record, or (with no pupil) everything the school holds."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="legal_holds")
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, null=True, blank=True, related_name="legal_holds"
    )
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_at"]

    def __str__(self):
        what = self.pupil or "every record"
        return f"Hold on {what}: {self.reason}"

    @property
    def is_active(self):
        return self.lifted_at is None


class PurgeRecord(models.Model):
    """That a purge happened: what kind, how many, when and by whom. Never the data purged."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="purges")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    count = models.PositiveIntegerField()
    files = models.PositiveIntegerField(default=0, help_text="Uploaded files deleted with the records.")
    held_back = models.PositiveIntegerField(default=0, help_text="Records due but under a legal hold.")
    purged_at = models.DateTimeField(auto_now_add=True)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purged_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-purged_at"]

    def __str__(self):
        return f"{self.count} {self.get_kind_display().lower()} purged at {self.purged_at:%d/%m/%Y}"
