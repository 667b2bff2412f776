"""When a pupil's target falls due, and how it is judged before and at that point.

The rule (the README states it too):

- **Due point.** A target falls due at the school's last assessment point of the target's
  academic year: for an end-of-year target, the last point of that year; for an end-of-key-stage
  target, the last point of the key stage's final year (Year 2, 6, 9, 11 or 13), which is the
  year the target is stored with. A year the school has not set points for yet is taken to have
  as many points as the nearest year that has them.
- **At or after the due point** the target is "target met" or "target missed", by the pupil's
  assessment at the point judged: every part of the target that can be compared (band, points)
  must be reached.
- **Before the due point** the target is "on track" or "below the trajectory". The trajectory is
  a straight line from the pupil's starting point to the target: the starting point is their
  assessment at the first point of the target's period (the year, or the key stage's first
  year), or failing that the last assessment before it, or failing that their first assessment
  in the period (a pupil who joined during the year). At a point `elapsed` points after the
  starting point, of `span` points from the starting point to the due point, the line stands at
  start + (target - start) x elapsed / span.
  - In points, the pupil is on track when their points are at or above the line.
  - In bands (a target with a band only, or the band part of a target with both), the line runs
    through the bands' places in the school's order (the scheme editor numbers them 1, 2, 3...)
    and is read as the band nearest to it, half way rounding up: a pupil is below the trajectory
    when their band is lower than that. So a pupil aiming one band up is on track in their
    starting band for the first half of the way, and expected in the target band from half way.
  - With both parts, each part that can be compared must be on track.
- **A target on a framework** (the pre-key stage standards, small steps, a standardised score,
  a reading or spelling age: `Target.framework`) is judged only by values on the same framework:
  its value is the stage and step's place on the framework (standards, steps) or the score (a
  score, or an age in months). At the due point it is met when the value there reaches the
  target's. Before it, the line runs from the starting value on that framework (chosen as above,
  among the pupil's values on it) to the target. A score or an age is on track at or above the
  line, as points are; a standard or a step is read as the place nearest the line, half way
  rounding up, as bands are: from PK3 to a PK5 target, half way along the line is at PK4, so PK4
  is on track and PK3 below the trajectory; a pupil aiming one standard up over the year is on
  track at PK3 for the first half of it. A value on another framework or on the main
  scheme (a pupil who has moved) is not compared: "no assessment yet" on this target. Main-scheme
  targets are judged only by main-scheme values, as before.
- With no assessment at the point judged (or no starting point to draw the line from), the
  target is "no assessment yet".

The same rule is written twice: in Python (`judge`), and as database expressions (`judged`) for
lists of targets that are counted (gap question D), so that a list is counted in one query
whatever its size. A list shown target by target (the termly grid) fetches each target's values
in one query and applies `judge` (`judged_each`). Tests hold all three to the same hand-worked
cases, and `judged` to `judged_each` on every target of the demo.
"""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan

from .models import Assessment, Target

MET, MISSED, ON_TRACK, BELOW, NONE = "met", "missed", "on_track", "below", "none"
WORDS = {
    MET: "target met",
    MISSED: "target missed",
    ON_TRACK: "on track",
    BELOW: "below the trajectory",
    NONE: "no assessment yet",
}
# Bootstrap badges per status, one place for every page that marks a target.
BADGES = {
    MET: "text-bg-success",
    ON_TRACK: "text-bg-success",
    MISSED: "text-bg-danger",
    BELOW: "text-bg-warning",
    NONE: "text-bg-light border",
}
# Key stages by their final year group: the first year group of each (KS1 Years 1-2, KS2 3-6,
# KS3 7-9, KS4 10-11, sixth form 12-13).
KEY_STAGE_FIRST = {2: 1, 6: 3, 9: 7, 11: 10, 13: 12}


class Timeline:
    """The school's assessment points in order, each with its position (0, 1, 2...), and the
    first and last position of any academic year."""

    def __init__(self, points):
        self.points = sorted(points, key=lambda p: (p.academic_year, p.order))
        self.position = {p.pk: i for i, p in enumerate(self.points)}
        self._years = {}
        for i, p in enumerate(self.points):
            first, _ = self._years.get(p.academic_year, (i, i))
            self._years[p.academic_year] = (first, i)

    def _span(self, year):
        """(first, last) position of `year`; a year without points, before or after the years
        with points, is given as many points as the nearest year with them."""
        if year in self._years:
            return self._years[year]
        if not self._years:
            return (0, 0)
        years = sorted(self._years)
        if year > years[-1]:
            first, last = self._years[years[-1]]
            size = last - first + 1
            start = last + 1 + (year - years[-1] - 1) * size
            return (start, start + size - 1)
        if year < years[0]:
            first, last = self._years[years[0]]
            size = last - first + 1
            start = first - (years[0] - year) * size
            return (start, start + size - 1)
        before = max(y for y in years if y < year)
        return (self._years[before][1], self._years[before][1])

    def first(self, year):
        return self._span(year)[0]

    def last(self, year):
        return self._span(year)[1]


