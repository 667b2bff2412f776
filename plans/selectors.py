"""Reads for plans and reviews. Figures come from the database (conditional counts, averages);
every queryset starts from a model's for_membership so a role reaches only its pupils."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from core import policy
from interventions.models import Intervention
from pupils.models import Pupil, SenStatus

from .models import (
    EhcPlan,
    EhcpOutcomeProgress,
    EhcpReview,
    PlanTarget,
    PupilPassport,
    SupportPlan,
    reminder_horizon,
)

# An open SEN support plan shows as "review soon" this many days before its review date.
SUPPORT_REVIEW_NOTICE_DAYS = 14


def with_scores(plans):
    """Plans with their target figures: how many targets, how many scored, the mean score, and
    how many were met (scored 0 "as expected" or better)."""
    return plans.annotate(
        target_count=Count("targets"),
        scored_count=Count("targets", filter=Q(targets__score__isnull=False)),
        met_count=Count("targets", filter=Q(targets__score__gte=0)),
        mean_score=Avg("targets__score"),
    )


def _targets():
    return Prefetch("targets", queryset=PlanTarget.objects.select_related("intervention"))


def plan_for(membership, pk):
    """One plan the membership may read, with its pupil, figures and targets; 404 otherwise."""
    plans = with_scores(SupportPlan.objects.for_membership(membership))
    plans = plans.select_related("pupil__school_class", "reviewed_by", "created_by", "previous")
    return get_object_or_404(plans.prefetch_related(_targets()), pk=pk)


def plans_of(pupil):
    """Every version of a pupil's SEN support plan, first to latest, with figures and targets."""
    plans = with_scores(SupportPlan.objects.filter(pupil=pupil)).select_related("reviewed_by")
    return list(plans.prefetch_related(_targets()).order_by("number"))


@dataclass
class PlanHistory:
    plans: list
    first: object
    last: object
    months: int

    @property
    def reviewed(self):
        return [p for p in self.plans if p.is_reviewed]

    @property
    def summary(self):
        if not self.plans:
            return "No SEN support plan yet."
        if len(self.plans) == 1:
            return f"Plan 1, started {self.first.starts_on:%d/%m/%Y}."
        span = f"{self.months} month{'s' if self.months != 1 else ''}"
        return f"Plan {self.first.number} to plan {self.last.number} over {span}."


def plan_history(pupil):
    """All versions, and the span "plan 1 to plan 4 over 18 months": from the first plan's start
    to the last plan's review (or, while it is open, its start)."""
    plans = plans_of(pupil)
    if not plans:
        return PlanHistory([], None, None, 0)
    first, last = plans[0], plans[-1]
    end = last.reviewed_on or last.starts_on
    span = relativedelta(end, first.starts_on)
    return PlanHistory(plans, first, last, span.years * 12 + span.months)


def passport_of(pupil):
    return PupilPassport.objects.filter(pupil=pupil).select_related("updated_by").first()


def ehc_plan_for(membership, pk):
    plans = EhcPlan.objects.for_membership(membership).select_related("pupil__school_class", "updated_by")
    return get_object_or_404(plans.prefetch_related("outcomes"), pk=pk)


def ehc_plan_of(pupil):
    return EhcPlan.objects.filter(pupil=pupil).prefetch_related("outcomes").first()


def reviews_of(plan):
    progress = EhcpOutcomeProgress.objects.select_related("outcome")
    return list(
        plan.reviews.select_related("recorded_by").prefetch_related(Prefetch("progress", queryset=progress))
    )


def ehcp_review_for(membership, pk):
    reviews = EhcpReview.objects.for_membership(membership).select_related(
        "plan__pupil__school_class", "recorded_by"
    )
    progress = EhcpOutcomeProgress.objects.select_related("outcome")
    return get_object_or_404(reviews.prefetch_related(Prefetch("progress", queryset=progress)), pk=pk)


@dataclass
class PupilPlans:
    pupil: Pupil
    current: object
    history: PlanHistory
    passport: object
    ehc_plan: object
    ehc_plan_state: str | None


