"""Costed provision, the readiness check and the request pack. Views parse input, call one
selector or service, and render; every permission through core.policy."""

import io
import zipfile
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from django.views.decorators.http import require_POST

from attendance.selectors import academic_year_choices
from core import access_log, policy
from core.access_log import How
from core.calendar import academic_year_of
from core.csv import csv_response
from core.documents import document_context, pdf_bytes, render_document, wants_pdf
from core.forms import add_validation_errors
from pupils.access import access_pupil
from schools.access import membership_required

from . import services
from .costing import pupil_costs, school_costed_map
from .forms import AuthoritySettingsForm, ChecklistItemForm, PackForm, ProvisionForm
from .models import AuthoritySettings, ChecklistItem, Provision
from .pack import Purpose, attachments_of, build_pack
from .readiness import readiness
from .services import PROVISION_FIELDS


def _years():
    return [year for year, _label in academic_year_choices(years=5)]


def _chosen_year(request):
    """The academic year of ?year=, or the current one when it is missing or not one offered."""
    current = academic_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if year in _years() else current


# -- the school's map ------------------------------------------------------------------------


@membership_required("provision.view")
def school_map(request):
    year = _chosen_year(request)
    cmap = school_costed_map(request.membership, year)
    return render_document(
        request,
        "graduated/school_map.html",
        {"map": cmap, "year": year, "years": academic_year_choices(years=5)},
        title=f"Costed provision map {cmap.year_label}",
    )


@membership_required("provision.view")
def school_map_csv(request):
    year = _chosen_year(request)
    cmap = school_costed_map(request.membership, year)
    header = [
        "Pupil", "UPN", "Year group", "SEN status", "Primary need", "Hours a week",
        "Interventions (GBP)", "Other provision (GBP)", "Total a year (GBP)", "At or above the threshold",
    ]  # fmt: skip
    rows = [
        [
            row.pupil.full_name,
            row.pupil.upn,
            row.pupil.get_year_group_display(),
            row.pupil.get_sen_status_display(),
            row.pupil.primary_need,
            row.hours_a_week,
            row.intervention_cost,
            row.other_cost,
            row.total,
            "yes" if row.meets_threshold else "no",
        ]
        for row in cmap.pupils
    ]
    rows.append([])
    rows.append(
        ["By primary need", "", "", "", "", "Pupils", "With provision", "At or above", "Total (GBP)", "Mean"]
    )
    rows += [
        [n.label, "", "", "", n.need, n.pupils, n.with_provision, n.at_threshold, n.total, n.average]
        for n in cmap.needs
    ]
    return csv_response(f"costed-provision-{year}.csv", header, rows)


# -- a pupil's costed provision ---------------------------------------------------------------


@membership_required("provision.view")
def pupil_provision(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="provision.view")
    year = _chosen_year(request)
    costs = pupil_costs(pupil, year)
    as_pdf = wants_pdf(request)
    if as_pdf:
        access_log.note_how(How.PDF, "Costed provision")
    form = None
    if policy.can(membership, "provision.record") and not pupil.is_archived:
        form = ProvisionForm(years=_years(), initial={"academic_year": year, "shared_by": 1})
    return render_document(
        request,
        "graduated/pupil_provision.html",
        {"pupil": pupil, "costs": costs, "year": year, "years": academic_year_choices(years=5), "form": form},
        title=f"Costed provision {costs.year_label}: {pupil.full_name}",
        as_pdf=as_pdf,
    )


