from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core import policy
from core.calendar import academic_year_label, academic_year_of
from core.csv import csv_response
from pupils.access import access_pupil
from pupils.models import year_groups_of
from schools.access import membership_required
from schools.models import classes_for

from . import selectors
from .bands import Bands
from .forms import (
    AttainmentBandFormSet,
    BandPresetForm,
    GridAddressForm,
    GridChooserForm,
    GridPayloadError,
    PointFormSet,
    PointPresetForm,
    ProgressBandFormSet,
    SchemeForm,
    SubjectFormSet,
    SupportObservationForm,
    TargetsForm,
    cell_name,
    formset_rows,
    grid_fields_from_json,
    parse_grid,
    parse_grid_targets,
    with_versions,
)
from .frameworks import show
from .models import AttainmentBand, ProgressBand, Subject, Target
from .services import (
    bands_apply_preset,
    bands_save,
    grid_save,
    points_apply_preset,
    points_save,
    scheme_set_up_defaults,
    scheme_update,
    subjects_save,
    support_observation_record,
    targets_set,
    targets_set_for_pupils,
)


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- the termly grid ------------------------------------------------------------------------


@membership_required("grid.view")
def grid(request):
    membership = request.membership
    if request.method == "POST":
        policy.require(membership, "grid.save")
        if request.content_type == "application/json":
            return _grid_post_json(request, membership)
        return _grid_post(request, membership)
    scheme, points = selectors.scheme_and_points(membership.school)
    if scheme is None:
        return _no_scheme(request)
    context = _grid_context(request, membership, scheme, points)
    return render(request, "assessment/grid.html", context)


def _grid_context(request, membership, scheme, points=None):
    """Everything the grid page shows: the chooser and, once chosen, the grid."""
    if points is None:
        points = selectors.points_of(membership.school)
    chooser = GridChooserForm(
        request.GET or None,
        points=points,
        classes=list(classes_for(membership)),
        today=timezone.localdate(),
        year_groups=year_groups_of(membership.school),
    )
    context = {
        "chooser": chooser,
        "scheme": scheme,
        "can_save": policy.can(membership, "grid.save"),
        "can_set_targets": policy.can(membership, "target.set"),
        "target_mode": False,
    }
    if not chooser.is_valid():
        return context
    point = chooser.cleaned_data["point"]
    pupils = selectors.grid_pupils(
        membership,
        school_class=chooser.cleaned_data["school_class"],
        year_group=chooser.cleaned_data["year_group"],
    )
    context["grid"] = selectors.build_grid(
        membership,
        point,
        pupils,
        previous=selectors.previous_in(points, point),
        reference=selectors.reference_of(membership.school, pupils=pupils, as_at=point.as_at),
        points=points,
    )
    context["target_mode"] = chooser.cleaned_data["mode"] == "targets"
    context["export_query"] = request.GET.urlencode()
    # Where the grid saves to: its full address, the point included, even when the page was
    # opened without one (the current point).
    context["save_query"] = urlencode(
        {
            key: value
            for key, value in (
                ("point", point.pk),
                ("school_class", getattr(chooser.cleaned_data["school_class"], "pk", None)),
                ("year_group", chooser.cleaned_data["year_group"]),
                ("mode", chooser.cleaned_data["mode"]),
            )
            if value not in (None, "")
        }
    )
    context["field_limit"] = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    context["too_big_without_js"] = (
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None
        and context["grid"].fields_posted > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    )
    return context


def _grid_address(request, membership):
    """The point, scheme, and scoped pupils' reference of the grid a POST saves (404 if none)."""
    address = GridAddressForm(request.GET)
    if not address.is_valid():
        raise Http404("No such grid.")
    point = selectors.point_with_scheme(membership.school, address.cleaned_data["point"])
    if point is None:
        raise Http404("No such assessment point.")
    scheme = getattr(point.school, "assessment_scheme", None)
    if scheme is None:
        raise Http404("This school has no assessment scheme yet.")
    pupils = selectors.grid_pupils(membership).filter(
        **{
            key: value
            for key, value in (
                ("school_class_id", address.cleaned_data["school_class"]),
                ("year_group", address.cleaned_data["year_group"]),
            )
            if value is not None
        }
    )
    reference = selectors.reference_of(membership.school, pupils=pupils, as_at=point.as_at)
    return address.cleaned_data["mode"], point, scheme, reference


