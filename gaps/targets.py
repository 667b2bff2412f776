"""Key question D, the targets: each pupil's end-of-year target in a subject judged by the
database against their assessment at a point, as the termly grid judges it, and the focus
group's summary (on target, below, not yet assessed). Pupils on roll: a target is for a pupil
still here."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When

from assessment.models import Target
from core.figures import Count as Figure
from core.figures import Share

END_OF_YEAR = Target.Kind.END_OF_YEAR


@dataclass
class TargetCell:
    """A pupil's end-of-year target in one subject, against their assessment at the point."""

    subject: object
    attainment: str | None  # the target's band code
    points: Decimal | None
    now_attainment: str | None
    now_points: Decimal | None
    status: str  # "on", "below" or "none" (nothing assessed to compare yet)

    @property
    def words(self):
        return {"on": "on target", "below": "below target"}.get(self.status, "no assessment yet")

    @property
    def target(self):
        return " / ".join(str(v) for v in (self.attainment, self.points) if v is not None)


@dataclass
class TargetSummary:
    """Pupils of the group with an end-of-year target in a subject: how many are on it."""

    subject: object
    on_target: Share  # on target, of those with an assessment to compare
    below: Figure
    not_assessed: Figure


def _status(name):
    """ "on", "below" or "none": the end-of-year target against the assessment joined as `name`,
    as the termly grid judges it (assessment.selectors.compare): every part of the target that
    can be compared (band, points) must be met; with nothing to compare, "none"."""
    band_comparable = Q(attainment__isnull=False, **{f"{name}__attainment__isnull": False})
    points_comparable = Q(points__isnull=False, **{f"{name}__points__isnull": False})
    below = (band_comparable & Q(**{f"{name}__attainment__order__lt": F("attainment__order")})) | (
        points_comparable & Q(**{f"{name}__points__lt": F("points")})
    )
    return Case(
        When(below, then=Value("below")),
        When(band_comparable | points_comparable, then=Value("on")),
        default=Value("none"),
    )


def _assessment_at(point):
    """The pupil's assessment in the target's subject at `point`, as a join."""
    return FilteredRelation(
        "pupil__assessments",
        condition=Q(pupil__assessments__point_id=point.pk, pupil__assessments__subject_id=F("subject_id")),
    )


def targets_against(queryset, point, before=None):
    """End-of-year targets for `point`'s year, each joined to the pupil's assessment in the same
    subject at `point` (and at `before`, if given), with the database's judgement of each:
    `status` now and `status_before`."""
    queryset = queryset.filter(kind=END_OF_YEAR, academic_year=point.academic_year).annotate(
        now=_assessment_at(point)
    )
    if before is not None:
        queryset = queryset.annotate(at_previous=_assessment_at(before)).annotate(
            status_before=_status("at_previous")
        )
    return queryset.annotate(status=_status("now"))


def target_summary(membership, cohort, scheme):
    """Per core subject, the group's pupils with an end-of-year target: on it, below it, or not
    yet assessed at the point; one grouped query, figures only (suppressed for governors)."""
    suppress = membership.suppress_below
    core = scheme.core_subjects
    rows = (
        targets_against(
            Target.objects.filter(
                cohort.focus_q("pupil__"),
                pupil__school_id=membership.school_id,
                pupil__archived_at__isnull=True,
                subject_id__in=[s.pk for s in core],
            ),
            cohort.point,
        )
        .values("subject_id")
        .annotate(
            on=Count("id", filter=Q(status="on")),
            below=Count("id", filter=Q(status="below")),
            none=Count("id", filter=Q(status="none")),
        )
        .order_by()
    )
    by_subject = {r["subject_id"]: r for r in rows}
    return [
        TargetSummary(
            subject,
            Share.of(r["on"], r["on"] + r["below"], suppress_below=suppress),
            Figure.of(r["below"], suppress_below=suppress),
            Figure.of(r["none"], suppress_below=suppress),
        )
        for subject in core
        if (r := by_subject.get(subject.pk))
    ]
