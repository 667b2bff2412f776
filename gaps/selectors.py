"""Reads for the gap screens. Every figure is an aggregate computed by the database (conditional
counts, GROUP BY, correlated subqueries); Python only arranges the aggregated rows for display.

Figures name no pupil, so they are computed over all the school's pupils on roll whoever reads
them; a governor or trust lead then sees them suppressed under the school's threshold. Lists of
pupils (initials, the watch list, pupils in several groups) come only through
`Pupil.objects.for_membership`, and only for staff who see pupils.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.db.models.lookups import GreaterThanOrEqual

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject, Target
from attendance.models import PERSISTENT_ABSENCE_BELOW, Attendance, Exclusion, Participation
from core.calendar import academic_year_label, current_academic_year
from core.figures import Count as Figure
from core.figures import Share, percent
from interventions.models import Intervention, InterventionPlace
from pupils.models import SEN_STATUSES_ON_RECORD, YEAR_GROUPS, AreaOfNeed, Pupil, SenStatus, SenStatusChange

from .cohort import CohortForm
from .models import ComparatorGroup, Finding, Measure, NationalComparator

YEAR_LABELS = dict(YEAR_GROUPS)
NEED_LABELS = {code: label.split(" — ", 1)[1] for code, label in AreaOfNeed.choices}


# --- shared ---------------------------------------------------------------------------------


def school_pupils(membership):
    """The school's pupils on roll, for figures that name no pupil."""
    return Pupil.objects.filter(school_id=membership.school_id).active()


def listed_pupils(membership):
    """Pupils that may be named to this reader: none for governors and trust leads."""
    return Pupil.objects.for_membership(membership)


def cohort_form(membership, data):
    """The cohort filter, with the school's points (each marked has_data) and interventions."""
    # The first assessment of each point in the order of the (point, subject) index: one index
    # probe per point, where an EXISTS could be planned as a scan of the table for an empty point.
    first = Subquery(
        Assessment.objects.filter(point_id=OuterRef("pk")).order_by("point_id", "subject_id").values("pk")[:1]
    )
    points = list(AssessmentPoint.objects.filter(school_id=membership.school_id).annotate(first=first))
    for point in points:
        point.has_data = point.first is not None
    interventions = list(Intervention.objects.filter(school_id=membership.school_id).only("pk", "name"))
    return CohortForm(data, school=membership.school, points=points, interventions=interventions)


@dataclass
class Scheme:
    subjects: list
    attainment_bands: list
    progress_bands: list

    @property
    def below_attainment(self):
        """Order of the lowest attainment band: above it is at or above ARE."""
        return self.attainment_bands[0].order if self.attainment_bands else 0

    @property
    def below_progress(self):
        return self.progress_bands[0].order if self.progress_bands else 0

    @property
    def at_or_above(self):
        """Assessments at or above ARE: in any attainment band above the lowest (by id, so that
        no join to the band is needed)."""
        ids = [b.pk for b in self.attainment_bands if b.order > self.below_attainment]
        return Q(attainment_id__in=ids) if ids else Q(pk__isnull=True)

    @property
    def progressed(self):
        """Expected progress or better: any progress band above the lowest."""
        ids = [b.pk for b in self.progress_bands if b.order > self.below_progress]
        return Q(progress_id__in=ids) if ids else Q(pk__isnull=True)

    @property
    def core_subjects(self):
        return [s for s in self.subjects if s.is_core]


def scheme(membership):
    school_id = membership.school_id
    return Scheme(
        list(Subject.objects.filter(school_id=school_id)),
        list(AttainmentBand.objects.filter(school_id=school_id)),
        list(ProgressBand.objects.filter(school_id=school_id)),
    )


def year_group_at(year_group_now, point):
    """The year group a pupil now in `year_group_now` was in at `point`."""
    return year_group_now - (current_academic_year() - point.academic_year)


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


def at_points(membership, point_ids):
    """The school's assessments at some of its own points (the cohort's points are the school's,
    so no join to the point is needed), of pupils on roll."""
    return Assessment.objects.filter(
        point_id__in=point_ids,
        pupil__school_id=membership.school_id,
        pupil__archived_at__isnull=True,
    )


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


def focus_flag(cohort, prefix=""):
    """Whether a row belongs to the focus group, as a column to GROUP BY: one count per group
    and flag instead of a filtered count for the group and another for everyone else. NULL
    (a comparison with an empty column) counts as not in the group, as ~Q does."""
    return ExpressionWrapper(cohort.focus_q(prefix), output_field=BooleanField())


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


def _mean(total, n):
    """The mean gain to one decimal place (half to even, as _avg rounds an AVG)."""
    return _avg(Decimal(total) / n) if n else None