def period_start_year(target, year_group_then=None):
    """The first academic year of a target's period: its own year for an end-of-year target;
    the key stage's first year for an end-of-key-stage target (`year_group_then`, the pupil's
    year group in the target's year, names the key stage)."""
    if target.kind == Target.Kind.END_OF_YEAR or year_group_then not in KEY_STAGE_FIRST:
        return target.academic_year
    return target.academic_year - (year_group_then - KEY_STAGE_FIRST[year_group_then])


@dataclass
class Judgement:
    """A target judged at a point, in the words a reader sees."""

    target: object
    status: str
    due: bool  # judged at or after the point the target falls due

    @property
    def words(self):
        return WORDS[self.status]

    @property
    def badge(self):
        return BADGES[self.status]

    @property
    def reached(self):
        """True (met, on track), False (missed, below the trajectory) or None (nothing to judge)."""
        return None if self.status == NONE else self.status in (MET, ON_TRACK)


def framework_value(row):
    """A target's or an assessment's value on its framework as a number comparable along the
    framework: the place (standards, steps) or the score (scores, ages in months); None when the
    row is on no framework or has no value."""
    if getattr(row, "framework_id", None) is None:
        return None
    return row.place if row.place is not None else row.score


def _judge_on_framework(target, now, start, elapsed, span, due):
    """`judge` for a target on a framework: values on that framework only, compared in tenths
    (scores keep one decimal) with the same arithmetic as points."""
    if now is None or getattr(now, "framework_id", None) != target.framework_id:
        return NONE
    t_value, n_value = framework_value(target), framework_value(now)
    if t_value is None or n_value is None:
        return NONE
    if due:
        return MET if n_value >= t_value else MISSED
    if start is None or getattr(start, "framework_id", None) != target.framework_id:
        return NONE
    s_value = framework_value(start)
    if s_value is None:
        return NONE
    t, n, s = (round(Decimal(v) * 10) for v in (t_value, n_value, s_value))
    if target.place is not None:
        # Places, like bands: n >= round_half_up(s + (t - s) * elapsed / span), in tenths.
        return ON_TRACK if (2 * n + 10 - 2 * s) * span > 2 * (t - s) * elapsed else BELOW
    return ON_TRACK if (n - s) * span >= (t - s) * elapsed else BELOW


def judge(*, target, now, start=None, elapsed=0, span=1, due):
    """The status of `target` (with .attainment and .points, or a framework and its value)
    judged by `now` (an assessment or None); before the due point against the line from `start`
    (the starting assessment) `elapsed` points of `span` along. See the module docstring for the
    rule."""
    if getattr(target, "framework_id", None) is not None:
        return _judge_on_framework(target, now, start, elapsed, span, due)
    if now is None:
        return NONE
    checks = []
    t_order = target.attainment.order if target.attainment_id else None
    n_order = now.attainment.order if now.attainment_id else None
    if due:
        if t_order is not None and n_order is not None:
            checks.append(n_order >= t_order)
        if target.points is not None and now.points is not None:
            checks.append(now.points >= target.points)
        return NONE if not checks else (MET if all(checks) else MISSED)
    if start is None:
        return NONE
    s_order = start.attainment.order if start.attainment_id else None
    if None not in (t_order, n_order, s_order):
        # n >= round_half_up(s + (t - s) * elapsed / span), in whole numbers.
        checks.append((2 * n_order + 1 - 2 * s_order) * span > 2 * (t_order - s_order) * elapsed)
    if None not in (target.points, now.points, start.points):
        tenths = [round(v * 10) for v in (target.points, now.points, start.points)]
        checks.append((tenths[1] - tenths[2]) * span >= (tenths[0] - tenths[2]) * elapsed)
    return NONE if not checks else (ON_TRACK if all(checks) else BELOW)


# -- lists of targets, judged by the database ----------------------------------------------


