"""Reads for the termly grid, the scheme editor, targets, the support scale and the exports.

The grid page costs a fixed number of queries whatever the class size: the scheme, the points,
the classes, the pupils, one UNION for the subjects, both band scales, the school's other
frameworks with their stages and the framework each pupil is on per subject at the point, one
read of this point's and the previous point's cells, and one of the targets. Four frameworks
mixed in a class cost the same queries as one, or none.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse

from core import policy
from core.calendar import academic_year_of
from core.charts import level_line
from pupils.models import Pupil

from . import frameworks as fw
from . import targets as rule
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
    SupportLevel,
    SupportObservation,
    Target,
)
from .support import support_change

# The last year group of each key stage: KS1 ends in Year 2, KS2 in 6, KS3 in 9, KS4 in 11.
KEY_STAGE_ENDS = [2, 6, 9, 11, 13]


def key_stage_end_year(year_group, academic_year):
    """The academic year in which a pupil in `year_group` now finishes their key stage."""
    last = next(end for end in KEY_STAGE_ENDS if end >= max(year_group, 0))
    return academic_year + (last - year_group)


@dataclass
class GridCell:
    pupil: object
    subject: object
    attainment_id: int | None = None
    progress_id: int | None = None
    points: object = None
    version: int = 0
    attainment_code: str = ""  # what the grid's boxes show: the bands' codes, or what was typed
    progress_code: str = ""
    # The previous point's attainment code, progress code and points as shown ("—" for none),
    # or None when the pupil had no assessment then.
    was: tuple | None = None
    target: object = None  # targets.Judgement of the end-of-year target at this point
    error: str = ""
    conflict: object = None  # the stored Assessment that someone else saved meanwhile
    row: str = ""  # the pupil's row and the subject's column, counted from 1: the ids that
    col: str = ""  # name each box (aria-labelledby) are these, shorter than database ids
    # A pupil on another framework in this subject at the point (assessment.frameworks): the
    # framework, the value as typed ("PK3", "S2.3", "96", "7y 6m") and the previous point's
    # value as shown ("—" for an empty cell; None when the pupil had no assessment then).
    framework: object = None
    value: str = ""
    was_value: str | None = None
    framework_id: int | None = None  # the framework the stored value is recorded on
    stage_id: int | None = None
    step: int | None = None
    score: object = None
    observations_url: str = ""  # an Engagement Model pupil's observations
    note: str = ""  # a value kept on a framework the pupil is no longer on at this point
    conflict_text: str = ""  # the value someone else saved meanwhile, as shown

    def __post_init__(self):
        # Strings, so that the template prints them as they are: Django localises every number
        # it prints, which was most of the time of a year group's page.
        self.pid, self.sid = str(self.pupil.pk), str(self.subject.pk)
        self.key = f"{self.pid}-{self.sid}"

    @property
    def points_text(self):
        return "" if self.points is None else str(self.points)

    @property
    def engagement(self):
        return self.framework is not None and self.framework.kind == Framework.Kind.ENGAGEMENT

    @property
    def boxes(self):
        """How many boxes the cell has: three on the main scheme, one on another framework,
        none on the Engagement Model."""
        if self.framework is None:
            return 3
        return 0 if self.engagement else 1

    @property
    def state(self):
        """The class grid.css marks a refused or conflicting cell with."""
        return "grid-bad" if self.error else ("grid-conflict" if self.conflict else "")


@dataclass
class Reference:
    """A school's active subjects and both band scales, read in one query."""

    subjects: list
    attainment_bands: list
    progress_bands: list
    pupil_ids: set = field(default_factory=set)
    year_groups: dict = field(default_factory=dict)  # pupil id: year group now (pupils on roll)
    frameworks: dict = field(default_factory=dict)  # the school's other frameworks, by id
    stages: dict = field(default_factory=dict)  # framework id: its stages in order
    # (pupil id, subject id): the framework id in force at the grid's point, or None for the
    # main scheme from a date; pairs never placed are absent (the main scheme).
    placements: dict = field(default_factory=dict)

    def framework_of(self, pupil_id, subject_id):
        """The framework a pupil's cell is recorded on at the grid's point, or None."""
        return self.frameworks.get(self.placements.get((pupil_id, subject_id)))

    def stage(self, framework_id, stage_id):
        return next((s for s in self.stages.get(framework_id, []) if s.pk == stage_id), None)


