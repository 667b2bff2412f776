"""Key question D: how individual pupils of the focus group are attaining and progressing. Each
pupil's core subjects at the last points and against their end-of-year target, the watch list
(fell behind their target, or no gain in points over two points), and whether pupils in
interventions made more progress than the rest of the group.

Tracks and the watch list name pupils: only for staff who see pupils, through
`Pupil.objects.for_membership`. The intervention figures count every pupil assessed at the
point, including pupils who have left since (assessment.bands).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q

from assessment import frameworks as on_framework
from assessment import targets as rule
from assessment.models import Assessment, Framework, Target
from core.figures import one_decimal
from interventions.models import InterventionPlace

from .shared import GAIN, at_points, listed_pupils, small, with_before
from .targets import TargetCell, target_summary, targets_against


@dataclass
class PupilTrack:
    pupil: object
    row: list  # per subject, per point: (attainment code, points) or None
    targets: list = field(default_factory=list)  # per subject: TargetCell or None

    @property
    def by_subject(self):
        """Per subject: (cells at the points, target), for the table."""
        width = len(self.row) // len(self.targets) if self.targets else 0
        return [(self.row[i * width : (i + 1) * width], t) for i, t in enumerate(self.targets)]


@dataclass
class InterventionImpact:
    subject: object
    in_avg: Decimal | None
    in_n: int
    out_avg: Decimal | None
    out_n: int

    @property
    def enhanced(self):
        if self.in_avg is None or self.out_avg is None:
            return None
        return self.in_avg > self.out_avg


@dataclass
class PupilsReport:
    cohort: object
    points: list
    subjects: list
    tracks: list | None
    impact: list
    watch: list | None
    targets: list = field(default_factory=list)  # TargetSummary per core subject
    targets_due: bool = False  # the point is the year's last: targets met or missed, not on track


WATCH_FIELDS = (
    "pupil_id",
    "pupil__legal_surname",
    "pupil__legal_forename",
    "pupil__preferred_forename",
    "pupil__year_group",
    "subject__name",
    "subject__order",
)
TARGET_FIELDS = (
    "subject_id",
    "attainment__code",
    "attainment__order",
    "points",
    "now__attainment__code",
    "now__attainment__order",
    "now__points",
    "status",
)


def pupils_report(membership, cohort, scheme, *, track_points=3):
    """Each focus pupil's core-subject attainment at the last points and against their
    end-of-year target; intervention impact; the watch list of pupils whose points did not rise
    over the last two points or who are below their end-of-year target."""
    if cohort.point is None:
        return PupilsReport(cohort, [], [], None, [], None)
    index = cohort.points.index(cohort.point)
    points = cohort.points[max(0, index - track_points + 1) : index + 1]
    subjects = scheme.core_subjects
    tracks = watch = None
    if membership.sees_pupils:
        pupils = list(
            listed_pupils(membership).filter(cohort.focus_q()).order_by("year_group", "legal_surname")
        )
        # The pupils just read through Pupil.objects.for_membership, by id: the same reach as
        # for_membership's subquery, which a database without statistics plans as a scan of
        # the school's pupils for every row.
        mine = Q(pupil_id__in=[p.pk for p in pupils])
        targets = _targets(mine, cohort, subjects)
        tracks, below = _tracks(pupils, mine, points, subjects, targets, cohort.point)
        watch = _watch_list(mine, cohort, subjects, targets, below)
    impact = intervention_impact(membership, cohort, subjects)
    summary = target_summary(membership, cohort, scheme)
    due = rule.is_due(cohort.point, rule.Timeline(cohort.points))
    return PupilsReport(cohort, points, subjects, tracks, impact, watch, summary, due)


def _targets(mine, cohort, subjects):
    """The end-of-year targets of these pupils in these subjects, as rows, each judged at the
    cohort's point (and at the previous point, when there is one)."""
    before = cohort.previous_point
    return list(
        targets_against(
            Target.objects.filter(mine, subject_id__in=[s.pk for s in subjects]),
            cohort.point,
            rule.Timeline(cohort.points),
            before,
        )
        .values(*WATCH_FIELDS, *TARGET_FIELDS, *(["status_before"] if before else []))
        .order_by()
    )


