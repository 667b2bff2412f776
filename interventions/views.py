from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import policy
from core.calendar import academic_year_label, academic_year_of
from core.charts import value_bars
from core.csv import csv_response
from core.disclosure import suppressed_note
from core.documents import render_document
from core.forms import add_validation_errors
from pupils.picker import keep_entered, searching
from schools.access import membership_required

from . import selectors, services
from .forms import (
    ActionForm,
    CheckpointForm,
    InterventionForm,
    PlaceForm,
    PriorityForm,
    RunForm,
    SessionForm,
    YearForm,
)


def _chosen_year(request):
    """The academic year asked for in ?year=, or the current one; bad input is ignored."""
    school = request.membership.school
    current = academic_year_of(timezone.localdate())
    years = sorted(set(selectors.provision_years(school)) | {current}, reverse=True)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] else current
    form = YearForm(initial={"year": year}, years=years)
    return year, form


# -- catalogue -----------------------------------------------------------------------------


@membership_required("school.view")
def intervention_list(request):
    membership = request.membership
    context = {
        "interventions": selectors.catalogue(membership),
        "runs": (selectors.runs_for(membership) if policy.can(membership, "intervention.sheet") else None),
        "can_edit": policy.can(membership, "intervention.change"),
    }
    return render(request, "interventions/intervention_list.html", context)


@membership_required("school.view")
def intervention_detail(request, pk):
    membership = request.membership
    intervention = selectors.intervention_for(membership, pk)
    context = {
        "intervention": intervention,
        "runs": (
            selectors.runs_for(membership).filter(intervention=intervention)
            if policy.can(membership, "intervention.sheet")
            else None
        ),
        "can_edit": policy.can(membership, "intervention.change"),
    }
    return render(request, "interventions/intervention_detail.html", context)