@dataclass
class Grid:
    point: object
    previous_point: object
    subjects: list
    attainment_bands: list
    progress_bands: list
    rows: list  # (pupil, [GridCell per subject])
    frameworks: list = field(default_factory=list)  # the other frameworks in the grid's cells
    stages: dict = field(default_factory=dict)  # framework id: its stages

    @property
    def versions(self):
        """The version of every stored cell, as one form field ("pupil-subject:version ..."): one
        field instead of one per cell keeps a class's form under Django's field limit."""
        return " ".join(f"{c.key}:{c.version}" for _pupil, cells in self.rows for c in cells if c.version)

    @property
    def fields_posted(self):
        """How many fields the grid's form posts without JavaScript: three boxes a cell on the
        main scheme, one on another framework, the versions and the CSRF token."""
        return sum(c.boxes for _pupil, cells in self.rows for c in cells) + 2


def scheme_of(school):
    return AssessmentScheme.objects.filter(school=school).first()


def points_of(school):
    """Every assessment point of a school, newest first."""
    return list(
        AssessmentPoint.objects.filter(school=school).with_next_start().order_by("-academic_year", "-order")
    )


def scheme_and_points(school):
    """The scheme (or None) and every point, newest first, in one query when there are points."""
    points = list(
        AssessmentPoint.objects.filter(school=school)
        .with_next_start()
        .select_related("school__assessment_scheme")
        .order_by("-academic_year", "-order")
    )
    if not points:
        return scheme_of(school), points
    return getattr(points[0].school, "assessment_scheme", None), points


def current_point(points, today):
    """The latest point whose term has started by `today` (points newest first); before the
    first point has started, the earliest point."""
    started = [p for p in points if p.starts_on <= today]
    if started:
        return started[0]
    return points[-1] if points else None


def previous_in(points, point):
    """The point before `point` in a newest-first list."""
    later = [p for p in points if (p.academic_year, p.order) < (point.academic_year, point.order)]
    return later[0] if later else None


def point_with_scheme(school, point_id):
    """One of the school's points, with the scheme, in one query (the save path)."""
    return (
        AssessmentPoint.objects.select_related("school__assessment_scheme")
        .with_next_start()
        .filter(school=school, pk=point_id)
        .first()
    )


TEXT = CharField()


def _blank():
    return Value("", output_field=TEXT)


def _text(name):
    return Cast(name, output_field=TEXT)


def _part(queryset, kind, pk, order, first, second, *extra):
    """One part of the reference UNION: eight columns, the last three text (numbers cast), so
    that subjects, bands, frameworks, their stages and placements share one query. The columns
    are annotations named c1 to c8, so that none clashes with a model field's name."""
    extra = list(extra) + [_blank()] * (3 - len(extra))
    columns = [Value(kind, output_field=TEXT), pk, order, first, second, *extra]
    names = {f"c{i}": column for i, column in enumerate(columns, 1)}
    return queryset.order_by().annotate(**names).values_list(*names)


def _rows(queryset, kind, label_field):
    label = "label" if kind in "ag" else label_field
    return _part(queryset, kind, F("pk"), F("order"), F(label_field), F(label))


