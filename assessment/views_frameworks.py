"""The framework editor (the school's frameworks beside its main scheme) and pupils' placements
on them (issue 22). Leaders edit and place; teachers read; governors never see either."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core import policy
from core.words import listed
from pupils.access import access_pupil
from pupils.models import year_groups_of
from schools.access import membership_required
from schools.models import classes_for

from . import frameworks, selectors, selectors_frameworks
from .forms import formset_rows
from .forms_frameworks import (
    BulkPlacementForm,
    FrameworkForm,
    KitForm,
    PlaceChooserForm,
    PlacementForm,
    StageFormSet,
    StandardFormSet,
)
from .models import Framework, Subject
from .services import (
    framework_create,
    framework_retire,
    framework_stages_save,
    framework_update,
    placements_set,
    placements_set_in,
)

Kind = Framework.Kind
KIND_SLUGS = {kind.value: kind for kind in Kind if kind != Kind.STANDARDS}
KIND_ADVICE = {
    Kind.STEPS: "Stages the school names, each split into a number of steps (“S2.3”: stage S2, step 3), "
    "with the steps a pupil is expected to gain in a year.",
    Kind.SCORE: "A standardised test's scores (mean 100, standard deviation 15 for the pupil's age): a "
    "score that holds steady shows progress at the typical rate.",
    Kind.AGE: "Reading or spelling ages in years and months, read as months gained and the ratio gain "
    "(months gained divided by months passed), with impact bands you can set.",
    Kind.ENGAGEMENT: "For pupils not engaged in subject-specific study: dated observations in the five "
    "areas, never a score.",
}


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


@membership_required("framework.view")
def framework_list(request):
    """The school's frameworks beside its main scheme; leaders add a pre-key stage kit in one click."""
    membership = request.membership
    if request.method == "POST":
        policy.require(membership, "framework.change")
        kit = KitForm(request.POST)
        if kit.is_valid():
            name = kit.cleaned_data["kit"]
            existed = Framework.objects.filter(school=membership.school, name=name).exists()
            framework = frameworks.kit_add(membership.school, name)
            if existed:
                messages.info(request, f"The school already has {name}.")
            else:
                messages.success(
                    request,
                    f"Added {name}: {_plural(framework.stages.count(), 'standard')}, one expected a year.",
                )
            return redirect("assessment:framework_edit", pk=framework.pk)
        messages.error(request, "Choose one of the pre-key stage frameworks.")
    listed = selectors_frameworks.frameworks_of(membership.school)
    have = {f.name for f in listed}
    context = {
        "frameworks": listed,
        "kits": [name for name in frameworks.PRE_KEY_STAGE if name not in have],
        "kinds": [(slug, kind.label, KIND_ADVICE[kind]) for slug, kind in KIND_SLUGS.items()],
        "editing": policy.can(membership, "framework.change"),
        "can_place": policy.can(membership, "placement.set"),
    }
    return render(request, "assessment/frameworks/list.html", context)


@membership_required("framework.change")
def framework_add(request, kind):
    kind = KIND_SLUGS.get(kind)
    if kind is None:
        raise Http404("No such kind of framework.")
    membership = request.membership
    form = FrameworkForm(request.POST or None, kind=kind)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                framework = framework_create(school=membership.school, kind=kind, values=form.values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Added {framework.name}."
                    + (" Now give it its stages and their steps." if framework.ordered else ""),
                )
                return redirect("assessment:framework_edit", pk=framework.pk)
        status = 400
    context = {"form": form, "kind": kind, "advice": KIND_ADVICE[kind]}
    return render(request, "assessment/frameworks/add.html", context, status=status)


def _stage_formset(framework, data=None):
    formset_class = StandardFormSet if framework.kind == Kind.STANDARDS else StageFormSet
    return formset_class(data, queryset=framework.stages.order_by("order"), prefix="stages")


def _save_details(request, framework, details, _stages):
    if details.is_valid():
        try:
            framework_update(framework=framework, values=details.values())
        except ValidationError as error:
            details.add_error(None, error)
        else:
            messages.success(request, f"Saved {framework.name}.")
            return True
    framework.refresh_from_db()
    return False


def _save_stages(request, framework, _details, stages):
    if stages is None or not stages.is_valid():
        return False
    try:
        framework_stages_save(framework=framework, rows=formset_rows(stages))
    except ValidationError as error:
        stages._non_form_errors.extend(error.messages)
        return False
    messages.success(request, f"Saved the stages of {framework.name}.")
    return True


def _retire(retired):
    def save(request, framework, _details, _stages):
        try:
            framework_retire(framework=framework, retired=retired, today=timezone.localdate())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return False
        messages.success(request, f"{'Retired' if retired else 'Brought back'} {framework.name}.")
        return True

    return save


EDIT_PARTS = {
    "details": _save_details,
    "stages": _save_stages,
    "retire": _retire(True),
    "restore": _retire(False),
}


