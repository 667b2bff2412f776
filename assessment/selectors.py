"""Reads for the termly grid, the scheme editor, targets, the support scale and the exports.

The grid page costs a fixed number of queries whatever the class size: the scheme, the points,
the classes, the pupils, one UNION for the subjects and both band scales, one read of this
point's and the previous point's cells, and one of the targets.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, F, Value

from core import policy
from core.calendar import academic_year_of
from core.charts import level_line
from pupils.models import Pupil

from . import frameworks
from . import targets as rule
from .models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    Framework,
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

    def __post_init__(self):
        # Strings, so that the template prints them as they are: Django localises every number
        # it prints, which was most of the time of a year group's page.
        self.pid, self.sid = str(self.pupil.pk), str(self.subject.pk)
        self.key = f"{self.pid}-{self.sid}"

    @property
    def points_text(self):
        return "" if self.points is None else str(self.points)

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


@dataclass
class Grid:
    point: object
    previous_point: object
    subjects: list
    attainment_bands: list
    progress_bands: list
    rows: list  # (pupil, [GridCell per subject])

    @property
    def versions(self):
        """The version of every stored cell, as one form field ("pupil-subject:version ..."): one
        field instead of one per cell keeps a class's form under Django's field limit."""
        return " ".join(f"{c.key}:{c.version}" for _pupil, cells in self.rows for c in cells if c.version)

    @property
    def fields_posted(self):
        """How many fields the grid's form posts without JavaScript: three boxes a cell, the
        versions and the CSRF token."""
        return 3 * len(self.subjects) * len(self.rows) + 2


def scheme_of(school):
    return AssessmentScheme.objects.filter(school=school).first()


def points_of(school):
    """Every assessment point of a school, newest first."""
    return list(AssessmentPoint.objects.filter(school=school).order_by("-academic_year", "-order"))


def scheme_and_points(school):
    """The scheme (or None) and every point, newest first, in one query when there are points."""
    points = list(
        AssessmentPoint.objects.filter(school=school)
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
        .filter(school=school, pk=point_id)
        .first()
    )


def _rows(queryset, kind, label_field):
    return (
        queryset.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "pk", "order", label_field, "label" if kind in "ag" else label_field)
    )


def reference_of(school, *, pupils=None):
    """Active subjects and both band scales in one UNION query; with `pupils` (a queryset of
    pupils on roll), the ids and year groups of those pupils come back in the same query (the
    grid save needs nothing more)."""
    parts = [
        _rows(Subject.objects.filter(school=school, retired=False), "s", "name"),
        _rows(AttainmentBand.objects.filter(school=school), "a", "code"),
        _rows(ProgressBand.objects.filter(school=school), "g", "code"),
    ]
    if pupils is not None:
        parts.append(
            pupils.order_by()
            .annotate(
                kind=Value("p", output_field=CharField()),
                ord=F("year_group"),
                blank=Value("", output_field=CharField()),
            )
            .values_list("kind", "pk", "ord", "blank", "blank")
        )
    rows = parts[0].union(*parts[1:], all=True)
    found = Reference([], [], [])
    for kind, pk, order, first, second in rows:
        if kind == "s":
            found.subjects.append(Subject(pk=pk, school=school, order=order, name=first))
        elif kind == "a":
            found.attainment_bands.append(
                AttainmentBand(pk=pk, school=school, order=order, code=first, label=second)
            )
        elif kind == "g":
            found.progress_bands.append(
                ProgressBand(pk=pk, school=school, order=order, code=first, label=second)
            )
        else:
            found.pupil_ids.add(pk)
            found.year_groups[pk] = order
    found.subjects.sort(key=lambda s: (s.order, s.name))
    found.attainment_bands.sort(key=lambda b: b.order)
    found.progress_bands.sort(key=lambda b: b.order)
    return found


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
    """The grid for `pupils` at `point`: three queries (pupils, cells, targets) at any size.
    Each end-of-year target is judged by the database at `point` (assessment.targets), against
    the school's `points`."""
    pupils = list(pupils)
    pupil_ids = [p.pk for p in pupils]
    subjects = reference.subjects
    attainment = {b.pk: b for b in reference.attainment_bands}
    progress = {b.pk: b for b in reference.progress_bands}
    wanted = [point.pk] + ([previous.pk] if previous else [])
    # Tuples, not model instances: a year group's grid reads 3,600 rows. Bands come from the
    # reference already read, not from a join.
    stored = {
        (point_id, pupil_id, subject_id): (
            attainment[a_id].code if a_id in attainment else "",
            progress[g_id].code if g_id in progress else "",
            points_value,
            version,
            a_id,
            g_id,
        )
        for point_id, pupil_id, subject_id, a_id, g_id, points_value, version in Assessment.objects.filter(
            point_id__in=wanted, pupil_id__in=pupil_ids
        ).values_list(
            "point_id", "pupil_id", "subject_id", "attainment_id", "progress_id", "points", "version"
        )
    }
    targets = {}
    timeline = rule.Timeline(points)
    year = point.academic_year
    due = rule.is_due(point, timeline)
    for t in rule.judged(
        rule.end_of_year(Target.objects.filter(pupil_id__in=pupil_ids), year), point, timeline, year=year
    ):
        t.attainment = attainment.get(t.attainment_id) if t.attainment_id else None
        targets[(t.pupil_id, t.subject_id)] = rule.Judgement(t, t.status, due)
    rows = []
    for row, pupil in enumerate(pupils, 1):
        cells = []
        for col, subject in enumerate(subjects, 1):
            current = stored.get((point.pk, pupil.pk, subject.pk))
            cell = GridCell(pupil=pupil, subject=subject, row=str(row), col=str(col))
            if current:
                cell.attainment_code, cell.progress_code, cell.points, cell.version = current[:4]
                cell.attainment_id, cell.progress_id = current[4:]
            before = stored.get((previous.pk, pupil.pk, subject.pk)) if previous else None
            if before:
                cell.was = (before[0] or "—", before[1] or "—", "—" if before[2] is None else str(before[2]))
            cell.target = targets.get((pupil.pk, subject.pk))
            cells.append(cell)
        rows.append((pupil, cells))
    return Grid(
        point=point,
        previous_point=previous,
        subjects=subjects,
        attainment_bands=reference.attainment_bands,
        progress_bands=reference.progress_bands,
        rows=rows,
    )


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