def _placement_rows(pupils, as_at):
    """The placements in force on `as_at` of `pupils` (a queryset): the latest starting on or
    before that day for each pupil and subject, as `frameworks.placements_at` reads them, kept to
    that one row by the database (NOT EXISTS a later one by then)."""
    later = FrameworkPlacement.objects.filter(
        pupil_id=OuterRef("pupil_id"),
        subject_id=OuterRef("subject_id"),
        starts_on__gt=OuterRef("starts_on"),
        starts_on__lte=as_at,
    )
    in_force = FrameworkPlacement.objects.filter(
        pupil__in=pupils.order_by().values("pk"), starts_on__lte=as_at
    ).filter(~Exists(later))
    return _part(in_force, "l", F("pupil_id"), F("subject_id"), _blank(), _blank(), _text("framework_id"))


def reference_of(school, *, pupils=None, as_at=None):
    """Active subjects, both band scales and the school's other frameworks with their stages in
    one UNION query; with `pupils` (a queryset of pupils on roll), the ids and year groups of
    those pupils come back in the same query (the grid save needs nothing more); with `as_at`
    too, the framework each of them is on per subject on that day (`Reference.placements`)."""
    parts = [
        _rows(Subject.objects.filter(school=school, retired=False), "s", "name"),
        _rows(AttainmentBand.objects.filter(school=school), "a", "code"),
        _rows(ProgressBand.objects.filter(school=school), "g", "code"),
        _part(
            Framework.objects.filter(school=school),
            "f",
            F("pk"),
            F("order"),
            F("kind"),
            F("name"),
            _text("value_min"),
            _text("value_max"),
            F("test_name"),
        ),
        _part(
            FrameworkStage.objects.filter(framework__school=school),
            "t",
            F("pk"),
            F("order"),
            F("code"),
            F("name"),
            _text("framework_id"),
            _text("steps"),
            _text("offset"),
        ),
    ]
    if pupils is not None:
        parts.append(_part(pupils, "p", F("pk"), F("year_group"), _blank(), _blank()))
        if as_at is not None:
            parts.append(_placement_rows(pupils, as_at))
    found = Reference([], [], [])
    stages = []
    for row in parts[0].union(*parts[1:], all=True):
        _read_row(found, stages, school, *row)
    found.subjects.sort(key=lambda s: (s.order, s.name))
    found.attainment_bands.sort(key=lambda b: b.order)
    found.progress_bands.sort(key=lambda b: b.order)
    for stage in sorted(stages, key=lambda s: s.order):
        stage.framework = found.frameworks[stage.framework_id]
        found.stages.setdefault(stage.framework_id, []).append(stage)
    return found


def _read_row(found, stages, school, kind, pk, order, first, second, x1, x2, x3):
    """One row of the reference UNION into `found` (stages into `stages`, sorted after)."""
    if kind == "s":
        found.subjects.append(Subject(pk=pk, school=school, order=order, name=first))
    elif kind in "ag":
        model, bands = (
            (AttainmentBand, found.attainment_bands) if kind == "a" else (ProgressBand, found.progress_bands)
        )
        bands.append(model(pk=pk, school=school, order=order, code=first, label=second))
    elif kind == "f":
        found.frameworks[pk] = Framework(
            pk=pk,
            school=school,
            order=order,
            kind=first,
            name=second,
            value_min=_decimal(x1),
            value_max=_decimal(x2),
            test_name=x3 or "",
        )
    elif kind == "t":
        stages.append(
            FrameworkStage(
                pk=pk,
                order=order,
                code=first,
                name=second,
                framework_id=int(x1),
                steps=int(x2),
                offset=int(x3),
            )
        )
    elif kind == "l":
        found.placements[(pk, order)] = int(x1) if x1 else None
    else:
        found.pupil_ids.add(pk)
        found.year_groups[pk] = order


def _decimal(text):
    return None if text in (None, "") else Decimal(text)


def grid_pupils(membership, *, school_class=None, year_group=None):
    pupils = Pupil.objects.for_membership(membership)
    if school_class is not None:
        pupils = pupils.filter(school_class=school_class)
    if year_group is not None:
        pupils = pupils.filter(year_group=year_group)
    return pupils.order_by("legal_surname", "legal_forename")


