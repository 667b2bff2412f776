"""Reads of interventions: the catalogue, the Appendix C sheet of a run, impact and value for
money, the provision map and gap suggestions for the action plan.

Every figure over pupils is computed by the database (GROUP BY with conditional counts and
averages, correlated subqueries); Python only combines a handful of rows per intervention or
per run (cost = rate x hours + resources) and ranks them. Query counts do not depend on the
number of pupils.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from assessment.bands import Bands
from assessment.models import Assessment, AssessmentPoint
from core import policy
from core.calendar import academic_year_label, academic_year_of, term_of
from core.disclosure import Table
from core.figures import Count as CountFigure
from core.figures import Share
from pupils.models import SEN_STATUSES_ON_RECORD, YEAR_GROUPS, Pupil

from .models import Action, Intervention, InterventionPlace, InterventionRun, InterventionSession, Priority

TERMS = {1: "Autumn", 2: "Spring", 3: "Summer"}
YEAR_LABELS = dict(YEAR_GROUPS)
GAIN = ExpressionWrapper(
    F("exit_score") - F("baseline"), output_field=DecimalField(max_digits=8, decimal_places=1)
)
FINISHED = Q(baseline__isnull=False, exit_score__isnull=False)
# Hours-of-support bands for "is there a relation between the support given and progress?"
HOUR_BANDS = [
    (0, 5, "under 5 hours"),
    (5, 10, "5 to 10 hours"),
    (10, 20, "10 to 20 hours"),
    (20, None, "20 hours or more"),
]


def dec(value, places="0.01"):
    """A database number (Decimal on PostgreSQL, float on SQLite) as a Decimal rounded half up."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def year_bounds(academic_year):
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def runs_in_year(school, academic_year):
    start, end = year_bounds(academic_year)
    return InterventionRun.objects.filter(intervention__school=school, start_date__range=(start, end))


def hours(minutes):
    return Decimal(minutes or 0) / 60


# -- catalogue -----------------------------------------------------------------------------


def catalogue(membership):
    """The school's interventions with their number of runs and of pupil places (two queries
    with the lead)."""
    places = (
        InterventionPlace.objects.filter(run__intervention=OuterRef("pk"))
        .order_by()
        .values("run__intervention")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Intervention.objects.filter(school=membership.school)
        .select_related("lead", "subject")
        .annotate(run_count=Count("runs"), place_count=Coalesce(Subquery(places), 0))
        .order_by("name")  # Meta.ordering is not applied to a GROUP BY query
    )


def interventions_for(membership):
    return Intervention.objects.filter(school=membership.school)


