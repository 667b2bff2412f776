"""Writes to plans, passports and EHC plan reviews. Each is atomic and recorded in history.

The rule that matters most: a reviewed SEN support plan is never changed. Every write to a
plan locks its row and re-reads its status first, so a review or an edit racing another review
cannot slip past the check.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pupils.models import SenStatus

from .models import (
    EhcPlan,
    EhcpOutcome,
    EhcpOutcomeProgress,
    EhcpReview,
    PlanTarget,
    PupilPassport,
    SupportPlan,
    annual_review_due,
)

PLAN_FIELDS = ("starts_on", "review_date", "strengths", "needs", "pupil_voice", "parent_voice", "strategies")
COPIED_FIELDS = ("strengths", "needs", "pupil_voice", "parent_voice", "strategies")


@dataclass
class TargetInput:
    """One row of the targets table of a plan form. pk is None for a new target."""

    outcome: str
    target: str
    provision: str = ""
    intervention: object = None
    pk: int | None = None
    remove: bool = False


@dataclass
class OutcomeInput:
    outcome: str
    provision: str = ""
    pk: int | None = None
    remove: bool = False


# -- SEN support plans ---------------------------------------------------------------------------
def _locked_open_plan(plan):
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_reviewed:
        raise ValidationError(
            f"Plan {plan.number} was reviewed on {plan.reviewed_on:%d/%m/%Y}; a reviewed plan is never "
            "changed. Work on the pupil's current plan instead."
        )
    return plan


def _check_dates(starts_on, review_date):
    if starts_on and review_date and review_date <= starts_on:
        raise ValidationError({"review_date": "The review date must be after the date the plan starts."})


def _write_targets(plan, targets):
    school_id = plan.pupil.school_id
    existing = {t.pk: t for t in plan.targets.all()}
    order = 0
    for row in targets:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError("A target of another plan was submitted. Reload the page and try again.")
        if row.intervention is not None and row.intervention.school_id != school_id:
            raise ValidationError({"intervention": "Choose an intervention of this school."})
        if row.remove:
            if row.pk is not None:
                existing[row.pk].delete()  # only ever on an open plan; history keeps the row
            continue
        order += 1
        target = existing.get(row.pk) or PlanTarget(plan=plan)
        target.order = order
        target.outcome, target.target = row.outcome.strip(), row.target.strip()
        target.provision, target.intervention = row.provision.strip(), row.intervention
        target.full_clean()
        target.save()


@transaction.atomic
def support_plan_create(*, pupil, by, targets=(), **fields):
    """The pupil's first plan. Later plans start from a review (support_plan_review)."""
    if SupportPlan.objects.filter(pupil=pupil).exists():
        raise ValidationError(
            f"{pupil.full_name} already has a SEN support plan. The next plan starts when the current one "
            "is reviewed."
        )
    _check_dates(fields.get("starts_on"), fields.get("review_date"))
    plan = SupportPlan(pupil=pupil, number=1, created_by=by, **fields)
    plan.full_clean()
    plan.save()
    _write_targets(plan, targets)
    return plan


@transaction.atomic
def support_plan_update(*, plan, by, targets=None, **fields):
    """Change an open plan: its sections and its targets. A reviewed plan is refused."""
    locked = _locked_open_plan(plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not a plan field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_dates(locked.starts_on, locked.review_date)
    locked._history_user = by
    locked.full_clean()
    locked.save()
    if targets is not None:
        _write_targets(locked, targets)
    return locked


@dataclass
class ScoreInput:
    score: int
    comment: str = ""


@transaction.atomic
def support_plan_review(*, plan, by, reviewed_on, scores, summary="", next_review_date):
    """Score every target of an open plan, mark it reviewed, and start the next plan as its copy.

    scores: {target pk: ScoreInput}. Returns the new (open) plan.
    """
    locked = _locked_open_plan(plan)
    targets = {t.pk: t for t in locked.targets.all()}
    if not targets:
        raise ValidationError("This plan has no targets to review. Add its targets first.")
    if set(scores) != set(targets):
        raise ValidationError("Score every target of the plan, from −2 to +2.")
    if reviewed_on < locked.starts_on:
        raise ValidationError({"reviewed_on": "The review cannot be before the plan started."})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "A review is recorded on or after the day it happens."})
    if next_review_date <= reviewed_on:
        raise ValidationError({"next_review_date": "The next review must be after this one."})
    for pk, target in targets.items():
        target.score, target.score_comment = scores[pk].score, scores[pk].comment.strip()
        target._history_user = by
        target.full_clean()
        target.save()
    locked.status = SupportPlan.Status.REVIEWED
    locked.reviewed_on, locked.reviewed_by, locked.review_summary = reviewed_on, by, summary.strip()
    locked._history_user = by
    locked.full_clean()
    locked.save()
    return _start_next(locked, by=by, starts_on=reviewed_on, review_date=next_review_date)