def _avg(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


# --- C: attainment and progress grids, average progress, ranked gaps -----------------------


@dataclass
class GridRow:
    year_group: int
    label: str
    cells: list  # per subject: list of (band, figure, initials) per band


@dataclass
class Gap:
    year_group: int
    label: str
    subject: object
    focus: Share
    rest: Share
    points: int | None
    since_last_point: int | None = None  # the gap then, same pupils
    since_last_year: int | None = None

    @property
    def narrowed_since_last_point(self):
        return _narrowed(self.points, self.since_last_point)

    @property
    def narrowed_since_last_year(self):
        return _narrowed(self.points, self.since_last_year)


def _narrowed(now, then):
    if now is None or then is None:
        return None
    if now < then:
        return "narrowed"
    if now > then:
        return "widened"
    return "unchanged"


@dataclass
class ProgressRow:
    label: str
    focus_avg: Decimal | None
    focus_n: int
    rest_avg: Decimal | None
    rest_n: int
    suppressed: bool = False

    @property
    def difference(self):
        if self.focus_avg is None or self.rest_avg is None or self.suppressed:
            return None
        return self.focus_avg - self.rest_avg


@dataclass
class GridReport:
    cohort: object
    scheme: Scheme
    mode: str
    attainment: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    average_progress: list = field(default_factory=list)
    gaps: list = field(default_factory=list)


def _grid(membership, cohort, scheme, band_field, bands, mode, suppress_below):
    """year group x subject x band, as shares of the pupils assessed (or counts, or initials)."""
    point = cohort.point
    rows = (
        at_points(membership, [point.pk])
        .filter(cohort.focus_q("pupil__"), **{f"{band_field}__isnull": False})
        .values("pupil__year_group", "subject_id", band_field)
        .annotate(n=Count("id"))
    )
    counts = {(r["pupil__year_group"], r["subject_id"], r[band_field]): r["n"] for r in rows}
    initials = {}
    if mode == "initials" and membership.sees_pupils:
        named = (
            Assessment.objects.for_membership(membership)
            .filter(cohort.focus_q("pupil__"), point_id=point.pk, **{f"{band_field}__isnull": False})
            .values_list(
                "pupil__year_group",
                "subject_id",
                band_field,
                "pupil__preferred_forename",
                "pupil__legal_forename",
                "pupil__legal_surname",
            )
            .order_by("pupil__legal_surname", "pupil__legal_forename")
        )
        for year, subject, band, preferred, forename, surname in named:
            initials.setdefault((year, subject, band), []).append(
                f"{(preferred or forename)[:1]}{surname[:1]}".upper()
            )
    years = sorted({key[0] for key in counts})
    grid = []
    for year in years:
        cells = []
        for subject in scheme.subjects:
            total = sum(counts.get((year, subject.pk, b.pk), 0) for b in bands)
            per_band = []
            for band in bands:
                n = counts.get((year, subject.pk, band.pk), 0)
                if mode == "counts":
                    figure = Figure.of(n, suppress_below=suppress_below) if total else None
                else:
                    figure = Share.of(n, total, suppress_below=suppress_below) if total else None
                per_band.append((band, figure, ", ".join(initials.get((year, subject.pk, band.pk), []))))
            cells.append(per_band)
        at_point = year_group_at(year, point)
        grid.append(GridRow(at_point, year_label(at_point), cells))
    return grid


def average_progress(membership, cohort, suppress_below):
    """Average gain in points since the previous point, focus group against the rest, by year."""
    before = cohort.previous_point
    if before is None:
        return []
    rows = (
        with_before(at_points(membership, [cohort.point.pk]), before)
        .annotate(in_focus=focus_flag(cohort, "pupil__"))
        .values("pupil__year_group", "in_focus")
        .annotate(gain=Sum(GAIN), pairs=Count("id"), pupils=Count("pupil_id", distinct=True))
        .order_by()
    )
    totals = by_flag(rows, lambda r: r["pupil__year_group"], ("gain", "pairs", "pupils"))
    result = []
    for year in sorted(totals):
        t = totals[year]
        focus_n, rest_n = t["pupils"]
        small = bool(suppress_below) and 0 < focus_n < suppress_below
        at_point = year_group_at(year, cohort.point)
        result.append(
            ProgressRow(
                year_label(at_point),
                None if small else _mean(t["gain"][0], t["pairs"][0]),
                focus_n,
                _mean(t["gain"][1], t["pairs"][1]),
                rest_n,
                suppressed=small,
            )
        )
    return result


def ranked_gaps(membership, cohort, scheme, suppress_below=0):
    """Gaps at or above ARE, focus group against the rest, per year group and subject, largest
    first, each with the gap of the same pupils at the previous point and a year earlier."""
    point, before, last_year = cohort.point, cohort.previous_point, cohort.last_year_point
    wanted = [p.pk for p in (point, before, last_year) if p]
    rows = (
        at_points(membership, wanted)
        .filter(attainment__isnull=False)
        .annotate(in_focus=focus_flag(cohort, "pupil__"))
        .values("point_id", "pupil__year_group", "subject_id", "in_focus")
        .annotate(n=Count("id"), ok=Count("id", filter=scheme.at_or_above))
        .order_by()
    )
    totals = by_flag(rows, lambda r: (r["point_id"], r["pupil__year_group"], r["subject_id"]), ("n", "ok"))
    by_key = {
        key: (
            Share.of(t["ok"][0], t["n"][0], suppress_below=suppress_below),
            Share.of(t["ok"][1], t["n"][1], suppress_below=suppress_below),
        )
        for key, t in totals.items()
    }
    subjects = {s.pk: s for s in scheme.subjects}
    gaps = []
    for (point_id, year, subject_id), (focus_share, rest_share) in by_key.items():
        if point_id != point.pk or subject_id not in subjects:
            continue
        gap = Gap(
            year_group=year_group_at(year, point),
            label=year_label(year_group_at(year, point)),
            subject=subjects[subject_id],
            focus=focus_share,
            rest=rest_share,
            points=gap_points(focus_share, rest_share),
        )
        if before and (before.pk, year, subject_id) in by_key:
            gap.since_last_point = gap_points(*by_key[(before.pk, year, subject_id)])
        if last_year and (last_year.pk, year, subject_id) in by_key:
            gap.since_last_year = gap_points(*by_key[(last_year.pk, year, subject_id)])
        gaps.append(gap)
    gaps.sort(key=lambda g: (g.points is None, -(g.points or 0), g.year_group, g.subject.order))
    return gaps


def grid_report(membership, cohort, scheme, *, mode="percent"):
    if mode == "initials" and not membership.sees_pupils:
        mode = "percent"
    report = GridReport(cohort, scheme, mode)
    if cohort.point is None:
        return report
    suppress = membership.suppress_below
    report.attainment = _grid(
        membership, cohort, scheme, "attainment_id", scheme.attainment_bands, mode, suppress
    )
    report.progress = _grid(membership, cohort, scheme, "progress_id", scheme.progress_bands, mode, suppress)
    report.average_progress = average_progress(membership, cohort, suppress)
    report.gaps = ranked_gaps(membership, cohort, scheme, suppress)
    return report


# --- A: vulnerable groups, pupils in several groups, movement on the record ----------------

VULNERABLE = [
    ("pp", "Pupil premium", Q(pupil_premium=True)),
    ("fsm", "Free school meals", Q(fsm=True)),
    ("eal", "EAL", Q(eal=True)),
    ("lac", "Looked-after children", Q(lac=True)),
    ("boys", "Boys", Q(gender="M")),
    ("girls", "Girls", Q(gender="F")),
]
GROUP_COUNT = sum(
    (
        Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
        for _, _, q in VULNERABLE[:4]
    ),
    Value(0),
)


@dataclass
class GroupRow:
    label: str
    in_focus: Share  # share of the focus group in this vulnerable group
    in_school: Share  # share of the whole school in it
    over_represented: bool | None


@dataclass
class Movement:
    academic_year: int
    label: str
    placed: Figure
    removed: Figure
    k_to_e: Figure
    e_to_k: Figure


@dataclass
class GroupsReport:
    cohort: object
    focus_total: int
    school_total: int
    focus_share: Share
    national_year: int
    national_send: float
    national_ehcp: float
    groups: list
    several_groups: Figure
    several_pupils: list | None
    movement: list


def groups_report(membership, cohort, *, with_lists=True, with_movement=True):
    from pupils.selectors import national_send_figures

    suppress = membership.suppress_below
    focus = cohort.focus_q()
    counts = {"n": Count("pk"), "several": Count("pk", filter=Q(GreaterThanOrEqual(GROUP_COUNT, 2)))}
    for key, _, q in VULNERABLE:
        counts[key] = Count("pk", filter=q)
    rows = (
        school_pupils(membership)
        .annotate(in_focus=focus_flag(cohort))
        .values("in_focus")
        .annotate(**counts)
        .order_by()
    )
    flagged = by_flag(rows, lambda r: "all", list(counts)).get("all") or {k: [0, 0] for k in counts}
    totals = {"total": sum(flagged["n"]), "focus": flagged["n"][0], "several": flagged["several"][0]}
    for key, _, _ in VULNERABLE:
        totals[f"school_{key}"] = sum(flagged[key])
        totals[f"focus_{key}"] = flagged[key][0]
    rows = []
    for key, label, _ in VULNERABLE:
        in_focus = Share.of(totals[f"focus_{key}"], totals["focus"], suppress_below=suppress)
        in_school = Share.of(totals[f"school_{key}"], totals["total"], suppress_below=suppress)
        over = None
        if in_focus.percent is not None and in_school.percent is not None:
            over = in_focus.percent > in_school.percent
        rows.append(GroupRow(label, in_focus, in_school, over))
    several_pupils = None
    if with_lists and membership.sees_pupils:
        several_pupils = list(
            listed_pupils(membership)
            .annotate(groups=GROUP_COUNT)
            .filter(focus, groups__gte=2)
            .order_by("year_group", "legal_surname", "legal_forename")
        )
    year, national = national_send_figures()
    return GroupsReport(
        cohort=cohort,
        focus_total=totals["focus"],
        school_total=totals["total"],
        focus_share=Share.of(totals["focus"], totals["total"], suppress_below=suppress),
        national_year=year,
        national_send=national["send"],
        national_ehcp=national["ehcp"],
        groups=rows,
        several_groups=Figure.of(totals["several"], suppress_below=suppress),
        several_pupils=several_pupils,
        movement=sen_movement(membership, suppress_below=suppress) if with_movement else [],
    )


def sen_movement(membership, *, years=3, suppress_below=0):
    """Placed on, removed from, K to E and E to K, by academic year over the last `years`,
    from the dated SEN history (each change against the pupil's status just before it)."""
    this_year = current_academic_year()
    first = this_year - years + 1
    before = (
        SenStatusChange.objects.filter(
            pupil_id=OuterRef("pupil_id"), effective_date__lt=OuterRef("effective_date")
        )
        .order_by("-effective_date")
        .values("status")[:1]
    )
    academic_year = Case(
        When(effective_date__month__gte=9, then=ExtractYear("effective_date")),
        default=ExtractYear("effective_date") - 1,
        output_field=IntegerField(),
    )
    on = list(SEN_STATUSES_ON_RECORD)
    was_off = Q(before__isnull=True) | Q(before=SenStatus.NONE)
    rows = (
        SenStatusChange.objects.filter(pupil__school_id=membership.school_id)
        .annotate(before=Subquery(before), ay=academic_year)
        .filter(ay__gte=first, ay__lte=this_year)
        .values("ay")
        .annotate(
            placed=Count("id", filter=was_off & Q(status__in=on)),
            removed=Count("id", filter=Q(before__in=on, status=SenStatus.NONE)),
            k_to_e=Count("id", filter=Q(before=SenStatus.SEN_SUPPORT, status=SenStatus.EHCP)),
            e_to_k=Count("id", filter=Q(before=SenStatus.EHCP, status=SenStatus.SEN_SUPPORT)),
        )
    )
    by_year = {r["ay"]: r for r in rows}
    result = []
    for year in range(first, this_year + 1):
        r = by_year.get(year, {"placed": 0, "removed": 0, "k_to_e": 0, "e_to_k": 0})
        result.append(
            Movement(
                year,
                academic_year_label(year),
                *(
                    Figure.of(r[k], suppress_below=suppress_below)
                    for k in ("placed", "removed", "k_to_e", "e_to_k")
                ),
            )
        )
    return result


# --- B: attainment and progress by SEN status, in school and nationally --------------------

SUBJECT_MEASURES = {
    "reading": Measure.READ_EXPECTED,
    "writing": Measure.WRIT_EXPECTED,
    "maths": Measure.MAT_EXPECTED,
    "mathematics": Measure.MAT_EXPECTED,
    "gps": Measure.GPS_EXPECTED,
}
STATUS_COLUMNS = [
    (SenStatus.NONE, "No SEN"),
    (SenStatus.SEN_SUPPORT, "SEN support"),
    (SenStatus.EHCP, "EHC plan"),
    ("send", "All SEND"),
]


@dataclass
class StatusRow:
    academic_year: int
    year_label: str
    subject: object
    attainment: dict  # column key -> Share at or above ARE
    progress: dict  # column key -> Share making expected progress or better
    national: dict  # column key -> Share (national, expected standard) or None
    focus_attainment: Share | None = None

    @property
    def cells(self):
        """(attainment, progress, national) in the order of STATUS_COLUMNS."""
        return [(self.attainment[k], self.progress[k], self.national[k]) for k, _ in STATUS_COLUMNS]


def _national(membership, years):
    rows = NationalComparator.objects.filter(school_id=membership.school_id, academic_year__in=years)
    return {(c.academic_year, c.measure, c.group): c for c in rows}


def comparator_share(comparator):
    if comparator is None or comparator.numerator is None or not comparator.denominator:
        return None
    return Share.of(comparator.numerator, comparator.denominator)


@dataclass
class StatusReport:
    cohort: object
    rows: list
    rwm_national: list  # (year label, {column: Share or None})
    comparator_years: list


def status_report(membership, cohort, scheme, *, years=3):
    """Core subjects at the chosen point and the same point in earlier years, by SEN status."""
    suppress = membership.suppress_below
    if cohort.point is None:
        return StatusReport(cohort, [], [], [])
    points = [p for p in (cohort.same_point_in(cohort.academic_year - n) for n in range(years)) if p]
    ok = scheme.at_or_above
    progressed = scheme.progressed
    focus = cohort.focus_q("pupil__")
    rows = (
        at_points(membership, [p.pk for p in points])
        .filter(subject_id__in=[s.pk for s in scheme.core_subjects])
        .values("point_id", "subject_id", "pupil__sen_status")
        .annotate(
            n=Count("id", filter=Q(attainment__isnull=False)),
            ok=Count("id", filter=ok),
            pn=Count("id", filter=Q(progress__isnull=False)),
            pok=Count("id", filter=progressed),
            fn=Count("id", filter=focus & Q(attainment__isnull=False)),
            fok=Count("id", filter=focus & ok),
        )
    )
    sums = {}
    for r in rows:
        for column in (r["pupil__sen_status"], "send" if r["pupil__sen_status"] != SenStatus.NONE else None):
            if column is None:
                continue
            acc = sums.setdefault((r["point_id"], r["subject_id"], column), [0, 0, 0, 0])
            for i, k in enumerate(("n", "ok", "pn", "pok")):
                acc[i] += r[k]
        focus_acc = sums.setdefault((r["point_id"], r["subject_id"], "focus"), [0, 0, 0, 0])
        focus_acc[0] += r["fn"]
        focus_acc[1] += r["fok"]
    national = _national(membership, [p.academic_year for p in points])
    groups = {SenStatus.NONE: "N", SenStatus.SEN_SUPPORT: "K", SenStatus.EHCP: "E", "send": "send"}
    result = []
    for p in points:
        for subject in scheme.core_subjects:
            attainment, progress, nat = {}, {}, {}
            measure = SUBJECT_MEASURES.get(subject.name.lower())
            for key, _ in STATUS_COLUMNS:
                n, k_ok, pn, pok = sums.get((p.pk, subject.pk, key), [0, 0, 0, 0])
                attainment[key] = Share.of(k_ok, n, suppress_below=suppress)
                progress[key] = Share.of(pok, pn, suppress_below=suppress)
                nat[key] = comparator_share(national.get((p.academic_year, measure, groups[key])))
            fn, fok, _, _ = sums.get((p.pk, subject.pk, "focus"), [0, 0, 0, 0])
            result.append(
                StatusRow(
                    p.academic_year,
                    academic_year_label(p.academic_year),
                    subject,
                    attainment,
                    progress,
                    nat,
                    Share.of(fok, fn, suppress_below=suppress),
                )
            )
    rwm = [
        (
            academic_year_label(p.academic_year),
            [
                comparator_share(national.get((p.academic_year, Measure.RWM_EXPECTED, groups[key])))
                for key, _ in STATUS_COLUMNS
            ],
        )
        for p in points
    ]
    return StatusReport(cohort, result, rwm, sorted({c[0] for c in national}, reverse=True))


# --- D: individual pupils, interventions, watch list ---------------------------------------


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
class TargetSummary:
    """Pupils of the group with an end-of-year target in a subject: how many are on it."""

    subject: object
    on_target: Share  # on target, of those with an assessment to compare
    below: Figure
    not_assessed: Figure


@dataclass
class PupilsReport:
    cohort: object
    points: list
    subjects: list
    tracks: list | None
    impact: list
    watch: list | None
    targets: list = field(default_factory=list)  # TargetSummary per core subject


END_OF_YEAR = Target.Kind.END_OF_YEAR


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


def _targets_against(queryset, point, before=None):
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
        _targets_against(
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


WATCH_FIELDS = (
    "pupil_id",
    "pupil__legal_surname",
    "pupil__legal_forename",
    "pupil__preferred_forename",
    "pupil__year_group",
    "subject__name",
    "subject__order",
)


def _number(value):
    return "no points" if value is None else f"{value} points"


def _behind_reason(t, point, before):
    """Why a pupil fell behind their end-of-year target, in words."""
    parts = []
    compared = t["attainment__code"] and t["now__attainment__code"]
    if compared and t["now__attainment__order"] < t["attainment__order"]:
        parts.append(f"working at {t['now__attainment__code']}, target {t['attainment__code']}")
    if t["points"] is not None and t["now__points"] is not None and t["now__points"] < t["points"]:
        parts.append(f"{t['now__points']} points, target {t['points']}")
    return f"Fell behind the end-of-year target at {point} (on target at {before}): " + "; ".join(parts) + "."


def _stalled_reason(w, two_back):
    return f"No gain in points since {two_back}: {w['before']} then, {w['points']} now."


def pupils_report(membership, cohort, scheme, *, track_points=3):
    """Each focus pupil's core-subject attainment at the last points and against their
    end-of-year target; intervention impact; the watch list of pupils whose points did not rise
    over the last two points or who are below their end-of-year target."""
    if cohort.point is None:
        return PupilsReport(cohort, [], [], None, [], None)
    index = cohort.points.index(cohort.point)
    points = cohort.points[max(0, index - track_points + 1) : index + 1]
    subjects = scheme.core_subjects
    core_ids = [s.pk for s in subjects]
    focus = cohort.focus_q("pupil__")
    tracks = watch = None
    if membership.sees_pupils:
        pupils = list(
            listed_pupils(membership).filter(cohort.focus_q()).order_by("year_group", "legal_surname")
        )
        # The pupils just read through Pupil.objects.for_membership, by id: the same reach as
        # for_membership's subquery, which a database without statistics plans as a scan of
        # the school's pupils for every row.
        mine = Q(pupil_id__in=[p.pk for p in pupils])
        cells = {}
        for a in Assessment.objects.filter(
            mine, point_id__in=[p.pk for p in points], subject_id__in=core_ids
        ).values("pupil_id", "point_id", "subject_id", "attainment__code", "points"):
            cells.setdefault(a["pupil_id"], {})[(a["point_id"], a["subject_id"])] = (
                a["attainment__code"],
                a["points"],
            )
        before = cohort.previous_point
        targets = list(
            _targets_against(
                Target.objects.filter(mine, subject_id__in=core_ids),
                cohort.point,
                before,
            )
            .values(
                *WATCH_FIELDS,
                "subject_id",
                "attainment__code",
                "attainment__order",
                "points",
                "now__attainment__code",
                "now__attainment__order",
                "now__points",
                "status",
                *(["status_before"] if before else []),
            )
            .order_by()
        )
        by_cell = {(t["pupil_id"], t["subject_id"]): t for t in targets}
        tracks = []
        for p in pupils:
            row = [cells.get(p.pk, {}).get((pt.pk, s.pk)) for s in subjects for pt in points]
            marks = []
            for s in subjects:
                t = by_cell.get((p.pk, s.pk))
                marks.append(
                    TargetCell(
                        s,
                        t["attainment__code"],
                        t["points"],
                        t["now__attainment__code"],
                        t["now__points"],
                        t["status"],
                    )
                    if t
                    else None
                )
            tracks.append(PupilTrack(p, row, marks))
        # Fell behind: below the target now, on it at the previous point. (Pupils below it at
        # both points show as below target in the table and the figures above.)
        watch = [
            {
                **{k: t[k] for k in WATCH_FIELDS},
                "kind": "target",
                "reason": _behind_reason(t, cohort.point, before),
            }
            for t in targets
            if t["status"] == "below" and t.get("status_before") == "on"
        ]
        two_back = cohort.points[index - 2] if index >= 2 else None
        if two_back:
            stalled = (
                with_before(
                    Assessment.objects.filter(mine, point_id=cohort.point.pk, subject_id__in=core_ids),
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
    impact = []
    before = cohort.previous_point
    if before is not None:
        in_intervention = Q(
            pupil_id__in=InterventionPlace.objects.filter(
                run__intervention__school_id=membership.school_id
            ).values("pupil_id")
        )
        rows = (
            with_before(
                at_points(membership, [cohort.point.pk]).filter(focus, subject_id__in=core_ids), before
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
        for subject in subjects:
            r = by_subject.get(subject.pk)
            if not r:
                continue
            small_in = bool(suppress) and 0 < r["in_n"] < suppress
            small_out = bool(suppress) and 0 < r["out_n"] < suppress
            impact.append(
                InterventionImpact(
                    subject,
                    None if small_in else _avg(r["in_avg"]),
                    r["in_n"],
                    None if small_out else _avg(r["out_avg"]),
                    r["out_n"],
                )
            )
    summary = target_summary(membership, cohort, scheme)
    return PupilsReport(cohort, points, subjects, tracks, impact, watch, summary)


# --- E to H: attendance, exclusions, participation -----------------------------------------


@dataclass
class AttendanceRow:
    label: str
    pupils: Figure
    rate: Share | None  # attended sessions of possible sessions
    persistent: Share  # pupils persistently absent of pupils with attendance


@dataclass
class ExclusionRow:
    label: str
    pupils_suspended: Share  # pupils with a suspension, of pupils in the group
    suspensions: Figure
    permanent: Figure
    share_of_suspended: Share  # this group's share of all pupils suspended
    share_of_school: Share  # this group's share of the school
    over_represented: bool | None


@dataclass
class LinkRow:
    label: str
    focus: Share
    rest: Share


@dataclass
class AttendanceReport:
    cohort: object
    academic_year: int
    by_group: list
    by_status: list
    by_need: list
    link: list
    exclusions: list
    participation: list


def attending(membership, year, *, below=None, at_least=None):
    """The school's pupils with attendance in `year`, optionally only those whose attended
    sessions over the year's terms are below, or at least, a share of the possible sessions,
    compared in whole numbers (attended x 100 against possible x percent) as
    attendance.models does. An uncorrelated subquery: the database runs it once."""
    rows = (
        Attendance.objects.filter(pupil__school_id=membership.school_id, academic_year=year)
        .values("pupil_id")
        .annotate(attended_x100=Sum("attended_sessions") * 100, possible=Sum("possible_sessions"))
    )
    if below is not None:
        rows = rows.filter(attended_x100__lt=F("possible") * int(below))
    if at_least is not None:
        rows = rows.filter(attended_x100__gte=F("possible") * int(at_least))
    return rows.values("pupil_id")


def persistently_absent(membership, year):
    """Pupils who missed 10% or more of the year's possible sessions."""
    return attending(membership, year, below=PERSISTENT_ABSENCE_BELOW)


def _attendance_rows(membership, cohort, year):
    """One row per (SEN status, primary need): pupils, sessions, persistent absence and
    suspensions, for everyone and for the focus group, in one pass over the pupils joined to
    their terms of `year` (pupils counted distinct, since a pupil has up to three terms); who is
    persistently absent or suspended comes from two uncorrelated subqueries, each run once."""
    has = Q(term__isnull=False)
    pa = Q(pk__in=persistently_absent(membership, year))
    suspended = Q(
        pk__in=Exclusion.objects.filter(
            pupil__school_id=membership.school_id, academic_year=year, kind=Exclusion.Kind.SUSPENSION
        ).values("pupil_id")
    )
    terms = FilteredRelation("attendance", condition=Q(attendance__academic_year=year))
    rows = (
        school_pupils(membership)
        .annotate(term=terms, in_focus=focus_flag(cohort))
        .values("sen_status", "primary_need", "in_focus")
        .annotate(
            n=Count("pk", distinct=True),
            n_att=Count("pk", filter=has, distinct=True),
            att=Sum("term__attended_sessions"),
            pos=Sum("term__possible_sessions"),
            pa=Count("pk", filter=pa, distinct=True),
            susp=Count("pk", filter=suspended, distinct=True),
        )
        .order_by()
    )
    totals = by_flag(rows, lambda r: (r["sen_status"], r["primary_need"]), FIELDS)
    return [
        {
            "sen_status": status,
            "primary_need": need,
            **{OVERALL[f]: t[f][0] + t[f][1] for f in FIELDS},
            **{IN_FOCUS[f]: t[f][0] for f in FIELDS},
        }
        for (status, need), t in totals.items()
    ]


FIELDS = ("n", "n_att", "att", "pos", "pa", "susp")
OVERALL = {"n": "n", "n_att": "n_att", "att": "att_sum", "pos": "pos_sum", "pa": "pa", "susp": "susp"}
IN_FOCUS = {"n": "f_n", "n_att": "f_att_n", "att": "f_att", "pos": "f_pos", "pa": "f_pa", "susp": "f_susp"}


def _acc(selected, prefix=""):
    keys = IN_FOCUS if prefix else OVERALL
    return {k: sum(r[col] or 0 for r in selected) for k, col in keys.items()}


def _att_row(label, t, suppress):
    small = bool(suppress) and 0 < t["n_att"] < suppress
    rate = None if not t["pos"] or small else Share.of(t["att"], t["pos"])
    return AttendanceRow(
        label,
        Figure.of(t["n"], suppress_below=suppress),
        rate,
        Share.of(t["pa"], t["n_att"], suppress_below=suppress),
    )


def _by_group(cohort, rows, suppress):
    everyone, focus_t = _acc(rows), _acc(rows, "f")
    rest_t = {k: everyone[k] - focus_t[k] for k in everyone}
    return [
        _att_row(cohort.label, focus_t, suppress),
        _att_row("Everyone else", rest_t, suppress),
        _att_row("Whole school", everyone, suppress),
    ]


def attendance_summary(membership, cohort):
    """Attendance and persistent absence of the focus group, everyone else and the school."""
    year = cohort.academic_year or current_academic_year()
    return _by_group(cohort, _attendance_rows(membership, cohort, year), membership.suppress_below)


def attendance_report(membership, cohort, scheme):
    suppress = membership.suppress_below
    year = cohort.academic_year or current_academic_year()
    rows = _attendance_rows(membership, cohort, year)
    everyone, focus_t = _acc(rows), _acc(rows, "f")
    by_group = _by_group(cohort, rows, suppress)

    def acc(selected):
        return _acc(selected)

    def att_row(label, t):
        return _att_row(label, t, suppress)

    status_labels = {
        SenStatus.NONE: "No SEN",
        SenStatus.SEN_SUPPORT: "SEN support",
        SenStatus.EHCP: "EHC plan",
    }
    send_rows = [r for r in rows if r["sen_status"] in SEN_STATUSES_ON_RECORD]
    by_status = [
        att_row(label, acc([r for r in rows if r["sen_status"] == code]))
        for code, label in status_labels.items()
    ]
    by_status.append(att_row("All SEND", acc(send_rows)))
    needs = sorted({r["primary_need"] for r in send_rows if r["primary_need"]})
    by_need = [
        att_row(f"{code} {NEED_LABELS[code]}", acc([r for r in send_rows if r["primary_need"] == code]))
        for code in needs
    ]
    # Exclusions: counts of suspensions by group, and whether the group is over-represented.
    ex_rows = (
        Exclusion.objects.filter(
            pupil__school_id=membership.school_id, pupil__archived_at__isnull=True, academic_year=year
        )
        .values("pupil__sen_status", "pupil__primary_need")
        .annotate(
            suspensions=Count("id", filter=Q(kind=Exclusion.Kind.SUSPENSION)),
            permanent=Count("id", filter=Q(kind=Exclusion.Kind.PERMANENT)),
        )
    )
    ex = {(r["pupil__sen_status"], r["pupil__primary_need"]): r for r in ex_rows}

    def ex_row(label, selected):
        t = acc(selected)
        keys = [(r["sen_status"], r["primary_need"]) for r in selected]
        suspensions = sum(ex.get(k, {}).get("suspensions", 0) for k in keys)
        permanent = sum(ex.get(k, {}).get("permanent", 0) for k in keys)
        of_suspended = Share.of(t["susp"], everyone["susp"], suppress_below=suppress)
        of_school = Share.of(t["n"], everyone["n"], suppress_below=suppress)
        over = None
        if of_suspended.percent is not None and of_school.percent is not None and everyone["susp"]:
            over = of_suspended.percent > of_school.percent
        return ExclusionRow(
            label,
            Share.of(t["susp"], t["n"], suppress_below=suppress),
            Figure.of(suspensions, suppress_below=suppress),
            Figure.of(permanent, suppress_below=suppress),
            of_suspended,
            of_school,
            over,
        )

    exclusions = [
        ex_row(label, [r for r in rows if r["sen_status"] == code]) for code, label in status_labels.items()
    ]
    exclusions.append(ex_row("All SEND", send_rows))
    exclusions += [
        ex_row(f"{code} {NEED_LABELS[code]}", [r for r in send_rows if r["primary_need"] == code])
        for code in needs
    ]
    return AttendanceReport(
        cohort,
        year,
        by_group,
        by_status,
        by_need,
        _attendance_link(membership, cohort, scheme, year, suppress),
        exclusions,
        _participation(membership, cohort, year, suppress, everyone["n"], focus_t["n"]),
    )


def _attendance_link(membership, cohort, scheme, year, suppress):
    """Share of assessments at or above ARE at the chosen point, by the pupil's attendance band
    over the year (grouped by band; each band's pupils come from one uncorrelated subquery)."""
    if cohort.point is None:
        return []
    focus = cohort.focus_q("pupil__")
    ok = scheme.at_or_above
    labels = ["95% or more", "90% to under 95%", "under 90% (persistently absent)"]
    band = Case(
        When(pupil_id__in=attending(membership, year, at_least=95), then=Value(0)),
        When(pupil_id__in=attending(membership, year, at_least=90), then=Value(1)),
        When(pupil_id__in=attending(membership, year), then=Value(2)),
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        at_points(membership, [cohort.point.pk])
        .filter(attainment__isnull=False)
        .annotate(band=band)
        .filter(band__isnull=False)
        .values("band")
        .annotate(
            f=Count("id", filter=focus),
            fok=Count("id", filter=focus & ok),
            r=Count("id", filter=~focus),
            rok=Count("id", filter=~focus & ok),
        )
        .order_by()
    )
    by_band = {r["band"]: r for r in rows}
    empty = {"f": 0, "fok": 0, "r": 0, "rok": 0}
    return [
        LinkRow(
            label,
            Share.of(by_band.get(i, empty)["fok"], by_band.get(i, empty)["f"], suppress_below=suppress),
            Share.of(by_band.get(i, empty)["rok"], by_band.get(i, empty)["r"], suppress_below=suppress),
        )
        for i, label in enumerate(labels)
    ]


def _participation(membership, cohort, year, suppress, school_n, focus_n):
    focus = cohort.focus_q("pupil__")
    rows = (
        Participation.objects.filter(
            pupil__school_id=membership.school_id, pupil__archived_at__isnull=True, academic_year=year
        )
        .values("kind")
        .annotate(
            focus=Count("pupil_id", filter=focus, distinct=True),
            rest=Count("pupil_id", filter=~focus, distinct=True),
        )
    )
    by_kind = {r["kind"]: r for r in rows}
    result = []
    for kind, label in Participation.Kind.choices:
        r = by_kind.get(kind, {"focus": 0, "rest": 0})
        result.append(
            LinkRow(
                label,
                Share.of(r["focus"], focus_n, suppress_below=suppress),
                Share.of(r["rest"], school_n - focus_n, suppress_below=suppress),
            )
        )
    return result


# --- findings -------------------------------------------------------------------------------


def findings_for(membership, academic_year):
    return {
        f.key_question: f
        for f in Finding.objects.filter(school_id=membership.school_id, academic_year=academic_year)
    }


def comparators(membership):
    return NationalComparator.objects.filter(school_id=membership.school_id)


def comparator_for(membership, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(comparators(membership), pk=pk)


def group_labels():
    return dict(ComparatorGroup.choices)
