"""Reads for the reports: the working SEF and its sign-offs, the Appendix A prompts with their
figures, and the figures of a pupil case study (Appendix B)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count as DbCount
from django.db.models import Exists, OuterRef, Q, Sum
from django.shortcuts import get_object_or_404

from assessment import frameworks as on_framework
from assessment.models import Assessment, SupportObservation
from assessment.support import support_change
from attendance.models import Attendance, BehaviourCount, Exclusion, persistently_absent
from core.calendar import academic_year_label, current_academic_year
from core.figures import one_decimal
from evidence.selectors import evidence_log
from interventions.models import InterventionPlace
from pupils.models import SEN_STATUSES_ON_RECORD, AreaOfNeed, Pupil

from . import frameworks, snapshot
from .models import CaseStudy, PromptResponse, PromptStatus, SefReport, SefSignOff
from .prompts import prompts_for
from .sef import sef_figures
from .sef.report import framework_of

EARLIEST_YEAR = 2000


def parse_academic_year(value):
    """The academic year asked for in a query string, or the current one for anything else."""
    current = current_academic_year()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return current
    return year if EARLIEST_YEAR <= year <= current + 1 else current


def academic_year_choices():
    current = current_academic_year()
    return [(year, academic_year_label(year)) for year in range(current, current - 5, -1)]


def sef_report_for(school, academic_year):
    """The school's working SEF for the year, or an unsaved empty one (reading writes nothing)."""
    report = SefReport.objects.filter(school=school, academic_year=academic_year).first()
    return report or SefReport(school=school, academic_year=academic_year, narrative={})


def framework_for(school, academic_year):
    return framework_of(school, academic_year)


def _with_currency(sign_offs):
    """Mark each sign-off `is_current`: no later sign-off of the same school and year exists.
    Signing a year again supersedes the earlier version, which is kept (a signed copy is never
    deleted), so the current one is always the latest of its year."""
    later = SefSignOff.objects.filter(
        school=OuterRef("school"), academic_year=OuterRef("academic_year")
    ).filter(
        Q(signed_off_at__gt=OuterRef("signed_off_at"))
        | Q(signed_off_at=OuterRef("signed_off_at"), pk__gt=OuterRef("pk"))
    )
    return sign_offs.annotate(is_current=~Exists(later))


def sign_offs_for(membership):
    """Every signed-off summary of the school, newest first, each marked current or superseded."""
    return _with_currency(SefSignOff.objects.for_membership(membership)).order_by(
        "-academic_year", "-signed_off_at", "-pk"
    )


def sign_off_for(membership, pk):
    return get_object_or_404(_with_currency(SefSignOff.objects.for_membership(membership)), pk=pk)


def current_sign_off(membership, academic_year):
    """The signed-off summary of the year that is in force (the latest), or None."""
    return (
        SefSignOff.objects.for_membership(membership)
        .filter(academic_year=academic_year)
        .order_by("-signed_off_at", "-pk")
        .first()
    )


@dataclass
class SignOffState:
    """Where the year's SEF stands: the working report, the signed-off version in force (if any),
    whether the report can be signed (it has a grade and its rationale) and whether the narrative
    or grade changed after the current version was signed."""

    report: SefReport
    current: SefSignOff | None
    ready: bool
    changed_since: bool

    @property
    def waiting(self):
        """Ready to sign, and not yet signed as it stands."""
        return self.ready and (self.current is None or self.changed_since)


def sign_off_state(membership, academic_year):
    """The year's sign-off state, in two queries."""
    report = sef_report_for(membership.school, academic_year)
    current = current_sign_off(membership, academic_year)
    ready = bool(report.grade and report.grade_rationale)
    changed = bool(current and report.pk and report.updated_at and report.updated_at > current.signed_off_at)
    return SignOffState(report=report, current=current, ready=ready, changed_since=changed)


def sign_off_figures(sign_off, *, anonymised):
    """The figures object exactly as it was signed off."""
    return snapshot.load(sign_off.governor_figures if anonymised else sign_off.figures)


