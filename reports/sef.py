"""The SEF summary as a report service: `sef_figures(school, year, anonymised=...)` gathers every
figure of the SEND self-evaluation into one plain object, a section function per part.

Each section calls the owning app's selector where there is one and otherwise runs its own
aggregate queries (GROUP BY and conditional counts, never a loop over pupils). A section whose
data the product does not hold yet says so (`available=False`, with a note) rather than printing
made-up figures. The object is made of registered dataclasses so that a sign-off can keep it as
JSON (reports/snapshot.py) and render it later exactly as it was.

Conventions, stated once:
- "SEND" means on the SEN record now (SEN support K or EHC plan E), by the pupil's current status.
- Attainment "at or above ARE" is any attainment band above the school's lowest; progress
  "expected or better" is any progress band above the lowest. Denominators are the pupils with a
  band recorded for that subject at that point, including pupils who have left since.
- A gap is the other pupils' percentage minus the SEND pupils' percentage, in percentage points,
  from the rounded percentages printed beside it; it narrows when it gets smaller.
- The governor version passes the school's suppression threshold to every Share and Count.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count as DbCount
from django.db.models import ExpressionWrapper, F, IntegerField, Q, Sum
from django.utils import timezone

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject
from attendance.models import Attendance, BehaviourCount, Exclusion
from core.calendar import academic_year_label as year_label
from core.figures import Count, Share
from interventions.models import Intervention
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, SenStatus
from pupils.selectors import sen_register_summary

from .snapshot import register

SECTIONS = [
    ("context", "Context: the SEND cohort"),
    ("attainment", "Attainment and progress"),
    ("attendance", "Attendance, exclusions and behaviour"),
    ("interventions", "Interventions: impact and cost"),
    ("strengths", "Strengths"),
    ("development", "Areas for development"),
    ("actions", "Actions planned"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]

# Groups compared in the attendance section: label, the statuses (None for every pupil).
GROUPS = [
    ("SEND", list(SEN_STATUSES_ON_RECORD)),
    ("SEN support", [SenStatus.SEN_SUPPORT]),
    ("EHC plan", [SenStatus.EHCP]),
    ("No SEND", [SenStatus.NONE]),
    ("All pupils", None),
]


# -- the figures object -------------------------------------------------------------------------
@register
@dataclass
class Rate:
    """A rate over sessions (attendance), shown to one decimal place; suppressed for governors
    when it is over fewer pupils than the threshold."""

    value: str = ""
    pupils: int = 0
    suppressed: bool = False
    threshold: int = 0

    @classmethod
    def of(cls, part, whole, pupils, *, suppress_below=0):
        if suppress_below and 0 < pupils < suppress_below:
            return cls(suppressed=True, threshold=suppress_below)
        if not whole:
            return cls(value="", pupils=pupils)
        exact = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return cls(value=f"{exact}", pupils=pupils)

    @property
    def number(self):
        return None if self.suppressed or not self.value else Decimal(self.value)

    def __str__(self):
        if self.suppressed:
            return f"fewer than {self.threshold}"
        return f"{self.value}%" if self.value else "no data"


@register
@dataclass
class NeedLine:
    label: str
    sen_support: Count
    ehcp: Count
    total: Count
    share: Share


@register
@dataclass
class GroupLine:
    label: str
    send: Share
    others: Share


@register
@dataclass
class ContextSection:
    as_at: datetime.date
    pupils: int
    sen_support: Count
    ehcp: Count
    on_record: Count
    send_share: Share
    ehcp_share: Share
    national_year: int
    national_send: float
    national_ehcp: float
    needs: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@register
@dataclass
class GapRow:
    subject: str
    point: str
    send: Share
    others: Share
    gap: int | None
    previous_point: str = ""
    previous_gap: int | None = None
    last_year_point: str = ""
    last_year_gap: int | None = None

    @property
    def term_trend(self):
        return trend_word(self.gap, self.previous_gap)

    @property
    def year_trend(self):
        return trend_word(self.gap, self.last_year_gap)


@register
@dataclass
class TrendLine:
    subject: str
    gaps: list


@register
@dataclass
class Measure:
    key: str
    title: str
    rows: list = field(default_factory=list)
    trend_points: list = field(default_factory=list)
    trend: list = field(default_factory=list)


@register
@dataclass
class AttainmentSection:
    available: bool
    note: str = ""
    measures: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@register
@dataclass
class AttendanceLine:
    group: str
    pupils: Count
    rate: Rate
    previous_rate: Rate
    persistent_absence: Share
    suspended: Share
    suspensions: Count
    suspension_days: str
    permanent: Count
    incidents_per_pupil: str


@register
@dataclass
class AttendanceSection:
    available: bool
    note: str = ""
    previous_year: str = ""
    lines: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@register
@dataclass
class InterventionLine:
    name: str
    wave: str
    need: str
    runs: int
    places: Count
    send_places: Share


@register
@dataclass
class ImpactLine:
    name: str
    runs: int
    pupils: Count
    mean_gain: str
    gain_per_week: str
    exit_met: Share
    hours: str
    cost: str
    cost_per_pupil: str
    cost_per_gain: str


@register
@dataclass
class InterventionSection:
    available: bool
    note: str = ""
    lines: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    impact_available: bool = False
    impact_note: str = ""
    impact: list = field(default_factory=list)


@register
@dataclass
class QuestionLine:
    question: str
    strengths: Count
    developments: Count
    conclusion: str = ""


@register
@dataclass
class QualitativeSection:
    available: bool
    note: str = ""
    questions: list = field(default_factory=list)
    strengths: int = 0
    developments: int = 0
    findings: list = field(default_factory=list)


@register
@dataclass
class ActionLine:
    priority: str
    description: str
    owner: str
    success_criteria: str
    review_date: datetime.date
    phase: str
    status: str


@register
@dataclass
class ActionsSection:
    available: bool
    note: str = ""
    lines: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@register
@dataclass
class PendingSection:
    """A part of the SEF whose figures the product does not hold yet: the narrative carries it."""

    available: bool = False
    note: str = ""
    findings: list = field(default_factory=list)


@register
@dataclass
class SefFigures:
    school_name: str
    academic_year: int
    year_label: str
    as_at: datetime.date
    anonymised: bool
    suppress_below: int
    context: ContextSection
    attainment: AttainmentSection
    attendance: AttendanceSection
    interventions: InterventionSection
    qualitative: QualitativeSection
    actions: ActionsSection


# -- helpers ------------------------------------------------------------------------------------
def trend_word(now, before):
    if now is None or before is None:
        return "no earlier figure"
    if now < before:
        return f"narrowing (from {before} to {now} points)"
    if now > before:
        return f"widening (from {before} to {now} points)"
    return f"unchanged at {now} points"


def gap_between(send, others):
    """Others' percentage minus SEND pupils' percentage, or None when either is not shown."""
    if send.percent is None or others.percent is None:
        return None
    return others.percent - send.percent


def year_window(academic_year):
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def _status_q(prefix, statuses):
    return Q() if statuses is None else Q(**{f"{prefix}sen_status__in": statuses})


# -- sections -----------------------------------------------------------------------------------
def context_section(school, *, suppress_below):
    """The cohort by status and need against the national figures, and the vulnerable groups
    within it (pupils.selectors for the register; one more query for the groups)."""
    summary = sen_register_summary(school, suppress_below=suppress_below)
    needs = [NeedLine(n.label, n.sen_support, n.ehcp, n.total, n.share_of_register) for n in summary.needs]
    send = Q(sen_status__in=SEN_STATUSES_ON_RECORD)
    flags = [("pupil_premium", "Pupil premium"), ("fsm", "Free school meals"), ("eal", "EAL")]
    flags += [("lac", "Looked after"), ("boys", "Boys")]
    aggregates = {"send_n": DbCount("pk", filter=send), "others_n": DbCount("pk", filter=~send)}
    for flag, _ in flags:
        has = Q(gender="M") if flag == "boys" else Q(**{flag: True})
        aggregates[f"send_{flag}"] = DbCount("pk", filter=send & has)
        aggregates[f"others_{flag}"] = DbCount("pk", filter=~send & has)
    counts = Pupil.objects.filter(school=school).active().aggregate(**aggregates)
    groups = [
        GroupLine(
            label,
            Share.of(counts[f"send_{flag}"], counts["send_n"], suppress_below=suppress_below),
            Share.of(counts[f"others_{flag}"], counts["others_n"], suppress_below=suppress_below),
        )
        for flag, label in flags
    ]
    findings = []
    if summary.total:
        findings.append(
            f"{summary.send_share} of pupils are on the SEND record ({summary.sen_support} SEN support, "
            f"{summary.ehcp} with an EHC plan), against {summary.national_send}% nationally in "
            f"{summary.national_year}; {summary.ehcp_share} have an EHC plan, against "
            f"{summary.national_ehcp}% nationally."
        )
        if needs:
            top = needs[0]
            findings.append(f"The most common primary need is {top.label}: {top.share} of the SEND record.")
        for line in groups:
            difference = gap_between(line.others, line.send)
            if difference is not None and difference >= 10:
                findings.append(
                    f"{line.label} pupils are over-represented on the SEND record: {line.send} of SEND "
                    f"pupils against {line.others} of the others."
                )
    return ContextSection(
        as_at=timezone.localdate(),
        pupils=summary.total,
        sen_support=summary.sen_support,
        ehcp=summary.ehcp,
        on_record=summary.on_record,
        send_share=summary.send_share,
        ehcp_share=summary.ehcp_share,
        national_year=summary.national_year,
        national_send=summary.national_send,
        national_ehcp=summary.national_ehcp,
        needs=needs,
        groups=groups,
        findings=findings,
    )


def attainment_section(school, academic_year, *, suppress_below):
    """SEND pupils against the others in each core subject: the latest point of the year with data,
    against the point before it and the last point of the year before, and the gap over three
    years (the last point of each earlier year and every point of this one). One grouped query
    for the figures, four small ones for the scheme."""
    subjects = list(Subject.objects.filter(school=school, is_core=True).values_list("pk", "name"))
    points = list(
        AssessmentPoint.objects.filter(
            school=school, academic_year__range=(academic_year - 2, academic_year)
        ).values_list("pk", "academic_year", "name")
    )
    attainment_bands = list(AttainmentBand.objects.filter(school=school).values_list("pk", "order"))
    progress_bands = list(ProgressBand.objects.filter(school=school).values_list("pk", "order"))
    if not subjects or not points or not attainment_bands:
        return AttainmentSection(False, "The school's assessment scheme has no core subjects or points yet.")
    # Written without joins (band ids instead of band orders, the SEND pupils as a subquery), so
    # that the plan stays a single scan of the school's assessments whatever the table statistics.
    send = Q(
        pupil__in=Pupil.objects.filter(school=school, sen_status__in=SEN_STATUSES_ON_RECORD).values("pk")
    )
    has_a, above_a = Q(attainment__isnull=False), Q(attainment_id__in=_above_lowest(attainment_bands))
    has_p, above_p = Q(progress__isnull=False), Q(progress_id__in=_above_lowest(progress_bands))
    cells = {
        (row["point_id"], row["subject_id"]): row
        for row in Assessment.objects.filter(
            point_id__in=[p[0] for p in points], subject_id__in=[s[0] for s in subjects]
        )
        .values("point_id", "subject_id")
        .annotate(
            a_send_n=DbCount("pk", filter=send & has_a),
            a_send_k=DbCount("pk", filter=send & above_a),
            a_others_n=DbCount("pk", filter=~send & has_a),
            a_others_k=DbCount("pk", filter=~send & above_a),
            p_send_n=DbCount("pk", filter=send & has_p),
            p_send_k=DbCount("pk", filter=send & above_p),
            p_others_n=DbCount("pk", filter=~send & has_p),
            p_others_k=DbCount("pk", filter=~send & above_p),
        )
        .order_by()
    }
    if not any(key[0] for key in cells):
        return AttainmentSection(
            False, f"No assessments are recorded for {year_label(academic_year)} or the two years before."
        )
    measures = []
    findings = []
    for key, title in (("a", "At or above age-related expectations"), ("p", "Expected progress or better")):
        measure = Measure(key=key, title=title)
        with_data = [
            (pk, year) for pk, year, _ in points if any(_has(cells.get((pk, s)), key) for s, _ in subjects)
        ]
        # The trend: the last point of each earlier year, then every point of this year.
        earlier = sorted({year for _, year in with_data if year < academic_year})
        trend_points = [[p for p in with_data if p[1] == year][-1] for year in earlier]
        trend_points += [p for p in with_data if p[1] == academic_year]
        names = {pk: f"{name} {year_label(year)}" for pk, year, name in points}
        measure.trend_points = [names[pk] for pk, _ in trend_points]
        for subject_pk, subject_name in subjects:
            series = []  # (point pk, year, send, others, gap) where there is data
            for pk, year in trend_points:
                row = cells.get((pk, subject_pk))
                if not _has(row, key):
                    series.append(None)
                    continue
                s = Share.of(row[f"{key}_send_k"], row[f"{key}_send_n"], suppress_below=suppress_below)
                o = Share.of(row[f"{key}_others_k"], row[f"{key}_others_n"], suppress_below=suppress_below)
                series.append((pk, year, s, o, gap_between(s, o)))
            measure.trend.append(TrendLine(subject_name, [item[4] if item else None for item in series]))
            present = [item for item in series if item]
            this_year = [item for item in present if item[1] == academic_year]
            if not this_year:
                continue
            now = this_year[-1]
            earlier = present[: present.index(now)]
            before = earlier[-1] if earlier else None
            last_year = [item for item in present if item[1] == academic_year - 1]
            measure.rows.append(
                GapRow(
                    subject=subject_name,
                    point=names[now[0]],
                    send=now[2],
                    others=now[3],
                    gap=now[4],
                    previous_point=names[before[0]] if before else "",
                    previous_gap=before[4] if before else None,
                    last_year_point=names[last_year[-1][0]] if last_year else "",
                    last_year_gap=last_year[-1][4] if last_year else None,
                )
            )
        shown = [row for row in measure.rows if row.gap is not None]
        if shown:
            widest = max(shown, key=lambda r: r.gap)
            findings.append(
                f"{title}: the largest gap is in {widest.subject.lower()} at {widest.point}, {widest.gap} "
                f"points (SEND {widest.send}, others {widest.others}), {widest.term_trend} since "
                f"{widest.previous_point or 'the previous point'}."
            )
        elif measure.rows:
            findings.append(f"{title}: the groups are too small to show.")
        measures.append(measure)
    if not any(m.rows for m in measures):
        return AttainmentSection(False, f"No assessments are recorded for {year_label(academic_year)}.")
    return AttainmentSection(True, measures=measures, findings=findings)


def _above_lowest(bands):
    """The ids of every band above the lowest of an ordered scale."""
    lowest = min((order for _, order in bands), default=None)
    return [pk for pk, order in bands if order != lowest]


def _has(row, key):
    return bool(row) and (row[f"{key}_send_n"] + row[f"{key}_others_n"]) > 0


def attendance_section(school, academic_year, *, suppress_below):
    """Attendance, persistent absence, suspensions, exclusions and behaviour for each group,
    over the pupils with attendance recorded in the year. Four aggregate queries."""
    year_q = Q(attendance__academic_year=academic_year)
    per_pupil = (
        Pupil.objects.filter(school=school)
        .annotate(
            att=Sum("attendance__attended_sessions", filter=year_q),
            pos=Sum("attendance__possible_sessions", filter=year_q),
        )
        .filter(pos__gt=0)
        .annotate(margin=ExpressionWrapper(F("att") * 10 - F("pos") * 9, output_field=IntegerField()))
    )
    sums, prev, excl, behaviour = {}, {}, {}, {}
    for i, (_, statuses) in enumerate(GROUPS):
        g = _status_q("", statuses)
        sums[f"n{i}"] = DbCount("pk", filter=g)
        sums[f"att{i}"] = Sum("att", filter=g)
        sums[f"pos{i}"] = Sum("pos", filter=g)
        sums[f"pa{i}"] = DbCount("pk", filter=g & Q(margin__lt=0))
        gp = _status_q("pupil__", statuses)
        prev[f"n{i}"] = DbCount("pupil", distinct=True, filter=gp)
        prev[f"att{i}"] = Sum("attended_sessions", filter=gp)
        prev[f"pos{i}"] = Sum("possible_sessions", filter=gp)
        suspension = gp & Q(kind=Exclusion.Kind.SUSPENSION)
        excl[f"s{i}"] = DbCount("pk", filter=suspension)
        excl[f"sp{i}"] = DbCount("pupil", distinct=True, filter=suspension)
        excl[f"sd{i}"] = Sum("days", filter=suspension)
        excl[f"p{i}"] = DbCount("pk", filter=gp & Q(kind=Exclusion.Kind.PERMANENT))
        behaviour[f"b{i}"] = Sum("incidents", filter=gp)
    now = per_pupil.aggregate(**sums)
    if not now["n4"]:
        return AttendanceSection(False, f"No attendance is recorded for {year_label(academic_year)}.")
    before = Attendance.objects.for_school(school).filter(academic_year=academic_year - 1).aggregate(**prev)
    excluded = Exclusion.objects.for_school(school).filter(academic_year=academic_year).aggregate(**excl)
    incidents = (
        BehaviourCount.objects.for_school(school).filter(academic_year=academic_year).aggregate(**behaviour)
    )
    lines = []
    for i, (label, _) in enumerate(GROUPS):
        n = now[f"n{i}"]
        small = bool(suppress_below) and 0 < n < suppress_below
        days = excluded[f"sd{i}"] or 0
        per_pupil_incidents = (
            (Decimal(incidents[f"b{i}"] or 0) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if n
            else None
        )
        lines.append(
            AttendanceLine(
                group=label,
                pupils=Count.of(n, suppress_below=suppress_below),
                rate=Rate.of(now[f"att{i}"] or 0, now[f"pos{i}"] or 0, n, suppress_below=suppress_below),
                previous_rate=Rate.of(
                    before[f"att{i}"] or 0,
                    before[f"pos{i}"] or 0,
                    before[f"n{i}"],
                    suppress_below=suppress_below,
                ),
                persistent_absence=Share.of(now[f"pa{i}"], n, suppress_below=suppress_below),
                suspended=Share.of(excluded[f"sp{i}"], n, suppress_below=suppress_below),
                suspensions=Count.of(excluded[f"s{i}"], suppress_below=suppress_below),
                suspension_days=(
                    "suppressed"
                    if small or Count.of(excluded[f"s{i}"], suppress_below=suppress_below).suppressed
                    else f"{Decimal(days).normalize():f}"
                ),
                permanent=Count.of(excluded[f"p{i}"], suppress_below=suppress_below),
                incidents_per_pupil="suppressed" if small else f"{per_pupil_incidents}",
            )
        )
    send, others = lines[0], lines[3]
    findings = []
    if send.rate.number is not None and others.rate.number is not None:
        gap = others.rate.number - send.rate.number
        trend = ""
        if send.previous_rate.number is not None:
            change = send.rate.number - send.previous_rate.number
            word = "up" if change > 0 else "down" if change < 0 else "unchanged"
            trend = (
                f"; SEND attendance is {word}"
                + (f" {abs(change)} points" if change else "")
                + (f" on {year_label(academic_year - 1)} ({send.previous_rate})")
            )
        findings.append(
            f"SEND pupils attended {send.rate} of sessions against {others.rate} for the others, a gap of "
            f"{gap} points{trend}."
        )
    if send.persistent_absence.percent is not None and others.persistent_absence.percent is not None:
        findings.append(
            f"{send.persistent_absence} of SEND pupils are persistently absent (below 90%), against "
            f"{others.persistent_absence} of the others."
        )
    if not send.suspended.suppressed and not others.suspended.suppressed:
        findings.append(
            f"{send.suspended} of SEND pupils were suspended at least once, against "
            f"{others.suspended} of the others; {send.permanent} SEND pupils were permanently excluded."
        )
    return AttendanceSection(
        True, previous_year=year_label(academic_year - 1), lines=lines, findings=findings
    )


def interventions_section(school, academic_year, *, suppress_below):
    """The interventions that ran in the year with their places. Impact and cost per pupil come
    from the provision map (interventions issue) when its selectors land."""
    start, end = year_window(academic_year)
    in_year = Q(runs__start_date__lte=end) & (Q(runs__end_date__isnull=True) | Q(runs__end_date__gte=start))
    rows = (
        Intervention.objects.filter(school=school)
        .filter(in_year)
        .annotate(
            n_runs=DbCount("runs", distinct=True, filter=in_year),
            n_places=DbCount("runs__places", distinct=True, filter=in_year),
            n_send=DbCount(
                "runs__places",
                distinct=True,
                filter=in_year & Q(runs__places__pupil__sen_status__in=SEN_STATUSES_ON_RECORD),
            ),
        )
        .order_by("name")
    )
    lines = [
        InterventionLine(
            name=row.name,
            wave=row.get_wave_display().split(" — ")[0],
            need=row.area_of_need,
            runs=row.n_runs,
            places=Count.of(row.n_places, suppress_below=suppress_below),
            send_places=Share.of(row.n_send, row.n_places, suppress_below=suppress_below),
        )
        for row in rows
    ]
    impact, findings = _impact(school, academic_year, suppress_below=suppress_below)
    impact_note = (
        ""
        if impact
        else "Impact, cost per pupil and value for money are shown once the provision map records "
        "baselines, exit scores, sessions and costs for the interventions of the year."
    )
    if not lines:
        return InterventionSection(
            False, f"No intervention ran in {year_label(academic_year)}.", impact_note=impact_note
        )
    return InterventionSection(
        True,
        lines=lines,
        findings=findings,
        impact_available=bool(impact),
        impact_note=impact_note,
        impact=impact,
    )


def _money(value):
    return "" if value is None else f"£{value:,.2f}"


def _impact(school, academic_year, *, suppress_below):
    """Impact and cost per intervention from the provision map (interventions.selectors)."""
    from interventions.selectors import intervention_impact, ranked_by_impact, ranked_by_value

    rows = intervention_impact(school, academic_year, suppress_below=suppress_below)
    if not any(row.finished for row in rows):
        return [], []
    lines = [
        ImpactLine(
            name=row.intervention.name,
            runs=row.runs,
            pupils=row.pupils,
            mean_gain="" if row.mean_gain is None else f"{row.mean_gain}",
            gain_per_week="" if row.gain_per_week is None else f"{row.gain_per_week}",
            exit_met=row.exit_met,
            hours=f"{row.hours_delivered}",
            cost=_money(row.cost),
            cost_per_pupil=_money(row.cost_per_pupil),
            cost_per_gain=_money(row.cost_per_gain),
        )
        for row in rows
    ]
    findings = []
    ranked = ranked_by_impact(rows)
    if ranked:
        best = ranked[0]
        findings.append(
            f"Most impact: {best.intervention.name}, a mean gain of {best.gain_per_week} a week "
            f"({best.mean_gain} in all) at {_money(best.cost_per_pupil)} a pupil."
        )
    if len(ranked) > 1:
        worst = ranked[-1]
        findings.append(
            f"Least impact: {worst.intervention.name}, a mean gain of {worst.gain_per_week} a week "
            f"({worst.mean_gain} in all) at {_money(worst.cost_per_pupil)} a pupil."
        )
    value = ranked_by_value(rows)
    if value:
        findings.append(
            f"Best value for money: {value[0].intervention.name}, "
            f"{_money(value[0].cost_per_gain)} per unit of gain."
        )
    return lines, findings


def qualitative_section(school, academic_year):
    """Evidence counted by Part Two question (strengths and areas for development) and the
    SENCO's conclusions, from the evidence log (evidence.selectors). These are counts of items and
    name no pupil, so the governor version shows them too."""
    from evidence.selectors import part_two_overview

    lines = [
        QuestionLine(str(row.tag), row.counts.strengths, row.counts.developments, row.conclusion)
        for row in part_two_overview(school, academic_year)
        if row.counts.total.value or row.conclusion
    ]
    if not lines:
        return QualitativeSection(
            False,
            f"No evidence (lesson observations, pupil and parent voice, work scrutiny) is logged for "
            f"{year_label(academic_year)} yet; the SENCO's narrative below stands alone.",
        )
    strengths = sum(line.strengths.value for line in lines)
    developments = sum(line.developments.value for line in lines)
    findings = [
        f"Evidence logged this year: {strengths} items judged strengths and {developments} areas for "
        f"development, across {len(lines)} of the Part Two questions."
    ]
    return QualitativeSection(
        True, questions=lines, strengths=strengths, developments=developments, findings=findings
    )


def actions_section(school, academic_year):
    """The SEND action plan (interventions app: priorities and their actions), stopped ones left out."""
    from interventions.models import Action

    rows = (
        Action.objects.filter(priority__school=school)
        .exclude(status=Action.Status.DROPPED)
        .select_related("priority")
        .order_by("review_date", "pk")
    )
    lines = [
        ActionLine(
            priority=a.priority.title,
            description=a.description,
            owner=a.owner,
            success_criteria=a.success_criteria,
            review_date=a.review_date,
            phase=a.get_phase_display(),
            status=a.get_status_display(),
        )
        for a in rows
    ]
    if not lines:
        return ActionsSection(
            False,
            "No action is recorded in the SEND action plan yet; the SENCO's narrative below stands alone.",
        )
    done = sum(line.status == Action.Status.DONE.label for line in lines)
    return ActionsSection(
        True, lines=lines, findings=[f"{done} of {len(lines)} actions in the plan are done."]
    )


def sef_figures(school, academic_year, *, anonymised):
    """Every figure of the SEF summary for a school and academic year. Anonymised (the governor
    version) suppresses every figure over fewer pupils than the school's threshold."""
    suppress_below = school.suppression_threshold if anonymised else 0
    return SefFigures(
        school_name=school.name,
        academic_year=academic_year,
        year_label=year_label(academic_year),
        as_at=timezone.localdate(),
        anonymised=anonymised,
        suppress_below=suppress_below,
        context=context_section(school, suppress_below=suppress_below),
        attainment=attainment_section(school, academic_year, suppress_below=suppress_below),
        attendance=attendance_section(school, academic_year, suppress_below=suppress_below),
        interventions=interventions_section(school, academic_year, suppress_below=suppress_below),
        qualitative=qualitative_section(school, academic_year),
        actions=actions_section(school, academic_year),
    )
