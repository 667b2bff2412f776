from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import access_log, policy
from core.access_log import How
from core.csv import csv_response
from core.forms import add_validation_errors
from schools.access import membership_required

from . import services
from .access import access_pupil
from .access_log import pupil_access_log
from .filters import PupilFilter
from .forms import ArchiveForm, ConcernForm, PupilCreateForm, PupilForm, SenStatusChangeForm
from .models import Pupil
from .sar import pupil_data_json
from .selectors import sen_register_summary

PAGE_SIZE = 50


@membership_required("pupil.view")
def pupil_list(request):
    membership = request.membership
    show_archived = request.GET.get("archived") == "1" and policy.can(membership, "pupil.change")
    pupils = Pupil.objects.for_membership(membership, include_archived=show_archived)
    if show_archived:
        pupils = pupils.archived()
    pupil_filter = PupilFilter(
        request.GET, queryset=pupils.select_related("school_class"), membership=membership
    )
    page = Paginator(pupil_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": pupil_filter,
        "page": page,
        "show_archived": show_archived,
        "querystring": query.urlencode(),
    }
    template = "pupils/pupil_list.html#results" if request.htmx else "pupils/pupil_list.html"
    return render(request, template, context)


@membership_required("pupil.change")
def pupil_create(request):
    school = request.membership.school
    form = PupilCreateForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            pupil = services.pupil_create(school=school, by=request.user, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{pupil.full_name} was added.")
            return redirect("pupils:detail", pk=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form, "creating": True})


@membership_required("pupil.change")
def pupil_edit(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="pupil.change")
    form = PupilForm(request.POST or None, instance=pupil, school=membership.school)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.pupil_update(pupil=pupil, by=request.user, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The record was saved.")
            return redirect("pupils:detail", pk=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form, "pupil": pupil})


@require_POST
@membership_required("pupil.change")
def pupil_sen_status(request, pk):
    pupil = access_pupil(request.membership, pk, action="pupil.change")
    form = SenStatusChangeForm(request.POST, pupil=pupil)
    if form.is_valid():
        try:
            services.pupil_set_sen_status(pupil=pupil, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The SEN status change was recorded.")
            return redirect("pupils:detail", pk=pupil.pk)
    return render(request, "pupils/sen_status_form.html", {"form": form, "pupil": pupil}, status=400)


@require_POST
@membership_required("pupil.change")
def pupil_archive(request, pk):
    pupil = access_pupil(request.membership, pk, action="pupil.change")
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            services.pupil_archive(pupil=pupil, by=request.user, reason=form.cleaned_data["archive_reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{pupil.full_name} was archived. The record and its history are kept.")
            return redirect("pupils:detail", pk=pupil.pk)
    return render(request, "pupils/archive_form.html", {"form": form, "pupil": pupil}, status=400)


@require_POST
@membership_required("pupil.change")
def pupil_restore(request, pk):
    pupil = access_pupil(request.membership, pk, action="pupil.change")
    services.pupil_restore(pupil=pupil, by=request.user)
    messages.success(request, f"{pupil.full_name} was restored to the active roll.")
    return redirect("pupils:detail", pk=pupil.pk)


@membership_required("school.view")
def sen_register(request):
    """The SEN register: counts by status, need and year, beside the national shares.

    Governors and trust leads see the aggregates only, with small groups suppressed; staff
    who may see every pupil also get the register itself.
    """
    membership = request.membership
    context = {
        "summary": sen_register_summary(membership.school, suppress_below=membership.suppress_below),
        "register": (
            Pupil.objects.for_membership(membership)
            .on_sen_record()
            .select_related("school_class")
            .order_by("year_group", "legal_surname")
            if policy.can(membership, "pupil.view")
            else None
        ),
    }
    return render(request, "pupils/sen_register.html", context)


@membership_required("pupil.export")
def pupil_data_export(request, pk):
    """Subject access request: all of the pupil's data as one JSON download (in the access log as
    a subject access download)."""
    pupil = access_pupil(request.membership, pk, action="pupil.export")
    access_log.note_how(How.SUBJECT_ACCESS, "Everything held about the pupil (JSON)")
    response = HttpResponse(pupil_data_json(pupil), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pupil-{pupil.upn}-data.json"'
    return response


@membership_required("pupil.view_record_log")
def pupil_access_log_csv(request, pk):
    """Who read this pupil's data, when and how: every access-log entry naming the pupil, as a
    CSV for a subject access request."""
    pupil = access_pupil(request.membership, pk, action="pupil.view_record_log")
    rows = (
        (
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.username,
            entry.role_label,
            entry.get_how_display(),
            entry.what,
            entry.detail,
            entry.path,
        )
        for entry in pupil_access_log(pupil).order_by("at", "pk")
    )
    header = ["When", "Who", "Role", "How", "What was read", "Detail", "Address"]
    return csv_response(f"pupil-{pupil.upn}-access-log.csv", header, rows)


@membership_required("concern.record")
def pupil_concern(request, pk):
    """Record a concern raised about a pupil (the start of the graduated approach), beside the
    concerns recorded before."""
    pupil = access_pupil(request.membership, pk, action="concern.record")
    form = ConcernForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.concern_record(pupil=pupil, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The concern was recorded.")
                return redirect("pupils:concern", pk=pupil.pk)
        status = 400
    context = {"pupil": pupil, "form": form, "concerns": pupil.concerns.order_by("-raised_on", "-pk")}
    return render(request, "pupils/concern_form.html", context, status=status)
