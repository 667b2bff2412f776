"""The reports the SENCO writes and the head signs off: the SEF summary (its narrative per section,
the best-fit grade and every signed-off snapshot), the Appendix A prompt responses and the
Appendix B case studies. Figures are never stored here except in a sign-off snapshot, which keeps
the figures object as it was at sign-off so that a downloaded report never changes afterwards.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.scoping import PupilScopedQuerySet
from pupils.models import Pupil
from schools.models import School


class Grade(models.IntegerChoices):
    """Ofsted grades, with the SEND descriptors of seeds/002 Appendix A."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


GRADE_DESCRIPTORS = {
    Grade.OUTSTANDING: "Pupils consistently achieve highly, particularly the most disadvantaged. Pupils with "
    "SEND achieve exceptionally well.",
    Grade.GOOD: "Leaders adopt or construct a curriculum that is ambitious and designed to give all pupils, "
    "including pupils with SEND, the knowledge and cultural capital they need to succeed in life. The "
    "curriculum is successfully adapted, designed or developed to be ambitious and meet the needs of "
    "pupils with SEND, developing their knowledge, skills and abilities to apply what they know and can do "
    "with increasing fluency and independence. Pupils are ready for the next stage of education, "
    "employment or training. Pupils with SEND achieve the best possible outcomes.",
    Grade.REQUIRES_IMPROVEMENT: "The quality of education provided by the school is not good.",
    Grade.INADEQUATE: "Pupils with SEND do not benefit from a good-quality education. Expectations of them "
    "are low, and their needs are not accurately identified, assessed or met.",
}


class Framework(models.TextChoices):
    """The inspection framework a SEF is written against (reports.frameworks says what follows)."""

    RENEWED = "2025", "Renewed framework: report card (from November 2025)"
    EIF_2019 = "2019", "2019 framework with the Appendix A prompts"


RENEWED_FROM_YEAR = 2025


def default_framework(academic_year):
    """The renewed framework from 2025/26, the 2019 framework before."""
    return Framework.RENEWED if academic_year >= RENEWED_FROM_YEAR else Framework.EIF_2019


class Safeguarding(models.TextChoices):
    """The report card's safeguarding judgement: met or not met."""

    NOT_RECORDED = "", "Not yet recorded"
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"


class SchoolYearQuerySet(models.QuerySet):
    def for_membership(self, membership):
        """Rows of the membership's school only."""
        return self.filter(school_id=membership.school_id)


class SefReport(models.Model):
    """The working SEF summary of a school for one academic year: the SENCO's narrative per
    section and the school's best-fit grade. Figures are computed live (reports/sef.py)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sef_reports")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    framework = models.CharField(
        max_length=4,
        choices=Framework.choices,
        blank=True,
        help_text="Blank: the default for the year (the renewed framework from 2025/26).",
    )
    narrative = models.JSONField(default=dict, blank=True)
    # On the framework's scale: Grade under the 2019 framework, reports.frameworks.ReportCardGrade
    # (for inclusion) under the renewed one; reports.services checks it against the framework.
    grade = models.PositiveSmallIntegerField("best-fit grade", null=True, blank=True)
    grade_rationale = models.TextField("rationale for the grade", blank=True)
    safeguarding = models.CharField(max_length=8, choices=Safeguarding.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_sef_per_school_year"),
        ]

    def __str__(self):
        return f"SEF summary {self.academic_year} of {self.school}"

    @property
    def chosen_framework(self):
        return self.framework or default_framework(self.academic_year)

    @property
    def grade_label(self):
        """The grade as words, on the scale of the year's framework ("Good", "Strong standard")."""
        from .frameworks import grade_label  # reports.frameworks builds on this module

        return grade_label(self.chosen_framework, self.grade)