def assessment_at(point, relation="pupil__assessments"):
    """The pupil's assessment in the target's subject at `point`, as a join."""
    return FilteredRelation(
        relation,
        condition=Q(**{f"{relation}__point_id": point.pk, f"{relation}__subject_id": F("subject_id")}),
    )


def _tenths(expression):
    """A one-decimal measure as a whole number of tenths, so that the comparisons below are exact
    in integer arithmetic on every database (SQLite keeps decimals as floating point)."""
    return Round(ExpressionWrapper(expression * 10, output_field=DecimalField()))


def _value_tenths(prefix=""):
    """A framework value (`framework_value`) in tenths: the place, or the score, of the row
    reached through `prefix` ("" for the target itself, "now__" for the joined assessment)."""
    return Coalesce(
        ExpressionWrapper(F(f"{prefix}place") * 10, output_field=DecimalField()),
        _tenths(F(f"{prefix}score")),
        output_field=DecimalField(),
    )


def _has_value(prefix=""):
    return Q(**{f"{prefix}place__isnull": False}) | Q(**{f"{prefix}score__isnull": False})


def _candidates(timeline, point, start_year, *conditions, **fields):
    """The pupil's assessments in the target's subject that may start the line to `point`, best
    first: the period's first point and those before it, latest first, then the points inside
    the period, earliest first; each with `pos`, its point's place on the timeline. The order is
    by the points' academic year and order (the timeline's), so the only list of points is the
    one that gives `pos`."""
    first = timeline.first(start_year)
    at = timeline.position[point.pk]
    wanted = [p for p in timeline.points if timeline.position[p.pk] <= at]
    before = [p.pk for p in wanted if timeline.position[p.pk] <= first]
    when = F("point__academic_year") * 1000 + F("point__order")
    best = Case(
        When(point_id__in=before, then=-when), default=Value(10**7) + when, output_field=IntegerField()
    )
    position = Case(
        *(When(point_id=p.pk, then=Value(timeline.position[p.pk])) for p in wanted),
        output_field=IntegerField(),
    )
    return (
        Assessment.objects.filter(
            *conditions,
            pupil_id=OuterRef("pupil_id"),
            subject_id=OuterRef("subject_id"),
            point_id__in=[p.pk for p in wanted],
            **fields,
        )
        .annotate(pos=position, best=best)
        .order_by("best")
    )


def _with_start(queryset, name, timeline, point, start_year):
    """Annotate the starting point of the line to `point`: `{name}_begin` (its place on the
    timeline), `{name}_sp` (points) and `{name}_so` (band order), and for a target on a
    framework `{name}_fbegin` and `{name}_fv` (its value on that framework in tenths). Most
    pupils were assessed at the year's first point, which is then their start: that assessment
    is joined, and the subqueries over the other candidates run only for a pupil without it."""
    first = timeline.first(start_year)
    main = _candidates(timeline, point, start_year, Q(attainment__isnull=False) | Q(points__isnull=False))
    on = _candidates(timeline, point, start_year, _has_value(), framework_id=OuterRef("framework_id"))
    on = on.annotate(tenths=_value_tenths())
    on_framework = Q(framework__isnull=False)
    columns = {
        "begin": (Subquery(main.values("pos")[:1]), IntegerField()),
        "sp": (Subquery(main.values("points")[:1]), DecimalField()),
        "so": (Subquery(main.values("attainment__order")[:1]), IntegerField()),
        "fbegin": (Subquery(on.values("pos")[:1]), IntegerField()),
        "fv": (Subquery(on.values("tenths")[:1]), DecimalField()),
    }
    annotations = {
        f"{name}_{key}": Case(
            When(on_framework, then=value) if key.startswith("f") else When(~on_framework, then=value),
            default=None,
            output_field=field,
        )
        for key, (value, field) in columns.items()
    }
    first_point = next((p for p in timeline.points if timeline.position[p.pk] == first), None)
    if first_point is not None and first <= timeline.position[point.pk]:
        joined = f"{name}_first"
        queryset = queryset.annotate(**{joined: assessment_at(first_point)})
        there = ~on_framework & (
            Q(**{f"{joined}__attainment__isnull": False}) | Q(**{f"{joined}__points__isnull": False})
        )
        there_f = (
            on_framework & Q(**{f"{joined}__framework_id": F("framework_id")}) & _has_value(f"{joined}__")
        )
        shortcut = {
            "begin": (there, Value(first)),
            "sp": (there, F(f"{joined}__points")),
            "so": (there, F(f"{joined}__attainment__order")),
            "fbegin": (there_f, Value(first)),
            "fv": (there_f, _value_tenths(f"{joined}__")),
        }
        for key, (condition, value) in shortcut.items():
            default, field = columns[key]
            annotations[f"{name}_{key}"] = Case(
                When(condition, then=value),
                When(on_framework if key.startswith("f") else ~on_framework, then=default),
                default=None,
                output_field=field,
            )
    return queryset.annotate(**annotations)


