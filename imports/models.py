from django.conf import settings
from django.db import models

from core import policy
from schools.models import School


class ImportKind(models.TextChoices):
    PUPILS = "pupils", "Pupils"
    SEN_STATUS = "sen_status", "SEN status"
    ASSESSMENTS = "assessments", "Assessments"
    ATTENDANCE = "attendance", "Attendance"
    BEHAVIOUR = "behaviour", "Behaviour incidents"
    CTF = "ctf", "Common Transfer File (CTF)"


class ImportBatchQuerySet(models.QuerySet):
    def for_membership(self, membership):
        """The one access path to batches: those of the membership's school, for the SENCO."""
        if not policy.can(membership, "import.run"):
            return self.none()
        return self.filter(school_id=membership.school_id)


class ImportBatch(models.Model):
    """A checked file waiting for confirmation, then the record of its import.

    The cleaned rows are kept in `payload` between preview and confirmation, so the upload
    itself is never stored. Confirmation empties the payload: the pupil records and their
    history hold the data from then on, and the batch keeps who, when, which file and counts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Imported"
        EXPIRED = "expired", "Expired without being confirmed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="import_batches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uploaded by",
    )
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    # The file's headings for each field, so that errors found on confirmation name the
    # columns as the user wrote them.
    columns = models.JSONField(default=dict, blank=True)
    payload = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        indexes = [models.Index(fields=["school", "status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.file_name} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class CtfExport(models.Model):
    """The log of every Common Transfer File sent out: who, when, which pupils, to where."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="ctf_exports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_la = models.CharField("source LA", max_length=3)
    source_estab = models.CharField("source establishment number", max_length=4)
    dest_la = models.CharField("destination LA", max_length=3)
    dest_estab = models.CharField("destination establishment number", max_length=4)
    dest_name = models.CharField("destination school", max_length=200, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the CTF", max_length=64)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        where = f"{self.dest_la}/{self.dest_estab}"
        return f"CTF to {where} on {self.created_at:%d/%m/%Y}"


class CtfExportPupil(models.Model):
    """One pupil of an export, with the UPN and name as sent, so that the log still says who was
    sent if the record changes later. A row per pupil (not a list on the export), so that a
    pupil's subject access download holds their own line of the log and no one else's."""

    export = models.ForeignKey(CtfExport, on_delete=models.CASCADE, related_name="sent")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ctf_exports")
    upn = models.CharField("UPN", max_length=13)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["export", "name"]
        constraints = [
            models.UniqueConstraint(fields=["export", "pupil"], name="one_row_per_pupil_per_export")
        ]

    def __str__(self):
        return f"{self.name} ({self.upn})"