def _start_next(previous, *, by, starts_on, review_date):
    plan = SupportPlan(
        pupil=previous.pupil,
        number=previous.number + 1,
        previous=previous,
        starts_on=starts_on,
        review_date=review_date,
        created_by=by,
        **{name: getattr(previous, name) for name in COPIED_FIELDS},
    )
    plan.full_clean()
    plan.save()
    PlanTarget.objects.bulk_create(
        PlanTarget(
            plan=plan,
            order=t.order,
            outcome=t.outcome,
            target=t.target,
            provision=t.provision,
            intervention_id=t.intervention_id,
        )
        for t in previous.targets.all()
    )
    return plan


# -- pupil passports -----------------------------------------------------------------------------
@transaction.atomic
def passport_save(*, pupil, by, **sections):
    unknown = set(sections) - set(PupilPassport.SECTIONS)
    if unknown:
        raise ValueError(f"Not a passport section: {sorted(unknown)}")
    if not any(str(v).strip() for v in sections.values()):
        raise ValidationError("Write at least one section of the passport.")
    passport = PupilPassport.objects.select_for_update().filter(pupil=pupil).first() or PupilPassport(
        pupil=pupil
    )
    for name, value in sections.items():
        setattr(passport, name, value.strip())
    passport.updated_on, passport.updated_by = timezone.localdate(), by
    passport._history_user = by
    passport.full_clean()
    passport.save()
    return passport


# -- EHC plans and annual reviews -----------------------------------------------------------------
def _write_outcomes(plan, outcomes):
    existing = {o.pk: o for o in plan.outcomes.all()}
    reviewed = set(
        EhcpOutcomeProgress.objects.filter(outcome__plan=plan).values_list("outcome_id", flat=True)
    )
    order = 0
    for row in outcomes:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError("An outcome of another plan was submitted. Reload the page and try again.")
        if row.remove:
            if row.pk in reviewed:
                raise ValidationError(
                    "An outcome that a review has reported on is kept; reword it instead of removing it."
                )
            if row.pk is not None:
                existing[row.pk].delete()
            continue
        order += 1
        outcome = existing.get(row.pk) or EhcpOutcome(plan=plan)
        outcome.order, outcome.outcome, outcome.provision = order, row.outcome.strip(), row.provision.strip()
        outcome.full_clean()
        outcome.save()


def _review_base(plan):
    last = plan.reviews.order_by("-meeting_date").values_list("meeting_date", flat=True).first()
    return max(plan.plan_date, last) if last else plan.plan_date


@transaction.atomic
def ehc_plan_create(*, pupil, by, plan_date, local_authority="", outcomes=()):
    if pupil.sen_status != SenStatus.EHCP:
        raise ValidationError(
            f"{pupil.full_name}'s SEN status is {pupil.get_sen_status_display()}. Record the EHC plan on the "
            "SEN record (status E) first."
        )
    if EhcPlan.objects.filter(pupil=pupil).exists():
        raise ValidationError(f"{pupil.full_name} already has an EHC plan recorded; edit it instead.")
    plan = EhcPlan(
        pupil=pupil,
        plan_date=plan_date,
        local_authority=local_authority.strip(),
        next_review_due=annual_review_due(plan_date),
        updated_by=by,
    )
    plan.full_clean()
    plan.save()
    _write_outcomes(plan, outcomes)
    return plan


@transaction.atomic
def ehc_plan_update(*, plan, by, plan_date, local_authority="", outcomes=None):
    plan = EhcPlan.objects.select_for_update().get(pk=plan.pk)
    plan.plan_date, plan.local_authority, plan.updated_by = plan_date, local_authority.strip(), by
    plan.next_review_due = annual_review_due(_review_base(plan))
    plan._history_user = by
    plan.full_clean()
    plan.save()
    if outcomes is not None:
        _write_outcomes(plan, outcomes)
    return plan


@transaction.atomic
def ehcp_review_record(
    *, plan, by, meeting_date, attendees, pupil_views, family_views, recommended_changes="", progress
):
    """Record an annual review meeting. progress: {outcome pk: text}, one for every outcome.
    The next review falls due twelve months after the meeting."""
    plan = EhcPlan.objects.select_for_update().get(pk=plan.pk)
    outcomes = {o.pk: o for o in plan.outcomes.all()}
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": "Record the review after the meeting has taken place."})
    if meeting_date < plan.plan_date:
        raise ValidationError({"meeting_date": "The review cannot be before the date of the plan."})
    missing = [pk for pk in outcomes if not str(progress.get(pk, "")).strip()]
    if missing or set(progress) - set(outcomes):
        raise ValidationError("Record the progress made towards every outcome of the plan.")
    if plan.reviews.filter(meeting_date=meeting_date).exists():
        raise ValidationError({"meeting_date": "A review on this date is already recorded."})
    review = EhcpReview(
        plan=plan,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        pupil_views=pupil_views.strip(),
        family_views=family_views.strip(),
        recommended_changes=recommended_changes.strip(),
        recorded_by=by,
    )
    review.full_clean()
    review.save()
    for pk, text in progress.items():
        row = EhcpOutcomeProgress(review=review, outcome=outcomes[pk], progress=text.strip())
        row.full_clean()
        row.save()
    plan.next_review_due = annual_review_due(_review_base(plan))
    plan._history_user = by
    plan.save(update_fields=["next_review_due"])
    return review