@require_POST
@membership_required("provision.record")
def provision_add(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="provision.record", include_archived=False)
    form = ProvisionForm(request.POST, years=_years())
    if form.is_valid():
        try:
            services.provision_create(pupil=pupil, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Provision added.")
            year = form.cleaned_data["academic_year"]
            return redirect(f"{_provision_url(pupil)}?year={year}")
    year = _chosen_year(request)
    context = {
        "pupil": pupil,
        "costs": pupil_costs(pupil, year),
        "year": year,
        "years": academic_year_choices(years=5),
        "form": form,
    }
    response = render_document(
        request,
        "graduated/pupil_provision.html",
        context,
        title=f"Costed provision: {pupil.full_name}",
        as_pdf=False,
    )
    response.status_code = 400
    return response


def _provision_url(pupil):
    return reverse("graduated:pupil_provision", args=[pupil.pk])


@membership_required("provision.record")
def provision_edit(request, pk):
    membership = request.membership
    provision = get_object_or_404(Provision.objects.for_membership(membership).select_related("pupil"), pk=pk)
    pupil = provision.pupil
    form = ProvisionForm(request.POST or None, instance=provision, years=_years(), with_ended=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in [*PROVISION_FIELDS, "ended"]}
            try:
                services.provision_update(provision=provision, by=request.user, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Provision saved.")
                return redirect(f"{_provision_url(pupil)}?year={provision.academic_year}")
        status = 400
    return render(request, "graduated/provision_form.html", {"form": form, "pupil": pupil}, status=status)


# -- the authority's checklist and the threshold ------------------------------------------------


@membership_required("checklist.edit")
def checklist(request):
    school = request.membership.school
    settings = AuthoritySettings.objects.filter(school=school).first() or AuthoritySettings(school=school)
    form = AuthoritySettingsForm(request.POST or None, instance=settings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.authority_settings_update(school=school, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Settings saved.")
                return redirect("graduated:checklist")
        status = 400
    return _checklist_page(request, form, ChecklistItemForm(), status)


def _checklist_page(request, settings_form, item_form, status):
    items = ChecklistItem.objects.filter(school=request.membership.school)
    context = {"settings_form": settings_form, "item_form": item_form, "items": items}
    return render(request, "graduated/checklist.html", context, status=status)


@require_POST
@membership_required("checklist.edit")
def checklist_add(request):
    school = request.membership.school
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(school=school, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Added to the checklist.")
            return redirect("graduated:checklist")
    settings = AuthoritySettings.objects.filter(school=school).first() or AuthoritySettings(school=school)
    return _checklist_page(request, AuthoritySettingsForm(instance=settings), form, 400)


@require_POST
@membership_required("checklist.edit")
def checklist_remove(request, pk):
    item = get_object_or_404(ChecklistItem, school=request.membership.school, pk=pk)
    services.checklist_item_remove(item=item)
    messages.success(request, "Removed from the checklist.")
    return redirect("graduated:checklist")


# -- the readiness check and the pack ----------------------------------------------------------


@membership_required("pack.view")
def pupil_readiness(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="pack.view")
    today = timezone.localdate()
    costs = pupil_costs(pupil, academic_year_of(today))
    attachments = attachments_of(pupil)
    form = PackForm(attachments=attachments) if policy.can(membership, "pack.build") else None
    return _readiness_page(request, pupil, readiness(pupil, costs, today), costs, form, 200)


def _readiness_page(request, pupil, check, costs, form, status):
    context = {"pupil": pupil, "check": check, "costs": costs, "form": form}
    return render(request, "graduated/readiness.html", context, status=status)


DOWNLOADS = {"pdf", "zip"}


@membership_required("pack.view")
def pupil_pack(request, pk):
    """The pack on screen (SENCO and head); as a PDF or a zip with the chosen attachments for
    the SENCO only. Every opening and every download is logged on the pupil's record."""
    membership = request.membership
    pupil = access_pupil(membership, pk, action="pack.view")
    download = request.GET.get("format", "")
    if download in DOWNLOADS:
        policy.require(membership, "pack.build")
    today = timezone.localdate()
    attachments = attachments_of(pupil)
    form = PackForm(request.GET if "purpose" in request.GET else None, attachments=attachments)
    if form.is_bound and not form.is_valid():
        costs = pupil_costs(pupil, academic_year_of(today))
        shown = form if policy.can(membership, "pack.build") else None
        return _readiness_page(request, pupil, readiness(pupil, costs, today), costs, shown, 400)
    purpose = form.cleaned_data["purpose"] if form.is_bound else Purpose.REQUEST
    chosen = set(form.cleaned_data["attach"]) if form.is_bound else set()
    pack = build_pack(
        pupil, purpose=purpose, prepared_by=request.user, today=today, academic_year=academic_year_of(today)
    )
    title = f"{pack.purpose_label}: {pupil.full_name}"
    context = {"pack": pack, "pupil": pupil, "chosen": chosen, "query": request.GET.urlencode()}
    files = [item for item in attachments if str(item.pk) in chosen]
    detail = f"{pack.purpose_label} ({download.upper() or 'page'}"
    detail += f", {len(files)} attachment{'s' if len(files) != 1 else ''})" if download == "zip" else ")"
    access_log.note_how({"zip": How.EXPORT, "pdf": How.PDF}.get(download, How.PAGE), detail)
    if download == "zip":
        return _zip_response(request, pupil, title, context, files)
    return render_document(request, "graduated/pack.html", context, title=title, as_pdf=download == "pdf")


def _zip_response(request, pupil, title, context, files):
    """The pack's PDF and the chosen evidence files, as one zip."""
    full = document_context(request, title, context, as_pdf=True)
    pdf = pdf_bytes(render_to_string("graduated/pack.html", full, request=request))
    buffer = io.BytesIO()
    stem = slugify(f"{title} {full['printed_on']:%Y-%m-%d}")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.pdf", pdf)
        for number, item in enumerate(files, start=1):
            name = (
                get_valid_filename(PurePosixPath(item.attachment_name or item.attachment.name).name) or "file"
            )
            try:
                with item.attachment.open("rb") as handle:
                    archive.writestr(f"attachments/{number:02d}-{name}", handle.read())
            except FileNotFoundError:
                archive.writestr(
                    f"attachments/{number:02d}-{name}.missing.txt", "The stored file is missing."
                )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
    return response