def _grid_post(request, membership):
    """Save the grid posted as a form (the page without JavaScript) in at most eight queries:
    session, user, membership, the point with the scheme, one UNION of pupils, subjects, bands,
    frameworks and the pupils' placements at the point, then the service's read, write and
    history write; values on other frameworks add their progress (two reads and a write). Only
    a refused save reads more, to show the page again."""
    mode, point, scheme, reference = _grid_address(request, membership)
    if mode == "targets":
        return _grid_targets_post(request, membership, point, scheme, reference)
    data = with_versions(request.POST)
    cells, errors = parse_grid(data, reference, scheme, reference.pupil_ids)
    if errors:
        named = _named_errors(membership, reference, errors)
        listed = "; ".join(item["message"] for item in named[:10])
        more = f"; and {len(named) - 10} more" if len(named) > 10 else ""
        messages.error(
            request,
            f"Nothing was saved: {_plural(len(errors), 'cell')} need{'s' if len(errors) == 1 else ''} "
            f"correcting (marked below). {listed}{more}.",
        )
        return _grid_again(request, membership, scheme, cells, data, errors=errors, status=400)
    try:
        result = grid_save(point=point, cells=cells, by=request.user, year_groups=reference.year_groups)
    except IntegrityError:
        messages.error(request, SAVED_AT_THE_SAME_MOMENT)
        return _grid_again(request, membership, scheme, cells, data, status=409)
    saved = result.created + result.updated
    if not result.conflicts:
        messages.success(request, f"Saved {_plural(saved, 'cell')}.")
        return redirect(request.get_full_path())
    conflicts = len(result.conflicts)
    messages.warning(
        request,
        f"Saved {_plural(saved, 'cell')}. {conflicts} cell{'s were' if conflicts != 1 else ' was'} "
        "changed by someone else since you opened the grid and were not saved: both values are shown. "
        "Save again to keep yours.",
    )
    return _grid_again(
        request, membership, scheme, [c for c, _ in result.conflicts], data, conflicts=result.conflicts
    )


SAVED_AT_THE_SAME_MOMENT = (
    "Someone saved this grid at the same moment. Nothing was saved: save again, and any cell they "
    "changed will be shown beside yours."
)


def _grid_again(request, membership, scheme, cells, data, *, errors=None, conflicts=(), status=409):
    """The grid shown again with what the user typed, their errors or the others' values."""
    context = _grid_context(request, membership, scheme)
    grid = context.get("grid")
    if grid is None:
        return render(request, "assessment/grid.html", context, status=400)
    errors = errors or {}
    stored = {(c.pupil_id, c.subject_id): current for c, current in conflicts}
    by_key = {(c.pupil.pk, c.subject.pk): c for _p, row in grid.rows for c in row}
    for cell in cells:
        key = (cell.pupil_id, cell.subject_id)
        shown = by_key.get(key)
        if shown is None:
            continue
        shown.attainment_code = data.get(cell_name("a", *key), "")
        shown.progress_code = data.get(cell_name("g", *key), "")
        shown.points = data.get(cell_name("n", *key), "")
        shown.value = data.get(cell_name("f", *key), "")
        shown.version = cell.version
        if key in errors:
            shown.error = errors[key]
        if key in stored:
            current = stored[key]
            _with_bands(current, grid)
            shown.version, shown.conflict = current.version, current
            shown.conflict_text = _value_text(current, grid)
    return render(request, "assessment/grid.html", context, status=status)


def _value_text(assessment, reference):
    """A stored cell's value as the grid shows it: "OT / E / 14", or "PK3 (Pre-key stage 2
    standards)" for a value on another framework. `reference` is the grid or its Reference."""
    if assessment.framework_id:
        frameworks = (
            {f.pk: f for f in reference.frameworks}
            if isinstance(reference.frameworks, list)
            else (reference.frameworks)
        )
        framework = frameworks.get(assessment.framework_id)
        stage = next(
            (s for s in reference.stages.get(assessment.framework_id, []) if s.pk == assessment.stage_id),
            None,
        )
        if framework is None:
            return "a value on another framework"
        shown = show(framework, stage, assessment.step, assessment.score)
        return f"{shown} ({framework.name})"
    points = "—" if assessment.points is None else str(assessment.points)
    return f"{assessment.attainment.code if assessment.attainment else '—'} / " + (
        f"{assessment.progress.code if assessment.progress else '—'} / {points}"
    )


