"""A school's own assessment scheme and the termly teacher assessments recorded against it.

Every school chooses its points in the year, subjects, attainment bands (below / on track /
exceeded ARE by default, or WTS / EXS / GDS, or its own), progress bands, and an optional
numeric measure such as APS points, scaled scores or steps.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.calendar import academic_year_label, academic_year_of, current_academic_year
from core.scoping import PupilScopedQuerySet
from pupils.models import Pupil
from schools.models import School


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
    # A subject with assessments is retired rather than deleted: it leaves the grid and the
    # editor's active list, and its data stays for history and gap analysis.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["retired", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_subject_per_school")]

    def __str__(self):
        return self.name


class Band(models.Model):
    """One step of an ordered scale. `code` is what a SENCO types in the grid.

    A band with a `line_name` is the lowest band of a cumulative line of the school's scheme:
    the line counts that band and every band above it ("good or outstanding progress" from
    Good). The line of the lowest such band is the scale's headline line, the one gaps are
    worked out on (assessment.bands)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=4)
    label = models.CharField(max_length=60)
    line_name = models.CharField(
        "line from this band up",
        max_length=60,
        blank=True,
        help_text="Name a line that counts this band and every band above it, as it reads after "
        "a figure: “at or above ARE”, “good or outstanding progress”. Leave blank for no line.",
    )

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


class Framework(models.Model):
    """An assessment framework a school keeps beside its main scheme (the bands and measure
    above), for pupils whom the main scheme cannot show making progress: the pre-key stage
    standards, small steps the school defines, a standardised test, reading or spelling ages,
    the Engagement Model (assessment.frameworks reads values and judges progress on each).

    A framework is data the SENCO edits, like the bands. Values recorded on it keep their stage
    and step (or score), so renaming a stage or adding steps keeps old records readable."""

    class Kind(models.TextChoices):
        STANDARDS = "standards", "Pre-key stage standards"
        STEPS = "steps", "Small steps"
        SCORE = "score", "Standardised scores"
        AGE = "age", "Reading or spelling age"
        ENGAGEMENT = "engagement", "Engagement Model"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="frameworks")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(
        max_length=80, help_text="As staff call it: “Pre-key stage 2 standards”, “Reading age”."
    )
    test_name = models.CharField(
        "test",
        max_length=80,
        blank=True,
        help_text="The standardised or reading test's name, for scores and ages.",
    )
    expected_per_year = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Standards or steps a pupil is expected to gain in a year; months of reading or "
        "spelling age (12 is a month for each month); for scores, the points a score may fall in a "
        "year and still count as steady (standardised scores hold steady with typical progress).",
    )
    value_min = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, help_text="The lowest score, or age in months."
    )
    value_max = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, help_text="The highest score, or age (months)."
    )
    impact_bands = models.JSONField(
        default=list,
        blank=True,
        help_text="For ages: [lowest ratio gain, words] pairs, lowest first, naming a ratio gain's impact.",
    )
    below_main = models.BooleanField(
        "below the main scheme",
        default=True,
        help_text="Pupils assessed on this framework count as below ARE in the school's attainment figures.",
    )
    retired = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["retired", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_framework_name")]

    def __str__(self):
        return self.name

    @property
    def ordered(self):
        """Whether values are stages and steps on an ordered scale (standards, small steps)."""
        return self.kind in (self.Kind.STANDARDS, self.Kind.STEPS)

    @property
    def numeric(self):
        """Whether values are numbers: a score, or an age kept in months."""
        return self.kind in (self.Kind.SCORE, self.Kind.AGE)


class FrameworkStage(models.Model):
    """One stage of an ordered framework: a pre-key stage standard (one step), or a stage of
    small steps that the school splits into `steps`. Typed in the grid as its code ("PK4"), or
    its code, a dot and the step ("S2.3") when it has more than one step."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=6)
    name = models.CharField(max_length=80)
    steps = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # The steps of every stage before this one: a value's place on the framework is
    # `offset + step`, which steps gained are counted on (kept by frameworks.renumber).
    offset = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_stage_code"),
            models.UniqueConstraint(fields=["framework", "order"], name="unique_stage_order"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class FrameworkPlacement(models.Model):
    """From `starts_on`, `pupil` is assessed in `subject` on `framework` (None: the school's main
    scheme again). The placement in force at a point is the latest one starting on or before the
    point's as-at date; earlier placements stay, so a pupil who moves keeps both records."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="framework_placements")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="framework_placements")
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    starts_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pupil", "subject", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "subject", "starts_on"], name="one_placement_a_day")
        ]
        indexes = [models.Index(fields=["pupil", "subject", "starts_on"], name="placement_lookup")]

    def __str__(self):
        return f"{self.pupil} {self.subject} from {self.starts_on}: {self.framework or 'main scheme'}"