def grade_descriptors(framework=frameworks.Framework.EIF_2019):
    return frameworks.grade_descriptors(framework)


# -- Appendix A -----------------------------------------------------------------------------------
@dataclass
class PromptView:
    number: int
    topic: str
    text: str
    question: str
    source: str
    figures: list
    evidence: list | None  # None: the evidence log is not kept in sendtrack yet
    response: str
    status: str
    status_label: str


def evidence_by_tag(membership, academic_year):
    """The evidence items of the year the membership may read, by the number of each Appendix A
    prompt they are tagged to (evidence.selectors.evidence_log: three queries)."""
    by_number = {}
    for item in evidence_log(membership, year=academic_year):
        line = f"{item.date:%d/%m/%Y}, {item.get_source_display().lower()}: {item.summary}"
        if item.judgement != "neutral":
            line += f" ({item.get_judgement_display().lower()})"
        for prompt in item.prompts.all():
            by_number.setdefault(prompt.number, []).append(line)
    return by_number


def judgement_prompts(membership, academic_year, figures=None):
    """The prompts of the framework the year's SEF is written against, each with the school's
    relevant findings (from the full SEF figures), the evidence tagged to it, and the SENCO's
    response and status."""
    school = membership.school
    figures = figures or sef_figures(school, academic_year, anonymised=False)
    framework = figures.framework
    evidence = evidence_by_tag(membership, academic_year)
    responses = {
        r.number: r
        for r in PromptResponse.objects.filter(
            school=school, academic_year=academic_year, framework=framework
        )
    }
    views = []
    for prompt in prompts_for(framework):
        findings = []
        for key in prompt.sections:
            section = getattr(figures, key, None)
            if section is None:
                continue
            findings += getattr(section, "findings", None) or (
                [section.note] if getattr(section, "note", "") else []
            )
        stored = responses.get(prompt.number)
        status = stored.status if stored else PromptStatus.NOT_STARTED
        views.append(
            PromptView(
                number=prompt.number,
                topic=prompt.topic,
                text=prompt.text,
                question=prompt.question,
                source=prompt.source,
                figures=findings,
                evidence=list(
                    dict.fromkeys(line for tag in prompt.evidence_tags for line in evidence.get(tag, []))
                ),
                response=stored.response if stored else "",
                status=status,
                status_label=PromptStatus(status).label,
            )
        )
    return views


# -- Appendix B -----------------------------------------------------------------------------------
@dataclass
class ProvisionLine:
    intervention: str
    wave: str
    start: datetime.date
    end: datetime.date | None


@dataclass
class YearOutcomes:
    year: int
    label: str
    cells: dict = field(default_factory=dict)  # subject name -> "OT · 23.0"
    values: list = field(default_factory=list)  # the cells in the order of the subjects
    attendance: str = ""
    persistent_absence: bool = False
    suspensions: int = 0
    suspension_days: str = "0"
    incidents: int | None = None


@dataclass
class CaseStudyFigures:
    label: str
    status: str
    placed_on: datetime.date | None
    first_placed_on: datetime.date | None
    needs: list
    agencies: list
    provision: list
    subjects: list
    years: list
    progress_sentences: list
    support: str = ""  # the Pupil Support Scale's change this year and since the first observation


def case_studies_for(membership):
    return CaseStudy.objects.for_membership(membership).select_related("pupil").order_by("pupil_label")


def case_study_for(membership, pk):
    return get_object_or_404(case_studies_for(membership), pk=pk)


def case_study_candidates(membership):
    """Pupils on the SEND record without a case study yet, for the SENCO to choose from."""
    return (
        Pupil.objects.for_membership(membership)
        .filter(sen_status__in=SEN_STATUSES_ON_RECORD, case_study__isnull=True)
        .select_related("school_class")
        .order_by("year_group", "legal_surname", "legal_forename")
    )