def _with_bands(assessment, reference):
    """Set an assessment's bands from the ones already read, rather than a query each."""
    assessment.attainment = next(
        (b for b in reference.attainment_bands if b.pk == assessment.attainment_id), None
    )
    assessment.progress = next((b for b in reference.progress_bands if b.pk == assessment.progress_id), None)
    return assessment


def _grid_post_json(request, membership):
    """Save the changed cells the grid's script sends as JSON, {"fields": {"a-12-5": "OT", ...}}
    with the field names of the form, and answer in JSON: what was saved (with each cell's new
    version, so the page saves again without reloading), what someone else changed meanwhile,
    or, with nothing stored, each cell that needs correcting, named by pupil and subject."""
    mode, point, scheme, reference = _grid_address(request, membership)
    try:
        body = request.body
    except RequestDataTooBig:
        return _json_refused(
            "This save is too large to send in one go. Nothing was saved: save after fewer changes, "
            "or open one class at a time.",
            status=413,
        )
    try:
        data = grid_fields_from_json(body, cells=max(1, len(reference.pupil_ids) * len(reference.subjects)))
    except GridPayloadError as refused:
        return _json_refused(str(refused))
    if mode == "targets":
        return _grid_targets_json(request, membership, point, scheme, reference, data)
    cells, errors = parse_grid(data, reference, scheme, reference.pupil_ids)
    if errors:
        return _json_errors(membership, reference, errors, "cell")
    try:
        result = grid_save(point=point, cells=cells, by=request.user, year_groups=reference.year_groups)
    except IntegrityError:
        return _json_refused(SAVED_AT_THE_SAME_MOMENT, status=409)
    saved = len(result.versions)
    message = f"Saved {_plural(saved, 'change')}."
    if result.conflicts:
        message += (
            f" {_plural(len(result.conflicts), 'cell')} changed by someone else since you opened the "
            "grid and were not saved: both values are shown. Save again to keep yours."
        )
    return JsonResponse(
        {
            "ok": True,
            "message": message,
            "saved": {f"{p}-{s}": version for (p, s), version in result.versions.items()},
            "conflicts": [
                _conflict_json(cell, _with_bands(current, reference), reference)
                for cell, current in result.conflicts
            ],
        },
        status=409 if result.conflicts else 200,
    )


def _conflict_json(cell, current, reference):
    return {
        "shown": _value_text(current, reference),
        "key": f"{cell.pupil_id}-{cell.subject_id}",
        "version": current.version,
        "by": str(current.updated_by or "someone"),
        "at": timezone.localtime(current.updated_at).strftime("%H:%M") if current.updated_at else "",
        "a": current.attainment.code if current.attainment else "",
        "g": current.progress.code if current.progress else "",
        "n": "" if current.points is None else str(current.points),
    }


def _json_refused(message, *, status=400):
    return JsonResponse({"ok": False, "message": message, "errors": []}, status=status)


def _named_errors(membership, reference, errors):
    """Every cell to correct, named by pupil and subject, in the grid's order (one query, for
    the names of the pupils concerned)."""
    names = selectors.pupil_names(membership, {pupil_id for pupil_id, _subject in errors})
    subjects = {s.pk: s.name for s in reference.subjects}
    return [
        {
            "key": f"{pupil_id}-{subject_id}",
            "message": f"{names.get(pupil_id, 'A pupil')}, {subjects.get(subject_id, 'a subject')}: "
            f"{problem}",
        }
        for (pupil_id, subject_id), problem in sorted(
            errors.items(), key=lambda e: (names.get(e[0][0], ""), e[0][1])
        )
    ]


def _json_errors(membership, reference, errors, what):
    """Nothing stored: every cell to correct, named by pupil and subject (one query, for the
    names of the pupils concerned)."""
    listed = _named_errors(membership, reference, errors)
    count = len(errors)
    return JsonResponse(
        {
            "ok": False,
            "message": f"Nothing was saved: {_plural(count, what)} "
            f"need{'s' if count == 1 else ''} correcting (marked in the grid).",
            "errors": listed,
        },
        status=400,
    )