class EngagementArea(models.TextChoices):
    """The Engagement Model's five areas (DfE, 2020). None leads; they are not a ladder."""

    EXPLORATION = "exploration", "Exploration"
    REALISATION = "realisation", "Realisation"
    ANTICIPATION = "anticipation", "Anticipation"
    PERSISTENCE = "persistence", "Persistence"
    INITIATION = "initiation", "Initiation"


class Established(models.IntegerChoices):
    """How established a pupil's engagement in an area was when observed: the model measures
    progress in each area this way, never as a score across areas."""

    NOT_SEEN = 0, "Not yet seen"
    EMERGING = 1, "Emerging"
    DEVELOPING = 2, "Developing"
    ESTABLISHED = 3, "Established"


class EngagementObservation(models.Model):
    """A dated observation of a pupil assessed on the Engagement Model, in one area."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="engagement_observations")
    observed_on = models.DateField()
    area = models.CharField(max_length=12, choices=EngagementArea.choices)
    established = models.PositiveSmallIntegerField(choices=Established.choices)
    note = models.CharField(max_length=500, help_text="What was seen, in a sentence or two.")
    outcome = models.CharField(
        "outcome worked towards",
        max_length=200,
        blank=True,
        help_text="The pupil's outcome it shows progress towards.",
    )
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["observed_on", "pk"]
        indexes = [models.Index(fields=["pupil", "observed_on"], name="engagement_by_pupil")]

    def __str__(self):
        return f"{self.pupil} {self.get_area_display()} on {self.observed_on}"


class StatutoryOutcome(models.Model):
    """The outcome a school reports at the end of key stage 1 or 2 for a pupil working below the
    national curriculum tests in a subject: a pre-key stage standard, or the Engagement Model."""

    class KeyStage(models.IntegerChoices):
        KS1 = 1, "Key stage 1"
        KS2 = 2, "Key stage 2"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="statutory_outcomes")
    key_stage = models.PositiveSmallIntegerField(choices=KeyStage.choices)
    academic_year = models.PositiveSmallIntegerField()
    subject = models.CharField(
        max_length=20, help_text="The statutory subject: reading, writing, maths, science."
    )
    outcome = models.CharField(
        max_length=4,
        help_text="The code reported: PK1 to PK4 (key stage 1), PK1 to PK6 (key stage 2), or EM.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["key_stage", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "key_stage", "subject"], name="one_outcome_per_subject")
        ]

    def __str__(self):
        return f"{self.pupil} KS{self.key_stage} {self.subject}: {self.outcome}"


def point_as_at(academic_year, starts_on, next_starts_on):
    """The as-at date of a point: the last day of its period, the day before the next point of
    the same academic year starts, or 31 August for the year's last point (`next_starts_on`
    None). Never before the point's own start, should the next point be dated wrongly."""
    if next_starts_on is None:
        return datetime.date(academic_year + 1, 8, 31)
    return max(starts_on, next_starts_on - datetime.timedelta(days=1))


class AssessmentPointQuerySet(models.QuerySet):
    def with_next_start(self):
        """Each point with `next_starts_on`, the start of the next point of its school's year
        (None for the last), in the same query, so that `as_at` needs no query of its own."""
        following = AssessmentPoint.objects.filter(
            school_id=OuterRef("school_id"),
            academic_year=OuterRef("academic_year"),
            order__gt=OuterRef("order"),
        ).order_by("order")
        return self.annotate(next_starts_on=Subquery(following.values("starts_on")[:1]))