class SefSignOff(models.Model):
    """A signed-off SEF summary, kept as it was: the figures objects (full and governor) as JSON,
    the narrative and the grade at the moment the head signed it off."""

    report = models.ForeignKey(SefReport, on_delete=models.PROTECT, related_name="sign_offs")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    figures = models.JSONField()
    governor_figures = models.JSONField()
    narrative = models.JSONField(default=dict, blank=True)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)  # on the scale of figures.framework
    grade_rationale = models.TextField(blank=True)
    safeguarding = models.CharField(max_length=8, choices=Safeguarding.choices, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_name = models.CharField(max_length=200)
    signed_off_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_off_at"]
        get_latest_by = "signed_off_at"

    def __str__(self):
        return f"SEF summary {self.academic_year} of {self.school}, signed off {self.signed_off_at:%d/%m/%Y}"


class PromptStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    EVIDENCED = "evidenced", "Evidenced"
    ACTION_NEEDED = "action_needed", "Action needed"


class PromptResponse(models.Model):
    """The SENCO's response to one of the judgement prompts of a framework for a school year: the
    thirteen Appendix A prompts (2019) or the renewed framework's (reports.prompts)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    framework = models.CharField(max_length=4, choices=Framework.choices, default=Framework.EIF_2019)
    number = models.PositiveSmallIntegerField()
    response = models.TextField(blank=True)
    status = models.CharField(max_length=14, choices=PromptStatus.choices, default=PromptStatus.NOT_STARTED)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "framework", "number"],
                name="one_prompt_response_per_year_and_framework",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=20), name="prompt_number_1_to_20"
            ),
        ]

    def __str__(self):
        return f"Prompt {self.number} ({self.academic_year}) of {self.school}"


class CaseStudy(models.Model):
    """A case study of one pupil (seeds/002 Appendix B). Figures (placement, provision,
    attainment, attendance) come live from the pupil's record; the SENCO writes the rest."""

    pupil = models.OneToOneField(Pupil, on_delete=models.PROTECT, related_name="case_study")
    pupil_label = models.CharField(
        "pupil shown as",
        max_length=40,
        help_text='First name only, or "Pupil A". The surname is never printed.',
    )
    pen_portrait = models.TextField("pen portrait", blank=True)
    barriers = models.TextField("barriers to learning", blank=True)
    provision_notes = models.TextField(
        "provision and arrangements over time",
        blank=True,
        help_text="Mentoring, specialist teaching, transition, resources, work with parents, peer support.",
    )
    staff_skills = models.TextField("how the skills of staff were developed", blank=True)
    progress_summary = models.TextField(
        "progress summary", blank=True, help_text="Left blank, the sentence drafted from the data is printed."
    )
    other_outcomes = models.TextField(
        "this enabled the pupil to",
        blank=True,
        help_text="For example: catch up, access wave 2 provision, be removed from the SEND record.",
    )
    independence = models.TextField("independence, confidence and attitude to learning", blank=True)
    social_skills = models.TextField("social skills and relationships", blank=True)
    wider_impact = models.TextField("impact on wider school practice and provision", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pupil_label"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return f"Case study: {self.pupil_label}"


# -- Inspection case sampling, the pupil's journey and the SEN information report ----------------


class InspectionSample(models.Model):
    """The pupils the head or the SENCO has chosen for an inspection's case sampling in one
    academic year (reports.sampling says what the sample should include)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_sample_per_school_year"),
        ]

    def __str__(self):
        return f"Case sample {self.academic_year} of {self.school}"


class SampledPupil(models.Model):
    """One pupil of a sample. The position gives the pupil's letter in the anonymised journey
    (1 is "Pupil A") and never changes while the pupil stays in the sample."""

    sample = models.ForeignKey(InspectionSample, on_delete=models.CASCADE, related_name="entries")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "pupil"], name="pupil_once_per_sample"),
            models.UniqueConstraint(fields=["sample", "position"], name="one_pupil_per_sample_position"),
        ]

    def __str__(self):
        return f"{self.pupil} in {self.sample}"


class InformationReport(models.Model):
    """The SEN information report of a school for one academic year: per section, the text the
    SENCO keeps (`sections`) and the draft from the data it was last compared with (`drafts`).
    A section whose text differs from its draft has been edited and survives a new draft."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    sections = models.JSONField(default=dict, blank=True)
    drafts = models.JSONField(default=dict, blank=True)
    drafted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year"], name="one_information_report_per_school_year"
            ),
        ]

    def __str__(self):
        return f"SEN information report {self.academic_year} of {self.school}"