def pupil_names(membership, pupil_ids):
    """{pupil id: "Surname, Forename"} for those of `pupil_ids` the membership may see (one query;
    a refused grid save names its pupils with it)."""
    pupils = Pupil.objects.for_membership(membership).filter(pk__in=pupil_ids)
    return {
        p.pk: f"{p.legal_surname}, {p.forename}"
        for p in pupils.only("legal_surname", "legal_forename", "preferred_forename")
    }


def build_grid(membership, point, pupils, *, previous, reference, points):
    """The grid for `pupils` at `point`: four queries (pupils, cells, targets and their values)
    at any size.
    Each end-of-year target is judged at `point` (assessment.targets, `judged_each`), against
    the school's `points`. `reference` holds each pupil's framework per subject at the point
    (`reference_of` with the pupils and the point's as-at date): a cell on another framework
    has one box for its value, an Engagement Model cell none."""
    pupils = list(pupils)
    pupil_ids = [p.pk for p in pupils]
    subjects = reference.subjects
    attainment = {b.pk: b for b in reference.attainment_bands}
    progress = {b.pk: b for b in reference.progress_bands}
    stored = _stored_cells([point.pk] + ([previous.pk] if previous else []), pupil_ids, attainment, progress)
    targets = {}
    timeline = rule.Timeline(points)
    year = point.academic_year
    due = rule.is_due(point, timeline)
    for t in rule.judged_each(
        rule.end_of_year(Target.objects.filter(pupil_id__in=pupil_ids), year), point, timeline, year=year
    ):
        t.attainment = attainment.get(t.attainment_id) if t.attainment_id else None
        t.shown = value_shown(reference, t.framework_id, t.stage_id, t.step, t.score)
        targets[(t.pupil_id, t.subject_id)] = rule.Judgement(t, t.status, due)
    used = set()
    rows = []
    for row, pupil in enumerate(pupils, 1):
        cells = []
        for col, subject in enumerate(subjects, 1):
            cell = GridCell(pupil=pupil, subject=subject, row=str(row), col=str(col))
            current = stored.get((point.pk, pupil.pk, subject.pk))
            before = stored.get((previous.pk, pupil.pk, subject.pk)) if previous else None
            _fill(cell, current, before, reference)
            if cell.framework is not None:
                used.add(cell.framework.pk)
            cell.target = targets.get((pupil.pk, subject.pk))
            cells.append(cell)
        rows.append((pupil, cells))
    frameworks = sorted((reference.frameworks[pk] for pk in used), key=lambda f: (f.order, f.name))
    for framework in frameworks:
        framework.grid_stages = reference.stages.get(framework.pk, [])
    return Grid(
        point=point,
        previous_point=previous,
        subjects=subjects,
        attainment_bands=reference.attainment_bands,
        progress_bands=reference.progress_bands,
        rows=rows,
        frameworks=frameworks,
        stages={f.pk: reference.stages.get(f.pk, []) for f in frameworks},
    )


CELL_FIELDS = (
    "point_id",
    "pupil_id",
    "subject_id",
    "attainment_id",
    "progress_id",
    "points",
    "version",
    "framework_id",
    "stage_id",
    "step",
    "score",
)


def _stored_cells(point_ids, pupil_ids, attainment, progress):
    """{(point id, pupil id, subject id): the cell's values} at the points, in one query.

    Tuples, not model instances: a year group's grid reads 3,600 rows. Band codes come from the
    bands already read (`attainment`, `progress`: {id: band}), not from a join. Each tuple is
    (attainment code, progress code, points, version, attainment id, progress id, framework id,
    stage id, step, score)."""
    rows = Assessment.objects.filter(point_id__in=point_ids, pupil_id__in=pupil_ids).values_list(*CELL_FIELDS)
    stored = {}
    for point_id, pupil_id, subject_id, a_id, g_id, *values in rows:
        codes = (
            attainment[a_id].code if a_id in attainment else "",
            progress[g_id].code if g_id in progress else "",
        )
        points_value, version, *on_framework = values
        stored[(point_id, pupil_id, subject_id)] = (*codes, points_value, version, a_id, g_id, *on_framework)
    return stored


