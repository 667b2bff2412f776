"""What every gap screen shares: the school's scheme, who the figures count, the direction of a
gap, and the few ways rows are grouped.

Figures name no pupil, so they are computed over all the school's pupils whoever reads them; a
governor or trust lead then sees them suppressed under the school's threshold. Figures about an
assessment point count every pupil assessed at it, including pupils who have left since (the
rule of assessment.bands), by their SEN status as at the point (or today's, with the current
cohort basis: gaps.cohort) and the year group stored with the assessment; figures about pupils
now (groups, attendance, exclusions and participation) count the pupils on roll by their status
today. Lists of pupils (initials, the watch list, pupils in several groups) come only
through `Pupil.objects.for_membership`, and only for staff who see pupils.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, DecimalField, ExpressionWrapper, F, FilteredRelation, Q

from assessment.bands import Bands, assessments_at
from assessment.models import Subject
from core.figures import Share, one_decimal, percent
from core.gap_direction import gap_direction
from pupils.models import YEAR_GROUPS, AreaOfNeed, Pupil

YEAR_LABELS = dict(YEAR_GROUPS)
NEED_LABELS = {code: label.split(" — ", 1)[1] for code, label in AreaOfNeed.choices}


def school_pupils(membership):
    """The school's pupils on roll, for figures that name no pupil."""
    return Pupil.objects.filter(school_id=membership.school_id).active()


def listed_pupils(membership):
    """Pupils that may be named to this reader: none for governors and trust leads."""
    return Pupil.objects.for_membership(membership)


@dataclass
class Scheme:
    """The school's subjects and bands, read once per screen."""

    subjects: list
    bands: Bands

    @property
    def measure_name(self):
        """The school's numeric measure ("APS points"), read with the subjects: "points" when
        the school has not named one."""
        scheme = getattr(self.subjects[0].school, "assessment_scheme", None) if self.subjects else None
        return (scheme.measure_name if scheme else "") or "points"

    @property
    def attainment_bands(self):
        return list(self.bands.attainment.bands)

    @property
    def progress_bands(self):
        return list(self.bands.progress.bands)

    @property
    def at_or_above(self):
        """Assessments at or above ARE (assessment.bands)."""
        return self.bands.at_or_above_are

    @property
    def progressed(self):
        """Expected progress or better (assessment.bands)."""
        return self.bands.expected_progress

    @property
    def core_subjects(self):
        return [s for s in self.subjects if s.is_core]


def school_scheme(membership):
    """The school's scheme for the gap screens: three queries (subjects and the two scales)."""
    school_id = membership.school_id
    subjects = Subject.objects.filter(school_id=school_id).select_related("school__assessment_scheme")
    return Scheme(list(subjects), Bands.of_school(school_id))


def year_label(year_group):
    return YEAR_LABELS.get(year_group, f"Year {year_group}")


def gap_points(focus_share, rest_share):
    """The gap in percentage points (rest minus focus), or None when either side is missing."""
    if focus_share.suppressed or rest_share.suppressed or not focus_share.denominator:
        return None
    if not rest_share.denominator:
        return None
    return percent(rest_share.numerator, rest_share.denominator) - percent(
        focus_share.numerator, focus_share.denominator
    )


def narrowed(now, then):
    """How a gap of `now` points moved from `then`, by its size whichever group is ahead
    (core.gap_direction): narrowed, widened, closed, reversed, unchanged, or None."""
    return gap_direction("", now, then).direction


def at_points(membership, point_ids):
    """The school's assessments at some of its own points, pupils who have left since included
    (assessment.bands.assessments_at). The cohort's points are the school's, so no join to the
    point is needed; the pupil's school is checked all the same."""
    return assessments_at(point_ids).filter(pupil__school_id=membership.school_id)


def with_before(queryset, point):
    """Join each assessment to the same pupil's assessment in the same subject at `point`
    (once, as a join, rather than a lookup per row): `before` is its points, kept only where
    both have points."""
    before = FilteredRelation(
        "pupil__assessments",
        condition=Q(pupil__assessments__point_id=point.pk, pupil__assessments__subject_id=F("subject_id")),
    )
    return (
        queryset.annotate(earlier=before)
        .filter(points__isnull=False, earlier__points__isnull=False)
        .annotate(before=F("earlier__points"))
    )


def focus_flag(focus):
    """Whether a row belongs to the focus group (`focus`, a Q of the cohort: gaps.cohort), as a
    column to GROUP BY: one count per group and flag instead of a filtered count for the group
    and another for everyone else. NULL (a comparison with an empty column) counts as not in the
    group, as ~Q does."""
    return ExpressionWrapper(focus, output_field=BooleanField())


def by_flag(rows, key, fields):
    """{key(row): {field: (focus total, rest total)}} from rows grouped by `in_focus`."""
    result = {}
    for r in rows:
        totals = result.setdefault(key(r), {f: [0, 0] for f in fields})
        side = 0 if r["in_focus"] else 1
        for f in fields:
            totals[f][side] += r[f] or 0
    return result


GAIN = ExpressionWrapper(
    F("points") - F("earlier__points"), output_field=DecimalField(max_digits=7, decimal_places=1)
)


def mean(total, n):
    """A mean gain to one decimal place, half way rounding up (`core.figures.one_decimal`)."""
    return one_decimal(Decimal(total) / n) if n else None


def small(n, suppress_below):
    """Whether a group of `n` pupils is too small to show (0 is shown: there is nothing)."""
    return bool(suppress_below) and 0 < n < suppress_below


@dataclass
class LinkRow:
    """One line of two shares: the focus group's against everyone else's."""

    label: str
    focus: Share
    rest: Share