TRACK_FIELDS = (
    "pupil_id",
    "point_id",
    "subject_id",
    "attainment__code",
    "points",
    # A cell on another framework (assessment.frameworks): its value and the progress kept with it.
    "framework__name",
    "framework__kind",
    "framework__expected_per_year",
    "framework__impact_bands",
    "stage__code",
    "stage__steps",
    "step",
    "score",
    "gained",
    "months",
    "expected_met",
)


def _tracks(pupils, mine, points, subjects, targets, point=None):
    """(One PupilTrack per pupil: their band and points, or their value on their own framework,
    at each of `points` in each subject, and their target in each subject; the watch list's
    pupils below their own framework's expected progress at `point`), from one query."""
    cells, behind = {}, {}
    for a in Assessment.objects.filter(
        mine, point_id__in=[p.pk for p in points], subject_id__in=[s.pk for s in subjects]
    ).values(*TRACK_FIELDS):
        if a["framework__kind"]:
            cell = (_framework_value(a), None)
            if point is not None and a["point_id"] == point.pk and a["expected_met"] is False:
                behind[(a["pupil_id"], a["subject_id"])] = a
        else:
            cell = (a["attainment__code"], a["points"])
        cells.setdefault(a["pupil_id"], {})[(a["point_id"], a["subject_id"])] = cell
    by_cell = {(t["pupil_id"], t["subject_id"]): t for t in targets}
    tracks, below = [], []
    for p in pupils:
        row = [cells.get(p.pk, {}).get((pt.pk, s.pk)) for s in subjects for pt in points]
        marks = [_target_cell(s, by_cell.get((p.pk, s.pk))) for s in subjects]
        tracks.append(PupilTrack(p, row, marks))
        for s in subjects:
            if (p.pk, s.pk) in behind:
                below.append(_below_own_rate(p, s, behind[(p.pk, s.pk)], point))
    return tracks, below


def _framework(a):
    """The framework of a row of TRACK_FIELDS, unsaved, for assessment.frameworks' words."""
    return Framework(
        name=a["framework__name"],
        kind=a["framework__kind"],
        expected_per_year=a["framework__expected_per_year"],
        impact_bands=a["framework__impact_bands"] or [],
    )


def _framework_value(a):
    """A cell on another framework as the grid shows it: "S2.3", "PK4", "7y 6m", "96"."""
    framework = _framework(a)
    if framework.ordered:
        if not a["stage__code"]:
            return ""
        return a["stage__code"] if a["stage__steps"] == 1 else f"{a['stage__code']}.{a['step']}"
    stage = None
    return on_framework.show(framework, stage, a["step"], a["score"])


def _below_own_rate(pupil, subject, a, point):
    """A watch list entry: below the expected progress on the pupil's own framework."""
    words = on_framework.progress_words(_framework(a), a["gained"], a["months"])
    return {
        "pupil_id": pupil.pk,
        "pupil__legal_surname": pupil.legal_surname,
        "pupil__legal_forename": pupil.legal_forename,
        "pupil__preferred_forename": pupil.preferred_forename,
        "pupil__year_group": pupil.year_group,
        "subject__name": subject.name,
        "subject__order": subject.order,
        "kind": "framework",
        "reason": f"Below the expected progress on {a['framework__name']} at {point}: {words}.",
    }


def _target_cell(subject, t):
    if not t:
        return None
    return TargetCell(
        subject,
        t["attainment__code"],
        t["points"],
        t["now__attainment__code"],
        t["now__points"],
        t["status"],
    )