def _fill(cell, current, before, reference):
    """A grid cell's values at the point (`current`, a stored tuple of build_grid, or None) and
    the previous point's (`before`), on the framework the pupil is on in the subject."""
    cell.framework = reference.framework_of(cell.pupil.pk, cell.subject.pk)
    if current:
        cell.attainment_code, cell.progress_code, cell.points, cell.version = current[:4]
        cell.attainment_id, cell.progress_id = current[4:6]
        cell.framework_id, cell.stage_id, cell.step, cell.score = current[6:]
    if cell.framework is None:
        if before:
            cell.was = (before[0] or "—", before[1] or "—", "—" if before[2] is None else str(before[2]))
    elif cell.engagement:
        cell.observations_url = engagement_url(cell.pupil.pk)
    else:
        if current and current[6] == cell.framework.pk:
            cell.value = value_shown(reference, *current[6:])
        if before:
            cell.was_value = value_shown(reference, *before[6:]) or "—"
    if current and current[6] is not None and current[6] != getattr(cell.framework, "pk", None):
        # Placed on another framework (or the main scheme) after this value was kept: it stays
        # until a value is typed over it (services.grid_save).
        recorded = reference.frameworks.get(current[6])
        cell.note = (
            f"Kept on {recorded.name if recorded else 'another framework'}: "
            f"{value_shown(reference, *current[6:])}"
        )


def value_shown(reference, framework_id, stage_id, step, score):
    """A stored value on another framework as the grid shows it and a teacher types it ("PK3",
    "S2.3", "96", "7y 6m")."""
    framework = reference.frameworks.get(framework_id)
    if framework is None:
        return ""
    return fw.show(framework, reference.stage(framework_id, stage_id), step, score)


def engagement_url(pupil_id):
    """Where an Engagement Model pupil's observations are: their own page once it exists, the
    pupil's page until then."""
    for name in ("assessment:engagement", "assessment:engagement_list", "assessment:observations"):
        try:
            return reverse(name, args=[pupil_id])
        except NoReverseMatch:
            continue
    return reverse("pupils:detail", args=[pupil_id])


# -- the scheme editor ----------------------------------------------------------------------


def scheme_years(school, today):
    """Academic years the editor offers: every year with points, and this year and next."""
    years = set(AssessmentPoint.objects.filter(school=school).values_list("academic_year", flat=True))
    this_year = academic_year_of(today)
    return sorted(years | {this_year, this_year + 1}, reverse=True)


def points_for_year(school, academic_year):
    return AssessmentPoint.objects.filter(school=school, academic_year=academic_year).order_by("order")


def subjects_for_editing(school):
    return Subject.objects.filter(school=school).order_by("retired", "order", "name")


def bands_for_editing(model, school):
    return model.objects.filter(school=school).order_by("order")


# -- a pupil's page -------------------------------------------------------------------------


@dataclass(eq=False)
class AssessmentRow:
    """One of a pupil's assessments as the pupil page reads it (`pupil_assessments`): an
    Assessment's fields by the same names, with its point, subject, bands, framework and stage as
    objects shared by every row, and `shown`, its value on its framework as typed ("PK4")."""

    pk: int
    point_id: int
    subject_id: int
    attainment_id: int | None
    progress_id: int | None
    points: Decimal | None
    framework_id: int | None
    stage_id: int | None
    step: int | None
    place: int | None
    score: Decimal | None
    gained: Decimal | None
    months: int | None
    expected_met: bool | None
    point: object = None
    subject: object = None
    attainment: object = None
    progress: object = None
    framework: object = None
    stage: object = None
    shown: str = ""


