"""Interventions, their runs, and what each pupil in a run achieved (seeds/002 Parts Three and
Four, Appendix C), plus the school's SEND action plan.

A teaching assistant's access to pupils is through the runs they deliver (`InterventionRun.staff`,
`InterventionPlace`): see Pupil.objects.for_membership.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from assessment.models import AssessmentPoint, Subject
from core import policy
from core.policy import Scope
from core.scoping import PupilScopedQuerySet
from pupils.models import AreaOfNeed, Pupil
from schools.models import School

MONEY = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
SCORE = {"max_digits": 7, "decimal_places": 1, "null": True, "blank": True}
SCORES = ("baseline", "exit_score")  # a place's scores on its intervention's measure


class Intervention(models.Model):
    """An entry of the school's intervention catalogue."""

    class Wave(models.IntegerChoices):
        QUALITY_FIRST = 1, "Wave 1 — quality-first teaching"
        GROUP = 2, "Wave 2 — group"
        INDIVIDUAL = 3, "Wave 3 — individual"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="interventions")
    name = models.CharField(max_length=120)
    area_of_need = models.CharField(max_length=4, choices=AreaOfNeed.choices, blank=True)
    wave = models.PositiveSmallIntegerField(choices=Wave.choices, default=Wave.GROUP)
    description = models.TextField(blank=True)
    evidence_url = models.URLField(
        "evidence base link", blank=True, help_text="For example the EEF Teaching and Learning Toolkit entry."
    )
    evidence_summary = models.CharField("evidence base", max_length=300, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions_led",
        help_text="The member of staff who organises the intervention.",
    )
    deliverers = models.CharField(
        "delivered by", max_length=200, blank=True, help_text="For example: trained teaching assistant, HLTA."
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        help_text="The class subject of the termly grid this intervention should move.",
    )
    measure_name = models.CharField(
        "measure", max_length=80, blank=True, help_text="What the baseline and exit scores count."
    )
    measure_min = models.DecimalField(
        "lowest score",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="The lowest score the measure gives, for example 0.",
    )
    measure_max = models.DecimalField(
        "highest score",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="The highest score the measure gives, for example 40 for a check of 40 words.",
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        "session length (minutes)", default=30, validators=[MinValueValidator(5), MaxValueValidator(300)]
    )
    weeks = models.PositiveSmallIntegerField(
        "weeks needed", default=10, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    group_size = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    staff_hourly_rate = models.DecimalField("staff hourly rate (£)", default=Decimal("0"), **MONEY)
    resources_cost = models.DecimalField(
        "resources per run (£)",
        default=Decimal("0"),
        help_text="Books, kits and licences for one run.",
        **MONEY,
    )
    entry_criteria = models.TextField(blank=True)
    exit_criteria = models.TextField(blank=True)
    group_target = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_intervention_name"),
            models.CheckConstraint(
                condition=models.Q(measure_min__isnull=True)
                | models.Q(measure_max__isnull=True)
                | models.Q(measure_max__gt=models.F("measure_min")),
                name="measure_max_above_min",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        low, high = self.measure_min, self.measure_max
        if low is not None and high is not None and high <= low:
            raise ValidationError({"measure_max": "The highest score must be above the lowest."})

    @property
    def score_range(self):
        """The measure's range in words: "0 to 40", "0 or more", "up to 40", or "" when open."""
        low, high = self.measure_min, self.measure_max
        if low is not None and high is not None:
            return f"{plain(low)} to {plain(high)}"
        if low is not None:
            return f"{plain(low)} or more"
        if high is not None:
            return f"up to {plain(high)}"
        return ""

    @property
    def measure_label(self):
        """The measure as a reader sees it: its name and range, e.g. "words read (0 to 40)"."""
        name = self.measure_name or "measure not named"
        return f"{name} ({self.score_range})" if self.score_range else name

    def score_problem(self, score):
        """Why `score` cannot be a score on this intervention's measure, or "" if it can."""
        low, high = self.measure_min, self.measure_max
        if score is None:
            return ""
        score = Decimal(str(score))
        if not score.is_finite():
            return "Enter a number."
        if (low is None or score >= low) and (high is None or score <= high):
            return ""
        measure = f"“{self.measure_name}”" if self.measure_name else "this intervention's measure"
        return f"{plain(score)} is outside the range of {measure}: enter a score from {self.score_range}."

    @property
    def planned_hours(self):
        """Hours of one run as planned: sessions a week x weeks x session length."""
        return Decimal(self.sessions_per_week * self.weeks * self.session_minutes) / 60

    @property
    def planned_cost(self):
        return self.staff_hourly_rate * self.planned_hours + self.resources_cost


def plain(number):
    """A score as typed: 40 rather than 40.0, 12.5 as it is."""
    number = Decimal(str(number))
    return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)


class InterventionRunQuerySet(models.QuerySet):
    def for_membership(self, membership):
        """Runs this membership may open, by its pupil scope (core.policy): every run of the
        school for those who see every pupil, the runs they deliver for a teaching assistant, the
        runs with a pupil of their classes for a teacher, none for anyone else."""
        scope = policy.pupil_scope(membership)
        if scope is Scope.NONE:
            return self.none()
        qs = self.filter(intervention__school_id=membership.school_id)
        if scope is Scope.EVERY_PUPIL:
            return qs
        if scope is Scope.GROUPS:
            return qs.filter(staff=membership.user)
        return qs.filter(pk__in=InterventionPlace.objects.for_membership(membership).values("run_id"))


class InterventionRun(models.Model):
    """One run of an intervention: dates, the staff who deliver it and its group of pupils."""

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="runs")
    label = models.CharField(max_length=60, blank=True, help_text="For example: Year 3 group A.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="runs_delivered")
    pupils = models.ManyToManyField(Pupil, through="InterventionPlace", related_name="runs")
    baseline_point = models.ForeignKey(
        AssessmentPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="termly grid point before",
        help_text="The grid point before the run, to see whether class-subject progress moved.",
    )
    review_point = models.ForeignKey(
        AssessmentPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="termly grid point after",
    )
    evaluation = models.TextField("evaluation of the intervention", blank=True)
    next_steps = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["staff"])
    objects = InterventionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="run_ends_after_it_starts",
            )
        ]

    def __str__(self):
        label = f" ({self.label})" if self.label else ""
        return f"{self.intervention}{label} from {self.start_date:%d/%m/%Y}"


