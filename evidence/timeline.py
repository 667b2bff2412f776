"""The pupil page's timeline: everything dated about one pupil, newest first.

One query per source, never one per item: SEN status changes, termly assessments, intervention
places, Pupil Support Scale observations, attendance, exclusions, conversations (with their
targets) and evidence. The caller has already reached the pupil through
`pupils.access.access_pupil`, so every source here is about a pupil the membership may see.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.urls import reverse
from django.utils import timezone

from assessment import frameworks
from assessment import models as assessment_models
from assessment.selectors import pupil_assessments
from attendance.models import Attendance, Exclusion
from core.calendar import Term, academic_year_label
from interventions.models import InterventionPlace
from pupils.models import SenStatus

from .models import Conversation, EvidenceItem

# Approximate end dates of the terms, to place a term's attendance on the timeline.
TERM_END = {Term.AUTUMN: (12, 20), Term.SPRING: (3, 31), Term.SUMMER: (7, 20)}


@dataclass
class TimelineEntry:
    date: datetime.date
    kind: str  # sen, assessment, intervention, support, attendance, exclusion, conversation, evidence
    label: str  # the kind in words, shown as a badge
    title: str
    detail: str = ""
    url: str = ""
    approximate: bool = False
    lines: list = field(default_factory=list)


def _sen(pupil, history=None):
    if history is None:
        history = pupil.sen_history.all().order_by("-effective_date")
    return [
        TimelineEntry(
            c.effective_date,
            "sen",
            "SEN status",
            f"SEN status {SenStatus(c.status).label}",
            c.note,
        )
        for c in history
    ]


def _assessments(assessments):
    """One entry a point, its subjects in order, from the pupil's `assessments`
    (assessment.selectors.pupil_assessments: oldest point first, then by subject)."""
    # Newest point first, each point's subjects kept in order.
    rows = sorted(assessments.rows, key=_point_key, reverse=True)
    entries = []
    for point, cells in groupby(rows, key=lambda a: a.point):
        lines = [f"{a.subject.name}: {_cell_words(a)}" for a in cells]
        entries.append(
            TimelineEntry(
                point.starts_on,
                "assessment",
                "Termly data",
                f"{point.name} {academic_year_label(point.academic_year)} assessment",
                lines=lines,
            )
        )
    return entries


def _point_key(row):
    return (row.point.academic_year, row.point.order)


def _cell_words(a):
    """One subject's assessment at a point in words: the band, progress and points on the
    school's scale, or the value on the pupil's own framework with the progress made there
    ("PK4 on Pre-key stage 2 standards: +1 standard this year (expected 1 in 12 months)")."""
    if a.framework_id is not None:
        value = frameworks.show(a.framework, a.stage, a.step, a.score)
        if not value:  # the Engagement Model: observations by area, not a value
            return f"assessed on {a.framework.name}"
        words = f"{value} on {a.framework.name}"
        if a.gained is not None:
            words += f": {frameworks.progress_words(a.framework, a.gained, a.months)}"
        return words
    parts = [a.attainment.label if a.attainment else "", a.progress.label if a.progress else ""]
    if a.points is not None:
        parts.append(f"{a.points:g} points")
    return ", ".join(p for p in parts if p) or "not assessed"


def _interventions(pupil):
    entries = []
    places = InterventionPlace.objects.filter(pupil=pupil).select_related("run__intervention")
    for place in places:
        run = place.run
        entries.append(
            TimelineEntry(run.start_date, "intervention", "Intervention", f"Started {run.intervention.name}")
        )
        # A run's end date is a plan until it comes: only a run that has ended is "finished".
        if run.end_date and run.end_date <= timezone.localdate():
            entries.append(
                TimelineEntry(
                    run.end_date, "intervention", "Intervention", f"Finished {run.intervention.name}"
                )
            )
    return entries


def _support(pupil, rows=None):
    # The Pupil Support Scale lives in assessment/ (seeds/004); skip it on a tree without it.
    model = getattr(assessment_models, "SupportObservation", None)
    if model is None:
        return []
    if rows is None:
        rows = model.objects.filter(pupil=pupil).select_related("subject").order_by("-observed_on")
    return [
        TimelineEntry(
            o.observed_on,
            "support",
            "Support scale",
            f"Support scale {o.get_level_display()}"
            + (f" in {o.subject.name}" if o.subject_id else (f" ({o.context})" if o.context else "")),
            o.note,
        )
        for o in rows
    ]


def _attendance(pupil, terms=None):
    if terms is None:
        terms = Attendance.objects.filter(pupil=pupil).order_by("-academic_year", "-term")
    entries = []
    for row in terms:
        month, day = TERM_END[row.term]
        year = row.academic_year if row.term == Term.AUTUMN else row.academic_year + 1
        flag = " (persistent absence)" if row.persistently_absent else ""
        entries.append(
            TimelineEntry(
                datetime.date(year, month, day),
                "attendance",
                "Attendance",
                f"{row.get_term_display()} {academic_year_label(row.academic_year)} "
                f"attendance {row.rate}%{flag}",
                f"{row.attended_sessions} of {row.possible_sessions} sessions",
                approximate=True,
            )
        )
    return entries


def _exclusions(pupil, exclusions=None):
    if exclusions is None:
        exclusions = Exclusion.objects.filter(pupil=pupil).order_by("-start_date")
    return [
        TimelineEntry(
            e.start_date,
            "exclusion",
            "Exclusion",
            f"{e.get_kind_display()} ({e.days:g} days)"
            if e.kind == Exclusion.Kind.SUSPENSION
            else e.get_kind_display(),
            e.reason,
        )
        for e in exclusions
    ]


def _conversations(pupil):
    rows = Conversation.objects.filter(pupil=pupil).prefetch_related("targets").order_by("-date", "-pk")
    return [
        TimelineEntry(
            c.date,
            "conversation",
            "Conversation",
            f"Structured conversation, led by the {c.get_led_by_display().lower()}",
            f"Attended: {c.attended}",
            reverse("evidence:conversation", kwargs={"pk": c.pk}),
            lines=[
                f"{t.get_kind_display()}: {t.text}"
                + (f" ({t.get_outcome_display().lower()})" if t.outcome else "")
                for t in c.targets.all()
            ],
        )
        for c in rows
    ]


def _evidence(pupil, membership):
    rows = (
        EvidenceItem.objects.for_membership(membership)
        .filter(pupils=pupil)
        .select_related("author")
        .order_by("-date", "-pk")
    )
    return [
        TimelineEntry(
            e.date,
            "evidence",
            "Evidence",
            f"{e.get_source_display()}: {e.get_judgement_display().lower()}",
            e.summary,
            reverse("evidence:detail", kwargs={"pk": e.pk}),
        )
        for e in rows
    ]


def _observed(observation):
    return observation.observed_on


def pupil_timeline(*, pupil, membership, sen_history=None, support=None, attendance=None, assessments=None):
    """All of it, newest first. Nine queries whatever the length of the pupil's history, or fewer
    when the caller passes what the pupil page has read already: the pupil's `sen_history` (newest
    first), `support` observations (with their subjects), `attendance`
    (attendance.selectors.pupil_attendance_summary, whose terms and exclusions are newest first)
    and `assessments` (assessment.selectors.pupil_assessments)."""
    entries = (
        _sen(pupil, sen_history)
        + _assessments(pupil_assessments(membership, pupil) if assessments is None else assessments)
        + _interventions(pupil)
        + _support(pupil, None if support is None else sorted(support, key=_observed, reverse=True))
        + _attendance(pupil, None if attendance is None else attendance.terms)
        + _exclusions(pupil, None if attendance is None else attendance.exclusions)
        + _conversations(pupil)
        + _evidence(pupil, membership)
    )
    return sorted(entries, key=lambda e: e.date, reverse=True)