def _on_framework(now):
    """A target on a framework with a value, and `now` a value on the same framework."""
    return Q(framework__isnull=False, **{f"{now}__framework_id": F("framework_id")}) & (
        _has_value() & _has_value(f"{now}__")
    )


def _due_status(now):
    """Met or missed by the assessment joined as `now` (at or after the due point)."""
    band = Q(attainment__isnull=False, **{f"{now}__attainment__isnull": False})
    points = Q(points__isnull=False, **{f"{now}__points__isnull": False})
    framework = _on_framework(now)
    missed = (
        (band & Q(**{f"{now}__attainment__order__lt": F("attainment__order")}))
        | (points & Q(**{f"{now}__points__lt": F("points")}))
        | (framework & Q(LessThan(_value_tenths(f"{now}__"), _value_tenths())))
    )
    return Case(
        When(missed, then=Value(MISSED)),
        When(band | points | framework, then=Value(MET)),
        default=Value(NONE),
    )


def _on_the_line(now_value, start, target, begin, at, due, *, nearest, unit):
    """Is the value `now_value` on track at position `at` against the line from `start` (at
    position `begin`) to `target` (at `due`)? The module's rule with `elapsed = at - begin` and
    `span = due - begin`, rearranged so that the start's value and position, subqueries the
    database would run again at each mention, each appear once:

    - at or above the line: (n - s) x span >= (t - s) x elapsed, that is
      n x due - t x at - s x (due - at) >= begin x (n - t);
    - `nearest` (bands, places): n >= round_half_up(s + (t - s) x elapsed / span), that is
      (2n + u - 2s) x span > 2 (t - s) x elapsed, that is
      (2n + u) x due - 2t x at - 2s x (due - at) > begin x (2n + u - 2t),
      `unit` u the step between two places (1 for a band's order, 10 for a place in tenths)."""
    if nearest:
        left = (now_value * 2 + unit) * due - target * (2 * at) - start * (2 * (due - at))
        right = begin * (now_value * 2 + unit - target * 2)
        return GreaterThan(_decimal(left), _decimal(right))
    left = now_value * due - target * at - start * (due - at)
    return GreaterThanOrEqual(_decimal(left), _decimal(begin * (now_value - target)))


def _decimal(expression):
    return ExpressionWrapper(expression, output_field=DecimalField())


def _trajectory_status(queryset, now, name, point, timeline, start_year):
    """Annotate `{name}` with on track / below the trajectory at `point`, against the line from
    the starting point (subqueries) to the target; the same arithmetic as `judge`."""
    queryset = _with_start(queryset, name, timeline, point, start_year)
    at, due = timeline.position[point.pk], timeline.last(start_year)
    begin, f_begin = F(f"{name}_begin"), F(f"{name}_fbegin")
    band = Q(attainment__isnull=False, **{f"{now}__attainment__isnull": False, f"{name}_so__isnull": False})
    points = Q(points__isnull=False, **{f"{now}__points__isnull": False, f"{name}_sp__isnull": False})
    band_ok = _on_the_line(
        F(f"{now}__attainment__order"),
        F(f"{name}_so"),
        F("attainment__order"),
        begin,
        at,
        due,
        nearest=True,
        unit=1,
    )
    points_ok = _on_the_line(
        _tenths(F(f"{now}__points")), _tenths(F(f"{name}_sp")), _tenths(F("points")), begin, at, due,
        nearest=False, unit=None,
    )  # fmt: skip
    values = (_value_tenths(f"{now}__"), F(f"{name}_fv"), _value_tenths(), f_begin, at, due)
    # Places (standards, steps) are read like bands, scores and ages like points.
    place_ok = _on_the_line(*values, nearest=True, unit=10)
    score_ok = _on_the_line(*values, nearest=False, unit=None)
    framework = _on_framework(now) & Q(**{f"{name}_fv__isnull": False})
    framework_ok = (Q(place__isnull=False) & Q(place_ok)) | (Q(place__isnull=True) & Q(score_ok))
    below = (band & ~Q(band_ok)) | (points & ~Q(points_ok)) | (framework & ~framework_ok)
    return queryset.annotate(
        **{
            name: Case(
                When(below, then=Value(BELOW)),
                When(band | points | framework, then=Value(ON_TRACK)),
                default=Value(NONE),
            )
        }
    )


