from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.calendar import Term, academic_year_label
from core.forms import add_validation_errors
from pupils.access import access_pupil
from schools.access import membership_required
from schools.models import classes_for

from . import services
from .forms import (
    AttendanceForm,
    BehaviourForm,
    ExclusionForm,
    GridChoiceForm,
    GridRowForm,
    ParticipationForm,
)
from .models import Attendance, BehaviourCount, Exclusion, Participation
from .selectors import GRID_FIELDS, attendance_grid, current_academic_year, current_term, grid_pupils

PANEL = "attendance-h"


def _access(model, membership, pk):
    """A record of a pupil this membership may see; any other id is the same 404."""
    return get_object_or_404(model.objects.for_membership(membership).select_related("pupil"), pk=pk)


def _record_page(request, *, pupil, form, save, title, done):
    """Show a record form; on a valid POST save it and go back to the pupil's panel."""
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(reverse("pupils:detail", kwargs={"pk": pupil.pk}) + f"#{PANEL}")
        status = 400
    else:
        status = 200
    context = {"pupil": pupil, "form": form, "title": title}
    return render(request, "attendance/record_form.html", context, status=status)


def _changed(form):
    return {name: form.cleaned_data[name] for name in form.changed_data}


@membership_required("attendance.record")
def term_add(request, pk):
    pupil = access_pupil(request.membership, pk, action="attendance.record")
    initial = {"academic_year": current_academic_year(), "term": current_term()}
    form = AttendanceForm(request.POST or None, initial=initial)
    return _record_page(
        request,
        pupil=pupil,
        form=form,
        save=lambda data: services.attendance_record(pupil=pupil, by=request.user, **data),
        title="Record a term's attendance",
        done="The term's attendance was saved.",
    )


@membership_required("attendance.record")
def term_edit(request, pk):
    record = _access(Attendance, request.membership, pk)
    form = AttendanceForm(request.POST or None, instance=record)
    return _record_page(
        request,
        pupil=record.pupil,
        form=form,
        save=lambda data: services.attendance_update(attendance=record, by=request.user, **_changed(form)),
        title=f"Attendance, {record.get_term_display()} {academic_year_label(record.academic_year)}",
        done="The term's attendance was saved.",
    )


@membership_required("attendance.record")
def exclusion_add(request, pk):
    pupil = access_pupil(request.membership, pk, action="attendance.record")
    form = ExclusionForm(request.POST or None)
    return _record_page(
        request,
        pupil=pupil,
        form=form,
        save=lambda data: services.exclusion_record(pupil=pupil, by=request.user, **data),
        title="Record a suspension or exclusion",
        done="The suspension or exclusion was recorded.",
    )


@membership_required("attendance.record")
def exclusion_edit(request, pk):
    record = _access(Exclusion, request.membership, pk)
    form = ExclusionForm(request.POST or None, instance=record)
    return _record_page(
        request,
        pupil=record.pupil,
        form=form,
        save=lambda data: services.exclusion_update(exclusion=record, by=request.user, **_changed(form)),
        title=f"{record.get_kind_display()} from {record.start_date:%d/%m/%Y}",
        done="The suspension or exclusion was saved.",
    )


@membership_required("attendance.record")
def behaviour_add(request, pk):
    pupil = access_pupil(request.membership, pk, action="attendance.record")
    initial = {"academic_year": current_academic_year(), "term": current_term()}
    form = BehaviourForm(request.POST or None, initial=initial)
    return _record_page(
        request,
        pupil=pupil,
        form=form,
        save=lambda data: services.behaviour_count_record(pupil=pupil, by=request.user, **data),
        title="Record a term's behaviour incidents",
        done="The behaviour count was saved.",
    )


@membership_required("attendance.record")
def behaviour_edit(request, pk):
    record = _access(BehaviourCount, request.membership, pk)
    form = BehaviourForm(request.POST or None, instance=record)
    return _record_page(
        request,
        pupil=record.pupil,
        form=form,
        save=lambda data: services.behaviour_count_update(
            behaviour=record, by=request.user, **_changed(form)
        ),
        title=f"Behaviour, {record.get_term_display()} {academic_year_label(record.academic_year)}",
        done="The behaviour count was saved.",
    )


@membership_required("attendance.record")
def activity_add(request, pk):
    pupil = access_pupil(request.membership, pk, action="attendance.record")
    form = ParticipationForm(request.POST or None)
    return _record_page(
        request,
        pupil=pupil,
        form=form,
        save=lambda data: services.participation_record(pupil=pupil, by=request.user, **data),
        title="Record a club, trip or residential visit",
        done="The activity was recorded.",
    )