def case_study_figures(case_study):
    """What the pupil's record says, year by year: a fixed number of queries (eight)."""
    pupil = case_study.pupil
    first = pupil.sen_history.filter(status__in=SEN_STATUSES_ON_RECORD).order_by("effective_date").first()
    needs = [
        AreaOfNeed(code).label.split(" — ", 1)[1]
        for code in (pupil.primary_need, pupil.secondary_need)
        if code
    ]
    agencies = list(pupil.agencies.values_list("name", flat=True))
    provision = _provision(pupil)
    subjects, latest, series = _year_end_assessments(pupil)
    years = _outcomes_by_year(pupil, latest)
    ordered = [years[y] for y in sorted(years)]
    for outcome in ordered:
        outcome.values = [outcome.cells.get(subject, "–") for subject in subjects]
    return CaseStudyFigures(
        label=case_study.pupil_label,
        status=pupil.get_sen_status_display().split(" — ")[1],
        placed_on=pupil.sen_placed_on,
        first_placed_on=first.effective_date if first else None,
        needs=needs,
        agencies=agencies,
        provision=provision,
        subjects=subjects,
        years=ordered,
        progress_sentences=progress_sentences(case_study.pupil_label, latest)
        + framework_sentences(case_study.pupil_label, series),
        support=_support(pupil),
    )


def _support(pupil):
    """The Pupil Support Scale's change this academic year and since the first observation, in
    words (assessment.support); "" when the pupil has not been observed."""
    observations = list(SupportObservation.objects.filter(pupil=pupil).order_by("observed_on", "pk"))
    change = support_change(observations, current_academic_year())
    return f"{change.words}." if change else ""


def _provision(pupil):
    return [
        ProvisionLine(
            place.run.intervention.name,
            place.run.intervention.get_wave_display().split(" — ")[0],
            place.run.start_date,
            place.run.end_date,
        )
        for place in InterventionPlace.objects.filter(pupil=pupil)
        .select_related("run__intervention")
        .order_by("run__start_date")
    ]


def _year_end_assessments(pupil):
    """The core subjects the pupil was assessed in, in order, {(year, subject name): the
    assessment at the last point of that year with data}, and {subject name: every assessment
    in point order} (for progress on other frameworks and moves between them). One query."""
    assessments = (
        Assessment.objects.filter(pupil=pupil, subject__is_core=True)
        .select_related("point__school__assessment_scheme", "subject", "attainment", "framework", "stage")
        .order_by("point__academic_year", "point__order", "subject__order")
    )
    subjects, latest, series = [], {}, {}
    for a in assessments:
        if a.subject.name not in subjects:
            subjects.append(a.subject.name)
        latest[(a.point.academic_year, a.subject.name)] = a
        series.setdefault(a.subject.name, []).append(a)
    return subjects, latest, series


def shown_value(assessment):
    """A cell as a reader reads it: "S2.2 on Small steps", "Below ARE", "" when empty."""
    a = assessment
    if a.framework_id is not None:
        value = on_framework.show(a.framework, a.stage, a.step, a.score)
        return f"{value} on {a.framework.name}" if value else a.framework.name
    return a.attainment.label if a.attainment_id else ""


def framework_sentences(label, series):
    """Each core subject's progress on another framework and each move between frameworks, as a
    reader reads them (assessment.frameworks.progress_words, from the stored gained and months):

    "Reading, on Small steps: +4 steps this year (expected 4 in 8 months), S2.2 at Spring 2026/27."
    "Reading: Pupil A moved from Pre-key stage 2 standards (PK6 at Summer 2025/26) to the
    school's scale (Below ARE at Autumn 2026/27)."

    A move is progress in its own right (a pupil who reaches the national curriculum leaves the
    pre-key stage standards), so it is said whichever way it goes; the steps of one framework are
    never set against another's."""
    sentences = []
    for subject, cells in series.items():
        for before, after in zip(cells, cells[1:], strict=False):
            if before.framework_id != after.framework_id:
                sentences.append(
                    f"{subject}: {label} moved from {_framework_name(before)} ({_at(before)}) "
                    f"to {_framework_name(after)} ({_at(after)})."
                )
        judged = [a for a in cells if a.framework_id is not None and a.months]
        if judged:
            last = judged[-1]
            words = on_framework.progress_words(last.framework, last.gained, last.months)
            sentences.append(f"{subject}, on {last.framework.name}: {words}, {_at(last)}.")
    return sentences


