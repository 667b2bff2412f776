"""Writes to the assessment scheme and the termly grids."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.calendar import SIX_HALF_TERMS, THREE_TERMS, current_academic_year, default_start
from pupils.models import Pupil
from schools import changes
from schools.models import School

from . import frameworks
from .frameworks import progress_refresh
from .models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    ProgressBand,
    Subject,
    SupportObservation,
    Target,
    year_group_in,
)

DEFAULT_SUBJECTS = {
    School.Phase.PRIMARY: ["Reading", "Writing", "Maths", "GPS"],
    School.Phase.SECONDARY: ["English", "Maths", "Science", "History", "Geography", "Computing"],
}
DEFAULT_ATTAINMENT = [
    ("B", "Below ARE"),
    ("OT", "On track to achieve ARE"),
    ("EX", "Exceeded ARE"),
]
DEFAULT_PROGRESS = [("B", "Below expected"), ("E", "Expected"), ("X", "Exceeded expected")]
DEFAULT_POINTS = THREE_TERMS
POINT_PRESETS = {"terms": THREE_TERMS, "half-terms": SIX_HALF_TERMS}


@dataclass(frozen=True)
class BandPreset:
    """A preset scale: its bands (code, label), lowest first, and the lines it marks on either
    scale, {band code: line name}, worded to follow a figure ("55% (6/11) made good or
    outstanding progress": progress lines follow "made", attainment lines the figure itself)."""

    label: str
    bands: list
    attainment_lines: dict
    progress_lines: dict

    def lines_for(self, model):
        return self.attainment_lines if model is AttainmentBand else self.progress_lines


# Presets for either ordered scale (seeds/002 Part One C and the older Ofsted-style words). The
# lowest line of each is the band above the lowest, so a preset keeps "every band above the
# lowest" as its headline line and adds the line above it.
BAND_PRESETS = {
    "are": BandPreset(
        "Below ARE / on track / exceeded ARE",
        DEFAULT_ATTAINMENT,
        {"OT": "at or above ARE", "EX": "exceeding ARE"},
        {"OT": "progress on track for ARE or better", "EX": "progress to exceed ARE"},
    ),
    "wts": BandPreset(
        "WTS / EXS / GDS",
        [
            ("WTS", "Working towards the expected standard"),
            ("EXS", "Working at the expected standard"),
            ("GDS", "Working at greater depth"),
        ],
        {"EXS": "at the expected standard or above", "GDS": "at greater depth"},
        {"EXS": "progress to the expected standard or above", "GDS": "progress to greater depth"},
    ),
    "expected": BandPreset(
        "Below expected / expected / exceeded",
        DEFAULT_PROGRESS,
        {"E": "expected or better", "X": "exceeding expected"},
        {"E": "expected progress or better", "X": "more than expected progress"},
    ),
    "ofsted": BandPreset(
        "Inadequate / satisfactory / good / outstanding",
        [("I", "Inadequate"), ("S", "Satisfactory"), ("G", "Good"), ("O", "Outstanding")],
        {"S": "at least satisfactory", "G": "good or outstanding"},
        {"S": "at least satisfactory progress", "G": "good or outstanding progress"},
    ),
}
DEFAULT_PRESETS = {AttainmentBand: BAND_PRESETS["are"], ProgressBand: BAND_PRESETS["expected"]}


def _preset_bands(model, school, preset):
    lines = preset.lines_for(model)
    return [
        model(school=school, order=i, code=code, label=label, line_name=lines.get(code, ""))
        for i, (code, label) in enumerate(preset.bands, start=1)
    ]


@transaction.atomic
def scheme_set_up_defaults(*, school, academic_year):
    """Give a school the default scheme (seeds/002 Part One C) unless it already has one."""
    scheme, created = AssessmentScheme.objects.get_or_create(
        school=school, defaults={"measure_name": "APS points", "expected_progress_per_year": 4}
    )
    if not Subject.objects.filter(school=school).exists():
        names = DEFAULT_SUBJECTS.get(school.phase, DEFAULT_SUBJECTS[School.Phase.PRIMARY])
        Subject.objects.bulk_create(
            Subject(school=school, name=name, order=i, is_core=i < 3) for i, name in enumerate(names)
        )
    for model, preset in DEFAULT_PRESETS.items():
        if not model.objects.filter(school=school).exists():
            model.objects.bulk_create(_preset_bands(model, school, preset))
    assessment_points_ensure(school=school, academic_year=academic_year)
    return scheme


def assessment_points_ensure(*, school, academic_year, names=DEFAULT_POINTS):
    if AssessmentPoint.objects.filter(school=school, academic_year=academic_year).exists():
        return
    AssessmentPoint.objects.bulk_create(
        AssessmentPoint(
            school=school,
            academic_year=academic_year,
            order=i,
            name=name,
            starts_on=default_start(academic_year, i, len(names)),
        )
        for i, name in enumerate(names, start=1)
    )


# -- the scheme editor ----------------------------------------------------------------------


@dataclass
class SchemeRow:
    """One row of an editor formset: the object (unsaved when new), its values, and whether the
    SENCO asked to remove it. Rows come in the order the SENCO chose."""

    instance: object
    values: dict
    delete: bool = False


def _duplicates(rows, key, what):
    seen, errors = set(), []
    for row in rows:
        value = str(row.values[key]).strip().casefold()
        if value in seen:
            errors.append(f"Two {what} are called “{row.values[key]}”: each needs its own.")
        seen.add(value)
    return errors


def _save_ordered(model, rows, *, scope, first=1):
    """Save kept rows with orders first, first+1, ... and delete the others.

    Orders are unique, so the kept rows are first moved out of the way in one UPDATE; a swap of
    two rows would otherwise clash half way."""
    model.objects.filter(**scope).update(order=F("order") + 1000)
    for row in rows:
        if row.delete and row.instance.pk:
            row.instance.delete()
    order = first
    for row in rows:
        if row.delete:
            continue
        for name, value in row.values.items():
            setattr(row.instance, name, value)
        row.instance.order = order
        for name, value in scope.items():
            setattr(row.instance, name, value)
        row.instance.full_clean(validate_constraints=False)
        row.instance.save()
        order += 1


@transaction.atomic
def points_save(*, school, academic_year, rows):
    """Add, rename, re-date, reorder and remove the points of one academic year."""
    rows = [r for r in rows if not (r.delete and not r.instance.pk)]
    errors = _duplicates([r for r in rows if not r.delete], "name", "points")
    in_use = set(
        Assessment.objects.filter(point__in=[r.instance.pk for r in rows if r.delete and r.instance.pk])
        .values_list("point_id", flat=True)
        .distinct()
    )
    errors += [
        f"“{r.instance.name}” has assessments recorded, so it cannot be removed."
        for r in rows
        if r.delete and r.instance.pk in in_use
    ]
    if not any(not r.delete for r in rows):
        errors.append("A year needs at least one assessment point.")
    if errors:
        raise ValidationError(errors)
    _save_ordered(AssessmentPoint, rows, scope={"school": school, "academic_year": academic_year})
    changes.figures_changed(school.pk)  # a point re-dated moves who counts as SEND at it


@transaction.atomic
def points_apply_preset(*, school, academic_year, preset):
    """Three terms or six half terms for a year, replacing that year's points if none has data."""
    names = POINT_PRESETS[preset]
    existing = AssessmentPoint.objects.filter(school=school, academic_year=academic_year)
    if Assessment.objects.filter(point__in=existing).exists():
        raise ValidationError(
            "This year already has assessments recorded, so its points cannot be replaced; "
            "rename or add points instead."
        )
    existing.delete()
    assessment_points_ensure(school=school, academic_year=academic_year, names=names)


@transaction.atomic
def subjects_save(*, school, rows):
    """Add, rename, reorder and retire subjects; a subject is deleted only if it has no data."""
    rows = [r for r in rows if not (r.delete and not r.instance.pk)]
    errors = _duplicates([r for r in rows if not r.delete], "name", "subjects")
    used = _subjects_in_use([r.instance.pk for r in rows if r.delete and r.instance.pk])
    errors += [
        f"“{r.instance.name}” has data recorded, so it cannot be deleted: tick “Retired” instead "
        "to take it off the grid and keep its history."
        for r in rows
        if r.delete and r.instance.pk in used
    ]
    if errors:
        raise ValidationError(errors)
    _save_ordered(Subject, rows, scope={"school": school})
    changes.figures_changed(school.pk)


def _subjects_in_use(pks):
    if not pks:
        return set()
    return (
        set(Assessment.objects.filter(subject__in=pks).values_list("subject_id", flat=True))
        | set(Target.objects.filter(subject__in=pks).values_list("subject_id", flat=True))
        | set(SupportObservation.objects.filter(subject__in=pks).values_list("subject_id", flat=True))
    )


def _bands_in_use(model, pks):
    if not pks:
        return set()
    field_name = "attainment_id" if model is AttainmentBand else "progress_id"
    used = set(Assessment.objects.filter(**{f"{field_name}__in": pks}).values_list(field_name, flat=True))
    if model is AttainmentBand:
        used |= set(Target.objects.filter(attainment__in=pks).values_list("attainment_id", flat=True))
    return used


@transaction.atomic
def bands_save(*, model, school, rows):
    """Add, rename, reorder and remove attainment or progress bands; a band in use stays."""
    rows = [r for r in rows if not (r.delete and not r.instance.pk)]
    kept = [r for r in rows if not r.delete]
    errors = _duplicates(kept, "code", "bands' codes") + _duplicates(kept, "label", "bands")
    used = _bands_in_use(model, [r.instance.pk for r in rows if r.delete and r.instance.pk])
    errors += [
        f"“{r.instance.label}” is used by recorded assessments or targets, so it cannot be deleted."
        for r in rows
        if r.delete and r.instance.pk in used
    ]
    if len(kept) < 2:
        errors.append("A scale needs at least two bands.")
    errors += _line_errors(kept)
    if errors:
        raise ValidationError(errors)
    _save_ordered(model, rows, scope={"school": school})
    changes.figures_changed(school.pk)


def _line_errors(kept):
    """What is wrong with the lines marked on the kept bands (in the SENCO's order): a line
    from the lowest band would count every pupil assessed, and two lines of one name could not
    be told apart. A band holds at most one line, its `line_name`."""
    named = [r for r in kept if r.values.get("line_name", "").strip()]
    errors = []
    if kept and kept[0] in named:
        errors.append(
            f"“{kept[0].values['label']}” is the lowest band, so a line from it would count every "
            "pupil assessed: start the line at a higher band."
        )
    seen = set()
    for row in named:
        name = row.values["line_name"].strip()
        if name.casefold() in seen:
            errors.append(f"Two lines are called “{name}”: give each line its own name.")
        seen.add(name.casefold())
    return errors


@transaction.atomic
def bands_apply_preset(*, model, school, preset):
    """Replace a school's bands with a preset, when none of its bands is in use yet."""
    current = model.objects.filter(school=school)
    if _bands_in_use(model, list(current.values_list("pk", flat=True))):
        raise ValidationError(
            "Some of these bands are used by recorded assessments, so the scale cannot be replaced. "
            "Rename the bands instead."
        )
    current.delete()
    model.objects.bulk_create(_preset_bands(model, school, BAND_PRESETS[preset]))
    changes.figures_changed(school.pk)


@transaction.atomic
def scheme_update(*, scheme, **values):
    """The optional numeric measure and the expected progress per year."""
    for name, value in values.items():
        setattr(scheme, name, value)
    scheme.full_clean()
    scheme.save()
    return scheme


# -- the termly grid ------------------------------------------------------------------------


@dataclass
class CellInput:
    """One cell as typed: bands and points on the school's main scheme, or, for a pupil on
    another framework in the subject at the point (`framework_id`), the value read by
    `frameworks.parse`: a stage, step and place, or a score (an age in months)."""

    pupil_id: int
    subject_id: int
    attainment_id: int | None
    progress_id: int | None
    points: object  # Decimal or None
    version: int  # the version the user loaded; 0 for a cell that was empty
    framework_id: int | None = None  # the framework in force; None for the main scheme
    stage_id: int | None = None
    step: int | None = None
    place: int | None = None
    score: object = None  # Decimal or None

    @property
    def values(self):
        """What the cell holds, as `stored_values` reads a stored cell: a framework cell keeps
        no bands nor points, and an empty one no framework."""
        if self.framework_id is None:
            return (self.attainment_id, self.progress_id, self.points, None, None, None, None)
        if self.stage_id is None and self.score is None:
            return (None,) * 7
        return (None, None, None, self.framework_id, self.stage_id, self.step, self.score)

    @property
    def empty(self):
        return self.values == (None,) * 7


def stored_values(assessment):
    return (
        assessment.attainment_id,
        assessment.progress_id,
        assessment.points,
        assessment.framework_id,
        assessment.stage_id,
        assessment.step,
        assessment.score,
    )


@dataclass
class GridSaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list = field(default_factory=list)  # (CellInput, current Assessment)
    # The version now stored of every cell not in conflict ({(pupil id, subject id): version};
    # 0 for a cell left empty), so that a page saving without reloading can save again.
    versions: dict = field(default_factory=dict)
    refreshed: int = 0  # framework cells whose progress was worked out again


WRITTEN_FIELDS = [
    "attainment",
    "progress",
    "points",
    "framework",
    "stage",
    "step",
    "place",
    "score",
    "gained",
    "months",
    "expected_met",
    "version",
    "updated_by",
    "updated_at",
]


def _write(assessment, cell):
    """Put what the cell holds on the assessment; progress on a framework is worked out after
    (frameworks.progress_refresh), and a cell on the main scheme keeps none."""
    (
        assessment.attainment_id,
        assessment.progress_id,
        assessment.points,
        assessment.framework_id,
        assessment.stage_id,
        assessment.step,
        assessment.score,
    ) = cell.values
    assessment.place = cell.place if assessment.framework_id else None
    assessment.gained = assessment.months = assessment.expected_met = None


def _changes(cell, current, result):
    """Whether `cell` changes the stored `current`; if not, it is counted as unchanged or as a
    conflict (a newer version holding another value) in `result`."""
    key = (cell.pupil_id, cell.subject_id)
    kept_elsewhere = cell.empty and current.framework_id not in (None, cell.framework_id)
    if stored_values(current) == cell.values or kept_elsewhere:
        result.unchanged += 1
        result.versions[key] = current.version
        return False
    if current.version != cell.version:
        result.conflicts.append((cell, current))
        return False
    return True


@transaction.atomic
def grid_save(*, point, cells, by, year_groups=None):
    """Save a whole grid: one read of the stored cells, one INSERT of the new ones, one UPDATE of
    the changed ones and one INSERT of their history rows, whatever the size of the grid; then,
    when values on other frameworks were written, `frameworks.progress_refresh` of those pupils
    and subjects (three queries, whatever their number).

    A new cell keeps the pupil's year group in the point's academic year. `year_groups`, the
    year group now of each pupil on roll in the grid ({pupil id: year group}), spares a query
    when the caller has read them (the grid view has); otherwise they are read here.

    A cell whose stored version is newer than the one the user loaded, and whose stored value
    differs from what the user typed, is a conflict: it is not written, and is returned so that
    both values can be shown. Two people creating the same empty cell at the same moment meet
    the unique constraint (IntegrityError), which the view reports; nothing is overwritten.
    An empty cell over a value kept on another framework than the one now in force (the pupil
    was placed elsewhere since) leaves that value as it is: it is replaced only by a value typed.
    """
    existing = {
        (a.pupil_id, a.subject_id): a
        for a in Assessment.objects.select_for_update().filter(
            point=point,
            pupil_id__in={c.pupil_id for c in cells},
            subject_id__in={c.subject_id for c in cells},
        )
    }
    result = GridSaveResult()
    now = timezone.now()
    to_create, to_update, pairs = [], [], set()
    year_group_then = None
    for cell in cells:
        current = existing.get((cell.pupil_id, cell.subject_id))
        key = (cell.pupil_id, cell.subject_id)
        if current is None:
            if cell.empty:
                result.unchanged += 1
                result.versions[key] = 0
                continue
            year_group_then = year_group_then or _year_groups_at(point, cells, year_groups)
            new = Assessment(
                pupil_id=cell.pupil_id,
                subject_id=cell.subject_id,
                point=point,
                year_group=year_group_then[cell.pupil_id],
                version=1,
                updated_by=by,
                updated_at=now,
            )
            _write(new, cell)
            to_create.append(new)
            result.versions[key] = new.version
            if new.framework_id:
                pairs.add(key)
        elif _changes(cell, current, result):
            if current.framework_id or cell.framework_id:
                pairs.add(key)
            _write(current, cell)
            current.version += 1
            current.updated_by, current.updated_at = by, now
            to_update.append(current)
            result.versions[key] = current.version
    _store(to_create, to_update, by, now)
    result.created, result.updated = len(to_create), len(to_update)
    if pairs:
        # Within this save's transaction already: the function itself, without the savepoint
        # its own atomic block would add (two queries).
        result.refreshed = progress_refresh(point.school_id, pairs)
    if to_create or to_update:
        changes.figures_changed(point.school_id)
    return result


def _store(to_create, to_update, by, now):
    """One INSERT of the new cells, one UPDATE of the changed ones, one INSERT of their history."""
    if to_create:
        Assessment.objects.bulk_create(to_create)
    if to_update:
        Assessment.objects.bulk_update(to_update, WRITTEN_FIELDS)
    history = _history_rows(to_create, "+", by, now) + _history_rows(to_update, "~", by, now)
    if history:
        Assessment.history.model.objects.bulk_create(history)


def _year_groups_at(point, cells, year_groups):
    """{pupil id: year group in the point's academic year} for the pupils of `cells`."""
    if year_groups is not None:
        moved = point.academic_year - current_academic_year()
        return {pupil_id: year_group + moved for pupil_id, year_group in year_groups.items()}
    pupils = Pupil.objects.filter(pk__in={c.pupil_id for c in cells}).only("year_group", "archived_at")
    return {p.pk: year_group_in(p, point.academic_year) for p in pupils}


def _history_rows(rows, kind, by, when):
    """History rows for a bulk write, so created and changed cells go in one INSERT.

    simple-history's bulk helpers take one history type per call; the grid writes both kinds in
    one save, so the rows are built here, field for field as its bulk_history_create builds them."""
    History = Assessment.history.model
    return [
        History(
            history_date=when,
            history_user=by,
            history_type=kind,
            history_change_reason="Termly grid",
            **{f.attname: getattr(obj, f.attname) for f in History.tracked_fields},
        )
        for obj in rows
    ]


# -- targets and the Pupil Support Scale ----------------------------------------------------


@dataclass
class TargetInput:
    subject: object
    kind: str
    academic_year: int
    attainment: object  # AttainmentBand or None
    points: object  # Decimal or None
    framework: object = None  # a Framework: a target on it, with `value`
    value: object = None  # frameworks.Value on `framework`, or None

    def stored_as(self):
        """The target's fields as stored: (attainment id, points, framework id, stage id, step,
        place, score)."""
        v = self.value
        return (
            self.attainment.pk if self.attainment else None,
            self.points,
            self.framework.pk if self.framework and v else None,
            v.stage.pk if v and v.stage else None,
            v.step if v else None,
            v.place if v else None,
            v.score if v else None,
        )


@transaction.atomic
def targets_set(*, pupil, targets, by, keep_framework=False):
    """Set a pupil's targets: a blank target removes it, any other is created or updated. With
    `keep_framework` (the grid's targets mode, whose boxes are the main scheme's) a blank leaves
    a target on another framework as it is: the grid did not show it, so cannot clear it."""
    stored = {
        (t.subject_id, t.kind, t.academic_year): t
        for t in Target.objects.select_for_update().filter(pupil=pupil)
    }
    changed = 0
    for wanted in targets:
        key = (wanted.subject.pk, wanted.kind, wanted.academic_year)
        current = stored.get(key)
        fields = wanted.stored_as()
        if fields[0] is None and fields[1] is None and fields[2] is None:
            if current and not (keep_framework and current.framework_id):
                current._history_user = by
                current.delete()
                changed += 1
            continue
        if current and fields == (
            current.attainment_id,
            current.points,
            current.framework_id,
            current.stage_id,
            current.step,
            current.place,
            current.score,
        ):
            continue
        target = current or Target(
            pupil=pupil, subject=wanted.subject, kind=wanted.kind, academic_year=wanted.academic_year
        )
        target.attainment, target.points, target.updated_by = wanted.attainment, wanted.points, by
        # A target on a framework, or none (a main-scheme target has these empty).
        (
            target.framework_id,
            target.stage_id,
            target.step,
            target.place,
            target.score,
        ) = fields[2:]
        target._history_user = by
        target.full_clean()
        target.save()
        changed += 1
    return changed


@transaction.atomic
def targets_set_for_pupils(*, membership, per_pupil, by):
    """The grid's targets mode: targets for several pupils, each within the membership's reach."""
    pupils = Pupil.objects.for_membership(membership).in_bulk(list(per_pupil))
    return sum(
        targets_set(pupil=pupils[pupil_id], targets=targets, by=by, keep_framework=True)
        for pupil_id, targets in per_pupil.items()
        if pupil_id in pupils
    )


@transaction.atomic
def support_observation_record(*, pupil, observer, observed_on, level, subject=None, context="", note=""):
    observation = SupportObservation(
        pupil=pupil,
        observer=observer,
        observed_on=observed_on,
        level=level,
        subject=subject,
        context=context,
        note=note,
    )
    observation._history_user = observer
    observation.full_clean()
    observation.save()
    return observation


# -- other frameworks (issue 22): the SENCO's editor and pupils' placements ----------------


# The rate a new framework starts with when none is given (frameworks.expected_gain reads the
# same when none is kept): a standard or step a year, a month of age a month, a score held steady.
FRAMEWORK_DEFAULT_RATES = {
    Framework.Kind.STANDARDS: Decimal(1),
    Framework.Kind.STEPS: Decimal(1),
    Framework.Kind.SCORE: Decimal(0),
    Framework.Kind.AGE: Decimal(12),
}


def framework_create(*, school, kind, values):
    """A new framework of `kind` for `school` (stages are added with `framework_stages_save`).
    Ages start with the default impact bands, which the SENCO may change."""
    framework = Framework(school=school, kind=kind, **values)
    if framework.expected_per_year is None:
        framework.expected_per_year = FRAMEWORK_DEFAULT_RATES.get(kind)
    if kind == Framework.Kind.AGE and not framework.impact_bands:
        framework.impact_bands = [list(band) for band in frameworks.DEFAULT_IMPACT_BANDS]
    if Framework.objects.filter(school=school, name__iexact=framework.name).exists():
        raise ValidationError(f"The school already has a framework called “{framework.name}”.")
    framework.order = (Framework.objects.filter(school=school).count() or 0) + 1
    framework.full_clean(validate_constraints=False)
    framework.save()
    return framework


@transaction.atomic
def framework_update(*, framework, values):
    """Rename a framework, change its test, expected rate, range or impact bands. A range that
    would leave a recorded score or age outside it is refused: the value could not be read
    back as typed, nor typed again."""
    name = values.get("name", framework.name)
    if Framework.objects.filter(school_id=framework.school_id, name__iexact=name).exclude(pk=framework.pk):
        raise ValidationError(f"The school already has a framework called “{name}”.")
    if framework.numeric and ("value_min" in values or "value_max" in values):
        trial = Framework(
            kind=framework.kind, value_min=values.get("value_min"), value_max=values.get("value_max")
        )
        low, high = frameworks.value_range(trial)
        stored = Assessment.objects.filter(framework=framework, score__isnull=False).aggregate(
            lowest=Min("score"),
            highest=Max("score"),
            outside=Count("pk", filter=Q(score__lt=low) | Q(score__gt=high)),
        )
        if stored["outside"]:
            shown = frameworks.show_age if framework.kind == Framework.Kind.AGE else _plain_number
            raise ValidationError(
                f"{stored['outside']} recorded value{'s lie' if stored['outside'] != 1 else ' lies'} outside "
                f"{shown(low)} to {shown(high)} (the values recorded run from {shown(stored['lowest'])} to "
                f"{shown(stored['highest'])}): widen the range to keep them readable."
            )
    for field_name, value in values.items():
        setattr(framework, field_name, value)
    framework.full_clean(validate_constraints=False)
    framework.save()
    if "expected_per_year" in values:
        pairs = (
            Assessment.objects.filter(framework=framework).values_list("pupil_id", "subject_id").distinct()
        )
        frameworks.progress_refresh(framework.school_id, list(pairs))
    changes.figures_changed(framework.school_id)
    return framework


def _plain_number(number):
    number = Decimal(number)
    return str(number.normalize()) if number == number.to_integral() else str(number)


@transaction.atomic
def framework_stages_save(*, framework, rows):
    """Add, rename, reorder and remove the stages of a framework of standards or small steps,
    then renumber the places of the values recorded on it (`frameworks.renumber`). Refused,
    with nothing changed, when it would leave a recorded value unreadable: a stage in use
    removed, or a stage given fewer steps than a recorded value uses."""
    rows = [r for r in rows if not (r.delete and not r.instance.pk)]
    kept = [r for r in rows if not r.delete]
    if framework.kind == Framework.Kind.STANDARDS:
        for row in kept:
            row.values["steps"] = 1
    errors = _duplicates(kept, "code", "stages' codes")
    # The highest step recorded on each stage, and how many values it holds: one query.
    used = {
        row["stage_id"]: row
        for row in Assessment.objects.filter(framework=framework, stage__isnull=False)
        .values("stage_id")
        .annotate(values=Count("pk"), highest=Max("step"))
    }
    for row in rows:
        in_use = used.get(row.instance.pk)
        if in_use is None:
            continue
        if row.delete:
            errors.append(
                f"“{row.instance.code} {row.instance.name}” has "
                f"{_count(in_use['values'], 'value')} recorded, so it cannot be removed: "
                "rename it instead, or keep it."
            )
        elif row.values.get("steps", 1) < in_use["highest"]:
            errors.append(
                f"“{row.values['code']}” has a value recorded at step {in_use['highest']}, so it needs "
                f"at least {in_use['highest']} steps (you gave {row.values['steps']})."
            )
    if not kept:
        errors.append("A framework of stages needs at least one stage.")
    if errors:
        raise ValidationError(errors)
    _save_ordered(FrameworkStage, rows, scope={"framework": framework})
    frameworks.renumber(framework)
    Framework.objects.filter(pk=framework.pk).update(updated_at=timezone.now())
    changes.figures_changed(framework.school_id)


def _count(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


@transaction.atomic
def framework_retire(*, framework, retired, today):
    """Retire a framework (no pupil can be placed on it any more; its records stay) or bring it
    back. Refused while pupils are placed on it today: place them elsewhere first."""
    if retired:
        on_it = frameworks.pupils_on(framework, today)
        if on_it:
            raise ValidationError(
                f"{_count(len(on_it), 'pupil')} {'are' if len(on_it) != 1 else 'is'} assessed on "
                f"{framework.name} today: place them on another framework before retiring it."
            )
    framework.retired = retired
    framework.save(update_fields=["retired", "updated_at"])
    return framework


def _placement_checks(school, subject, framework):
    if subject.school_id != school.pk or subject.retired:
        raise ValidationError("Choose one of the school's subjects.")
    if framework is not None and (framework.school_id != school.pk or framework.retired):
        raise ValidationError(f"{framework.name} is retired: choose a framework in use.")


@transaction.atomic
def placements_set_in(*, subjects, **placement):
    """`placements_set` in each of `subjects`, all or none: {subject: the number placed}."""
    return {subject: placements_set(subject=subject, **placement) for subject in subjects}


@transaction.atomic
def placements_set(*, school, pupils, subject, framework, starts_on, note="", by):
    """Place `pupils` on `framework` (None: the school's main scheme) in `subject` from
    `starts_on`. A pupil already on it from before that day is left as they are; a placement of
    the same day is replaced. Four queries and the history's, whatever the number of pupils.
    Returns the number of pupils placed."""
    _placement_checks(school, subject, framework)
    pupil_ids = [p.pk for p in pupils]
    before = frameworks.placements_at(pupil_ids, starts_on - datetime.timedelta(days=1))
    framework_id = framework.pk if framework else None
    to_place = [pk for pk in pupil_ids if before.get((pk, subject.pk)) != framework_id]
    same_day = {
        p.pupil_id: p
        for p in FrameworkPlacement.objects.filter(
            pupil_id__in=pupil_ids, subject=subject, starts_on=starts_on
        )
    }
    created, updated = [], []
    for pupil_id in to_place:
        placement = same_day.pop(pupil_id, None) or FrameworkPlacement(
            pupil_id=pupil_id, subject=subject, starts_on=starts_on
        )
        placement.framework, placement.note, placement.updated_by = framework, note, by
        placement.updated_at = timezone.now()
        (updated if placement.pk else created).append(placement)
    # A same-day placement that now repeats the one before it is no move at all: removed.
    repeats = [p.pk for p in same_day.values()]
    if repeats:
        FrameworkPlacement.objects.filter(pk__in=repeats).delete()
    if created:
        bulk_create_with_history(created, FrameworkPlacement, default_user=by)
    if updated:
        bulk_update_with_history(
            updated, FrameworkPlacement, ["framework", "note", "updated_by", "updated_at"], default_user=by
        )
    if created or updated or repeats:
        changes.figures_changed(school.pk)
    return len(to_place)