def pupil_plans(pupil, today):
    history = plan_history(pupil)
    current = next((p for p in history.plans if not p.is_reviewed), None)
    ehc_plan = ehc_plan_of(pupil)
    state = ehc_plan.review_state(today) if ehc_plan else None
    return PupilPlans(pupil, current, history, passport_of(pupil), ehc_plan, state)


@dataclass
class ReviewOverview:
    today: datetime.date
    counts: dict
    overdue: list
    due_soon: list
    done: list
    ehcp_without_plan: list
    support_overdue: list
    support_due_soon: list
    support_without_plan: int


def review_overview(membership, today):
    """The SENCO's list: EHC plan annual reviews overdue, due soon (from eight weeks before) and
    done in the last twelve months; SEN support plans past or near their review date; pupils on
    the register with no plan recorded. Counts in one aggregate query."""
    pupils = Pupil.objects.for_membership(membership)
    ehc_plans = EhcPlan.objects.for_membership(membership).filter(pupil__archived_at__isnull=True)
    horizon = reminder_horizon(today)
    year_ago = today - relativedelta(years=1)
    counts = ehc_plans.aggregate(
        plans=Count("pk"),
        overdue=Count("pk", filter=Q(next_review_due__lt=today)),
        due_soon=Count("pk", filter=Q(next_review_due__gte=today, next_review_due__lte=horizon)),
        not_yet_due=Count("pk", filter=Q(next_review_due__gt=horizon)),
    )
    done = (
        EhcpReview.objects.for_membership(membership)
        .filter(meeting_date__gt=year_ago, meeting_date__lte=today)
        .select_related("plan__pupil__school_class")
        .order_by("-meeting_date")
    )
    done = list(done)
    counts["done"] = len(done)
    with_pupil = ehc_plans.select_related("pupil__school_class")
    support = (
        SupportPlan.objects.for_membership(membership)
        .filter(status=SupportPlan.Status.OPEN, pupil__archived_at__isnull=True)
        .select_related("pupil__school_class")
        .order_by("review_date")
    )
    notice = today + datetime.timedelta(days=SUPPORT_REVIEW_NOTICE_DAYS)
    return ReviewOverview(
        today=today,
        counts=counts,
        overdue=list(with_pupil.overdue(today).order_by("next_review_due")),
        due_soon=list(with_pupil.due_soon(today).order_by("next_review_due")),
        done=done,
        ehcp_without_plan=list(
            pupils.filter(sen_status=SenStatus.EHCP)
            .exclude(Exists(EhcPlan.objects.filter(pupil=OuterRef("pk"))))
            .select_related("school_class")
        ),
        support_overdue=list(support.filter(review_date__lt=today)),
        support_due_soon=list(support.filter(review_date__gte=today, review_date__lte=notice)),
        support_without_plan=pupils.filter(sen_status=SenStatus.SEN_SUPPORT)
        .exclude(Exists(SupportPlan.objects.filter(pupil=OuterRef("pk"))))
        .count(),
    )


def school_interventions(school):
    return Intervention.objects.filter(school=school).order_by("name")


@dataclass
class PupilPanel:
    """What the pupil page shows of plans: the open plan, the passport, the EHC plan."""

    reads_plans: bool
    current: object = None
    versions: int = 0
    passport: object = None
    ehc_plan: object = None
    ehc_plan_state: str | None = None


def pupil_panel(pupil, membership, today):
    if not policy.can(membership, "plan.view"):
        return PupilPanel(reads_plans=False, passport=passport_of(pupil))
    plans = SupportPlan.objects.filter(pupil=pupil)
    current = plans.filter(status=SupportPlan.Status.OPEN).first()
    ehc_plan = EhcPlan.objects.filter(pupil=pupil).first()
    return PupilPanel(
        reads_plans=True,
        current=current,
        versions=current.number if current else plans.count(),
        passport=passport_of(pupil),
        ehc_plan=ehc_plan,
        ehc_plan_state=ehc_plan.review_state(today) if ehc_plan else None,
    )
