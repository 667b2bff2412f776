"""A school's own assessment scheme and the termly teacher assessments recorded against it.

Every school chooses its points in the year, subjects, attainment bands (below / on track /
exceeded ARE by default, or WTS / EXS / GDS, or its own), progress bands, and an optional
numeric measure such as APS points, scaled scores or steps.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pupils.models import Pupil
from schools.models import School


def academic_year_of(day):
    """The year in which the academic year containing `day` starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year):
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class AssessmentScheme(models.Model):
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="assessment_scheme")
    measure_name = models.CharField(
        "numeric measure",
        max_length=40,
        blank=True,
        help_text="For example APS points, scaled score or steps. Leave blank for bands only.",
    )
    measure_min = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    measure_max = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    expected_progress_per_year = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=4,
        help_text="Progress in the measure that counts as expected in a year (seeds: 4 APS points).",
    )

    def __str__(self):
        return f"Assessment scheme of {self.school}"


class Subject(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    is_core = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_subject_per_school")]

    def __str__(self):
        return self.name


class Band(models.Model):
    """One step of an ordered scale. `code` is what a SENCO types in the grid."""

    school = models.ForeignKey(School, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=4)
    label = models.CharField(max_length=60)

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self):
        return f"{self.code} {self.label}"


class AttainmentBand(Band):
    class Meta(Band.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="unique_attainment_code"),
            models.UniqueConstraint(fields=["school", "order"], name="unique_attainment_order"),
        ]


class ProgressBand(Band):
    class Meta(Band.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="unique_progress_code"),
            models.UniqueConstraint(fields=["school", "order"], name="unique_progress_order"),
        ]


class AssessmentPoint(models.Model):
    """A point in the year when teachers assess, such as "Autumn 2" of 2025/26."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessment_points")
    academic_year = models.PositiveSmallIntegerField(help_text="Year the academic year starts")
    order = models.PositiveSmallIntegerField(help_text="1 for the first point of the year")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["academic_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year", "order"], name="unique_point_order"),
            models.UniqueConstraint(fields=["school", "academic_year", "name"], name="unique_point_name"),
        ]

    def __str__(self):
        return f"{self.name} {academic_year_label(self.academic_year)}"


class AssessmentQuerySet(models.QuerySet):
    def for_membership(self, membership):
        """Assessments of the pupils this membership may see, in its school only."""
        return self.filter(pupil__in=Pupil.objects.for_membership(membership))


class Assessment(models.Model):
    """One pupil's teacher assessment in one subject at one point."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="assessments")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.PROTECT, related_name="assessments")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assessments")
    attainment = models.ForeignKey(AttainmentBand, on_delete=models.PROTECT, null=True, blank=True)
    progress = models.ForeignKey(ProgressBand, on_delete=models.PROTECT, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # Raised by one on every save: the grid sends back the version it loaded, so a save over
    # someone else's newer value is detected rather than silently overwriting it.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "point", "subject"], name="one_assessment_per_cell")
        ]
        indexes = [models.Index(fields=["point", "subject"])]

    def __str__(self):
        return f"{self.pupil} {self.subject} {self.point}"