ROW_FIELDS = [f.name for f in fields(AssessmentRow)[:14]]
BAND_FIELDS = ["code", "label", "order"]


@dataclass
class PupilAssessments:
    """A pupil's assessments, read once for the pupil page's targets, other frameworks and
    timeline (`pupil_assessments`), with the school's points (each with `next_starts_on`, so its
    `as_at` costs no query) and subjects (retired ones too), and the frameworks they name."""

    school_id: int
    points: dict  # id: AssessmentPoint
    timeline: object  # targets.Timeline of the school's points
    subjects: list  # the school's subjects by order and name, retired ones too
    rows: list  # AssessmentRow, oldest point first, then by subject
    _frameworks: dict | None = None

    def framework(self, pk):
        """The school's framework `pk` (None for None), with its stages read; the school's
        frameworks are read at the first call (two queries), so a pupil on none costs none."""
        if pk is None:
            return None
        if self._frameworks is None:
            self._frameworks = {
                f.pk: f for f in Framework.objects.filter(school_id=self.school_id).prefetch_related("stages")
            }
        if pk not in self._frameworks:  # another school's, on a record brought from elsewhere
            self._frameworks[pk] = Framework.objects.filter(pk=pk).prefetch_related("stages").first()
        return self._frameworks[pk]

    def stage(self, framework, pk):
        return next((s for s in framework.stages.all() if s.pk == pk), None) if framework else None


def pupil_assessments(membership, pupil):
    """Every assessment of `pupil` (reached through pupils.access.access_pupil) through the
    scoped access path, as AssessmentRows, with the school's points and subjects: three queries
    (points, subjects, assessments with their bands), and two more for the school's frameworks
    when the pupil has a value on one."""
    points = list(
        AssessmentPoint.objects.filter(school_id=pupil.school_id).order_by("academic_year", "order")
    )
    following = None
    for point in reversed(points):
        same_year = following is not None and following.academic_year == point.academic_year
        point.next_starts_on = following.starts_on if same_year else None
        following = point
    subjects = list(Subject.objects.filter(school_id=pupil.school_id).order_by("order", "name"))
    found = PupilAssessments(
        school_id=pupil.school_id,
        points={p.pk: p for p in points},
        timeline=rule.Timeline(points),
        subjects=subjects,
        rows=[],
    )
    by_subject = {s.pk: (i, s) for i, s in enumerate(subjects)}
    bands = {}
    columns = ROW_FIELDS + [f"attainment__{f}" for f in BAND_FIELDS] + [f"progress__{f}" for f in BAND_FIELDS]
    stored = list(Assessment.objects.for_membership(membership).filter(pupil=pupil).values_list(*columns))
    _read_strays(found.points, by_subject, stored)
    for values in stored:
        row = AssessmentRow(*values[:14])
        row.point = found.points[row.point_id]
        row.subject = by_subject[row.subject_id][1]
        row.attainment = _band(bands, AttainmentBand, row.attainment_id, values[14:17])
        row.progress = _band(bands, ProgressBand, row.progress_id, values[17:20])
        if row.framework_id is not None:
            row.framework = found.framework(row.framework_id)
            row.stage = found.stage(row.framework, row.stage_id)
            row.shown = fw.show(row.framework, row.stage, row.step, row.score)
        found.rows.append(row)
    found.rows.sort(key=lambda r: (r.point.academic_year, r.point.order, by_subject[r.subject_id][0]))
    return found


def _read_strays(points, by_subject, stored):
    """Points and subjects of another school that rows name (a record brought from elsewhere):
    read by id, shown by name and never on the school's timeline; no query when there are none."""
    missing = {v[1] for v in stored} - points.keys()
    if missing:
        points.update(AssessmentPoint.objects.with_next_start().in_bulk(missing))
    missing = {v[2] for v in stored} - by_subject.keys()
    if missing:
        strays = sorted(Subject.objects.filter(pk__in=missing), key=lambda s: (s.order, s.name))
        by_subject.update({s.pk: (len(by_subject) + i, s) for i, s in enumerate(strays)})