def _watch_list(mine, cohort, subjects, targets, below=()):
    """Pupils who fell behind (below the trajectory to their target now, or missed it, having
    been on track at the previous point, if it was past the year's first point: pupils behind
    at both points show in the table and the figures), pupils with no gain in points since
    two points back, and pupils below the expected progress on their own framework (`below`,
    from `_tracks`), in year group and name order."""
    point, before = cohort.point, cohort.previous_point
    watch = list(below)
    if before is not None and _past_the_start(cohort, before):
        watch += [
            {**{k: t[k] for k in WATCH_FIELDS}, "kind": "target", "reason": _behind_reason(t, point, before)}
            for t in targets
            if t["status"] in (rule.BELOW, rule.MISSED)
            and t.get("status_before") in (rule.ON_TRACK, rule.MET)
        ]
    index = cohort.points.index(point)
    two_back = cohort.points[index - 2] if index >= 2 else None
    if two_back:
        stalled = (
            with_before(
                Assessment.objects.filter(mine, point_id=point.pk, subject_id__in=[s.pk for s in subjects]),
                two_back,
            )
            .filter(points__lte=F("earlier__points"))
            .values(*WATCH_FIELDS, "points", "before")
        )
        watch += [{**w, "kind": "stalled", "reason": _stalled_reason(w, two_back)} for w in stalled]
    watch.sort(
        key=lambda w: (
            w["pupil__year_group"],
            w["pupil__legal_surname"],
            w["pupil__legal_forename"],
            w["pupil_id"],
            w["subject__order"],
            w["kind"],
        )
    )
    return watch


def _past_the_start(cohort, before):
    """Whether `before` is past the year's first point: at the first point (or before the year)
    each pupil stands at their starting point, on track by definition, so being below the line
    now is shown in the table and the figures rather than listed as falling behind."""
    timeline = rule.Timeline(cohort.points)
    return timeline.position[before.pk] > timeline.first(cohort.point.academic_year)


def _behind_reason(t, point, before):
    """Why a pupil fell behind their end-of-year target, in words."""
    now = " ".join(str(v) for v in (t["now__attainment__code"], t["now__points"]) if v is not None)
    target = " ".join(str(v) for v in (t["attainment__code"], t["points"]) if v is not None)
    if t["status"] == rule.MISSED:
        lead = f"Missed the end-of-year target at {point}"
    else:
        lead = f"Fell below the trajectory to the end-of-year target at {point}"
    return f"{lead} (on track at {before}): now {now}, target {target}."


def _stalled_reason(w, two_back):
    return f"No gain in points since {two_back}: {w['before']} then, {w['points']} now."


def intervention_impact(membership, cohort, subjects):
    """Per subject, the focus group's average gain since the previous point: pupils who have
    been in one of the school's interventions against those who have not. One grouped query."""
    before = cohort.previous_point
    if before is None:
        return []
    in_intervention = Q(
        pupil_id__in=InterventionPlace.objects.filter(
            run__intervention__school_id=membership.school_id
        ).values("pupil_id")
    )
    rows = (
        with_before(
            at_points(membership, [cohort.point.pk]).filter(
                cohort.assessed_q([cohort.point]), subject_id__in=[s.pk for s in subjects]
            ),
            before,
        )
        .values("subject_id")
        .annotate(
            in_avg=Avg(GAIN, filter=in_intervention),
            in_n=Count("pupil_id", filter=in_intervention, distinct=True),
            out_avg=Avg(GAIN, filter=~in_intervention),
            out_n=Count("pupil_id", filter=~in_intervention, distinct=True),
        )
        .order_by()
    )
    by_subject = {r["subject_id"]: r for r in rows}
    suppress = membership.suppress_below
    impact = []
    for subject in subjects:
        r = by_subject.get(subject.pk)
        if not r:
            continue
        impact.append(
            InterventionImpact(
                subject,
                None if small(r["in_n"], suppress) else one_decimal(r["in_avg"]),
                r["in_n"],
                None if small(r["out_n"], suppress) else one_decimal(r["out_avg"]),
                r["out_n"],
            )
        )
    return impact
