"""National comparators a school reads its figures against, and the findings it keeps with each
year's review of the key questions of seeds/002 Part One."""

from django.conf import settings
from django.db import models

from core.figures import Share
from schools.models import School


class Measure(models.TextChoices):
    RWM_EXPECTED = "rwm_expected", "Reading, writing and maths: expected standard"
    RWM_HIGHER = "rwm_higher", "Reading, writing and maths: higher standard"
    READ_EXPECTED = "read_expected", "Reading: expected standard"
    WRIT_EXPECTED = "writ_expected", "Writing (teacher assessment): expected standard"
    MAT_EXPECTED = "mat_expected", "Maths: expected standard"
    GPS_EXPECTED = "gps_expected", "Grammar, punctuation and spelling: expected standard"
    READ_PROGRESS = "read_progress", "Reading: average progress score"
    WRIT_PROGRESS = "writ_progress", "Writing: average progress score"
    MAT_PROGRESS = "mat_progress", "Maths: average progress score"


class ComparatorGroup(models.TextChoices):
    ALL = "all", "All pupils"
    NO_SEN = "N", "No SEN"
    SEN_SUPPORT = "K", "SEN support"
    EHCP = "E", "EHC plan"
    ALL_SEN = "send", "All SEN"
    SPLD = "SPLD", "SPLD"
    MLD = "MLD", "MLD"
    SLD = "SLD", "SLD"
    PMLD = "PMLD", "PMLD"
    SEMH = "SEMH", "SEMH"
    SLCN = "SLCN", "SLCN"
    HI = "HI", "HI"
    VI = "VI", "VI"
    MSI = "MSI", "MSI"
    PD = "PD", "PD"
    ASD = "ASD", "ASD"
    OTH = "OTH", "OTH"
    NSA = "NSA", "NSA"


class NationalComparator(models.Model):
    """One national figure: for an academic year, a measure and a group of pupils.

    A share is kept as its counts (numerator of denominator pupils) so that it is shown like the
    school's own figures; an average (a progress score) as `value`. A cell the DfE suppressed or
    did not publish (x, z, c, blank) stays NULL, never zero.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="national_comparators")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    group = models.CharField(max_length=4, choices=ComparatorGroup.choices)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    percent = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, help_text="As published, when no counts are."
    )
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-academic_year", "measure", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "measure", "group"], name="one_comparator_per_cell"
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} · {self.get_group_display()} · {self.academic_year}"

    @property
    def figure(self):
        """As shown: "69% (365820/530964)", an average, or "not published"."""
        if self.value is not None:
            return str(self.value)
        if self.numerator is not None and self.denominator:
            return str(Share.of(self.numerator, self.denominator))
        return "not published"


class KeyQuestion(models.TextChoices):
    A = "A", "A: vulnerable groups and movement on the SEN record"
    B = "B", "B: attainment and progress against other groups and nationally"
    C = "C", "C: attainment and progress of groups with SEND this term"
    D = "D", "D: individual pupils against their targets"
    E = "E", "E to H: attendance, exclusions and participation"


class Finding(models.Model):
    """What the SENCO concludes for one key question in one academic year, drafted from the
    figures and then edited by hand."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="gap_findings")
    academic_year = models.PositiveSmallIntegerField()
    key_question = models.CharField(max_length=1, choices=KeyQuestion.choices)
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["academic_year", "key_question"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "key_question"], name="one_finding_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.academic_year} {self.key_question}"