def _band(bands, model, pk, values):
    """The band `pk` of `model` made once from its columns read with a row (None for None)."""
    if pk is None:
        return None
    key = (model, pk)
    if key not in bands:
        bands[key] = model(pk=pk, **dict(zip(BAND_FIELDS, values, strict=True)))
    return bands[key]


@dataclass
class SubjectTargets:
    subject: object
    latest: object  # the latest Assessment (an AssessmentRow on the pupil page) with a value, or None
    year: object  # targets.Judgement or None
    key_stage: object  # targets.Judgement or None


def pupil_targets(pupil, today, assessments=None):
    """Per active subject: the latest assessment, and the end-of-year and end-of-key-stage
    targets, each judged by the pupil's latest assessment in the target's period (on track or
    below the trajectory before it falls due, met or missed at it; assessment.targets). Four
    queries whatever the pupil's history: the school's points, subjects, assessments, targets;
    one, the targets, when the caller passes the pupil's `assessments` (pupil_assessments)."""
    this_year = academic_year_of(today)
    ks_year = key_stage_end_year(pupil.year_group, this_year)
    if assessments is None:
        timeline = rule.Timeline(AssessmentPoint.objects.filter(school_id=pupil.school_id))
        subjects = list(Subject.objects.filter(school_id=pupil.school_id, retired=False))
        valued = [
            _shown(a)
            for a in Assessment.objects.filter(pupil=pupil)
            .exclude(attainment=None, points=None, place=None, score=None)
            .select_related("attainment", "point", "framework", "stage")
            .order_by("point__academic_year", "point__order")
        ]
    else:
        timeline = assessments.timeline
        subjects = [s for s in assessments.subjects if not s.retired]
        valued = [
            a
            for a in assessments.rows
            if not (a.attainment_id is None and a.points is None and a.place is None and a.score is None)
        ]
    history = {}
    for a in valued:
        history.setdefault(a.subject_id, []).append(a)
    targets = {
        (t.subject_id, t.kind): _shown(t)
        for t in _targets_read(pupil, [this_year, ks_year], assessments)
        if (t.kind == Target.Kind.END_OF_YEAR and t.academic_year == this_year)
        or (t.kind == Target.Kind.END_OF_KEY_STAGE and t.academic_year == ks_year)
    }
    year_group_then = pupil.year_group + (ks_year - this_year)
    rows = []
    for subject in subjects:
        past = history.get(subject.pk, [])
        rows.append(
            SubjectTargets(
                subject=subject,
                latest=past[-1] if past else None,
                year=_judge(targets.get((subject.pk, Target.Kind.END_OF_YEAR)), past, timeline),
                key_stage=_judge(
                    targets.get((subject.pk, Target.Kind.END_OF_KEY_STAGE)), past, timeline, year_group_then
                ),
            )
        )
    return rows, this_year, ks_year


def _targets_read(pupil, years, assessments):
    """The pupil's targets for `years`, with their bands, frameworks and stages: the frameworks
    from the pupil's `assessments` when given (selectors.pupil_assessments), else by joins."""
    targets = Target.objects.filter(pupil=pupil, academic_year__in=years)
    if assessments is None:
        return targets.select_related("attainment", "framework", "stage")
    found = list(targets.select_related("attainment"))
    for target in found:
        if target.framework_id is not None:
            target.framework = assessments.framework(target.framework_id)
            target.stage = assessments.stage(target.framework, target.stage_id)
    return found


def _shown(row):
    """An assessment or target with `.shown`, its value on its framework as typed ("PK4",
    "8y 6m"), or "" on the main scheme (pages show its band and points)."""
    row.shown = fw.show(row.framework, row.stage, row.step, row.score) if row.framework_id else ""
    return row


