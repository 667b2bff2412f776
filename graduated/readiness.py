"""The readiness check: what a local authority will find missing from a request, before the
SENCO builds the pack.

Four checks always apply (fewer than two reviewed assess-plan-do-review cycles, no parent view
in the last term, no outside agency involved, provision below the element 2 threshold); the
school's own checklist of the authority's required items (graduated.models.ChecklistItem) is
checked against the same facts. Every fact is one query; none loops over pupils.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from assessment.models import Assessment, SupportObservation
from attendance.models import Attendance
from core.calendar import Term, academic_year_of, term_of
from evidence.models import Conversation, EvidenceItem, Source
from interventions.models import InterventionPlace
from plans.models import EhcpReview, PupilPassport, SupportPlan

from .costing import pounds
from .models import ChecklistItem, Requirement

PARENT_SOURCES = (Source.PARENT_VOICE, Source.PARENT_CORRESPONDENCE)
MIN_CYCLES = 2


def last_term_start(today):
    """The first day of the term before this one (terms as core.calendar.term_of counts them):
    a parent view recorded since then was given "in the last term"."""
    term = term_of(today)
    if term == Term.AUTUMN:
        return datetime.date(today.year, 4, 1)
    if term == Term.SPRING:
        return datetime.date(today.year - 1, 9, 1)
    return datetime.date(today.year, 1, 1)


@dataclass
class Facts:
    reviewed_cycles: int
    parent_view_on: datetime.date | None
    pupil_view: bool
    agencies: list
    agency_reports: int
    impact_places: int
    attendance_terms: int
    assessments: int
    support_observations: int
    since: datetime.date


def _latest_parent_view(pupil):
    dates = [
        Conversation.objects.filter(pupil=pupil).order_by("-date").values_list("date", flat=True).first(),
        EvidenceItem.objects.filter(pupils=pupil, source__in=PARENT_SOURCES)
        .order_by("-date")
        .values_list("date", flat=True)
        .first(),
        SupportPlan.objects.filter(pupil=pupil)
        .exclude(parent_voice="")
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first(),
        EhcpReview.objects.filter(plan__pupil=pupil)
        .exclude(family_views="")
        .order_by("-meeting_date")
        .values_list("meeting_date", flat=True)
        .first(),
    ]
    return max((d for d in dates if d), default=None)


def facts_of(pupil, today):
    year = academic_year_of(today)
    pupil_view = (
        SupportPlan.objects.filter(pupil=pupil).exclude(pupil_voice="").exists()
        or PupilPassport.objects.filter(pupil=pupil).exists()
        or EvidenceItem.objects.filter(pupils=pupil, source=Source.PUPIL_VOICE).exists()
    )
    return Facts(
        reviewed_cycles=SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.REVIEWED).count(),
        parent_view_on=_latest_parent_view(pupil),
        pupil_view=pupil_view,
        agencies=[a.name for a in pupil.agencies.all()],
        agency_reports=EvidenceItem.objects.filter(pupils=pupil, source=Source.AGENCY_REPORT).count(),
        impact_places=InterventionPlace.objects.filter(
            pupil=pupil, baseline__isnull=False, exit_score__isnull=False
        ).count(),
        attendance_terms=Attendance.objects.filter(pupil=pupil, academic_year=year).count(),
        assessments=Assessment.objects.filter(pupil=pupil, point__academic_year=year)
        .filter(Q(attainment__isnull=False) | Q(points__isnull=False))
        .count(),
        support_observations=SupportObservation.objects.filter(pupil=pupil).count(),
        since=last_term_start(today),
    )


@dataclass
class Check:
    label: str
    met: bool
    detail: str
    fix_url: str = ""
    fix_text: str = ""
    by_hand: bool = False

    @property
    def word(self):
        if self.by_hand:
            return "Check by hand"
        return "Ready" if self.met else "Missing"


def _cycles(pupil, facts, costs):
    n = facts.reviewed_cycles
    return Check(
        "At least two reviewed assess-plan-do-review cycles",
        n >= MIN_CYCLES,
        f"{n} reviewed SEN support plan{'s' if n != 1 else ''}"
        + ("." if n >= MIN_CYCLES else f": an authority expects at least {MIN_CYCLES}."),
        reverse("plans:pupil", args=[pupil.pk]),
        "Plans and reviews",
    )


def _parent_view(pupil, facts, costs):
    since = f"{facts.since:%-d %B %Y}"
    recent = facts.parent_view_on is not None and facts.parent_view_on >= facts.since
    if recent:
        detail = f"Last recorded on {facts.parent_view_on:%d/%m/%Y}."
    elif facts.parent_view_on:
        detail = f"The last was on {facts.parent_view_on:%d/%m/%Y}, before the last term began ({since})."
    else:
        detail = "No conversation, plan or evidence records the parents' view."
    return Check(
        "The parents' view, given in the last term",
        recent,
        detail,
        reverse("evidence:conversation_create", args=[pupil.pk]),
        "Record a conversation",
    )


def _agency(pupil, facts, costs):
    involved = bool(facts.agencies) or facts.agency_reports > 0
    if facts.agencies:
        detail = "Involved: " + "; ".join(facts.agencies) + "."
    elif facts.agency_reports:
        n = facts.agency_reports
        detail = f"{n} agency report{'s' if n != 1 else ''} in the evidence log."
    else:
        detail = "No outside agency is recorded on the pupil's record or in the evidence log."
    return Check(
        "An outside agency involved",
        involved,
        detail,
        reverse("pupils:edit", args=[pupil.pk]),
        "Edit the record",
    )


def _threshold(pupil, facts, costs):
    return Check(
        f"Provision at or above the element 2 threshold ({pounds(costs.threshold)})",
        costs.meets_threshold,
        costs.against_threshold + ".",
        reverse("graduated:pupil_provision", args=[pupil.pk]),
        "Costed provision",
    )


def _simple(label, met, detail):
    return Check(label, met, detail)


REQUIREMENT_CHECKS = {
    Requirement.TWO_CYCLES: _cycles,
    Requirement.PARENT_VIEW: _parent_view,
    Requirement.AGENCY: _agency,
    Requirement.THRESHOLD: _threshold,
    Requirement.PUPIL_VIEW: lambda p, f, c: _simple(
        "The pupil's view",
        f.pupil_view,
        "Recorded in a plan, the pupil passport or the evidence log."
        if f.pupil_view
        else "No plan, passport or evidence gives the pupil's view.",
    ),
    Requirement.AGENCY_REPORT: lambda p, f, c: _simple(
        "An agency report", f.agency_reports > 0, f"{f.agency_reports} in the evidence log."
    ),
    Requirement.INTERVENTION_IMPACT: lambda p, f, c: _simple(
        "Intervention impact",
        f.impact_places > 0,
        f"{f.impact_places} intervention(s) with baseline and exit.",
    ),
    Requirement.ATTENDANCE: lambda p, f, c: _simple(
        "Attendance this year", f.attendance_terms > 0, f"{f.attendance_terms} term(s) recorded."
    ),
    Requirement.ATTAINMENT: lambda p, f, c: _simple(
        "Attainment this year", f.assessments > 0, f"{f.assessments} assessment(s) this year."
    ),
    Requirement.SUPPORT_SCALE: lambda p, f, c: _simple(
        "Pupil Support Scale", f.support_observations > 0, f"{f.support_observations} observation(s)."
    ),
}
CORE = (Requirement.TWO_CYCLES, Requirement.PARENT_VIEW, Requirement.AGENCY, Requirement.THRESHOLD)


@dataclass
class Readiness:
    checks: list  # the four that always apply
    checklist: list  # (ChecklistItem, Check) for the authority's own list
    facts: Facts

    @property
    def missing(self):
        return [c for c in self.checks if not c.met] + [
            c for _item, c in self.checklist if not c.met and not c.by_hand
        ]

    @property
    def ready(self):
        return not self.missing

    @property
    def summary(self):
        n = len(self.missing)
        if not n:
            return "Ready: nothing an authority asks for is missing."
        return f"Not ready: {n} thing{'s' if n != 1 else ''} missing."


def readiness(pupil, costs, today):
    """The four checks and the school's checklist for this pupil, from one set of facts."""
    facts = facts_of(pupil, today)
    checks = [REQUIREMENT_CHECKS[r](pupil, facts, costs) for r in CORE]
    checklist = []
    for item in ChecklistItem.objects.filter(school_id=pupil.school_id):
        if item.requirement == Requirement.MANUAL:
            check = Check(
                item.wording, False, "The product cannot check this: confirm it by hand.", by_hand=True
            )
        else:
            check = REQUIREMENT_CHECKS[item.requirement](pupil, facts, costs)
        checklist.append((item, check))
    return Readiness(checks, checklist, facts)
