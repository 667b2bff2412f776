from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils import timezone

from schools.access import membership_required
from schools.models import GRID_READ_ROLES, GRID_WRITE_ROLES, Role

from .forms import GridChooserForm, cell_name, parse_grid
from .models import academic_year_of
from .selectors import build_grid, grid_pupils, scheme_of
from .services import grid_save, scheme_set_up_defaults


@membership_required(GRID_READ_ROLES)
def grid(request):
    membership = request.membership
    scheme = scheme_of(membership.school)
    if scheme is None:
        if membership.role != Role.SENCO:
            return render(request, "assessment/no_scheme.html")
        scheme = scheme_set_up_defaults(
            school=membership.school, academic_year=academic_year_of(timezone.localdate())
        )
    chooser = GridChooserForm(request.GET or None, membership=membership)
    context = {"chooser": chooser, "scheme": scheme, "can_save": membership.role in GRID_WRITE_ROLES}
    if not chooser.is_valid():
        return render(request, "assessment/grid.html", context)
    point = chooser.cleaned_data["point"]
    pupils = grid_pupils(
        membership,
        school_class=chooser.cleaned_data["school_class"],
        year_group=chooser.cleaned_data["year_group"],
    )
    grid = build_grid(membership, point, pupils)
    context["grid"] = grid
    if request.method == "POST":
        if not context["can_save"]:
            return render(
                request,
                "403.html",
                {"reason": "Your role can read this grid but not change it."},
                status=403,
            )
        status = _save(request, grid, scheme)
        if status is None:
            return redirect(request.get_full_path())
        return render(request, "assessment/grid.html", context, status=status)
    return render(request, "assessment/grid.html", context)


def _save(request, grid, scheme):
    """Save the posted grid. None on success; otherwise the status of the page shown again."""
    cells, errors = parse_grid(request.POST, grid, scheme)
    by_key = {(c.pupil.pk, c.subject.pk): c for _p, row in grid.rows for c in row}
    if errors:
        for cell in cells:
            shown = by_key[(cell.pupil_id, cell.subject_id)]
            shown.attainment_id, shown.progress_id, shown.points = cell.values
            shown.version = cell.version
            if (cell.pupil_id, cell.subject_id) in errors:
                shown.error = errors[(cell.pupil_id, cell.subject_id)]
                shown.points = request.POST.get(cell_name("n", cell.pupil_id, cell.subject_id), "")
        messages.error(
            request,
            f"Nothing was saved: {len(errors)} cell{'s' if len(errors) != 1 else ''} "
            "need correcting (marked below).",
        )
        return 400
    try:
        result = grid_save(point=grid.point, cells=cells, by=request.user)
    except IntegrityError:
        messages.error(
            request,
            "Someone saved this grid at the same moment. Nothing was saved: "
            "reload the grid and enter your changes again.",
        )
        return 409
    saved = result.created + result.updated
    if not result.conflicts:
        messages.success(request, f"Saved {saved} cell{'s' if saved != 1 else ''}.")
        return None
    # Show what this user typed in the conflicting cells, with the other person's values.
    for cell, current in result.conflicts:
        shown = by_key[(cell.pupil_id, cell.subject_id)]
        shown.attainment_id, shown.progress_id, shown.points = cell.values
        shown.version = current.version
        shown.conflict = current
    messages.warning(
        request,
        f"Saved {saved} cell{'s' if saved != 1 else ''}. {len(result.conflicts)} "
        f"cell{'s were' if len(result.conflicts) != 1 else ' was'} changed by someone else since you "
        "opened the grid and were not saved: both values are shown. Save again to keep yours.",
    )
    return 409