def frameworks_in_force(pupil, today):
    """{subject id: Framework, its stages read} the pupil is assessed on today, for the subjects
    where that is not the school's main scheme: two queries (placements, frameworks)."""
    placed = {s: f for (_p, s), f in fw.placements_at([pupil.pk], today).items() if f is not None}
    found = Framework.objects.filter(school_id=pupil.school_id, pk__in=set(placed.values())).prefetch_related(
        "stages"
    )
    by_pk = {f.pk: f for f in found} if placed else {}
    return {subject_id: by_pk[f] for subject_id, f in placed.items() if f in by_pk}


def _judge(target, past, timeline, year_group_then=None):
    """One target judged by the pupil's latest assessment in its period (`past`: the pupil's
    assessments in the subject, oldest first), against the line from their starting point."""
    if target is None:
        return None
    first = timeline.first(rule.period_start_year(target, year_group_then))
    due = timeline.last(target.academic_year)
    position = {a.pk: timeline.position.get(a.point_id) for a in past}
    inside = [a for a in past if first <= position[a.pk] <= due]
    if not inside:
        return rule.Judgement(target, rule.NONE, False)
    now = inside[-1]
    at = position[now.pk]
    if at >= due:
        return rule.Judgement(target, rule.judge(target=target, now=now, due=True), True)
    # The line starts from a value on the target's own framework (or the main scheme); the
    # latest value, on another, is not compared (assessment.targets).
    same = [a for a in past if a.framework_id == target.framework_id]
    before = [a for a in same if position[a.pk] <= first]
    start = before[-1] if before else next((a for a in same if first <= position[a.pk] <= due), None)
    if start is None:
        return rule.Judgement(target, rule.NONE, False)
    begin = position[start.pk]
    status = rule.judge(target=target, now=now, start=start, elapsed=at - begin, span=due - begin, due=False)
    return rule.Judgement(target, status, False)


def support_observations(pupil):
    return list(SupportObservation.objects.filter(pupil=pupil).select_related("subject", "observer"))


def pupil_page_context(membership, pupil, today, assessments=None):
    """What a pupil's page shows from this app (overview.views.pupil_detail adds it): targets
    against the latest assessment, and the support-scale chart with its figures as a table.
    `pupil` has already been reached through pupils.access.access_pupil; `assessments`, the
    pupil's (pupil_assessments), when the caller has read them already."""
    targets, this_year, ks_year = pupil_targets(pupil, today, assessments)
    observations = support_observations(pupil)
    return {
        "support_change": support_change(observations, this_year),
        "targets": targets,
        "targets_year": this_year,
        "targets_ks_year": ks_year,
        "can_set_targets": policy.can(membership, "target.set"),
        "support_observations": observations,
        "support_chart": level_line(
            "Pupil Support Scale over time",
            [(o.observed_on, o.level) for o in observations],
            SupportLevel.choices,
        ),
        "can_record_support": policy.can(membership, "support_scale.record"),
    }


# -- exports --------------------------------------------------------------------------------


def pupils_export_rows(membership, point, reference):
    """The pupil list the membership may see, with each pupil's assessments at `point`.

    Two queries: the pupils, and the cells at the point (bands from the reference)."""
    pupils = list(
        Pupil.objects.for_membership(membership)
        .select_related("school_class")
        .order_by("year_group", "legal_surname", "legal_forename")
    )
    attainment = {b.pk: b.code for b in reference.attainment_bands}
    progress = {b.pk: b.code for b in reference.progress_bands}
    cells = {}
    if point is not None:
        stored = (
            Assessment.objects.for_membership(membership)
            .filter(point=point)
            .values_list("pupil_id", "subject_id", "attainment_id", "progress_id", "points")
        )
        for pupil_id, subject_id, att, prog, pts in stored:
            cells[(pupil_id, subject_id)] = (attainment.get(att, ""), progress.get(prog, ""), pts)
    return pupils, cells
