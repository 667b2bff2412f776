"""What a checked file of termly data (assessments, attendance, behaviour) would do.

Everything the rows are checked against is loaded once, as dictionaries: the school's pupils by
UPN (passed in), its subjects, assessment points and bands, and the records already stored for
the terms or points in the file. Each row is then decided with dictionary look-ups, so 10,000
rows cost a handful of queries. A blank cell leaves what is stored as it is; a row that would
store what is already there is unchanged, so importing a file twice changes nothing.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from assessment.frameworks import NotOnFramework, parse, show
from assessment.models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    ProgressBand,
    Subject,
    year_group_in,
)
from attendance.models import Attendance, BehaviourCount
from core.calendar import Term, academic_year_label, academic_year_of
from core.figures import one_decimal

from .cleaning import loose_key
from .errors import RowError
from .models import ImportKind
from .plans import CREATE, UNCHANGED, UPDATE, RowPlan, archived, unknown_upn

ATTENDANCE_FIELDS = ("possible_sessions", "attended_sessions", "authorised_absence", "unauthorised_absence")
ATTENDANCE_LABELS = {
    "possible_sessions": "Possible",
    "attended_sessions": "Attended",
    "authorised_absence": "Authorised",
    "unauthorised_absence": "Unauthorised",
}


def plan_termly(plan, rows, headings, school, by_upn, *, lock=False):
    found = []
    for row in rows:
        pupil = by_upn.get(row["upn"])
        if pupil is None:
            plan.errors.append(RowError(row["row"], headings["upn"], unknown_upn(row["upn"])))
        elif pupil.is_archived:
            plan.errors.append(RowError(row["row"], headings["upn"], archived(pupil)))
        else:
            found.append((row, pupil))
    if plan.kind == ImportKind.ASSESSMENTS:
        _plan_assessments(plan, found, headings, school, lock)
    elif plan.kind == ImportKind.ATTENDANCE:
        _plan_terms(plan, found, headings, Attendance, ATTENDANCE_FIELDS, lock)
    else:
        _plan_terms(plan, found, headings, BehaviourCount, ("incidents",), lock)


# --- Attendance and behaviour: one record per pupil per term --------------------------------


def _plan_terms(plan, found, headings, model, fields, lock):
    years = {row["academic_year"] for row, _pupil in found}
    stored = model.objects.filter(pupil_id__in=[p.pk for _r, p in found], academic_year__in=years)
    if lock:
        stored = stored.select_for_update()
    # Plain values, not model instances: thousands of instances cost more than the query.
    existing = {
        (r["pupil_id"], r["academic_year"], r["term"]): SimpleNamespace(**r)
        for r in stored.values("id", "pupil_id", "academic_year", "term", *fields)
    }
    in_file = [name for name in fields if name in headings]
    for row, pupil in found:
        record = existing.get((pupil.pk, row["academic_year"], row["term"]))
        values = {name: row[name] for name in in_file}
        when = f"{Term(row['term']).label} {academic_year_label(row['academic_year'])}"
        if record is None:
            merged = {name: 0 for name in fields} | values
            action, changed = CREATE, merged
            changes = [(when, "—", _figures(model, merged))]
        else:
            merged = {name: getattr(record, name) for name in fields} | values
            changed = {name: value for name, value in values.items() if getattr(record, name) != value}
            action = UPDATE if changed else UNCHANGED
            before = {name: getattr(record, name) for name in fields}
            changes = [(when, _figures(model, before), _figures(model, merged))] if changed else []
        if model is Attendance:
            counted = (
                merged["attended_sessions"] + merged["authorised_absence"] + merged["unauthorised_absence"]
            )
            if counted > merged["possible_sessions"]:
                plan.errors.append(
                    RowError(
                        row["row"],
                        headings.get("possible_sessions", ""),
                        f"With the absences on record, attended and absent sessions add up to "
                        f"{counted}, more than the {merged['possible_sessions']} possible sessions.",
                    )
                )
                continue
        entry = RowPlan(row["row"], row["upn"], pupil.full_name, action, pupil, changed, None, changes)
        entry.record = record
        entry.fields = {"academic_year": row["academic_year"], "term": row["term"], **changed}
        plan.rows.append(entry)


def _figures(model, values):
    if model is Attendance:
        attended, possible = values["attended_sessions"], values["possible_sessions"]
        rate = one_decimal(Decimal(attended) * 100 / possible) if possible else Decimal(0)
        return (
            f"{attended} of {possible} sessions ({rate}%), {values['authorised_absence']} authorised, "
            f"{values['unauthorised_absence']} unauthorised"
        )
    return f"{values['incidents']} incident{'s' if values['incidents'] != 1 else ''}"


# --- Assessments: one record per pupil, point and subject -----------------------------------


def _bands(queryset):
    """Band look-up by code and by label, without case, spaces or punctuation."""
    bands = list(queryset)
    lookup = {}
    for band in bands:
        lookup.setdefault(loose_key(band.label), band)
    for band in bands:
        lookup[loose_key(band.code)] = band  # a code wins over a label that reads the same
    return lookup, ", ".join(f"{b.code} ({b.label})" for b in bands) or "none yet"


def assessment_lookups(school):
    """The school's scheme as dictionaries, loaded once for a whole file."""
    subjects = {loose_key(s.name): s for s in Subject.objects.filter(school=school)}
    points = {
        (p.academic_year, loose_key(p.name)): p
        for p in AssessmentPoint.objects.filter(school=school).with_next_start()
    }
    frameworks = {f.pk: f for f in Framework.objects.filter(school=school)}
    stages = {}
    for stage in FrameworkStage.objects.filter(framework__school=school).order_by("order"):
        stage.framework = frameworks[stage.framework_id]
        stages.setdefault(stage.framework_id, []).append(stage)
    placements = {}
    for pupil_id, subject_id, framework_id, starts_on in (
        FrameworkPlacement.objects.filter(pupil__school=school)
        .order_by("starts_on")
        .values_list("pupil_id", "subject_id", "framework_id", "starts_on")
    ):
        placements.setdefault((pupil_id, subject_id), []).append((starts_on, framework_id))
    return {
        "frameworks": frameworks,
        "stages": stages,
        "placements": placements,
        "scheme": AssessmentScheme.objects.filter(school=school).first(),
        "subjects": subjects,
        "points": points,
        "attainment": _bands(AttainmentBand.objects.filter(school=school)),
        "progress": _bands(ProgressBand.objects.filter(school=school)),
    }