def judged(queryset, point, timeline, *, year, name="status", now="now"):
    """Targets of `year` (a queryset of them), each joined to the pupil's assessment in the same
    subject at `point` (as `now`) and judged there by the database (as `name`): met or missed
    when `point` is at or after the year's last point, otherwise on track or below the
    trajectory. `point` may be before the year (last year's last point): the line then starts
    at that point. One query for the whole list: the starting point is three subqueries (two more
    for a target on a framework)."""
    queryset = queryset.annotate(**{now: assessment_at(point)})
    if timeline.position[point.pk] >= timeline.last(year):
        return queryset.annotate(**{name: _due_status(now)})
    return _trajectory_status(queryset, now, name, point, timeline, year)


def judged_each(queryset, point, timeline, *, year):
    """The targets of `queryset` (of `year`), each with `.status` at `point` as `judged` gives it,
    for a page that shows every target anyway (the termly grid). Two plain queries: the targets,
    then the values of their pupils in their subjects at `point` and the points before it; the
    starting point is chosen from those in Python by `judged`'s order (`_candidates`) and `judge`
    decides. `judged`'s expressions are what a list that is counted needs; a list shown row by
    row does not, and compiling them was most of the grid page's time."""
    targets = list(queryset.select_related("attainment"))
    if not targets:
        return targets
    at, first, due_at = timeline.position[point.pk], timeline.first(year), timeline.last(year)
    due = at >= due_at
    wanted = {p.pk: timeline.position[p.pk] for p in timeline.points if timeline.position[p.pk] <= at}
    if due:
        wanted = {point.pk: at}
    values = Assessment.objects.filter(
        pupil_id__in={t.pupil_id for t in targets},
        subject_id__in={t.subject_id for t in targets},
        point_id__in=list(wanted),
    ).values_list("pupil_id", "subject_id", "point_id", *VALUE_FIELDS)
    now, candidates = {}, {}
    for pupil, subject, point_id, *value in values:
        pos = wanted[point_id]
        if pos == at:
            now[pupil, subject] = _fetched(*value)
        # The period's first point and those before it, latest first, then the points inside
        # the period, earliest first.
        best = (0, -pos) if pos <= first else (1, pos)
        candidates.setdefault((pupil, subject), []).append((best, pos, value))
    for t in targets:
        key = (t.pupil_id, t.subject_id)
        best_first = sorted(candidates.get(key, ()), key=lambda c: c[0])
        t.status = _judge_fetched(t, now.get(key), best_first, at, due_at, due)
    return targets


# What `judge` reads of an assessment, in the order `_fetched` takes it.
VALUE_FIELDS = ("attainment__order", "points", "framework_id", "place", "score")


def _fetched(order, points, framework_id, place=None, score=None):
    """An assessment as `judge` reads it, from fetched values: its band's order, its points, its
    framework and value there."""
    band = SimpleNamespace(order=order) if order is not None else None
    return SimpleNamespace(
        attainment=band,
        attainment_id=band and True,
        points=points,
        framework_id=framework_id,
        place=place,
        score=score,
    )


def _judge_fetched(t, now, candidates, at, due_at, due):
    """`judge` for a target of `judged_each`: the line starts at the best of `candidates` (best
    first) that holds a value of the target's kind, as `_with_start` chooses it."""
    if due:
        return judge(target=t, now=now, due=True)
    start = None
    for _best, begin, (order, points, framework_id, place, score) in candidates:
        if t.framework_id is None and (order is not None or points is not None):
            start = _fetched(order, points, None)
        elif t.framework_id is not None and framework_id == t.framework_id and (place, score) != (None, None):
            # As `_value_tenths` reads it: the place, or else the score.
            start = _fetched(None, None, framework_id, score=Decimal(place) if place is not None else score)
        if start is not None:
            return judge(target=t, now=now, start=start, elapsed=at - begin, span=due_at - begin, due=False)
    return judge(target=t, now=now, due=False)


def end_of_year(queryset, year):
    """The end-of-year targets of `year`."""
    return queryset.filter(kind=Target.Kind.END_OF_YEAR, academic_year=year)


def is_due(point, timeline):
    """Whether end-of-year targets of `point`'s year have fallen due at `point`."""
    return timeline.position[point.pk] >= timeline.last(point.academic_year)
