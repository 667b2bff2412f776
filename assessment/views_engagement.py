"""Pages of the Engagement Model observations and the statutory outcomes of a pupil
(assessment.engagement). Every pupil is reached through `access_pupil`, every observation
through its scoped queryset, every write through the role policy."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core import policy
from pupils.access import access_pupil
from schools.access import membership_required

from .engagement import (
    AREAS,
    KS1,
    KS2,
    observation_save,
    observations_of,
    outcome_codes,
    outcomes_save,
    statutory_outcomes_of,
    summarise,
)
from .forms_engagement import ObservationForm, OutcomesForm
from .models import EngagementObservation


@membership_required("engagement.view")
def engagement(request, pk):
    """A pupil's observations, newest first, and the summary of each area over all of them."""
    membership = request.membership
    pupil = access_pupil(membership, pk, action="engagement.view")
    rows = observations_of(pupil)
    context = {
        "pupil": pupil,
        "summary": summarise(rows) if rows else None,
        "observations": list(reversed(rows)),
        "areas": AREAS,
        "can_record": policy.can(membership, "engagement.record") and not pupil.is_archived,
        "editable": {o.pk for o in rows if policy.can(membership, "engagement.edit", o)},
    }
    return render(request, "assessment/engagement/list.html", context)


@membership_required("engagement.record")
def engagement_add(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="engagement.record")
    observation = EngagementObservation(pupil=pupil, observer=request.user)
    if request.method == "GET" and request.GET.get("area") in {a.value for a in AREAS}:
        initial = {"area": request.GET["area"]}
    else:
        initial = None
    form = ObservationForm(request.POST or None, instance=observation, pupil=pupil, initial=initial)
    return _observation_form(request, pupil, form, added=True)


@membership_required("engagement.edit")
def engagement_edit(request, pk):
    membership = request.membership
    observation = get_object_or_404(
        EngagementObservation.objects.for_membership(membership).select_related("pupil"), pk=pk
    )
    policy.require(membership, "engagement.edit", observation)
    pupil = observation.pupil
    form = ObservationForm(request.POST or None, instance=observation, pupil=pupil)
    return _observation_form(request, pupil, form, added=False)


def _observation_form(request, pupil, form, *, added):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            observation_save(form.instance, by=request.user)
            messages.success(request, "Recorded the observation." if added else "Changed the observation.")
            return redirect(reverse("assessment:engagement", kwargs={"pk": pupil.pk}))
        status = 400
    context = {"pupil": pupil, "form": form, "added": added}
    return render(request, "assessment/engagement/form.html", context, status=status)


@membership_required("outcome.record")
def statutory_outcomes(request, pk):
    """Record, per statutory subject, the outcome reported at the end of key stage 1 and 2 for a
    pupil working below the tests; nothing is stored while any code is wrong."""
    membership = request.membership
    pupil = access_pupil(membership, pk, action="outcome.record")
    stored = list(pupil.statutory_outcomes.all())
    form = OutcomesForm(request.POST or None, stored=stored)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = outcomes_save(pupil=pupil, by=request.user, outcomes=form.cleaned_data["outcomes"])
            messages.success(request, f"Saved the statutory outcomes ({changed} changed).")
            return redirect(reverse("pupils:detail", kwargs={"pk": pupil.pk}) + "#outcomes-h")
        status = 400
    context = {
        "pupil": pupil,
        "form": form,
        "codes": {int(ks): outcome_codes(ks) for ks in (KS1, KS2)},
        "statutory_outcomes": statutory_outcomes_of(pupil),
    }
    return render(request, "assessment/engagement/outcomes_form.html", context, status=status)
