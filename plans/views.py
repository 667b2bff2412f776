"""Pupil plans and reviews. Views parse input, call one service or selector, and render.

Who may do what: the SENCO writes; the head reads; a teacher reads the plans and passports of
the pupils of their classes; a teaching assistant reads the passports of the pupils in the
groups they deliver; governors and trust leads see none of it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from core import policy
from core.documents import render_document
from core.forms import add_validation_errors
from pupils.access import access_pupil
from schools.access import membership_required

from . import links, selectors, services
from .forms import (
    TERM,
    EhcPlanForm,
    EhcpReviewForm,
    OutcomeFormSet,
    PassportForm,
    ReviewForm,
    SupportPlanForm,
    TargetFormSet,
    outcome_initial,
    target_initial,
)


@membership_required("plan.list")
def index(request):
    overview = selectors.review_overview(request.membership, timezone.localdate())
    return render(request, "plans/index.html", {"overview": overview})


@membership_required("plan.view")
def pupil_plans(request, pk):
    pupil = access_pupil(request.membership, pk, action="plan.view")
    today = timezone.localdate()
    context = {"plans": selectors.pupil_plans(pupil, today), "pupil": pupil, "today": today}
    return render(request, "plans/pupil_plans.html", context)


# -- SEN support plans ---------------------------------------------------------------------------
def _conversation_prefill(request, pupil, form_initial, target_rows):
    """The latest structured conversation beside the form; ?prefill=conversation copies its parents'
    views and agreed targets into the form ("use these")."""
    conversation = links.latest_conversation(pupil)
    if conversation and request.method == "GET" and request.GET.get("prefill") == "conversation":
        form_initial["parent_voice"] = "\n".join(
            filter(None, [form_initial.get("parent_voice"), conversation.parent_voice])
        )
        kept = [row for row in target_rows if row.get("target")]
        agreed = f"agreed with the parents on {conversation.date:%d/%m/%Y}"
        kept += [{"outcome": f"{kind} {agreed}", "target": text} for kind, text in conversation.targets]
        target_rows[:] = kept
    return conversation


@membership_required("plan.change")
def plan_new(request, pk):
    pupil = access_pupil(request.membership, pk, action="plan.change")
    school = request.membership.school
    today = timezone.localdate()
    initial, rows = {"starts_on": today, "review_date": today + TERM}, []
    conversation = _conversation_prefill(request, pupil, initial, rows)
    form = SupportPlanForm(request.POST or None, initial=initial)
    targets = TargetFormSet(request.POST or None, initial=rows or None, school=school, prefix="t")
    if request.method == "POST":
        if form.is_valid() and targets.is_valid():
            try:
                plan = services.support_plan_create(
                    pupil=pupil, by=request.user, targets=targets.inputs(), **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Plan {plan.number} for {pupil.full_name} was saved.")
                return redirect("plans:plan", pk=plan.pk)
        return _plan_form(request, pupil, form, targets, conversation, None, status=400)
    return _plan_form(request, pupil, form, targets, conversation, None)


def _plan_form(request, pupil, form, targets, conversation, plan, status=200):
    context = {"pupil": pupil, "form": form, "targets": targets, "conversation": conversation, "plan": plan}
    return render(request, "plans/plan_form.html", context, status=status)


@membership_required("plan.view")
def plan_detail(request, pk):
    plan = selectors.plan_for(request.membership, pk)
    checkpoints = links.latest_checkpoints(plan.pupil, [t.intervention_id for t in plan.targets.all()])
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "checkpoints": checkpoints,
        "can_edit": policy.can(request.membership, "plan.change"),
    }
    title = f"SEN support plan {plan.number}: {plan.pupil.full_name}"
    return render_document(request, "plans/plan_document.html", context, title=title)


@membership_required("plan.change")
def plan_edit(request, pk):
    plan = selectors.plan_for(request.membership, pk)
    pupil = plan.pupil
    if plan.is_reviewed:
        messages.error(
            request, f"Plan {plan.number} has been reviewed and is kept as it was. Edit the current plan."
        )
        return redirect("plans:plan", pk=plan.pk)
    initial, rows = {"parent_voice": plan.parent_voice}, target_initial(plan)
    conversation = _conversation_prefill(request, pupil, initial, rows)
    form = SupportPlanForm(request.POST or None, instance=plan, initial=initial)
    targets = TargetFormSet(request.POST or None, initial=rows, school=request.membership.school, prefix="t")
    if request.method == "POST":
        if form.is_valid() and targets.is_valid():
            try:
                services.support_plan_update(
                    plan=plan, by=request.user, targets=targets.inputs(), **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Plan {plan.number} was saved.")
                return redirect("plans:plan", pk=plan.pk)
        return _plan_form(request, pupil, form, targets, conversation, plan, status=400)
    return _plan_form(request, pupil, form, targets, conversation, plan)


@membership_required("plan.change")
def plan_review(request, pk):
    plan = selectors.plan_for(request.membership, pk)
    if plan.is_reviewed:
        messages.error(request, f"Plan {plan.number} was already reviewed on {plan.reviewed_on:%d/%m/%Y}.")
        return redirect("plans:plan", pk=plan.pk)
    form = ReviewForm(request.POST or None, plan=plan)
    if request.method == "POST":
        if form.is_valid():
            try:
                next_plan = services.support_plan_review(
                    plan=plan,
                    by=request.user,
                    reviewed_on=form.cleaned_data["reviewed_on"],
                    scores=form.scores(),
                    summary=form.cleaned_data["review_summary"],
                    next_review_date=form.cleaned_data["next_review_date"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Plan {plan.number} was reviewed and is kept as it is. "
                    f"Plan {next_plan.number} starts from it: check its targets.",
                )
                return redirect("plans:plan_edit", pk=next_plan.pk)
        return render(request, "plans/review_form.html", {"plan": plan, "form": form}, status=400)
    return render(request, "plans/review_form.html", {"plan": plan, "form": form})


@membership_required("plan.view")
def plan_history(request, pk):
    pupil = access_pupil(request.membership, pk, action="plan.view")
    history = selectors.plan_history(pupil)
    context = {"pupil": pupil, "history": history}
    return render_document(
        request, "plans/history_document.html", context, title=f"SEN support plans: {pupil.full_name}"
    )


# -- pupil passports -----------------------------------------------------------------------------
@membership_required("passport.view")
def passport(request, pk):
    pupil = access_pupil(request.membership, pk, action="passport.view")
    context = {
        "pupil": pupil,
        "passport": selectors.passport_of(pupil),
        "can_edit": policy.can(request.membership, "plan.change"),
    }
    return render_document(
        request, "plans/passport_document.html", context, title=f"Pupil passport: {pupil.forename}"
    )


@membership_required("plan.change")
def passport_edit(request, pk):
    pupil = access_pupil(request.membership, pk, action="plan.change")
    form = PassportForm(request.POST or None, instance=selectors.passport_of(pupil))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.passport_save(
                    pupil=pupil,
                    by=request.user,
                    **{name: form.cleaned_data[name] for name in form.Meta.fields},
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{pupil.forename}'s passport was saved.")
                return redirect("plans:passport", pk=pupil.pk)
        return render(request, "plans/passport_form.html", {"pupil": pupil, "form": form}, status=400)
    return render(request, "plans/passport_form.html", {"pupil": pupil, "form": form})


# -- EHC plans and annual reviews -----------------------------------------------------------------
def _ehcp_form(request, pupil, form, outcomes, plan, status=200):
    context = {"pupil": pupil, "form": form, "outcomes": outcomes, "plan": plan}
    return render(request, "plans/ehcp_form.html", context, status=status)


@membership_required("plan.change")
def ehcp_new(request, pk):
    pupil = access_pupil(request.membership, pk, action="plan.change")
    form = EhcPlanForm(request.POST or None)
    outcomes = OutcomeFormSet(request.POST or None, prefix="o")
    if request.method == "POST":
        if form.is_valid() and outcomes.is_valid():
            try:
                plan = services.ehc_plan_create(
                    pupil=pupil, by=request.user, outcomes=outcomes.inputs(), **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"The EHC plan of {pupil.full_name} was recorded.")
                return redirect("plans:ehcp", pk=plan.pk)
        return _ehcp_form(request, pupil, form, outcomes, None, status=400)
    return _ehcp_form(request, pupil, form, outcomes, None)


@membership_required("plan.change")
def ehcp_edit(request, pk):
    plan = selectors.ehc_plan_for(request.membership, pk)
    form = EhcPlanForm(request.POST or None, instance=plan)
    outcomes = OutcomeFormSet(request.POST or None, initial=outcome_initial(plan), prefix="o")
    if request.method == "POST":
        if form.is_valid() and outcomes.is_valid():
            try:
                services.ehc_plan_update(
                    plan=plan, by=request.user, outcomes=outcomes.inputs(), **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The EHC plan was saved.")
                return redirect("plans:ehcp", pk=plan.pk)
        return _ehcp_form(request, plan.pupil, form, outcomes, plan, status=400)
    return _ehcp_form(request, plan.pupil, form, outcomes, plan)


@membership_required("plan.view")
def ehcp_detail(request, pk):
    plan = selectors.ehc_plan_for(request.membership, pk)
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "reviews": selectors.reviews_of(plan),
        "state": plan.review_state(timezone.localdate()),
        "can_edit": policy.can(request.membership, "plan.change"),
    }
    return render_document(
        request, "plans/ehcp_document.html", context, title=f"EHC plan: {plan.pupil.full_name}"
    )


@membership_required("plan.change")
def ehcp_review_new(request, pk):
    plan = selectors.ehc_plan_for(request.membership, pk)
    form = EhcpReviewForm(request.POST or None, plan=plan, initial={"meeting_date": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            try:
                review = services.ehcp_review_record(
                    plan=plan, by=request.user, progress=form.progress(), **form.review_fields()
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request, "The annual review was recorded. The next one falls due in twelve months."
                )
                return redirect("plans:ehcp_review", pk=review.pk)
        return render(request, "plans/ehcp_review_form.html", {"plan": plan, "form": form}, status=400)
    return render(request, "plans/ehcp_review_form.html", {"plan": plan, "form": form})


@membership_required("plan.view")
def ehcp_review(request, pk):
    review = selectors.ehcp_review_for(request.membership, pk)
    pupil = review.plan.pupil
    context = {"review": review, "plan": review.plan, "pupil": pupil}
    title = f"EHC plan annual review: {pupil.full_name}, {review.meeting_date:%d/%m/%Y}"
    return render_document(request, "plans/ehcp_review_document.html", context, title=title)
