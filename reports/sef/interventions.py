"""Section 4 of the SEF, interventions: those that ran in the year with their places, and their
impact and cost per pupil from the provision map (interventions.selectors). Gains are ranked
only against gains on the same measure, and only where enough pupils have a baseline and an
exit score (interventions.selectors.rank_within_measures)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count as DbCount
from django.db.models import Q

from core.calendar import academic_year_label as year_label
from core.disclosure import TOTAL, Table
from core.figures import Count, Share
from interventions.models import Intervention
from interventions.selectors import ExitJudgement, intervention_impact, rank_within_measures
from pupils.models import SEN_STATUSES_ON_RECORD

from ..snapshot import register

# A signed-off SEF keeps its exit-criteria figures as they were.
register(ExitJudgement)

IMPACT_NOTE = (
    "Impact, cost per pupil and value for money are shown once the provision map records "
    "baselines, exit scores, sessions and costs for the interventions of the year."
)


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
    exit_met: ExitJudgement  # a Share in snapshots signed off before judgements were counted apart
    hours: str
    cost: str
    cost_per_pupil: str
    cost_per_gain: str
    measure: str = ""  # the measure the gains are on, with its range


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
    total: InterventionLine | None = None  # the places of every intervention of the year


def year_window(academic_year):
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def interventions_section(school, academic_year, *, suppress_below):
    lines, total = _places(school, academic_year, suppress_below=suppress_below)
    impact, findings = _impact(school, academic_year, suppress_below=suppress_below)
    impact_note = "" if impact else IMPACT_NOTE
    if not lines:
        return InterventionSection(
            False, f"No intervention ran in {year_label(academic_year)}.", impact_note=impact_note
        )
    return InterventionSection(
        True,
        lines=lines,
        total=total,
        findings=findings,
        impact_available=bool(impact),
        impact_note=impact_note,
        impact=impact,
    )


def _places(school, academic_year, *, suppress_below):
    """Each intervention with a run in the year: its runs, places and SEND places (one query),
    and the line of all of them."""
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
    counts = [(row.n_places, row.n_send) for row in rows]
    table = places_table(counts, suppress_below)
    return [
        InterventionLine(
            name=row.name,
            wave=row.get_wave_display().split(" — ")[0],
            need=row.area_of_need,
            runs=row.n_runs,
            places=table.count((i, "places")),
            send_places=table.share((i, "send"), (i, "places")),
        )
        for i, row in enumerate(rows)
    ], _total_line(table, sum(row.n_runs for row in rows))


def places_table(counts, threshold):
    """Disclosure control over the places table as one table, from [(places, SEND places)] per
    intervention: each row's places are its SEND places and the others' (never shown), and the
    total row's places, SEND places and others' are the sums of the rows'. A small count is
    hidden with its complement, a share with either of its counts."""
    table = Table(threshold)
    for i, (places, send) in enumerate(counts):
        table.add((i, "places"), places)
        table.add((i, "send"), send)
        table.add((i, "other"), places - send, shown=False)
        table.line((i, "places"), [(i, "send"), (i, "other")])
    for column in ("places", "send", "other"):
        table.add(
            (TOTAL, column),
            sum(table.value((i, column)) for i in range(len(counts))),
            shown=column != "other",
        )
        table.line((TOTAL, column), [(i, column) for i in range(len(counts))])
    table.line((TOTAL, "places"), [(TOTAL, "send"), (TOTAL, "other")])
    return table


def _total_line(table, runs):
    return InterventionLine(
        name="All interventions",
        wave="",
        need="",
        runs=runs,
        places=table.count((TOTAL, "places")),
        send_places=table.share((TOTAL, "send"), (TOTAL, "places")),
    )


def _money(value):
    return "" if value is None else f"£{value:,.2f}"


def _text(value):
    return "" if value is None else f"{value}"


def _impact(school, academic_year, *, suppress_below):
    """Impact and cost per intervention, and the findings that rank them; nothing until a run
    of the year has finished."""
    rows = intervention_impact(school, academic_year, suppress_below=suppress_below)
    if not any(row.finished for row in rows):
        return [], []
    lines = [
        ImpactLine(
            name=row.intervention.name,
            runs=row.runs,
            pupils=row.pupils,
            mean_gain=_text(row.mean_gain),
            gain_per_week=_text(row.gain_per_week),
            exit_met=row.exit_met,
            hours=f"{row.hours_delivered}",
            cost=_money(row.cost),
            cost_per_pupil=_money(row.cost_per_pupil),
            cost_per_gain=_money(row.cost_per_gain),
            measure=row.intervention.measure_label,
        )
        for row in rows
    ]
    return lines, _impact_findings(rows)


def _impact_findings(rows):
    """Most and least impact and best value, within each measure that two or more ranked
    interventions share; otherwise why nothing is ranked."""
    ranking = rank_within_measures(rows)
    findings = []
    for measure in ranking.measures:
        ranked = measure.by_impact
        if len(ranked) < 2:
            continue
        findings.append(_gain_sentence(f"Most impact on {measure.measure}", ranked[0]))
        findings.append(_gain_sentence(f"Least impact on {measure.measure}", ranked[-1]))
        if len(measure.by_value) > 1:
            best = measure.by_value[0]
            figure = _hidden(best) or f"{_money(best.cost_per_gain)} per unit of gain"
            findings.append(f"Best value for money on {measure.measure}: {best.intervention.name}, {figure}.")
    if not findings:
        findings.append(
            "No two interventions of the year share a measure with at least "
            f"{ranking.minimum} pupils with a baseline and an exit score, so their gains are not "
            "ranked against each other: each intervention's gain is in the table, on its own measure."
        )
    else:
        findings.append(ranking.describe("not ranked"))
    return findings


def _hidden(row):
    """The words in place of a governor's suppressed figures, or ""."""
    if not row.suppressed:
        return ""
    return f"figures not shown (fewer than {row.suppress_below} pupils)"


def _gain_sentence(heading, row):
    figures = _hidden(row) or (
        f"a mean gain of {row.gain_per_week} a week ({row.mean_gain} in all) at "
        f"{_money(row.cost_per_pupil)} a pupil"
    )
    return f"{heading}: {row.intervention.name}, {figures}."
