"""What "at or above ARE" and "expected progress or better" mean, defined once for every figure.

A school's attainment bands and its progress bands are each an ordered scale (`Scale`). Each
scale has a threshold: the lowest band that meets the line. Today the threshold is the band just
above the lowest, so every band above the lowest counts: with Below / On track / Exceeded, On
track and Exceeded are at or above ARE; with WTS / EXS / GDS, EXS and GDS are. (Issue 13 will let
a scheme choose the threshold band of each line; only `Scale.of` then changes, from "the second
band" to the band the scheme marks.)

    bands = Bands.of_school(school.pk)  # two queries: the attainment bands, the progress bands
    Assessment.objects.filter(...).aggregate(
        assessed=Count("pk", filter=bands.has_attainment),
        at_or_above=Count("pk", filter=bands.at_or_above_are),
    )

The `Q` objects test the band's id against a list, so no join to the band table is needed.

**Archived pupils.** A figure about an assessment point counts every pupil assessed at that
point, including pupils who have left (been archived) since. They were on the school's roll at
that point and part of its cohort; a school's figure for last summer must not change because
some of those pupils have moved on, and the trend over three years is only fair if each point
keeps its own cohort. `assessments_at(point_ids)` is that set of assessments. A leaver's year
group stopped when they left, so figures by year group use `year_group_now()`, the year group
the pupil is in now or would be in had they stayed.
"""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from core.calendar import current_academic_year

from .models import Assessment, AttainmentBand, ProgressBand


@dataclass(frozen=True)
class Scale:
    """One ordered scale of a school's scheme: its bands, lowest first, and its threshold, the
    order of the lowest band that meets the line (None when no band does)."""

    bands: tuple
    threshold: int | None

    @classmethod
    def of(cls, bands):
        """The scale of `bands` (in any order) with today's rule: every band above the lowest
        meets the line."""
        ordered = tuple(sorted(bands, key=lambda b: b.order))
        return cls(ordered, ordered[1].order if len(ordered) > 1 else None)

    @property
    def lowest(self):
        return self.bands[0] if self.bands else None

    @property
    def meeting(self):
        """The bands at or above the threshold."""
        if self.threshold is None:
            return ()
        return tuple(b for b in self.bands if b.order >= self.threshold)

    def meets(self, field):
        """`Q` for rows whose `field` (a foreign key to this scale's bands) meets the line."""
        ids = [b.pk for b in self.meeting]
        # With no band over the line nothing meets it: a condition no saved row satisfies.
        return Q(**{f"{field}_id__in": ids}) if ids else Q(pk__isnull=True)


@dataclass(frozen=True)
class Bands:
    """A school's two scales, with the conditions every figure of attainment and progress uses.
    The conditions apply to `Assessment` rows."""

    attainment: Scale
    progress: Scale

    @classmethod
    def of_school(cls, school_id):
        """The school's bands, in two queries."""
        return cls(
            Scale.of(AttainmentBand.objects.filter(school_id=school_id)),
            Scale.of(ProgressBand.objects.filter(school_id=school_id)),
        )

    @property
    def at_or_above_are(self):
        """Attainment at or above age-related expectations."""
        return self.attainment.meets("attainment")

    @property
    def expected_progress(self):
        """Expected progress or better."""
        return self.progress.meets("progress")

    # The denominators: assessments with a band recorded on that scale.
    has_attainment = Q(attainment__isnull=False)
    has_progress = Q(progress__isnull=False)


def assessments_at(point_ids):
    """The assessments recorded at these points (a school's own points, so the pupils are that
    school's), archived pupils included: the cohort of each point as it was."""
    return Assessment.objects.filter(point_id__in=point_ids)


def year_group_now(prefix="pupil__"):
    """The pupil's year group now, as an expression: the recorded year group for a pupil on roll;
    for a leaver, the year group recorded when they left moved on by the academic years since
    (a pupil who left Year 6 in July 2025 counts as Year 7 in 2025/26), so that at any earlier
    point they fall in the year group they were in then."""
    left = F(f"{prefix}archived_at")
    left_in = Case(
        When(**{f"{prefix}archived_at__month__gte": 9}, then=ExtractYear(left)),
        default=ExtractYear(left) - 1,
        output_field=IntegerField(),
    )
    return Case(
        When(
            **{f"{prefix}archived_at__isnull": False},
            then=F(f"{prefix}year_group") + Value(current_academic_year()) - left_in,
        ),
        default=F(f"{prefix}year_group"),
        output_field=IntegerField(),
    )