def _framework_name(assessment):
    return assessment.framework.name if assessment.framework_id else "the school's scale"


def _at(assessment):
    value = (
        on_framework.show(assessment.framework, assessment.stage, assessment.step, assessment.score)
        if assessment.framework_id
        else (assessment.attainment.label if assessment.attainment_id else "")
    )
    when = f"{assessment.point.name} {academic_year_label(assessment.point.academic_year)}"
    return f"{value} at {when}" if value else when


def _outcomes_by_year(pupil, latest):
    """{academic year: YearOutcomes} of every year with an assessment, attendance, an exclusion or
    a behaviour count (three grouped queries)."""
    years = {}

    def outcome(year):
        return years.setdefault(year, YearOutcomes(year, academic_year_label(year)))

    for (year, subject), a in latest.items():
        if a.framework_id is not None:
            outcome(year).cells[subject] = shown_value(a) or "—"
            continue
        shown = [a.attainment.code] if a.attainment else []
        if a.points is not None:
            shown.append(f"{a.points}")
        outcome(year).cells[subject] = " · ".join(shown) or "—"
    for row in (
        Attendance.objects.filter(pupil=pupil)
        .values("academic_year")
        .annotate(att=Sum("attended_sessions"), pos=Sum("possible_sessions"))
    ):
        rate = one_decimal(Decimal(row["att"]) * 100 / row["pos"])
        year = outcome(row["academic_year"])
        year.attendance = f"{rate}%"
        year.persistent_absence = persistently_absent(row["att"], row["pos"])
    for row in (
        Exclusion.objects.filter(pupil=pupil)
        .values("academic_year")
        .annotate(n=DbCount("pk"), days=Sum("days"))
    ):
        year = outcome(row["academic_year"])
        year.suspensions, year.suspension_days = row["n"], f"{Decimal(row['days']).normalize():f}"
    for row in (
        BehaviourCount.objects.filter(pupil=pupil).values("academic_year").annotate(n=Sum("incidents"))
    ):
        outcome(row["academic_year"]).incidents = row["n"]
    return years


def progress_sentences(label, latest):
    """ "Pupil A made 6.0 APS points progress over 2 years in Reading (from 14.0 in 2022/23 to 20.0
    in 2024/25)", from the first and last year-end assessments of each subject, the gain named
    by the school's own measure and the subject by its own name."""
    by_subject = {}
    for (year, subject), a in sorted(latest.items()):
        by_subject.setdefault(subject, []).append((year, a))
    sentences = []
    for subject, entries in by_subject.items():
        (y0, first), (y1, last) = entries[0], entries[-1]
        if y0 == y1:
            continue
        span = y1 - y0
        years = f"{span} year{'s' if span != 1 else ''}"
        if first.points is not None and last.points is not None:
            gain = last.points - first.points
            sentences.append(
                f"{label} made {gain} {_measure_name(last)} progress over {years} in {subject} "
                f"(from {first.points} in {academic_year_label(y0)} "
                f"to {last.points} in {academic_year_label(y1)})."
            )
        elif first.attainment and last.attainment:
            sentences.append(
                f"{label} moved from {first.attainment.label} to {last.attainment.label} "
                f"in {subject} over {years}."
            )
    return sentences


def _measure_name(assessment):
    """The school's numeric measure ("APS points"), from the assessment's own point."""
    scheme = getattr(assessment.point.school, "assessment_scheme", None)
    return (scheme.measure_name if scheme else "") or "points"
