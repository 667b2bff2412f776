"""The trust comparison's rollup: each school's figures for each academic year, as counts, so
that one query reads every school of an organisation. `trusts.services.rollup_refresh` writes
them from the live calculation (`trusts.figures.school_year_figures`) after every change to the
figures they are made of; the page hides small groups when it reads them (core.disclosure)."""

from django.db import models
from django.utils import timezone

from schools.models import School

# The counts of one school and year, named as trusts.figures computes them. f_ is the focus
# group (pupils with SEND: SEN support and EHC plan), r_ everyone else (no SEN).
COUNT_FIELDS = (
    # Pupils on roll now by SEN status today (current academic year only).
    "pupils",
    "send",
    "ehcp",
    # Assessments in the core subjects at the year's point, at or above the headline
    # attainment line, and with expected progress or better (the headline progress line).
    "att_f_n",
    "att_f_ok",
    "att_r_n",
    "att_r_ok",
    "prog_f_n",
    "prog_f_ok",
    "prog_r_n",
    "prog_r_ok",
    # Pupils with attendance in the year, persistently absent, on roll, suspended.
    "pa_f_n",
    "pa_f",
    "pa_r_n",
    "pa_r",
    "susp_f_n",
    "susp_f",
    "susp_r_n",
    "susp_r",
    # Interventions of runs starting in the year: pupil places, exits judged and met.
    "iv_places",
    "iv_judged",
    "iv_met",
)


class SchoolYearFigures(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="year_figures")
    academic_year = models.PositiveSmallIntegerField()
    point_name = models.CharField(max_length=60, blank=True, help_text="The point the attainment is at")
    pupils = models.PositiveIntegerField(null=True)
    send = models.PositiveIntegerField(null=True)
    ehcp = models.PositiveIntegerField(null=True)
    att_f_n = models.PositiveIntegerField(default=0)
    att_f_ok = models.PositiveIntegerField(default=0)
    att_r_n = models.PositiveIntegerField(default=0)
    att_r_ok = models.PositiveIntegerField(default=0)
    prog_f_n = models.PositiveIntegerField(default=0)
    prog_f_ok = models.PositiveIntegerField(default=0)
    prog_r_n = models.PositiveIntegerField(default=0)
    prog_r_ok = models.PositiveIntegerField(default=0)
    pa_f_n = models.PositiveIntegerField(default=0)
    pa_f = models.PositiveIntegerField(default=0)
    pa_r_n = models.PositiveIntegerField(default=0)
    pa_r = models.PositiveIntegerField(default=0)
    susp_f_n = models.PositiveIntegerField(default=0)
    susp_f = models.PositiveIntegerField(default=0)
    susp_r_n = models.PositiveIntegerField(default=0)
    susp_r = models.PositiveIntegerField(default=0)
    iv_places = models.PositiveIntegerField(default=0)
    iv_judged = models.PositiveIntegerField(default=0)
    iv_met = models.PositiveIntegerField(default=0)
    iv_cost = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    refreshed_at = models.DateTimeField(
        default=timezone.now, help_text="When the refresh that wrote the row began reading the figures."
    )

    class Meta:
        ordering = ["school", "academic_year"]
        verbose_name_plural = "school year figures"
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_rollup_per_school_year"),
        ]

    def __str__(self):
        return f"{self.school} {self.academic_year}"

    def as_dict(self):
        """The figures as trusts.figures computes them, for comparing with the live calculation."""
        return {
            "point_name": self.point_name,
            "iv_cost": self.iv_cost,
            **{f: getattr(self, f) for f in COUNT_FIELDS},
        }
