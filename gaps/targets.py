"""Key question D, the targets: each pupil's end-of-year target in a subject judged by the
database at a point (assessment.targets: on track or below the trajectory before the year's last
point, met or missed at it), and the focus group's summary. Pupils on roll: a target is for a
pupil still here."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from assessment import targets as rule
from assessment.models import Target
from core.figures import Count as Figure
from core.figures import Share


@dataclass
class TargetCell:
    """A pupil's end-of-year target in one subject, judged at the point."""

    subject: object
    attainment: str | None  # the target's band code
    points: Decimal | None
    now_attainment: str | None
    now_points: Decimal | None
    status: str  # assessment.targets: met, missed, on_track, below or none

    @property
    def words(self):
        return rule.WORDS[self.status]

    @property
    def badge(self):
        return rule.BADGES[self.status]

    @property
    def target(self):
        return " / ".join(str(v) for v in (self.attainment, self.points) if v is not None)


@dataclass
class TargetSummary:
    """Pupils of the group with an end-of-year target in a subject: before the year's last point,
    how many are on track and below the trajectory; at it, how many met and missed it."""

    subject: object
    on_target: Share  # on track (or met), of those with an assessment to judge
    below: Figure  # below the trajectory (or missed)
    not_assessed: Figure
    due: bool = False

    @property
    def on_words(self):
        return rule.WORDS[rule.MET if self.due else rule.ON_TRACK]

    @property
    def below_words(self):
        return rule.WORDS[rule.MISSED if self.due else rule.BELOW]


def targets_against(queryset, point, timeline, before=None):
    """End-of-year targets for `point`'s year, each joined to the pupil's assessment in the same
    subject at `point` (as `now`) and judged there (`status`), and at `before` if given
    (`status_before`; perhaps last year's last point)."""
    year = point.academic_year
    queryset = rule.judged(rule.end_of_year(queryset, year), point, timeline, year=year)
    if before is not None:
        queryset = rule.judged(queryset, before, timeline, year=year, name="status_before", now="at_previous")
    return queryset


def target_summary(membership, cohort, scheme):
    """Per core subject, the group's pupils with an end-of-year target: on track (or met), below
    the trajectory (or missed), or not yet assessed at the point; one grouped query, figures
    only (suppressed for governors)."""
    suppress = membership.suppress_below
    core = scheme.core_subjects
    timeline = rule.Timeline(cohort.points)
    rows = (
        targets_against(
            Target.objects.filter(
                cohort.focus_q("pupil__"),
                pupil__school_id=membership.school_id,
                pupil__archived_at__isnull=True,
                subject_id__in=[s.pk for s in core],
            ),
            cohort.point,
            timeline,
        )
        # Grouped by the status itself: the judgement is a long expression, and a count filtered
        # by it would carry a copy of it for each count.
        .values("subject_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    column = {
        rule.ON_TRACK: "on",
        rule.MET: "on",
        rule.BELOW: "below",
        rule.MISSED: "below",
        rule.NONE: "none",
    }
    by_subject = {}
    for r in rows:
        counts = by_subject.setdefault(r["subject_id"], {"on": 0, "below": 0, "none": 0})
        counts[column.get(r["status"], "none")] += r["n"]
    due = rule.is_due(cohort.point, timeline)
    return [
        TargetSummary(
            subject,
            Share.of(r["on"], r["on"] + r["below"], suppress_below=suppress),
            Figure.of(r["below"], suppress_below=suppress),
            Figure.of(r["none"], suppress_below=suppress),
            due,
        )
        for subject in core
        if (r := by_subject.get(subject.pk))
    ]