class AssessmentPoint(models.Model):
    """A point in the year when teachers assess, such as "Autumn 2" of 2025/26.

    **As-at date.** Figures about a point take each pupil's SEN status as it stood on the point's
    `as_at` date: the last day of the point's period (the day before the school's next point of
    the year starts; 31 August for the year's last point). Teachers record a point's
    assessments at the end of its period, so that is the status the pupil had when assessed: a
    pupil placed on SEN support in January is not SEND in the autumn grid, and is in spring's.
    A date in the future (the point now under way) gives the status today, since no change on
    the SEN record may be dated in the future (pupils.services).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessment_points")
    academic_year = models.PositiveSmallIntegerField(help_text="Year the academic year starts")
    order = models.PositiveSmallIntegerField(help_text="1 for the first point of the year")
    name = models.CharField(max_length=40)
    starts_on = models.DateField(
        help_text="The first day of the term or half term; the grid opens at the latest point started."
    )

    objects = AssessmentPointQuerySet.as_manager()

    class Meta:
        ordering = ["academic_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year", "order"], name="unique_point_order"),
            models.UniqueConstraint(fields=["school", "academic_year", "name"], name="unique_point_name"),
        ]

    def __str__(self):
        return f"{self.name} {academic_year_label(self.academic_year)}"

    @property
    def as_at(self):
        """The date a pupil's SEN status is taken at for this point (see the class docstring).
        Read with `with_next_start()` it costs nothing; otherwise one query, kept."""
        if not hasattr(self, "next_starts_on"):
            following = AssessmentPoint.objects.filter(
                school_id=self.school_id, academic_year=self.academic_year, order__gt=self.order
            ).order_by("order")
            self.next_starts_on = following.values_list("starts_on", flat=True).first()
        return point_as_at(self.academic_year, self.starts_on, self.next_starts_on)


def year_group_in(pupil, academic_year):
    """The year group `pupil` was (or will be) in during `academic_year`: the recorded year group
    moved by the years between, counted from this academic year for a pupil on roll and from the
    year they left for a pupil who has left (whose year group stopped then; assessment.bands)."""
    if pupil.archived_at is None:
        recorded_in = current_academic_year()
    else:
        recorded_in = academic_year_of(timezone.localtime(pupil.archived_at).date())
    return pupil.year_group + academic_year - recorded_in


class Assessment(models.Model):
    """One pupil's teacher assessment in one subject at one point.

    `year_group` is the pupil's year group in the point's academic year, written when the row is
    created (`year_group_in`) and never moved after: figures by year group at a point read it, so
    a pupil who repeated or skipped a year counts in the year group they were taught in then.
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="assessments")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.PROTECT, related_name="assessments")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assessments")
    attainment = models.ForeignKey(AttainmentBand, on_delete=models.PROTECT, null=True, blank=True)
    progress = models.ForeignKey(ProgressBand, on_delete=models.PROTECT, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # A cell on one of the school's other frameworks (assessment.frameworks): the framework it
    # was recorded on, and its value there: a stage and step (`place` is the stage's offset plus
    # the step), or a score or age in months. Progress on the framework since the pupil's
    # baseline (the first point of the year on it, or their first on it) is kept beside it by
    # `frameworks.progress_refresh`, so that cohort figures count it in one aggregate.
    framework = models.ForeignKey(
        "Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    stage = models.ForeignKey(
        FrameworkStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    gained = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months from the framework baseline to this point."
    )
    expected_met = models.BooleanField(null=True, blank=True)
    year_group = models.SmallIntegerField(help_text="The pupil's year group in the point's academic year.")
    # Raised by one on every save: the grid sends back the version it loaded, so a save over
    # someone else's newer value is detected rather than silently overwriting it.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "point", "subject"], name="one_assessment_per_cell")
        ]
        indexes = [models.Index(fields=["point", "subject"])]

    def __str__(self):
        return f"{self.pupil} {self.subject} {self.point}"


class Target(models.Model):
    """A pupil's target in one subject: for the end of an academic year or of the key stage."""

    class Kind(models.TextChoices):
        END_OF_YEAR = "year", "End of year"
        END_OF_KEY_STAGE = "ks", "End of key stage"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="targets")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    academic_year = models.PositiveSmallIntegerField(
        help_text="The academic year the target is for: this year, or the last year of the key stage."
    )
    attainment = models.ForeignKey(AttainmentBand, on_delete=models.PROTECT, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # A target on the framework the pupil is assessed on in the subject (assessment.frameworks),
    # kept as the grid keeps a value there: a stage and step with its `place`, or a score or an
    # age in months. Such a target has no band or points; judged on the same framework only.
    framework = models.ForeignKey(
        "Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="targets"
    )
    stage = models.ForeignKey(
        FrameworkStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["subject__order", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "subject", "kind", "academic_year"], name="one_target_per_kind"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(framework__isnull=True)
                    & (models.Q(attainment__isnull=False) | models.Q(points__isnull=False))
                )
                | (
                    models.Q(framework__isnull=False, attainment__isnull=True, points__isnull=True)
                    & (models.Q(place__isnull=False) | models.Q(score__isnull=False))
                ),
                name="target_has_a_value",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} {self.subject} {self.get_kind_display()}"


class SupportLevel(models.IntegerChoices):
    """The Pupil Support Scale (seeds/004, Hamwic Trust): small steps towards independence."""

    CORRECTING = 1, "1 Correcting"
    MODELLING = 2, "2 Modelling"
    CUEING = 3, "3 Cueing"
    PROMPTING = 4, "4 Prompting"
    SELF_SCAFFOLDING = 5, "5 Self-scaffolding"
    INDEPENDENCE = 6, "6 Independence"


SUPPORT_LEVEL_MEANING = {
    1: "requires intensive support",
    2: "requires substantial support",
    3: "requires moderate support",
    4: "requires some support",
    5: "self-scaffolding with good resources",
    6: "requires no support",
}


class SupportObservation(models.Model):
    """One observation of how much support a pupil needed, on the Pupil Support Scale."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="support_observations")
    observed_on = models.DateField()
    level = models.PositiveSmallIntegerField(
        choices=SupportLevel.choices, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="support_observations"
    )
    context = models.CharField(
        max_length=80, blank=True, help_text="Where it was seen when not a subject: playtime, lunch, a trip."
    )
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["observed_on", "pk"]
        indexes = [models.Index(fields=["pupil", "observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=6), name="support_level_1_to_6"
            )
        ]

    def __str__(self):
        return f"{self.pupil} {self.get_level_display()} on {self.observed_on}"

    @property
    def meaning(self):
        return SUPPORT_LEVEL_MEANING[self.level]
