"""The retention review: what is due for deletion under the school's periods, the legal holds,
and the purge, which the SENCO confirms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import policy
from core.forms import add_validation_errors
from pupils.models import Pupil
from schools.access import membership_required

from . import selectors, services
from .forms import HoldForm, PolicyForm, PurgeForm
from .models import Kind, LegalHold


def _hold_form(membership, data=None):
    # Only a leaver's record can fall due, so only leavers are offered (each one listed is a
    # reading of their name, in the access log).
    pupils = (
        Pupil.objects.for_membership(membership, include_archived=True).archived().order_by("legal_surname")
    )
    return HoldForm(data, pupils=pupils)


def _page(request, *, policy_form=None, hold_form=None, purge_form=None, status=200):
    membership = request.membership
    context = selectors.review(membership, timezone.localdate())
    may_purge = policy.can(membership, "retention.purge")
    context.update(
        {
            "may_purge": may_purge,
            "policy_form": (policy_form or PolicyForm(instance=context["policy"])) if may_purge else None,
            "hold_form": (hold_form or _hold_form(membership)) if may_purge else None,
            "purge_form": purge_form,
            "kinds_choices": Kind,
        }
    )
    return render(request, "retention/review.html", context, status=status)


@membership_required("retention.view")
def review(request):
    return _page(request)


@require_POST
@membership_required("retention.purge")
def policy_edit(request):
    membership = request.membership
    form = PolicyForm(request.POST, instance=selectors.policy_of(membership.school))
    if not form.is_valid():
        return _page(request, policy_form=form, status=400)
    services.policy_save(school=membership.school, by=request.user, **form.cleaned_data)
    messages.success(request, "The retention periods were saved.")
    return redirect("retention:review")


@require_POST
@membership_required("retention.purge")
def hold_set(request):
    membership = request.membership
    form = _hold_form(membership, request.POST)
    if not form.is_valid():
        return _page(request, hold_form=form, status=400)
    services.hold_set(school=membership.school, by=request.user, **form.cleaned_data)
    messages.success(request, "The legal hold was set: nothing it covers will be deleted until it is lifted.")
    return redirect("retention:review")


@require_POST
@membership_required("retention.purge")
def hold_lift(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk, school=request.membership.school, lifted_at__isnull=True)
    services.hold_lift(hold=hold, by=request.user)
    messages.success(request, "The legal hold was lifted.")
    return redirect("retention:review")


@require_POST
@membership_required("retention.purge")
def purge(request):
    membership = request.membership
    form = PurgeForm(request.POST)
    if not form.is_valid():
        return _page(request, purge_form=form, status=400)
    try:
        record = services.purge(school=membership.school, kind=form.cleaned_data["kind"], by=request.user)
    except services.PurgeRefused as error:
        add_validation_errors(form, error)
        return _page(request, purge_form=form, status=400)
    held = f" {record.held_back} held back by a legal hold." if record.held_back else ""
    messages.success(request, f"Deleted {record.count} {record.get_kind_display().lower()}.{held}")
    return redirect("retention:review")