def _intervention_form(request, intervention=None):
    school = request.membership.school
    form = InterventionForm(request.POST or None, instance=intervention, school=school)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.INTERVENTION_FIELDS}
            try:
                if intervention:
                    saved = services.intervention_update(intervention=intervention, **data)
                else:
                    saved = services.intervention_create(school=school, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{saved.name} was saved.")
                return redirect("interventions:detail", pk=saved.pk)
        return render(
            request,
            "interventions/intervention_form.html",
            {"form": form, "intervention": intervention},
            status=400,
        )
    return render(
        request, "interventions/intervention_form.html", {"form": form, "intervention": intervention}
    )


@membership_required("intervention.change")
def intervention_create(request):
    return _intervention_form(request)


@membership_required("intervention.change")
def intervention_edit(request, pk):
    return _intervention_form(request, selectors.intervention_for(request.membership, pk))


# -- runs ----------------------------------------------------------------------------------


def _run_form(request, intervention, run=None):
    membership = request.membership
    initial = {} if run else {"staff": [intervention.lead] if intervention.lead else []}
    form = RunForm(request.POST or None, instance=run, membership=membership, initial=initial)
    context = {"form": form, "intervention": intervention, "run": run}
    if searching(request):
        keep_entered(form)
        return render(request, "interventions/run_form.html", context)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.RUN_FIELDS}
            try:
                saved = services.run_save(
                    intervention=intervention,
                    run=run,
                    staff=form.cleaned_data["staff"],
                    pupils=form.cleaned_data["pupils"],
                    **data,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The run was saved.")
                return redirect("interventions:run", pk=saved.pk)
        return render(request, "interventions/run_form.html", context, status=400)
    return render(request, "interventions/run_form.html", context)


@membership_required("intervention.change")
def run_create(request, pk):
    return _run_form(request, selectors.intervention_for(request.membership, pk))


@membership_required("intervention.change")
def run_edit(request, pk):
    run = selectors.run_for(request.membership, pk)
    return _run_form(request, run.intervention, run)


@membership_required("intervention.sheet")
def run_sheet(request, pk):
    """The Appendix C monitoring sheet, on screen or as a PDF (?format=pdf)."""
    membership = request.membership
    run = selectors.run_for(membership, pk)
    sheet = selectors.run_sheet(membership, run)
    can_record = policy.can(membership, "intervention.record", run)
    context = {
        "sheet": sheet,
        "can_edit": policy.can(membership, "intervention.change"),
        "can_record": can_record,
        "session_form": (
            SessionForm(
                places=run.places.select_related("pupil"),
                initial={
                    "minutes": run.intervention.session_minutes,
                    "date": timezone.localdate(),
                    "present": list(run.places.all()),
                },
            )
            if can_record
            else None
        ),
        "checkpoint_form": CheckpointForm(intervention=run.intervention) if can_record else None,
    }
    return render_document(
        request,
        "interventions/run_sheet.html",
        context,
        title=f"Intervention monitoring: {run.intervention.name}",
    )


@require_POST
@membership_required("intervention.record")
def session_create(request, pk):
    membership = request.membership
    run = selectors.run_for(membership, pk)
    policy.require(membership, "intervention.record", run)
    form = SessionForm(request.POST, places=run.places.select_related("pupil"))
    if form.is_valid():
        try:
            services.session_record(run=run, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"The session of {form.cleaned_data['date']:%d/%m/%Y} was recorded.")
            return redirect("interventions:run", pk=run.pk)
    return render(request, "interventions/session_form.html", {"form": form, "run": run}, status=400)


@membership_required("intervention.change")
def place_edit(request, pk):
    place = selectors.place_for(request.membership, pk)
    form = PlaceForm(request.POST or None, instance=place)
    context = {"form": form, "place": place}
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.PLACE_FIELDS}
            try:
                services.place_update(place=place, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{place.pupil.full_name}'s record in this run was saved.")
                return redirect("interventions:run", pk=place.run_id)
        return render(request, "interventions/place_form.html", context, status=400)
    return render(request, "interventions/place_form.html", context)


@require_POST
@membership_required("intervention.record")
def checkpoint_create(request, pk):
    place = selectors.place_for(request.membership, pk)
    policy.require(request.membership, "intervention.record", place)
    form = CheckpointForm(request.POST, intervention=place.run.intervention)
    if form.is_valid():
        try:
            services.checkpoint_record(place=place, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"{place.pupil.full_name}: week {form.cleaned_data['week']} checkpoint recorded."
            )
            return redirect("interventions:run", pk=place.run_id)
    return render(request, "interventions/checkpoint_form.html", {"form": form, "place": place}, status=400)


# -- impact and the provision map ----------------------------------------------------------


@membership_required("school.view")
def impact(request):
    membership = request.membership
    year, year_form = _chosen_year(request)
    suppress = membership.suppress_below
    rows = selectors.intervention_impact(membership.school, year, suppress_below=suppress)
    ranking = selectors.rank_within_measures(rows)
    context = {
        "year": year,
        "year_label": academic_year_label(year),
        "year_form": year_form,
        "rows": rows,
        "ranking": ranking,
        "measures": [(measure, _ranking_chart(measure)) for measure in ranking.compared],
        "hours": selectors.hours_vs_progress(membership.school, year, suppress_below=suppress),
        "hour_bands": [label for _low, _high, label in selectors.HOUR_BANDS],
        "subject_rows": selectors.class_subject_comparison(membership.school, year, suppress_below=suppress),
        "pupil_rows": selectors.pupil_impact(membership, year),
    }
    return render_document(
        request,
        "interventions/impact.html",
        context,
        title=f"Intervention impact {academic_year_label(year)}",
        anonymised=not policy.can(membership, "pupil.view"),
    )


def _ranking_chart(measure):
    """Gain a week of the interventions on one measure."""
    return value_bars(
        f"Mean gain a week: {measure.measure}",
        ((row.intervention.name, row.gain_per_week) for row in measure.by_impact),
    )


@membership_required("school.view")
def provision_map(request):
    membership = request.membership
    year, year_form = _chosen_year(request)
    pmap = selectors.provision_map(membership, year)
    return render_document(
        request,
        "interventions/provision_map.html",
        {"map": pmap, "year_form": year_form, "year": year},
        title=f"Provision map {pmap.label}",
        anonymised=not policy.can(membership, "pupil.view"),
    )


@membership_required("school.view")
def provision_map_csv(request):
    membership = request.membership
    year, _form = _chosen_year(request)
    pmap = selectors.provision_map(membership, year)
    header = [
        "Term", "Year group", "Intervention", "Wave", "Area of need", "Run", "Start", "End", "Staff",
        "Pupils", "Sessions a week", "Session minutes", "Weeks", "Hours", "Cost (GBP)",
    ]  # fmt: skip
    rows = []
    for group in pmap.groups:
        for row in group.rows:
            run, intervention = row.run, row.run.intervention
            rows.append(
                [
                    group.term,
                    row.year_label,
                    intervention.name,
                    intervention.wave,
                    intervention.area_of_need,
                    run.label,
                    run.start_date.isoformat(),
                    run.end_date.isoformat() if run.end_date else "",
                    "; ".join(s.get_full_name() or s.get_username() for s in run.staff.all()),
                    str(row.pupils),
                    intervention.sessions_per_week,
                    intervention.session_minutes,
                    intervention.weeks,
                    row.hours,
                    row.cost,
                ]
            )
        rows.append([group.term, group.year_label, "Total", "", "", "", "", "", "", str(group.pupils),
                     "", "", "", group.hours, group.cost])  # fmt: skip
    rows.append(["All terms", "All years", "Total", "", "", "", "", "", "", str(pmap.total_pupils),
                 "", "", "", pmap.total_hours, pmap.total_cost])  # fmt: skip
    if membership.suppress_below:
        rows.append([suppressed_note(membership.suppress_below)])
    filename = f"provision-map-{year}-{(year + 1) % 100:02d}.csv"
    return csv_response(filename, header, rows)


# -- action plan ---------------------------------------------------------------------------


@membership_required("school.view")
def action_plan(request):
    membership = request.membership
    can_edit = policy.can(membership, "action_plan.change")
    context = {
        "priorities": selectors.action_plan(membership),
        "can_edit": can_edit,
        "priority_form": PriorityForm() if can_edit else None,
        "suggestions": selectors.gap_suggestions(membership.school) if can_edit else [],
        "action_form": ActionForm() if can_edit else None,
    }
    return render_document(request, "interventions/action_plan.html", context, title="SEND action plan")


@membership_required("action_plan.change")
def priority_create(request):
    form = PriorityForm(request.POST or None)
    if request.method != "POST":
        return render(request, "interventions/priority_form.html", {"form": form})
    if form.is_valid():
        try:
            services.priority_create(school=request.membership.school, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The priority was added to the action plan.")
            return redirect("interventions:action_plan")
    return render(request, "interventions/priority_form.html", {"form": form}, status=400)


@membership_required("action_plan.change")
def action_create(request, pk):
    priority = selectors.priority_for(request.membership, pk)
    return _action_form(request, priority)


@membership_required("action_plan.change")
def action_edit(request, pk):
    action = selectors.action_for(request.membership, pk)
    return _action_form(request, action.priority, action)


def _action_form(request, priority, action=None):
    form = ActionForm(request.POST or None, instance=action)
    context = {"form": form, "priority": priority, "action": action}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.action_save(priority=priority, action=action, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The action was saved.")
                return redirect("interventions:action_plan")
        return render(request, "interventions/action_form.html", context, status=400)
    return render(request, "interventions/action_form.html", context)