def places_with_figures(places):
    """Places annotated with gain, sessions attended, sessions held and minutes attended."""
    attended = (
        InterventionPlace.objects.filter(pk=OuterRef("pk"))
        .annotate(
            n=Count("attendance", filter=Q(attendance__present=True)),
            m=Sum("attendance__session__minutes", filter=Q(attendance__present=True)),
        )
        .values("n", "m")
    )
    held = (
        InterventionSession.objects.filter(run=OuterRef("run"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return places.annotate(
        gain=GAIN,
        sessions_attended=Coalesce(Subquery(attended.values("n")), 0),
        minutes_attended=Coalesce(Subquery(attended.values("m")), 0),
        sessions_held=Coalesce(Subquery(held), 0),
    )


@dataclass
class PupilRow:
    place: InterventionPlace
    gain: Decimal | None
    rate: Decimal | None
    hours: Decimal
    attendance: Share
    checkpoints: list  # score or None, by the sheet's checkpoint weeks


@dataclass
class RunSheet:
    run: InterventionRun
    intervention: Intervention
    weeks: list
    rows: list
    sessions: list
    sessions_held: int
    hours_delivered: Decimal
    cost: Decimal
    group_size: int


def run_sheet(membership, run):
    """The Appendix C monitoring sheet of a run: four queries whatever the group size."""
    intervention = run.intervention
    places = places_with_figures(
        InterventionPlace.objects.for_membership(membership)
        .filter(run=run)
        .select_related("pupil")
        .prefetch_related("checkpoints")
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    places = list(places)
    weeks = sorted({c.week for place in places for c in place.checkpoints.all()})
    rows = []
    for place in places:
        by_week = {c.week: c.score for c in place.checkpoints.all()}
        rows.append(
            PupilRow(
                place=place,
                gain=place.gain,
                rate=dec(place.gain / intervention.weeks) if place.gain is not None else None,
                hours=dec(hours(place.minutes_attended)),
                attendance=Share.of(place.sessions_attended, place.sessions_held),
                checkpoints=[by_week.get(week) for week in weeks],
            )
        )
    sessions = list(
        run.sessions.select_related("delivered_by").annotate(
            present=Count("attendance", filter=Q(attendance__present=True))
        )
    )
    minutes = sum(s.minutes for s in sessions)
    return RunSheet(
        run=run,
        intervention=intervention,
        weeks=weeks,
        rows=rows,
        sessions=sessions,
        sessions_held=len(sessions),
        hours_delivered=dec(hours(minutes)),
        cost=dec(intervention.staff_hourly_rate * hours(minutes) + intervention.resources_cost),
        group_size=run.places.count(),
    )


# -- impact --------------------------------------------------------------------------------

# An intervention is ranked against the others on its measure only when at least this many
# pupils have a baseline and an exit score: a mean over one or two pupils says little.
MIN_RANKED_PUPILS = 3


@dataclass(frozen=True)
class ExitJudgement:
    """How many pupils met the exit criteria, over the pupils whose exit has been judged only,
    with those not yet judged counted beside it: "2 of 3 judged met the exit criteria: 67%
    (2/3); 3 not yet judged". Under a governor's threshold it shows no number at all."""

    met: int
    judged: int
    not_judged: int
    suppressed: bool = False
    threshold: int = 0

    @classmethod
    def of(cls, met, judged, not_judged, *, suppress_below=0):
        if Share.of(met, judged, suppress_below=suppress_below).suppressed:
            return cls(0, 0, 0, suppressed=True, threshold=suppress_below)
        return cls(met, judged, not_judged)

    @property
    def share(self):
        if self.suppressed:
            return Share(0, 0, suppressed=True, threshold=self.threshold)
        return Share.of(self.met, self.judged)

    def __str__(self):
        if self.suppressed:
            return str(self.share)
        waiting = f"{self.not_judged} not yet judged"
        if not self.judged:
            return f"none judged yet; {waiting}" if self.not_judged else "no pupils"
        judged = f"{self.met} of {self.judged} judged met the exit criteria: {self.share}"
        return f"{judged}; {waiting}" if self.not_judged else judged


@dataclass
class ImpactRow:
    intervention: Intervention
    runs: int
    pupils: CountFigure
    finished: int
    mean_gain: Decimal | None
    gain_per_week: Decimal | None
    exit_met: ExitJudgement
    hours_delivered: Decimal
    cost: Decimal
    cost_per_pupil: Decimal | None
    cost_per_gain: Decimal | None
    suppressed: bool = False
    # The true figures, for ranking every reader's list in the same order; never shown when
    # `suppressed`.
    rank_gain_per_week: Decimal | None = field(default=None, repr=False)
    rank_cost_per_gain: Decimal | None = field(default=None, repr=False)
    suppress_below: int = 0

    @property
    def finished_figure(self):
        """Pupils with a baseline and an exit score, as the reader may see it."""
        return CountFigure.of(self.finished, suppress_below=self.suppress_below)

    @property
    def finished_text(self):
        if not self.finished:
            return "no pupil has a baseline and an exit score yet"
        figure = self.finished_figure
        if figure.suppressed:  # a count under the threshold (primary only): "fewer than 5" is true
            return f"fewer than {figure.threshold} pupils with a baseline and an exit score"
        return f"{figure} {'pupil' if str(figure) == '1' else 'pupils'} with a baseline and an exit score"


def intervention_impact(school, academic_year, *, suppress_below=0):
    """Per intervention: pupils, mean gain and gain a week, share meeting the exit criteria,
    hours delivered, cost, cost per pupil and per unit of gain. Three GROUP BY queries.

    Cost is the staff hourly rate times the hours delivered (sessions recorded) plus the
    resources of each run. Mean gain is over pupils with a baseline and an exit score; the
    share meeting the exit criteria over pupils whose exit has been judged (met or not met),
    with those not yet judged counted apart; cost per unit of gain is the cost over the sum of
    the gains.
    """
    runs = runs_in_year(school, academic_year)
    by_places = {
        row["run__intervention"]: row
        for row in InterventionPlace.objects.filter(run__in=runs)
        .values("run__intervention")
        .annotate(
            pupils=Count("pk"),
            finished=Count("pk", filter=FINISHED),
            judged=Count("pk", filter=Q(exit_criteria_met__isnull=False)),
            met=Count("pk", filter=Q(exit_criteria_met=True)),
            mean_gain=Avg(GAIN, filter=FINISHED),
            total_gain=Sum(GAIN, filter=FINISHED),
        )
    }
    by_sessions = {
        row["run__intervention"]: row["minutes"]
        for row in InterventionSession.objects.filter(run__in=runs)
        .values("run__intervention")
        .annotate(minutes=Sum("minutes"))
    }
    start, end = year_bounds(academic_year)
    interventions = (
        Intervention.objects.filter(school=school)
        .annotate(run_count=Count("runs", filter=Q(runs__start_date__range=(start, end))))
        .order_by("name")  # Meta.ordering is not applied to a GROUP BY query
    )
    rows = []
    for intervention in interventions:
        if not intervention.run_count:
            continue
        p = by_places.get(intervention.pk, {})
        delivered = hours(by_sessions.get(intervention.pk))
        rows.append(_impact_row(intervention, p, delivered, suppress_below))
    return rows


def _impact_row(intervention, p, delivered, suppress_below):
    """One intervention's figures from its grouped counts `p` and the hours delivered."""
    pupils = p.get("pupils", 0)
    resources = intervention.resources_cost * intervention.run_count
    cost = dec(intervention.staff_hourly_rate * delivered + resources)
    total_gain = dec(p.get("total_gain"), "0.1")
    mean_gain = dec(p.get("mean_gain"))
    per_week = None if mean_gain is None else dec(mean_gain / intervention.weeks)
    per_gain = None if not total_gain or total_gain <= 0 else dec(cost / total_gain)
    finished = p.get("finished", 0)
    # Gains are means over the pupils with a baseline and an exit score, costs per pupil over
    # all the pupils: hide both when either group is under the threshold.
    small = bool(suppress_below) and (pupils < suppress_below or 0 < finished < suppress_below)
    judged = p.get("judged", 0)
    return ImpactRow(
        intervention=intervention,
        runs=intervention.run_count,
        pupils=CountFigure.of(pupils, suppress_below=suppress_below),
        finished=finished,
        mean_gain=None if small else mean_gain,
        gain_per_week=None if small else per_week,
        exit_met=ExitJudgement.of(p.get("met", 0), judged, pupils - judged, suppress_below=suppress_below),
        hours_delivered=dec(delivered),
        cost=cost,
        cost_per_pupil=None if small or not pupils else dec(cost / pupils),
        cost_per_gain=None if small else per_gain,
        suppressed=small,
        rank_gain_per_week=per_week,
        rank_cost_per_gain=per_gain,
        suppress_below=suppress_below,
    )


@dataclass
class MeasureRanking:
    """The interventions of one measure, ranked against each other only."""

    measure: str
    by_impact: list  # ImpactRow, highest gain a week first
    by_value: list  # ImpactRow with a cost per unit of gain, lowest first

    @property
    def table(self):
        """(rank by gain a week, row, rank by cost per unit of gain or None), in impact order."""
        value_rank = {id(row): n for n, row in enumerate(self.by_value, 1)}
        return [(n, row, value_rank.get(id(row))) for n, row in enumerate(self.by_impact, 1)]


@dataclass
class ImpactRanking:
    measures: list  # MeasureRanking, one per measure
    unranked: list  # ImpactRow with fewer than `minimum` pupils with a baseline and an exit score
    minimum: int

    @property
    def compared(self):
        """The measures two or more ranked interventions share: each a ranking of its own."""
        return [m for m in self.measures if len(m.by_impact) > 1]

    @property
    def alone(self):
        """Ranked interventions with no other on their measure: nothing to rank them against."""
        return [m.by_impact[0] for m in self.measures if len(m.by_impact) == 1]

    @property
    def summary(self):
        """What is ranked and what is not, in one sentence, for the page."""
        return self.describe("listed below, unranked")

    def describe(self, unranked):
        """The sentence with `unranked` saying what becomes of the others ("not ranked")."""
        rule = (
            f"Ranked within each measure, where at least {self.minimum} pupils have a baseline and "
            "an exit score"
        )
        n = len(self.unranked)
        if not n:
            return f"{rule}."
        which = "1 intervention with fewer is" if n == 1 else f"{n} interventions with fewer are"
        return f"{rule}; {which} {unranked}."


def measure_key(intervention):
    """Interventions share a measure when they name the same one (in any case or spacing) with
    the same range; an intervention whose measure has no name is on a measure of its own."""
    name = " ".join(intervention.measure_name.split()).casefold()
    if not name:
        return ("", intervention.pk)
    return (name, intervention.measure_min, intervention.measure_max)


def rank_within_measures(rows, *, minimum=MIN_RANKED_PUPILS):
    """Rank gains only against gains on the same measure, and only for interventions with at
    least `minimum` pupils with a baseline and an exit score. Ranked on the true figures, so a
    governor's order is the head's, with the figures hidden where they must be."""
    groups, unranked = {}, []
    for row in rows:
        if row.finished < minimum or row.rank_gain_per_week is None:
            unranked.append(row)
        else:
            groups.setdefault(measure_key(row.intervention), []).append(row)
    measures = []
    for group in groups.values():
        by_impact = sorted(group, key=lambda r: (-r.rank_gain_per_week, r.intervention.name))
        valued = [r for r in group if r.rank_cost_per_gain is not None]
        by_value = sorted(valued, key=lambda r: (r.rank_cost_per_gain, r.intervention.name))
        named = min(group, key=lambda r: r.intervention.name)
        measures.append(MeasureRanking(named.intervention.measure_label, by_impact, by_value))
    measures.sort(key=lambda m: (-len(m.by_impact), m.measure.casefold()))
    return ImpactRanking(measures, sorted(unranked, key=lambda r: r.intervention.name), minimum)


def pupil_impact(membership, academic_year):
    """Each visible pupil's gain, gain a week and hours attended (one query)."""
    if not policy.can(membership, "pupil.view"):
        return []
    start, end = year_bounds(academic_year)
    places = places_with_figures(
        InterventionPlace.objects.for_membership(membership)
        .filter(run__intervention__school=membership.school, run__start_date__range=(start, end))
        .select_related("pupil", "run__intervention")
        .order_by("run__intervention__name", "pupil__legal_surname", "pupil__legal_forename")
    )
    return [
        PupilRow(
            place=place,
            gain=place.gain,
            rate=dec(place.gain / place.run.intervention.weeks) if place.gain is not None else None,
            hours=dec(hours(place.minutes_attended)),
            attendance=Share.of(place.sessions_attended, place.sessions_held),
            checkpoints=[],
        )
        for place in places
    ]


@dataclass
class HoursBand:
    label: str
    pupils: CountFigure
    mean_gain: Decimal | None

    def __str__(self):
        if self.pupils.suppressed:
            return str(self.pupils)
        if not self.pupils.value:
            return "—"
        return f"{self.mean_gain} ({self.pupils.value} {'pupil' if self.pupils.value == 1 else 'pupils'})"


@dataclass
class MeasureHours:
    """One measure's pupils who finished a run, banded by hours attended (HOUR_BANDS)."""

    measure: str
    bands: list  # HoursBand, in the order of HOUR_BANDS


def hours_vs_progress(school, academic_year, *, suppress_below=0):
    """For each measure, the pupils who finished a run, banded by hours of sessions attended,
    with their mean gain: gains on different measures are never averaged together. One GROUP
    BY query over band and intervention; Python adds up the interventions of a measure."""
    start, end = year_bounds(academic_year)
    minutes = Subquery(
        InterventionPlace.objects.filter(pk=OuterRef("pk"))
        .annotate(m=Sum("attendance__session__minutes", filter=Q(attendance__present=True)))
        .values("m")
    )
    band = Case(
        *[
            When(
                Q(minutes__gte=low * 60) & (Q(minutes__lt=high * 60) if high else Q()),
                then=Value(i),
            )
            for i, (low, high, _label) in enumerate(HOUR_BANDS)
        ],
        output_field=IntegerField(),
    )
    rows = (
        InterventionPlace.objects.filter(
            FINISHED, run__intervention__school=school, run__start_date__range=(start, end)
        )
        .annotate(minutes=Coalesce(minutes, 0))
        .annotate(band=band)
        .values(
            "band",
            "run__intervention",
            "run__intervention__name",
            "run__intervention__measure_name",
            "run__intervention__measure_min",
            "run__intervention__measure_max",
        )
        .annotate(pupils=Count("pk"), total=Sum(GAIN))
        .order_by()
    )
    measures = {}  # measure key -> [(name of the intervention it is labelled after, label), sums]
    for row in rows:
        intervention = Intervention(
            pk=row["run__intervention"],
            name=row["run__intervention__name"],
            measure_name=row["run__intervention__measure_name"],
            measure_min=row["run__intervention__measure_min"],
            measure_max=row["run__intervention__measure_max"],
        )
        # Labelled as rank_within_measures labels it: after the first intervention by name.
        entry = measures.setdefault(
            measure_key(intervention), [(intervention.name, intervention.measure_label), {}]
        )
        entry[0] = min(entry[0], (intervention.name, intervention.measure_label))
        n, total = entry[1].get(row["band"], (0, Decimal(0)))
        entry[1][row["band"]] = (n + row["pupils"], total + Decimal(str(row["total"])))
    return sorted(
        (
            MeasureHours(label, _hour_bands(sums, suppress_below))
            for (_name, label), sums in measures.values()
        ),
        key=lambda m: m.measure.casefold(),
    )


def _hour_bands(sums, suppress_below):
    bands = []
    for i, (_low, _high, label) in enumerate(HOUR_BANDS):
        n, total = sums.get(i, (0, Decimal(0)))
        small = bool(suppress_below) and n < suppress_below
        bands.append(
            HoursBand(
                label=label,
                pupils=CountFigure.of(n, suppress_below=suppress_below),
                mean_gain=None if small or not n else dec(total / n),
            )
        )
    return bands


@dataclass
class SubjectComparison:
    run: InterventionRun
    group_pupils: int
    group_change: Decimal | None
    comparison_pupils: int
    comparison_change: Decimal | None
    suppressed: bool = False
    comparison_suppressed: bool = False

    @property
    def difference(self):
        if self.group_change is None or self.comparison_change is None:
            return None
        return self.group_change - self.comparison_change


def class_subject_comparison(school, academic_year, *, suppress_below=0):
    """Did the termly-grid measure of the intervention's class subject move more for pupils in
    a run than for comparable pupils (same school and year groups, on the SEND record, not in
    the intervention), between the run's grid points before and after? Two queries.
    """
    runs = runs_in_year(school, academic_year).filter(
        intervention__subject__isnull=False, baseline_point__isnull=False, review_point__isnull=False
    )

    def score_at(point_ref, pupil_ref="pupil"):
        return Subquery(
            Assessment.objects.filter(
                pupil=OuterRef(pupil_ref), subject=OuterRef("run__intervention__subject"), point=point_ref
            ).values("points")[:1]
        )

    group = {
        row["run"]: row
        for row in InterventionPlace.objects.filter(run__in=runs)
        .annotate(
            before=score_at(OuterRef("run__baseline_point")), after=score_at(OuterRef("run__review_point"))
        )
        .filter(before__isnull=False, after__isnull=False)
        .values("run")
        .annotate(n=Count("pk"), change=Avg(F("after") - F("before")))
    }
    before = Subquery(
        Assessment.objects.filter(
            pupil=OuterRef("pupil"), subject=OuterRef("subject"), point=OuterRef(OuterRef("baseline_point"))
        ).values("points")[:1]
    )
    comparable = (
        Assessment.objects.filter(
            subject=OuterRef("intervention__subject"),
            point=OuterRef("review_point"),
            points__isnull=False,
            pupil__archived_at__isnull=True,
            pupil__sen_status__in=SEN_STATUSES_ON_RECORD,
            pupil__year_group__in=InterventionPlace.objects.filter(run=OuterRef(OuterRef("pk"))).values(
                "pupil__year_group"
            ),
        )
        .exclude(
            pupil__in=InterventionPlace.objects.filter(
                run__intervention=OuterRef(OuterRef("intervention"))
            ).values("pupil")
        )
        .annotate(before=before)
        .filter(before__isnull=False)
        .order_by()
        .values("subject")
    )
    runs = runs.select_related("intervention__subject", "baseline_point", "review_point").annotate(
        comparison_n=Subquery(comparable.annotate(n=Count("pk")).values("n")),
        comparison_change=Subquery(comparable.annotate(c=Avg(F("points") - F("before"))).values("c")),
    )
    rows = []
    for run in runs:
        g = group.get(run.pk, {"n": 0, "change": None})
        small = bool(suppress_below) and g["n"] < suppress_below
        # The comparable pupils are a group like any other: under the threshold, neither their
        # number nor their mean change (nor the difference) is shown.
        comparison_n = run.comparison_n or 0
        few = bool(suppress_below) and 0 < comparison_n < suppress_below
        rows.append(
            SubjectComparison(
                run=run,
                group_pupils=g["n"],
                group_change=None if small else dec(g["change"]),
                comparison_pupils=comparison_n,
                comparison_change=None if few else dec(run.comparison_change),
                suppressed=small,
                comparison_suppressed=few,
            )
        )
    return rows


# -- provision map -------------------------------------------------------------------------


@dataclass
class MapRow:
    run: InterventionRun
    pupils: CountFigure
    names: list
    hours: Decimal
    cost: Decimal
    year_label: str


@dataclass
class MapGroup:
    term: str
    year_label: str
    rows: list = field(default_factory=list)
    places: int = 0
    pupils: CountFigure | None = None
    hours: Decimal = Decimal("0")
    cost: Decimal = Decimal("0")
    # The places as the reader may see them (core.disclosure); `places` is the true count.
    places_shown: CountFigure | None = None


@dataclass
class ProvisionMap:
    academic_year: int
    groups: list
    total_places: int
    total_pupils: CountFigure
    total_hours: Decimal
    total_cost: Decimal
    total_places_shown: CountFigure | None = None

    @property
    def label(self):
        return academic_year_label(self.academic_year)


def _year_label(low, high):
    if low is None:
        return "No pupils yet"
    if low == high:
        return YEAR_LABELS[low]
    return f"{YEAR_LABELS[low]} to {YEAR_LABELS[high]}"


def provision_map(membership, academic_year):
    """Every run of the year by term and year group, with its pupils, planned hours and cost,
    and totals. Three queries (runs with counts, staff, visible pupils) plus one for the
    distinct pupils of each term and year group.

    A run's year group is that of its pupils (a range when they are mixed); its hours are the
    planned hours (sessions a week x weeks x session length) and its cost the staff hourly rate
    times those hours plus the resources for the run.
    """
    groups = _map_groups(_map_runs(membership, academic_year))
    distinct = _distinct_pupils(membership.school, academic_year)
    ordered = [groups[key] for key in sorted(groups)]
    start, end = year_bounds(academic_year)
    all_pupils = InterventionPlace.objects.filter(
        run__intervention__school=membership.school, run__start_date__range=(start, end)
    ).aggregate(n=Count("pupil", distinct=True))["n"]
    result = ProvisionMap(
        academic_year=academic_year,
        groups=ordered,
        total_places=sum(g.places for g in ordered),
        total_pupils=CountFigure(all_pupils),
        total_hours=sum((g.hours for g in ordered), Decimal("0")),
        total_cost=sum((g.cost for g in ordered), Decimal("0")),
    )
    _withhold_map(result, groups, distinct, membership.suppress_below)
    return result


def _withhold_map(result, groups, distinct, threshold):
    """The map's counts as one table for disclosure control: each run's places, each group's
    places (their sum) and the total places (the groups' sum); the distinct pupils of a group and
    of the year, which add up to nothing shown (a pupil can be in several runs and groups)."""
    table = Table(threshold)
    for key, group in groups.items():
        runs = [table.add(("run", row.run.pk), row.run.pupil_count) for row in group.rows]
        table.line(table.add(("places", key), group.places), runs)
        table.add(("pupils", key), distinct.get(key, 0))
    table.line(table.add("places", result.total_places), [("places", key) for key in groups])
    table.add("pupils", result.total_pupils.value)
    for key, group in groups.items():
        for row in group.rows:
            row.pupils = table.count(("run", row.run.pk))
        group.places_shown = table.count(("places", key))
        group.pupils = table.count(("pupils", key))
    result.total_places_shown = table.count("places")
    result.total_pupils = table.count("pupils")


def _map_runs(membership, academic_year):
    """The year's runs with their pupil count and year range, staff, and the pupils the
    membership may see (none for a governor)."""
    runs = (
        runs_in_year(membership.school, academic_year)
        .select_related("intervention")
        .annotate(
            pupil_count=Count("places"),
            year_low=Min("places__pupil__year_group"),
            year_high=Max("places__pupil__year_group"),
        )
        .order_by("start_date", "intervention__name", "pk")
    )
    runs = runs.prefetch_related("staff")
    if policy.can(membership, "pupil.view"):
        runs = runs.prefetch_related(
            Prefetch(
                "places",
                queryset=InterventionPlace.objects.for_membership(membership)
                .select_related("pupil")
                .order_by("pupil__legal_surname", "pupil__legal_forename"),
                to_attr="visible_places",
            )
        )
    return runs


def _distinct_pupils(school, academic_year):
    """Distinct pupils in runs of each (term, year group), counted in one query."""
    term_case = Case(
        When(run__start_date__month__gte=9, then=Value(1)),
        When(run__start_date__month__lte=3, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    start, end = year_bounds(academic_year)
    return {
        (row["term"], row["pupil__year_group"]): row["n"]
        for row in InterventionPlace.objects.filter(
            run__intervention__school=school, run__start_date__range=(start, end)
        )
        .annotate(term=term_case)
        .values("term", "pupil__year_group")
        .annotate(n=Count("pupil", distinct=True))
    }


def _map_groups(runs):
    """The runs as map rows, grouped by (term, lowest year group), with each group's totals."""
    groups = {}
    for run in runs:
        intervention = run.intervention
        key = (term_of(run.start_date), run.year_low if run.year_low is not None else 99)
        group = groups.get(key)
        if group is None:
            group = groups[key] = MapGroup(
                term=TERMS[key[0]], year_label=_year_label(run.year_low, run.year_low)
            )
        cost = dec(intervention.planned_cost)
        group.rows.append(
            MapRow(
                run=run,
                pupils=CountFigure(run.pupil_count),
                names=[p.pupil for p in getattr(run, "visible_places", [])],
                hours=dec(intervention.planned_hours),
                cost=cost,
                year_label=_year_label(run.year_low, run.year_high),
            )
        )
        group.places += run.pupil_count
        group.hours += dec(intervention.planned_hours)
        group.cost += cost
    return groups


def provision_years(school):
    """Academic years that have runs, newest first (for the year chooser)."""
    dates = InterventionRun.objects.filter(intervention__school=school).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    if not dates["first"]:
        return []
    return list(range(academic_year_of(dates["last"]), academic_year_of(dates["first"]) - 1, -1))


# -- access --------------------------------------------------------------------------------


def intervention_for(membership, pk):
    return get_object_or_404(interventions_for(membership).select_related("lead", "subject"), pk=pk)


def runs_for(membership):
    """The runs this membership may open, with their pupil counts (one query, plus staff)."""
    return (
        InterventionRun.objects.for_membership(membership)
        .select_related("intervention")
        .prefetch_related("staff")
        .annotate(pupil_count=Count("places"))
        .order_by("-start_date", "pk")  # Meta.ordering is not applied to a GROUP BY query
    )


def run_for(membership, pk):
    """A run this membership may open, or 404 (missing, another school's, or out of reach)."""
    return get_object_or_404(
        InterventionRun.objects.for_membership(membership).select_related(
            "intervention__lead", "intervention__subject", "baseline_point", "review_point"
        ),
        pk=pk,
    )


def place_for(membership, pk):
    """A pupil's place in a run this membership may open, or 404."""
    return get_object_or_404(
        InterventionPlace.objects.for_membership(membership)
        .filter(run__in=InterventionRun.objects.for_membership(membership))
        .select_related("pupil", "run__intervention"),
        pk=pk,
    )


# -- action plan ---------------------------------------------------------------------------


def action_plan(membership):
    return (
        Priority.objects.filter(school=membership.school)
        .prefetch_related("actions")
        .annotate(open_actions=Count("actions", filter=~Q(actions__status__in=["done", "dropped"])))
    )


def priority_for(membership, pk):
    return get_object_or_404(Priority.objects.filter(school=membership.school), pk=pk)


def action_for(membership, pk):
    return get_object_or_404(
        Action.objects.filter(priority__school=membership.school).select_related("priority"), pk=pk
    )


@dataclass
class GapSuggestion:
    year_group: int
    subject: str
    point: AssessmentPoint
    send: Share
    others: Share
    gap: int

    @property
    def title(self):
        return (
            f"Narrow the {self.subject} gap in {YEAR_LABELS[self.year_group]}: "
            f"{self.gap} percentage points at {self.point}"
        )

    @property
    def detail(self):
        return (
            f"At or above ARE in {self.subject} at {self.point}: pupils with SEND {self.send}, "
            f"other pupils {self.others}."
        )


def gap_suggestions(school, *, limit=5):
    """The largest in-school gaps at the latest grid point with data: the share of pupils with
    SEND at or above ARE (assessment.bands) against other pupils, by year group and subject, in
    percentage points. Four queries. (The gap dashboard, gaps.grids.ranked_gaps, answers the same
    question for any cohort, counting pupils who have left since as a figure of the point must;
    a suggestion is for pupils still here to be helped, so it counts the pupils on roll.)"""
    point = (
        AssessmentPoint.objects.filter(school=school, assessments__attainment__isnull=False)
        .order_by("-academic_year", "-order")
        .first()
    )
    if point is None:
        return []
    send = Q(pupil__sen_status__in=SEN_STATUSES_ON_RECORD)
    at = Bands.of_school(school.pk).at_or_above_are
    rows = (
        Assessment.objects.filter(point=point, attainment__isnull=False, pupil__archived_at__isnull=True)
        .values("pupil__year_group", "subject__name")
        .annotate(
            send_n=Count("pk", filter=send),
            send_at=Count("pk", filter=send & at),
            other_n=Count("pk", filter=~send),
            other_at=Count("pk", filter=~send & at),
        )
    )
    suggestions = []
    for row in rows:
        if not row["send_n"] or not row["other_n"]:
            continue
        send_share, other_share = (
            Share.of(row["send_at"], row["send_n"]),
            Share.of(row["other_at"], row["other_n"]),
        )
        gap = other_share.percent - send_share.percent
        if gap > 0:
            suggestions.append(
                GapSuggestion(
                    row["pupil__year_group"], row["subject__name"], point, send_share, other_share, gap
                )
            )
    suggestions.sort(key=lambda s: (-s.gap, s.year_group, s.subject))
    return suggestions[:limit]


def staff_choices(school):
    """Users who may deliver interventions at the school (core.policy), for a run's staff and an
    intervention's lead."""
    delivers = policy.roles_for("intervention.deliver")
    return (
        get_user_model()
        .objects.filter(
            memberships__school=school, memberships__is_active=True, memberships__role__in=delivers
        )
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def pupil_choices(membership):
    return Pupil.objects.for_membership(membership).order_by("year_group", "legal_surname", "legal_forename")