class InterventionPlace(models.Model):
    """A pupil in a run, with the Appendix C tracker: entry data, baseline, exit, progress."""

    run = models.ForeignKey(InterventionRun, on_delete=models.PROTECT, related_name="places")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="intervention_places")
    entry_data = models.TextField(
        blank=True, help_text='In words, e.g. "can read 2 high-frequency words from the Year 1 list".'
    )
    baseline = models.DecimalField("baseline score", **SCORE)
    exit_score = models.DecimalField(**SCORE)
    exit_criteria_met = models.BooleanField(null=True, blank=True)
    progress_details = models.TextField("details of progress", blank=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "pupil"], name="one_place_per_pupil_per_run"),
        ]

    def __str__(self):
        return f"{self.pupil} in {self.run}"

    def clean(self):
        problems = {name: self.run.intervention.score_problem(getattr(self, name)) for name in SCORES}
        if any(problems.values()):
            raise ValidationError({name: problem for name, problem in problems.items() if problem})


class Checkpoint(models.Model):
    """A pupil's score on the intervention's measure at the end of a chosen week."""

    place = models.ForeignKey(InterventionPlace, on_delete=models.PROTECT, related_name="checkpoints")
    week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])
    score = models.DecimalField(max_digits=7, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["week"]
        constraints = [models.UniqueConstraint(fields=["place", "week"], name="one_checkpoint_per_week")]

    def __str__(self):
        return f"{self.place}: week {self.week}"

    def clean(self):
        problem = self.place.run.intervention.score_problem(self.score)
        if problem:
            raise ValidationError({"score": problem})


class InterventionSession(models.Model):
    """One session delivered to a run's group."""

    run = models.ForeignKey(InterventionRun, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(300)])
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["run", "date"], name="one_session_per_run_per_day")]

    def __str__(self):
        return f"{self.run}: session on {self.date:%d/%m/%Y}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(InterventionSession, on_delete=models.CASCADE, related_name="attendance")
    place = models.ForeignKey(InterventionPlace, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "place"], name="one_mark_per_session")]

    def __str__(self):
        return f"{self.place}: {'present' if self.present else 'absent'} on {self.session.date:%d/%m/%Y}"


class Priority(models.Model):
    """A priority of the SEND action plan, typed in or drawn from a gap."""

    class Source(models.TextChoices):
        TYPED = "typed", "Typed in"
        GAP = "gap", "From the gap analysis"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="send_priorities")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.TYPED)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class Action(models.Model):
    class Phase(models.TextChoices):
        EXPLORE = "explore", "Explore"
        PREPARE = "prepare", "Prepare"
        DELIVER = "deliver", "Deliver"
        SUSTAIN = "sustain", "Sustain"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Stopped"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=120)
    success_criteria = models.TextField()
    review_date = models.DateField()
    phase = models.CharField("EEF phase", max_length=8, choices=Phase.choices, default=Phase.EXPLORE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    review = models.TextField("review: what worked", blank=True)

    class Meta:
        ordering = ["review_date", "pk"]

    def __str__(self):
        return self.description