@dataclass
class SubjectTargets:
    subject: object
    latest: object  # the latest Assessment with a value, or None
    year: object  # targets.Judgement or None
    key_stage: object  # targets.Judgement or None


def pupil_targets(pupil, today):
    """Per active subject: the latest assessment, and the end-of-year and end-of-key-stage
    targets, each judged by the pupil's latest assessment in the target's period (on track or
    below the trajectory before it falls due, met or missed at it; assessment.targets). Four
    queries whatever the pupil's history: the school's points, subjects, assessments, targets."""
    this_year = academic_year_of(today)
    ks_year = key_stage_end_year(pupil.year_group, this_year)
    timeline = rule.Timeline(AssessmentPoint.objects.filter(school_id=pupil.school_id))
    subjects = list(Subject.objects.filter(school_id=pupil.school_id, retired=False))
    history = {}
    for a in (
        Assessment.objects.filter(pupil=pupil)
        .exclude(attainment=None, points=None, place=None, score=None)
        .select_related("attainment", "point", "framework", "stage")
        .order_by("point__academic_year", "point__order")
    ):
        _shown(a)
        history.setdefault(a.subject_id, []).append(a)
    targets = {
        (t.subject_id, t.kind): _shown(t)
        for t in Target.objects.filter(pupil=pupil)
        .filter(academic_year__in=[this_year, ks_year])
        .select_related("attainment", "framework", "stage")
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


def _shown(row):
    """An assessment or target with `.shown`, its value on its framework as typed ("PK4",
    "8y 6m"), or "" on the main scheme (pages show its band and points)."""
    row.shown = frameworks.show(row.framework, row.stage, row.step, row.score) if row.framework_id else ""
    return row


def frameworks_in_force(pupil, today):
    """{subject id: Framework, its stages read} the pupil is assessed on today, for the subjects
    where that is not the school's main scheme: two queries (placements, frameworks)."""
    placed = {s: f for (_p, s), f in frameworks.placements_at([pupil.pk], today).items() if f is not None}
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


def pupil_page_context(membership, pupil, today):
    """What a pupil's page shows from this app (overview.views.pupil_detail adds it): targets
    against the latest assessment, and the support-scale chart with its figures as a table.
    `pupil` has already been reached through pupils.access.access_pupil."""
    targets, this_year, ks_year = pupil_targets(pupil, today)
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