def _point_names(points, year):
    chosen = sorted((p for (y, _k), p in points.items() if y == year), key=lambda p: p.order)
    return ", ".join(p.name for p in chosen) or "none"


def framework_at(lookups, pupil, subject, point):
    """The framework `pupil` is on in `subject` at `point`'s as-at date (the latest placement
    starting on or before it, as `frameworks.placements_at` reads them), or None."""
    in_force = None
    for starts_on, framework_id in lookups["placements"].get((pupil.pk, subject.pk), []):
        if starts_on <= point.as_at:
            in_force = framework_id
    return lookups["frameworks"].get(in_force)


FRAMEWORK_FIELDS = ("framework_id", "stage_id", "step", "place", "score")
MAIN_FIELDS = ("attainment_id", "progress_id", "points")


def _framework_values(row, headings, lookups, pupil, subject, point):
    """The values of a row for a pupil on another framework at the point, read with
    `frameworks.parse`, or the errors naming the pupil and the cell."""
    framework = framework_at(lookups, pupil, subject, point)
    where = f"{pupil.full_name}, {subject.name} at {point}"
    text = row.get("framework_value") or ""
    if framework is None:
        if text:
            return None, [
                RowError(
                    row["row"],
                    headings["framework_value"],
                    f"{where}: the pupil is on the school's scheme, not another framework, so "
                    f"“{text}” cannot be stored: use the attainment, progress and points columns.",
                )
            ]
        return None, []
    column = headings.get("framework_value", "")
    if not text:
        # No framework column, or it is blank: the attainment column read on the framework.
        text, column = row.get("attainment") or "", headings.get("attainment", column)
    others = [headings[name] for name in ("progress", "points") if row.get(name)]
    if not text or others or (row.get("framework_value") and row.get("attainment")):
        return None, [
            RowError(
                row["row"],
                column or headings.get("subject", ""),
                f"{where}: the pupil is assessed on {framework.name}, so the row needs its value on "
                "it (Framework Value) and no attainment, progress or points.",
            )
        ]
    try:
        value = parse(framework, lookups["stages"].get(framework.pk, []), text)
    except NotOnFramework as refused:
        message = str(refused)
        if framework.name not in message:
            message += f" ({framework.name})"
        return None, [RowError(row["row"], column, f"{where}: {message}")]
    values = dict.fromkeys(MAIN_FIELDS)
    values.update(
        framework_id=framework.pk,
        stage_id=value.stage.pk if value.stage else None,
        step=value.step,
        place=value.place,
        score=value.score,
    )
    return values, []