@membership_required("attendance.record")
def activity_edit(request, pk):
    record = _access(Participation, request.membership, pk)
    form = ParticipationForm(request.POST or None, instance=record)
    return _record_page(
        request,
        pupil=record.pupil,
        form=form,
        save=lambda data: services.participation_update(
            participation=record, by=request.user, **_changed(form)
        ),
        title=f"{record.activity} ({record.get_kind_display()})",
        done="The activity was saved.",
    )


# --- The class / year-group entry grid ------------------------------------------------------


def _groups(membership):
    classes = list(classes_for(membership))
    years = sorted({c.year_group for c in classes if c.year_group is not None})
    year_choices = [(f"y{y}", "Reception" if y == 0 else f"Year {y} (all classes)") for y in years]
    return [*((f"c{c.pk}", c.name) for c in classes), *year_choices], {c.pk: c for c in classes}


@membership_required("attendance.record")
def grid(request):
    membership = request.membership
    groups, classes = _groups(membership)
    defaults = {
        "academic_year": current_academic_year(),
        "term": int(current_term()),
        "group": groups[0][0] if groups else "",
    }
    chooser = GridChoiceForm({**defaults, **request.GET.dict()}, groups=groups)
    if not chooser.is_valid():
        chooser = GridChoiceForm(defaults, groups=groups)
        chooser.is_valid()
    context = {"chooser": chooser, "rows": None, "fields": GRID_FIELDS}
    if not groups:
        return render(request, "attendance/grid.html", context)
    choice = chooser.cleaned_data
    group = choice["group"]
    if group.startswith("c"):
        pupils = grid_pupils(membership, school_class=classes[int(group[1:])])
        group_name = classes[int(group[1:])].name
    else:
        year = int(group[1:])
        pupils = grid_pupils(membership, year_group=year)
        group_name = "Reception" if year == 0 else f"Year {year}"
    year, term = choice["academic_year"], choice["term"]
    rows = attendance_grid(pupils, academic_year=year, term=term)
    context.update(
        rows=rows,
        heading=f"{group_name}: {Term(term).label} term {academic_year_label(year)}",
    )
    for row in rows:
        row.form = GridRowForm(prefix=row.key, initial=_initial(row))
    if request.method != "POST":
        return render(request, "attendance/grid.html", context)
    status = _save_grid(request, rows, year, term)
    if status is None:
        return redirect(request.get_full_path())
    return render(request, "attendance/grid.html", context, status=status)


def _initial(row):
    initial = dict(row.values)
    if row.record is not None:
        initial["loaded_at"] = row.record.updated_at.isoformat()
    return initial


def _save_grid(request, rows, year, term):
    """Save the posted grid: None when saved, else the status of the page shown again."""
    entries, invalid = [], 0
    for row in rows:
        row.form = GridRowForm(request.POST, prefix=row.key)
        if not row.form.is_valid():
            invalid += 1
            continue
        data = row.form.cleaned_data
        if data["blank"]:
            continue
        values = {name: data[name] for name in GRID_FIELDS}
        entries.append(services.GridEntry(row.pupil.pk, values, data["loaded_at"]))
    if invalid:
        messages.error(
            request,
            f"Nothing was saved: {invalid} row{'s' if invalid != 1 else ''} need correcting (marked below).",
        )
        return 400
    result = services.attendance_grid_save(academic_year=year, term=term, entries=entries, by=request.user)
    if not result.saved:
        # A conflicting row shows both figures; its form now carries the newer record's time, so
        # saving again deliberately keeps the SENCO's figures.
        post = request.POST.copy()
        for row in rows:
            row.conflict = result.conflicts.get(row.pupil.pk)
            if row.conflict is not None:
                post[f"{row.key}-loaded_at"] = row.conflict.updated_at.isoformat()
                row.form = GridRowForm(post, prefix=row.key)
                row.form.is_valid()
            for message in result.errors.get(row.pupil.pk, []):
                row.form.add_error(None, message)
        problems = len(result.conflicts) + len(result.errors)
        messages.error(
            request,
            f"Nothing was saved: {problems} row{'s' if problems != 1 else ''} need checking (marked below). "
            "Where someone else saved the same pupil meanwhile, both figures are shown.",
        )
        return 409 if result.conflicts else 400
    messages.success(
        request,
        f"Saved: {result.created} new, {result.updated} changed, {result.unchanged} unchanged.",
    )
    return None