def _grid_targets_post(request, membership, point, scheme, reference):
    policy.require(membership, "target.set")
    per_pupil, errors = parse_grid_targets(
        request.POST, reference, scheme, reference.pupil_ids, point.academic_year
    )
    if errors:
        messages.error(
            request,
            f"Nothing was saved: {_plural(len(errors), 'target')} need correcting: "
            + "; ".join(errors.values()),
        )
        context = _grid_context(request, membership, scheme)
        return render(request, "assessment/grid.html", context, status=400)
    changed = targets_set_for_pupils(membership=membership, per_pupil=per_pupil, by=request.user)
    messages.success(request, f"Saved {_plural(changed, 'target')}.")
    return redirect(request.get_full_path())


def _grid_targets_json(request, membership, point, scheme, reference, data):
    policy.require(membership, "target.set")
    per_pupil, errors = parse_grid_targets(data, reference, scheme, reference.pupil_ids, point.academic_year)
    if errors:
        return _json_errors(membership, reference, errors, "target")
    changed = targets_set_for_pupils(membership=membership, per_pupil=per_pupil, by=request.user)
    saved = {f"{pupil_id}-{t.subject.pk}": 0 for pupil_id, targets in per_pupil.items() for t in targets}
    return JsonResponse(
        {"ok": True, "message": f"Saved {_plural(changed, 'target')}.", "saved": saved, "conflicts": []}
    )


# -- exports --------------------------------------------------------------------------------


@membership_required("grid.view")
def grid_csv(request):
    """The grid as shown (point, class or year group) as CSV, formulas neutralised."""
    membership = request.membership
    scheme = selectors.scheme_of(membership.school)
    context = _grid_context(request, membership, scheme) if scheme else {}
    grid = context.get("grid")
    if grid is None:
        messages.error(request, "Choose a point and a class or year group before downloading the grid.")
        return redirect("assessment:grid")
    measure = scheme.measure_name or "Points"
    header = ["UPN", "Surname", "Forename", "Year group", "SEN status", "Primary need"]
    for subject in grid.subjects:
        header += [f"{subject.name} attainment", f"{subject.name} progress", f"{subject.name} {measure}"]
        if grid.frameworks:
            header.append(f"{subject.name} other framework")
    attainment = {b.pk: b.code for b in grid.attainment_bands}
    progress = {b.pk: b.code for b in grid.progress_bands}
    rows = []
    for pupil, cells in grid.rows:
        row = [
            pupil.upn,
            pupil.legal_surname,
            pupil.forename,
            pupil.get_year_group_display(),
            pupil.sen_status,
            pupil.primary_need,
        ]
        for cell in cells:
            row += [attainment.get(cell.attainment_id, ""), progress.get(cell.progress_id, ""), cell.points]
            if grid.frameworks:
                row.append(_framework_csv(cell))
        rows.append(row)
    name = f"grid-{grid.point.name}-{grid.point.academic_year}".replace(" ", "-").lower()
    return csv_response(f"{name}.csv", header, rows)


def _framework_csv(cell):
    """A cell on another framework as the grid CSV gives it: "PK3 (Pre-key stage 2 standards)"."""
    if cell.framework is None:
        return ""
    if cell.engagement:
        return cell.framework.name
    return f"{cell.value} ({cell.framework.name})" if cell.value else f"({cell.framework.name})"


@membership_required("pupil.view")
def pupils_csv(request):
    """The pupils the user may see, with SEN status, needs, flags and the current point's data."""
    membership = request.membership
    points = selectors.points_of(membership.school)
    point = selectors.current_point(points, timezone.localdate())
    reference = selectors.reference_of(membership.school)
    pupils, cells = selectors.pupils_export_rows(membership, point, reference)
    header = [
        "UPN",
        "Surname",
        "Forename",
        "Year group",
        "Class",
        "SEN status",
        "Primary need",
        "Secondary need",
        "Pupil premium",
        "FSM",
        "EAL",
        "Looked after",
    ]
    at = f" ({point})" if point else ""
    for subject in reference.subjects:
        header += [
            f"{subject.name} attainment{at}",
            f"{subject.name} progress{at}",
            f"{subject.name} points{at}",
        ]
    rows = []
    for pupil in pupils:
        row = [
            pupil.upn,
            pupil.legal_surname,
            pupil.forename,
            pupil.get_year_group_display(),
            pupil.school_class or "",
            pupil.sen_status,
            pupil.primary_need,
            pupil.secondary_need,
            "Y" if pupil.pupil_premium else "N",
            "Y" if pupil.fsm else "N",
            "Y" if pupil.eal else "N",
            "Y" if pupil.lac else "N",
        ]
        for subject in reference.subjects:
            row += list(cells.get((pupil.pk, subject.pk), ("", "", "")))
        rows.append(row)
    return csv_response("pupils.csv", header, rows)


