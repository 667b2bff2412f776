"""The graduated approach, as a local authority asks to see it (issue 18).

- `AuthoritySettings`: per school, the local authority it applies to and the element 2 threshold
  (the £6,000 a year a school meets from its notional SEN budget before top-up funding).
- `ChecklistItem`: the authority's own list of what a request must contain, in its words, each
  tied to one check the product can make (or to "checked by hand").
- `Provision`: provision a pupil receives that is not an intervention run: in-class support
  hours, equipment, specialist visits, transport. Its cost a year is worked out by the database
  (graduated.costing) from the hours, weeks, rate and other costs recorded here.

Pupil-level rows are reached only through `Provision.objects.for_membership(membership)`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.scoping import PupilScopedQuerySet
from pupils.models import Pupil
from schools.models import School

ELEMENT_2_THRESHOLD = Decimal("6000")
MONEY = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class AuthoritySettings(models.Model):
    """What a school's requests to its local authority are measured against."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="authority_settings")
    local_authority = models.CharField(max_length=120, blank=True)
    element_2_threshold = models.DecimalField(
        "element 2 threshold (£ a year)",
        default=ELEMENT_2_THRESHOLD,
        help_text="What the school meets from its notional SEN budget for one pupil before the "
        "authority's top-up: £6,000 a year nationally.",
        **MONEY,
    )

    class Meta:
        verbose_name_plural = "authority settings"

    def __str__(self):
        return f"Authority settings of {self.school}"


class Requirement(models.TextChoices):
    """What a checklist item asks for, as the product can check it."""

    TWO_CYCLES = "two_cycles", "At least two reviewed assess-plan-do-review cycles"
    PARENT_VIEW = "parent_view", "The parents' view, recorded in the last term"
    PUPIL_VIEW = "pupil_view", "The pupil's view"
    AGENCY = "agency", "An outside agency involved"
    AGENCY_REPORT = "agency_report", "An outside agency's report in the evidence log"
    THRESHOLD = "threshold", "Costed provision at or above the element 2 threshold"
    INTERVENTION_IMPACT = "intervention_impact", "An intervention with baseline and exit scores"
    ATTENDANCE = "attendance", "Attendance for this year"
    ATTAINMENT = "attainment", "Attainment recorded this year"
    SUPPORT_SCALE = "support_scale", "Pupil Support Scale observations"
    MANUAL = "manual", "Checked by hand (the product cannot check it)"


class ChecklistItem(models.Model):
    """One item of the local authority's list of what a request must contain."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="authority_checklist")
    order = models.PositiveSmallIntegerField(default=0)
    wording = models.CharField("the authority's wording", max_length=300)
    requirement = models.CharField(
        "checked against", max_length=20, choices=Requirement.choices, default=Requirement.MANUAL
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.wording


class Provision(models.Model):
    """Provision for one pupil in one academic year, beyond the intervention runs.

    Cost a year = (hours a week x weeks x hourly rate + other costs) / pupils sharing it.
    """

    class Kind(models.TextChoices):
        IN_CLASS = "in_class", "In-class support"
        EQUIPMENT = "equipment", "Equipment"
        SPECIALIST = "specialist", "Specialist visits"
        TRANSPORT = "transport", "Transport"
        OTHER = "other", "Other provision"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="provision")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(
        max_length=200, help_text="For example: TA support in English and maths lessons."
    )
    hours_per_week = models.DecimalField(
        "hours a week",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    weeks = models.PositiveSmallIntegerField(
        "weeks in the year", default=0, validators=[MaxValueValidator(52)]
    )
    hourly_rate = models.DecimalField("hourly rate (£)", default=Decimal("0"), **MONEY)
    other_cost = models.DecimalField(
        "other costs in the year (£)",
        default=Decimal("0"),
        help_text="Equipment, visit fees, fares: what is paid in the year besides staff hours.",
        **MONEY,
    )
    shared_by = models.PositiveSmallIntegerField(
        "pupils sharing it",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text="1 when it is for this pupil alone; the cost is divided between those sharing it.",
    )
    ended = models.BooleanField(
        "no longer provided", default=False, help_text="Kept in the record, left out of the costs."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "description", "pk"]
        indexes = [models.Index(fields=["pupil", "academic_year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared_by__gte=1), name="provision_shared_by_one_or_more"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.pupil}: {self.description}"