def _resolve_assessment(row, headings, lookups, this_year, pupil=None):
    """The row's subject, point, bands and points as records and values, or its errors. For a
    pupil on another framework in the subject at the point, no bands nor points are read here
    (`_framework_values` reads the row)."""
    errors, number = [], row["row"]
    subject = lookups["subjects"].get(loose_key(row["subject"]))
    if subject is None:
        known = ", ".join(s.name for s in lookups["subjects"].values()) or "none yet"
        errors.append(
            RowError(
                number, headings["subject"], f"“{row['subject']}” is not a subject of this school: {known}."
            )
        )
    point_name, year = row["point"]["name"], row["point"]["year"]
    if year and row.get("academic_year") and row["academic_year"] != year:
        errors.append(
            RowError(
                number,
                headings["point"],
                f"The point says {academic_year_label(year)} but the academic year column "
                f"{academic_year_label(row['academic_year'])}.",
            )
        )
    year = year or row.get("academic_year") or this_year
    point = lookups["points"].get((year, loose_key(point_name)))
    if point is None:
        errors.append(
            RowError(
                number,
                headings["point"],
                f"There is no assessment point “{point_name}” in {academic_year_label(year)}. "
                f"The points of that year are: {_point_names(lookups['points'], year)}.",
            )
        )
    values = {}
    if subject and point and pupil and framework_at(lookups, pupil, subject, point):
        return subject, point, values, errors
    for name in ("attainment", "progress"):
        text = row.get(name)
        if not text:
            continue
        lookup, known = lookups[name]
        band = lookup.get(loose_key(text))
        if band is None:
            errors.append(
                RowError(
                    number,
                    headings[name],
                    f"“{text}” is not {'an' if name == 'attainment' else 'a'} {name} band here: use {known}.",
                )
            )
        else:
            values[f"{name}_id"] = band.pk
    if row.get("points"):
        value = Decimal(row["points"])
        scheme = lookups["scheme"]
        low = scheme.measure_min if scheme else None
        high = scheme.measure_max if scheme else None
        if (low is not None and value < low) or (high is not None and value > high):
            errors.append(
                RowError(
                    number,
                    headings["points"],
                    f"{value} is outside the scheme's range of {low} to {high}.",
                )
            )
        values["points"] = value
    return subject, point, values, errors


def _plan_assessments(plan, found, headings, school, lock):
    lookups = assessment_lookups(school)
    this_year = academic_year_of(timezone.localdate())
    band_names = {
        "attainment_id": {b.pk: b.code for b in lookups["attainment"][0].values()},
        "progress_id": {b.pk: b.code for b in lookups["progress"][0].values()},
    }
    resolved = []
    for row, pupil in found:
        subject, point, values, errors = _resolve_assessment(row, headings, lookups, this_year, pupil)
        if not errors:
            on_framework, errors = _framework_values(row, headings, lookups, pupil, subject, point)
            if on_framework is not None:
                values = on_framework
        if errors:
            plan.errors.extend(errors)
        else:
            resolved.append((row, pupil, subject, point, values))
    stored = Assessment.objects.filter(
        pupil__school=school, point_id__in={point.pk for *_x, point, _v in resolved}
    )
    if lock:
        stored = stored.select_for_update(of=("self",))
    # year_group too: an update is written as an upsert, whose inserted row must be whole.
    stored = stored.values(
        "id",
        "pupil_id",
        "point_id",
        "subject_id",
        "attainment_id",
        "progress_id",
        "points",
        *FRAMEWORK_FIELDS,
        "version",
        "year_group",
    )
    existing = {(a["pupil_id"], a["point_id"], a["subject_id"]): SimpleNamespace(**a) for a in stored}

    def shown(name, value):
        if value is None:
            return "—"
        return band_names[name].get(value, "?") if name in band_names else str(value)

    for row, pupil, subject, point, values in resolved:
        record = existing.get((pupil.pk, point.pk, subject.pk))
        plan.rows.append(_assessment_entry(row, pupil, subject, point, values, record, lookups, shown))


def _assessment_entry(row, pupil, subject, point, values, record, lookups, shown):
    """What one row does to the cell it names (`record`, None when there is none yet)."""
    what = f"{subject.name}, {point}"
    if record is not None and record.framework_id and "framework_id" not in values:
        # The school's scheme over a value kept on a framework: the framework value goes.
        values = {**values, **dict.fromkeys(FRAMEWORK_FIELDS)}
    if record is None:
        action, changed = CREATE, values
        changes = [(what, "—", _shown_values(values, lookups, shown))]
    else:
        changed = {name: value for name, value in values.items() if getattr(record, name) != value}
        action = UPDATE if changed else UNCHANGED
        if "framework_id" in values:
            before = _shown_values(vars(record), lookups, shown)
            after = _shown_values({**vars(record), **values}, lookups, shown)
            changes = [(what, before, after)] if changed else []
        else:
            changes = [
                (f"{what} {name.removesuffix('_id')}", shown(name, getattr(record, name)), shown(name, value))
                for name, value in changed.items()
                if name not in FRAMEWORK_FIELDS
            ]
    entry = RowPlan(row["row"], row["upn"], pupil.full_name, action, pupil, changed, None, changes)
    entry.record = record
    entry.fields = {"point_id": point.pk, "subject_id": subject.pk, **changed}
    if record is None:
        # A new assessment keeps the pupil's year group at the point (assessment.models).
        entry.fields["year_group"] = year_group_in(pupil, point.academic_year)
    return entry


def _shown_values(values, lookups, shown):
    """A cell's values as the preview shows them: "PK3 (Pre-key stage 2 standards)" on another
    framework, the bands' codes and points on the school's scheme."""
    framework = lookups["frameworks"].get(values.get("framework_id"))
    if framework is not None:
        stage = next(
            (s for s in lookups["stages"].get(framework.pk, []) if s.pk == values.get("stage_id")), None
        )
        return f"{show(framework, stage, values.get('step'), values.get('score'))} ({framework.name})"
    return " ".join(shown(n, values.get(n)) for n in MAIN_FIELDS if values.get(n) is not None) or "—"