# -- the scheme editor ----------------------------------------------------------------------


def _editing(membership):
    return policy.can(membership, "scheme.change")


def _scheme_or_defaults(request):
    """The school's scheme, set up with the defaults by the SENCO's first POST to a scheme page.
    A GET never writes: with no scheme yet it gives None, and the view shows _no_scheme."""
    membership = request.membership
    scheme = selectors.scheme_of(membership.school)
    if scheme is None and request.method == "POST" and _editing(membership):
        scheme = scheme_set_up_defaults(
            school=membership.school, academic_year=academic_year_of(timezone.localdate())
        )
    return scheme


def _no_scheme(request):
    """The page shown while the school has no scheme: the SENCO gets the button that sets it up."""
    return render(request, "assessment/no_scheme.html", {"can_set_up": _editing(request.membership)})


def _refuse_unless_senco(request):
    if request.method == "POST" and not _editing(request.membership):
        return render(
            request, "403.html", {"reason": "Only the SENCO changes the assessment scheme."}, status=403
        )
    return None


@membership_required("scheme.view")
def scheme(request):
    """The scheme's measure and expected progress, with links to points, subjects and bands."""
    refused = _refuse_unless_senco(request)
    if refused:
        return refused
    membership = request.membership
    current = _scheme_or_defaults(request)
    if current is None:
        return _no_scheme(request)
    if request.method == "POST" and "set_up" in request.POST:
        messages.success(request, "The default scheme is set up. Change any part of it below.")
        return redirect("assessment:scheme")
    form = SchemeForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            scheme_update(scheme=current, **form.cleaned_data)
            messages.success(request, "Saved the numeric measure and expected progress.")
            return redirect("assessment:scheme")
        status = 400
    else:
        status = 200
    reference = selectors.reference_of(membership.school)
    context = {
        "form": form,
        "scheme": current,
        "editing": _editing(membership),
        "reference": reference,
        "bands": Bands.of_school(membership.school_id),
        "years": selectors.scheme_years(membership.school, timezone.localdate()),
    }
    return render(request, "assessment/scheme.html", context, status=status)


def _formset_page(request, *, formset_class, queryset, save, title, what, preset_form=None, extra=None):
    """A formset editor: shown to SENCO and head, saved by the SENCO through `save(rows)`."""
    editing = _editing(request.membership)
    if request.method == "POST" and "preset" in request.POST and preset_form is not None:
        formset = formset_class(queryset=queryset, prefix="rows")
        preset, done = _apply_preset(request, preset_form)
    elif request.method == "POST":
        formset = formset_class(request.POST, queryset=queryset, prefix="rows")
        preset = preset_form[0]() if preset_form else None
        done = _save_formset(request, formset, save, what)
    else:
        formset = formset_class(queryset=queryset, prefix="rows")
        preset = preset_form[0]() if preset_form else None
        done = None
    if done:
        return redirect(request.get_full_path())
    if not editing:
        for form in formset:
            for form_field in form.fields.values():
                form_field.disabled = True
    context = {"formset": formset, "title": title, "what": what, "editing": editing, "preset": preset}
    context.update(extra or {})
    status = 200 if done is None else 400
    return render(request, "assessment/scheme_formset.html", context, status=status)