@membership_required("framework.view")
def framework_edit(request, pk):
    """A framework's details, its stages (standards and small steps) and retiring it. Leaders
    save; a teacher reads. An edit that would leave a recorded value unreadable is refused."""
    membership = request.membership
    framework = get_object_or_404(Framework, pk=pk, school=membership.school)
    editing = policy.can(membership, "framework.change")
    part = request.POST.get("part", "") if request.method == "POST" else None
    if part is not None:
        policy.require(membership, "framework.change")
    details = FrameworkForm(
        request.POST if part == "details" else None, instance=framework, kind=framework.kind
    )
    stages = (
        _stage_formset(framework, request.POST if part == "stages" else None) if framework.ordered else None
    )
    status = 200
    if part is not None:
        save = EDIT_PARTS.get(part)
        if save is None:
            messages.error(request, "Nothing was saved: that form could not be read. Reload the page.")
        elif save(request, framework, details, stages):
            return redirect("assessment:framework_edit", pk=framework.pk)
        status = 400
    if not editing:
        for form in [details] + (list(stages) if stages is not None else []):
            for form_field in form.fields.values():
                form_field.disabled = True
    low, high = frameworks.value_range(framework)
    context = {
        "framework": framework,
        "details": details,
        "stages": stages,
        "editing": editing,
        "on_it_today": selectors_frameworks.on_framework_today(framework, timezone.localdate()),
        "impact_bands": framework.impact_bands or frameworks.DEFAULT_IMPACT_BANDS,
        "range_shown": (
            (frameworks.show_age(low), frameworks.show_age(high))
            if framework.kind == Kind.AGE
            else (low, high)
        ),
    }
    return render(request, "assessment/frameworks/edit.html", context, status=status)


# -- placements ---------------------------------------------------------------------------


def _subjects(school):
    return list(Subject.objects.filter(school=school, retired=False))


@membership_required("placement.set")
def pupil_placements(request, pk):
    """Which framework a pupil is assessed on in each subject, from which date, with the history."""
    membership = request.membership
    pupil = access_pupil(membership, pk, action="placement.set")
    today = timezone.localdate()
    form = PlacementForm(
        request.POST or None,
        subjects=_subjects(membership.school),
        frameworks_in_use=selectors_frameworks.frameworks_in_use(membership.school),
    )
    status = 200
    if request.method == "POST":
        if pupil.is_archived:
            messages.error(request, "This pupil is archived: restore them to the roll before placing them.")
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                placed = placements_set_in(
                    school=membership.school,
                    pupils=[pupil],
                    subjects=data["subject"],
                    framework=data["framework"],
                    starts_on=data["starts_on"],
                    note=data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                onto = data["framework"].name if data["framework"] else "the school's scale"
                moved = listed(s.name for s, n in placed.items() if n)
                already = listed(s.name for s, n in placed.items() if not n)
                if moved:
                    messages.success(
                        request,
                        f"{pupil.full_name} is assessed in {moved} on {onto} from "
                        f"{data['starts_on']:%d/%m/%Y}.",
                    )
                if already:
                    messages.info(request, f"{pupil.full_name} is already on {onto} in {already} then.")
                return redirect("assessment:pupil_placements", pk=pupil.pk)
        else:
            status = 400
    history = selectors_frameworks.placement_history(membership, pupil, today)
    context = {
        "pupil": pupil,
        "form": form,
        "history": sorted(history.values(), key=lambda s: (s.subject.order, s.subject.name)),
    }
    return render(request, "assessment/frameworks/pupil_placements.html", context, status=status)


@membership_required("placement.set")
def place_pupils(request):
    """Place several pupils (of a class or year group, as the grid chooses) on one framework in
    one subject from a date: the list shows each pupil's framework in that subject today."""
    membership = request.membership
    school = membership.school
    subjects = _subjects(school)
    chooser = PlaceChooserForm(
        request.GET or None,
        classes=list(classes_for(membership)),
        subjects=subjects,
        year_groups=year_groups_of(school),
    )
    context = {"chooser": chooser}
    status = 200
    if request.method == "POST" and not chooser.is_valid():
        messages.error(request, "Choose a class or year group and a subject, then tick the pupils to place.")
        return render(request, "assessment/frameworks/place.html", context, status=400)
    if chooser.is_valid():
        subject = chooser.cleaned_data["subject"]
        pupils = list(
            selectors.grid_pupils(
                membership,
                school_class=chooser.cleaned_data["school_class"],
                year_group=chooser.cleaned_data["year_group"],
            )
        )
        today = timezone.localdate()
        in_use = selectors_frameworks.frameworks_in_use(school)
        form = BulkPlacementForm(request.POST or None, pupils=pupils, frameworks_in_use=in_use)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    placed = placements_set(
                        school=school,
                        pupils=data["pupils"],
                        subject=subject,
                        framework=data["framework"],
                        starts_on=data["starts_on"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    onto = data["framework"].name if data["framework"] else "the school's scale"
                    already = len(data["pupils"]) - placed
                    messages.success(
                        request,
                        f"Placed {_plural(placed, 'pupil')} on {onto} in {subject.name} from "
                        f"{data['starts_on']:%d/%m/%Y}."
                        + (
                            f" {_plural(already, 'pupil')} already on it then left as they were."
                            if already
                            else ""
                        ),
                    )
                    return redirect(request.get_full_path())
            status = 400
        names = {f.pk: f.name for f in selectors_frameworks.frameworks_of(school)}
        now = selectors_frameworks.placements_now([p.pk for p in pupils], subject.pk, today)
        context.update(
            {
                "form": form,
                "subject": subject,
                "rows": [
                    (
                        p,
                        names.get(now.get(p.pk)) or "the school's scale",
                        str(p.pk) in (form["pupils"].value() or []),
                    )
                    for p in pupils
                ],
            }
        )
    return render(request, "assessment/frameworks/place.html", context, status=status)
