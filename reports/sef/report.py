"""The SEF summary as one plain object: its sections' names, `SefFigures`, `sef_figures` that
gathers it section by section, and `sef_charts`, the charts the page and the PDF show of it."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.calendar import academic_year_label as year_label
from core.charts import gap_lines, paired_bars

from ..frameworks import Framework, sections_for
from ..models import SefReport, default_framework
from ..snapshot import register
from .actions import ActionsSection, actions_section
from .attainment import AttainmentSection, attainment_section
from .attendance import AttendanceSection, attendance_section
from .context import ContextSection, context_section
from .inclusion import InclusionSection, inclusion_section
from .interventions import InterventionSection, interventions_section
from .qualitative import QualitativeSection, qualitative_section
from .support import SupportScaleSection, support_section

# The sections of the 2019 framework's SEF; reports.frameworks.sections_for gives each framework's.
SECTIONS = sections_for(Framework.EIF_2019)
SECTION_KEYS = [key for key, _ in SECTIONS]


@register
@dataclass
class PendingSection:
    """A part of the SEF whose figures the product did not hold yet: the narrative carried it.
    No section is pending now; the class stays registered so that sign-offs kept while one was
    still load."""

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
    # Added after sign-offs were first kept: an older snapshot loads without it (None).
    support: SupportScaleSection | None = None
    # The framework the SEF is written against: a snapshot kept before the choice existed was
    # written against the 2019 framework, and loads as such.
    framework: str = Framework.EIF_2019.value
    inclusion: InclusionSection | None = None  # the renewed framework's inclusion area

    @property
    def sections(self):
        return sections_for(self.framework)

    @property
    def renewed(self):
        return self.framework == Framework.RENEWED


def framework_of(school, academic_year):
    """The framework the school's SEF for the year is written against."""
    chosen = SefReport.objects.filter(school=school, academic_year=academic_year).values_list(
        "framework", flat=True
    )
    return (chosen.first() or "") or default_framework(academic_year)


def sef_figures(school, academic_year, *, anonymised, framework=None, with_inclusion=None):
    """Every figure of the SEF summary for a school and academic year, under the framework its SEF
    is written against (or `framework`). Anonymised (the governor version) suppresses every figure
    over fewer pupils than the school's threshold. The inclusion area is worked out under the
    renewed framework, or when `with_inclusion` asks for it (the inclusion page)."""
    suppress_below = school.suppression_threshold if anonymised else 0
    framework = framework or framework_of(school, academic_year)
    if with_inclusion is None:
        with_inclusion = framework == Framework.RENEWED
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
        support=support_section(school, academic_year, suppress_below=suppress_below),
        framework=str(framework),
        inclusion=inclusion_section(school, academic_year, suppress_below=suppress_below)
        if with_inclusion
        else None,
    )


# -- its charts -----------------------------------------------------------------------------------
def sef_charts(figures):
    """The charts of a SEF figures object (live or from a snapshot): for each attainment measure
    with rows its bars and its gap trend, by the measure's key, and "attendance"."""
    charts = {}
    if figures.attainment.available:
        charts.update(
            (measure.key, _measure_charts(measure)) for measure in figures.attainment.measures if measure.rows
        )
    if figures.attendance.available:
        charts["attendance"] = _attendance_chart(figures)
    return charts


def _measure_charts(measure):
    series = [
        ("SEND", [(row.send.percent, str(row.send)) for row in measure.rows]),
        ("Others", [(row.others.percent, str(row.others)) for row in measure.rows]),
    ]
    return {
        "bars": paired_bars(
            f"{measure.title}, {measure.rows[0].point}", [row.subject for row in measure.rows], series
        ),
        "trend": gap_lines(
            f"Gap between other pupils and SEND pupils: {measure.title}",
            measure.trend_points,
            [(line.subject, line.gaps) for line in measure.trend],
        ),
    }


def _attendance_chart(figures):
    lines = [line for line in figures.attendance.lines if line.group in ("SEND", "No SEND")]
    series = [(line.group, [_bar(line.rate), _bar(line.previous_rate)]) for line in lines]
    return paired_bars(
        "Attendance: share of possible sessions attended",
        [figures.year_label, figures.attendance.previous_year],
        series,
    )


def _bar(rate):
    value = rate.number
    return (None if value is None else float(value), str(rate))