def _apply_preset(request, preset_form):
    """The preset form and whether its preset was applied (False: shown again with the reason)."""
    form_class, apply = preset_form
    preset = form_class(request.POST)
    if not preset.is_valid():
        return preset, False
    try:
        apply(preset.cleaned_data["preset"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return preset, False
    messages.success(request, "Applied the preset.")
    return preset, True


def _save_formset(request, formset, save, what):
    """Whether the formset was valid and saved; a refusal from the service joins its errors."""
    if not formset.is_valid():
        return False
    try:
        save(formset_rows(formset))
    except ValidationError as error:
        formset._non_form_errors.extend(error.messages)
        return False
    messages.success(request, f"Saved the {what}.")
    return True


@membership_required("scheme.view")
def scheme_points(request, year):
    refused = _refuse_unless_senco(request)
    if refused:
        return refused
    school = request.membership.school
    this_year = academic_year_of(timezone.localdate())
    if not this_year - 10 <= year <= this_year + 2:
        raise Http404("No such academic year.")
    if _scheme_or_defaults(request) is None:
        return _no_scheme(request)
    return _formset_page(
        request,
        formset_class=PointFormSet,
        queryset=selectors.points_for_year(school, year),
        save=lambda rows: points_save(school=school, academic_year=year, rows=rows),
        title=f"Assessment points of {academic_year_label(year)}",
        what="assessment points",
        preset_form=(
            PointPresetForm,
            lambda preset: points_apply_preset(school=school, academic_year=year, preset=preset),
        ),
        extra={"year": year},
    )


@membership_required("scheme.view")
def scheme_subjects(request):
    refused = _refuse_unless_senco(request)
    if refused:
        return refused
    school = request.membership.school
    if _scheme_or_defaults(request) is None:
        return _no_scheme(request)
    return _formset_page(
        request,
        formset_class=SubjectFormSet,
        queryset=selectors.subjects_for_editing(school),
        save=lambda rows: subjects_save(school=school, rows=rows),
        title="Subjects",
        what="subjects",
    )


BAND_KINDS = {
    "attainment": (AttainmentBand, AttainmentBandFormSet, "Attainment bands"),
    "progress": (ProgressBand, ProgressBandFormSet, "Progress bands"),
}


@membership_required("scheme.view")
def scheme_bands(request, kind):
    refused = _refuse_unless_senco(request)
    if refused:
        return refused
    if kind not in BAND_KINDS:
        raise Http404("No such scale.")
    model, formset_class, title = BAND_KINDS[kind]
    school = request.membership.school
    if _scheme_or_defaults(request) is None:
        return _no_scheme(request)
    return _formset_page(
        request,
        formset_class=formset_class,
        queryset=selectors.bands_for_editing(model, school),
        save=lambda rows: bands_save(model=model, school=school, rows=rows),
        title=title,
        what=title.lower(),
        preset_form=(
            BandPresetForm,
            lambda preset: bands_apply_preset(model=model, school=school, preset=preset),
        ),
        extra={"lines_of": kind},
    )


# -- targets and the support scale on a pupil's page ----------------------------------------


@membership_required("target.set")
def pupil_targets(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="target.set")
    scheme = _scheme_or_defaults(request)
    if scheme is None:
        return _no_scheme(request)
    this_year = academic_year_of(timezone.localdate())
    years = {"year": this_year, "ks": selectors.key_stage_end_year(pupil.year_group, this_year)}
    reference = selectors.reference_of(membership.school)
    stored = {
        (t.subject_id, t.kind): t
        for t in Target.objects.for_membership(membership)
        .filter(pupil=pupil, academic_year__in=list(years.values()))
        .select_related("attainment", "framework", "stage")
        if t.academic_year == years[t.kind]
    }
    form = TargetsForm(
        request.POST or None,
        subjects=reference.subjects,
        bands=reference.attainment_bands,
        scheme=scheme,
        stored=stored,
        years=years,
        frameworks=selectors.frameworks_in_force(pupil, timezone.localdate()),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = targets_set(pupil=pupil, targets=form.targets(), by=request.user)
            messages.success(request, f"Saved {_plural(changed, 'target')}.")
            return redirect(reverse("pupils:detail", kwargs={"pk": pupil.pk}) + "#targets-h")
        status = 400
    context = {
        "pupil": pupil,
        "form": form,
        "scheme": scheme,
        "year_label": academic_year_label(years["year"]),
        "ks_label": academic_year_label(years["ks"]),
    }
    return render(request, "assessment/targets_form.html", context, status=status)


@membership_required("support_scale.record")
def support_observation_add(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk, action="support_scale.record")
    subjects = Subject.objects.filter(school=membership.school, retired=False)
    form = SupportObservationForm(request.POST or None, subjects=subjects)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            support_observation_record(pupil=pupil, observer=request.user, **form.cleaned_data)
            messages.success(request, "Recorded the support-scale observation.")
            return redirect(reverse("pupils:detail", kwargs={"pk": pupil.pk}) + "#support-h")
        status = 400
    return render(request, "assessment/support_form.html", {"pupil": pupil, "form": form}, status=status)
