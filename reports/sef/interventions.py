"""Section 4 of the SEF, interventions: those that ran in the year with their places, and their
impact and cost per pupil from the provision map (interventions.selectors)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count as DbCount
from django.db.models import Q

from core.calendar import academic_year_label as year_label
from core.figures import Count, Share
from interventions.models import Intervention
from interventions.selectors import intervention_impact, ranked_by_impact, ranked_by_value
from pupils.models import SEN_STATUSES_ON_RECORD

from ..snapshot import register

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


def year_window(academic_year):
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def interventions_section(school, academic_year, *, suppress_below):
    lines = _places(school, academic_year, suppress_below=suppress_below)
    impact, findings = _impact(school, academic_year, suppress_below=suppress_below)
    impact_note = "" if impact else IMPACT_NOTE
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


def _places(school, academic_year, *, suppress_below):
    """Each intervention with a run in the year: its runs, places and SEND places (one query)."""
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
    return [
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
        )
        for row in rows
    ]
    return lines, _impact_findings(rows)


def _impact_findings(rows):
    findings = []
    ranked = ranked_by_impact(rows)
    if ranked:
        findings.append(_gain_sentence("Most impact", ranked[0]))
    if len(ranked) > 1:
        findings.append(_gain_sentence("Least impact", ranked[-1]))
    value = ranked_by_value(rows)
    if value:
        findings.append(
            f"Best value for money: {value[0].intervention.name}, "
            f"{_money(value[0].cost_per_gain)} per unit of gain."
        )
    return findings


def _gain_sentence(heading, row):
    return (
        f"{heading}: {row.intervention.name}, a mean gain of {row.gain_per_week} a week "
        f"({row.mean_gain} in all) at {_money(row.cost_per_pupil)} a pupil."
    )
