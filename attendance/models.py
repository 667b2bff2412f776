"""Attendance, suspensions and exclusions, behaviour and participation: the seeds' questions E to H
(seeds/002 Part One) are asked of these, SEND pupils against the others.

Every record hangs off a pupil, so every read goes through `for_membership` (core.scoping), which
narrows to the pupils `Pupil.objects.for_membership` lets a membership see.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.calendar import Term, academic_year_label, academic_year_of
from core.figures import one_decimal
from core.scoping import PupilScopedQuerySet
from pupils.models import Pupil

# Below this share of possible sessions attended, a pupil is persistently absent (DfE: 10% or more
# of sessions missed).
PERSISTENT_ABSENCE_BELOW = Decimal("90")


def persistently_absent(attended, possible):
    """Whether `attended` of `possible` sessions is persistent absence, decided on the sessions
    (never on a rounded rate: 1,799 of 2,000 reads 90.0% and is below 90%)."""
    return attended * 100 < possible * PERSISTENT_ABSENCE_BELOW


def _persistent_condition():
    """attended / possible < 90%, compared in whole numbers (attended x 100 < possible x 90), so
    no division or rounding is needed and 162 of 180 (exactly 90.0%) is not persistent."""
    return Q(attended_x100__lt=F("possible_sessions") * int(PERSISTENT_ABSENCE_BELOW))


class AttendanceQuerySet(PupilScopedQuerySet):
    def _with_attended_x100(self):
        return self.alias(attended_x100=F("attended_sessions") * 100)

    def persistently_absent(self):
        return self._with_attended_x100().filter(_persistent_condition())

    def not_persistently_absent(self):
        return self._with_attended_x100().exclude(_persistent_condition())

    def in_term(self, academic_year, term):
        return self.filter(academic_year=academic_year, term=term)

    def in_year(self, academic_year):
        return self.filter(academic_year=academic_year)

    def totals(self):
        """Sessions summed over the rows, and how many rows are persistently absent, in one
        query: {"records", "possible", "attended", "authorised", "unauthorised", "persistent"}."""
        return self._with_attended_x100().aggregate(
            records=Count("pk"),
            possible=Coalesce(Sum("possible_sessions"), 0),
            attended=Coalesce(Sum("attended_sessions"), 0),
            authorised=Coalesce(Sum("authorised_absence"), 0),
            unauthorised=Coalesce(Sum("unauthorised_absence"), 0),
            persistent=Count("pk", filter=_persistent_condition()),
        )


class Attendance(models.Model):
    """One pupil's sessions in one term (two sessions a day, as schools record them)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="attendance")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    term = models.PositiveSmallIntegerField(choices=Term.choices)
    possible_sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    attended_sessions = models.PositiveSmallIntegerField()
    authorised_absence = models.PositiveSmallIntegerField(default=0)
    unauthorised_absence = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["academic_year", "term"]
        # A year's attendance across a school or a trust, as the gap dashboards read it.
        indexes = [models.Index(fields=["academic_year", "pupil"], name="attendance_year_pupil_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year", "term"], name="one_attendance_per_term"
            ),
            models.CheckConstraint(
                condition=Q(possible_sessions__gt=0)
                & Q(
                    possible_sessions__gte=F("attended_sessions")
                    + F("authorised_absence")
                    + F("unauthorised_absence")
                ),
                name="attendance_sessions_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} {self.get_term_display()} {self.academic_year}: {self.rate}%"

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)

    def clean(self):
        counted = (
            (self.attended_sessions or 0) + (self.authorised_absence or 0) + (self.unauthorised_absence or 0)
        )
        if self.possible_sessions is not None and counted > self.possible_sessions:
            raise ValidationError(
                f"Attended and absent sessions add up to {counted}, more than the "
                f"{self.possible_sessions} possible sessions."
            )

    @property
    def rate(self):
        """Share of possible sessions attended, to one decimal place, half way rounding up as every
        rate of the product does (146 of 160: 91.25, shown 91.3)."""
        return one_decimal(Decimal(self.attended_sessions) * 100 / self.possible_sessions)

    @property
    def persistently_absent(self):
        return persistently_absent(self.attended_sessions, self.possible_sessions)


class Exclusion(models.Model):
    """A suspension (fixed-term exclusion) or a permanent exclusion."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension"
        PERMANENT = "permanent", "Permanent exclusion"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="exclusions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUSPENSION)
    start_date = models.DateField()
    academic_year = models.PositiveSmallIntegerField(editable=False)
    # Suspensions are counted in school days and may be half days (a lunchtime suspension).
    days = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))])
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.pupil} from {self.start_date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.academic_year = academic_year_of(self.start_date)
        super().save(*args, **kwargs)


class BehaviourCount(models.Model):
    """How many behaviour incidents a pupil had in a term (schools count them in their MIS)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="behaviour_counts")
    academic_year = models.PositiveSmallIntegerField()
    term = models.PositiveSmallIntegerField(choices=Term.choices)
    incidents = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["academic_year", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year", "term"], name="one_behaviour_count_per_term"
            ),
        ]

    def __str__(self):
        return f"{self.pupil} {self.get_term_display()} {self.academic_year}: {self.incidents}"

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)


class Participation(models.Model):
    """A pupil's taking part in a club, a trip or a residential visit."""

    class Kind(models.TextChoices):
        CLUB = "club", "Club"
        TRIP = "trip", "Trip"
        RESIDENTIAL = "residential", "Residential visit"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="participation")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    activity = models.CharField(max_length=120, help_text="For example: Choir, Year 6 residential to PGL.")
    date = models.DateField(help_text="The date of the trip, or when the pupil joined the club.")
    academic_year = models.PositiveSmallIntegerField(editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "kind", "activity", "date"], name="one_participation_entry"
            ),
        ]

    def __str__(self):
        return f"{self.pupil}: {self.activity} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.academic_year = academic_year_of(self.date)
        super().save(*args, **kwargs)


class AttendanceYear(models.Model):
    """A whole year's sessions at one school, as a Common Transfer File carries them (YearData):
    the attendance a pupil brings from earlier schools, which has no termly breakdown."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="attendance_years")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    la_code = models.CharField("LA", max_length=3, blank=True)
    estab = models.CharField("establishment number", max_length=4, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    possible_sessions = models.PositiveSmallIntegerField()
    attended_sessions = models.PositiveSmallIntegerField()
    authorised_absence = models.PositiveSmallIntegerField(default=0)
    unauthorised_absence = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pupil", "academic_year", "la_code", "estab"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year", "la_code", "estab"], name="one_attendance_year_per_school"
            ),
            models.CheckConstraint(
                condition=Q(
                    possible_sessions__gte=F("attended_sessions")
                    + F("authorised_absence")
                    + F("unauthorised_absence")
                ),
                name="attendance_year_sessions_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} {self.year_label}: {self.attended_sessions}/{self.possible_sessions}"

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)
