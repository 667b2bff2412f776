"""Reads for the framework editor and the pupil page's "Progress on other frameworks" (issue 22)."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from core import policy
from core.calendar import academic_year_label, academic_year_of

from . import frameworks
from .models import Assessment, AssessmentPoint, Framework, FrameworkPlacement

MAIN_NAME = "the school's scale"


def frameworks_of(school):
    """The school's frameworks with, for each, its stages and the values recorded on it, in one
    query (two counts)."""
    return list(
        Framework.objects.filter(school=school).annotate(
            stage_count=Count("stages", distinct=True),
            value_count=Count("assessments", distinct=True),
        )
    )


def frameworks_in_use(school):
    return list(Framework.objects.filter(school=school, retired=False))


def on_framework_today(framework, today):
    """How many pupils are assessed on `framework` today, in at least one subject (two queries)."""
    return len(frameworks.pupils_on(framework, today))


def _name(framework):
    return framework.name if framework is not None else MAIN_NAME


def _date(day):
    return f"{day.day} {day.strftime('%b %Y')}"


@dataclass
class Series:
    """A pupil's values in one subject on one framework, oldest first, and the words of their
    progress at the latest."""

    framework: Framework
    values: list = field(default_factory=list)  # (point, shown value)
    progress: str = ""
    expected_met: bool | None = None
    # From the first value on the framework, when that came before this year's baseline.
    since_start: str = ""


@dataclass
class SubjectProgress:
    subject: object
    now: Framework | None = None
    placed: bool = False
    moves: list = field(default_factory=list)  # (starts_on, words)
    series: list = field(default_factory=list)


def placement_history(membership, pupil, today, assessments=None):
    """{subject id: SubjectProgress with `now` and `moves`} from the pupil's placements (one
    query). With the pupil's `assessments` (selectors.pupil_assessments) the placements take
    their subjects and frameworks from them, and whether the pupil had a value on the school's
    scale before each, with no join or subquery."""
    placements = FrameworkPlacement.objects.for_membership(membership).filter(pupil=pupil)
    if assessments is None:
        placements = _placements_read(placements)
    else:
        placements = _placements_from(placements, assessments)
    found = {}
    for placement in placements:
        entry = found.setdefault(placement.subject_id, SubjectProgress(placement.subject))
        if placement.starts_on <= today:
            entry.now = placement.framework
            entry.placed = True
        entry.moves.append(
            (placement.starts_on, _move_words(entry, placement, today), placement.framework, placement)
        )
    return found


def _placements_read(placements):
    """The placements, with their frameworks and subjects, in subject then date order, each with
    `scale_before`: whether the pupil has a value on the school's scale in the subject before
    it (only then is a first placement a move from the scale)."""
    on_scale_before = Assessment.objects.filter(
        Q(attainment__isnull=False) | Q(points__isnull=False),
        pupil_id=OuterRef("pupil_id"),
        subject_id=OuterRef("subject_id"),
        framework__isnull=True,
        point__starts_on__lt=OuterRef("starts_on"),
    )
    return (
        placements.annotate(scale_before=Exists(on_scale_before))
        .select_related("framework", "subject", "updated_by")
        .order_by("subject__order", "subject__name", "starts_on")
    )


def _placements_from(placements, assessments):
    """`_placements_read` from the pupil's assessments read already: the placements alone."""
    rank = {s.pk: (i, s) for i, s in enumerate(assessments.subjects)}
    first_on_scale = {}
    for row in assessments.rows:  # oldest point first
        if row.framework_id is None and (row.attainment_id is not None or row.points is not None):
            starts_on = row.point.starts_on
            if row.subject_id not in first_on_scale or starts_on < first_on_scale[row.subject_id]:
                first_on_scale[row.subject_id] = starts_on
    found = list(placements.order_by())
    for placement in found:
        if placement.subject_id in rank:
            placement.subject = rank[placement.subject_id][1]
        placement.framework = assessments.framework(placement.framework_id)
        first = first_on_scale.get(placement.subject_id)
        placement.scale_before = first is not None and first < placement.starts_on
    found.sort(key=lambda p: (rank.get(p.subject_id, (len(rank), None))[0], p.starts_on))
    return found


def _move_words(entry, placement, today):
    """A placement in words: a move from the framework before it ("moved from the school's scale
    to Small steps on 1 Apr 2026"), or, for a pupil's first placement in the subject with no
    value on the school's scale before it, where they are assessed from then."""
    name, day = _name(placement.framework), _date(placement.starts_on)
    verb = "moved" if placement.starts_on <= today else "moves"
    if not entry.moves:
        if placement.scale_before and placement.framework_id is not None:
            return f"{verb} from {_name(None)} to {name} on {day}"
        return f"assessed on {name} from {day}"
    before = entry.moves[-1][2]
    if (before.pk if before else None) != placement.framework_id:
        return f"{verb} from {_name(before)} to {name} on {day}"
    return f"stays on {name} from {day}"


def pupil_framework_progress(membership, pupil, today, assessments=None):
    """Per subject, the pupil's values over time on each framework they were assessed on, their
    progress there in words (`frameworks.progress_words`), and their moves between frameworks,
    shown as progress. Two queries: the placements, and the values; or the placements alone from
    the pupil's `assessments` (selectors.pupil_assessments) when the caller has read them."""
    subjects = placement_history(membership, pupil, today, assessments)
    if assessments is None:
        rows = _framework_rows(membership, pupil)
    else:
        # Oldest point first, so each subject's series are in point order.
        rows = [
            row
            for row in assessments.rows
            if row.framework is not None and row.framework.kind != Framework.Kind.ENGAGEMENT
        ]
    this_year = academic_year_of(today)
    series = {}
    for row in rows:
        entry = subjects.setdefault(row.subject_id, SubjectProgress(row.subject))
        key = (row.subject_id, row.framework_id)
        if key not in series:
            series[key] = Series(row.framework)
            entry.series.append(series[key])
        series[key].values.append((row.point, row.shown, row))
    for item in series.values():
        latest = item.values[-1][2]
        year = latest.point.academic_year
        earlier = [r for _p, _v, r in item.values if r.point.academic_year < year]
        first = item.values[0][2]
        start, end = frameworks.value_of(first), frameworks.value_of(latest)
        # A row may hold no value (a blank kept on the framework): no progress to count from it.
        if len(earlier) > 1 and None not in (start, end):
            # This year's progress runs from the last value of an earlier year; the pupil started
            # on the framework before that, so their progress since then is shown as well.
            since_first = f"since starting on {item.framework.name} in {first.point}"
            words = frameworks.progress_words(
                item.framework,
                end - start,
                frameworks.months_between(first.point.as_at, latest.point.as_at),
                since=since_first,
            )
            # An age's words count the months themselves and name no start: say it first.
            age = item.framework.kind == Framework.Kind.AGE
            item.since_start = f"S{since_first[1:]}: {words}" if age else words
        if not earlier:
            since = f"since starting on {item.framework.name}"
        elif year == this_year:
            since = "this year"
        else:
            since = f"in {academic_year_label(year)}"
        item.progress = frameworks.progress_words(item.framework, latest.gained, latest.months, since=since)
        item.expected_met = latest.expected_met
    ordered = sorted(subjects.values(), key=lambda s: (s.subject.order, s.subject.name))
    return [s for s in ordered if s.moves or s.series]


def _framework_rows(membership, pupil):
    """The pupil's values on other frameworks, in subject then point order, each with `shown`."""
    following = AssessmentPoint.objects.filter(
        school_id=OuterRef("point__school_id"),
        academic_year=OuterRef("point__academic_year"),
        order__gt=OuterRef("point__order"),
    ).order_by("order")
    rows = (
        Assessment.objects.for_membership(membership)
        .filter(pupil=pupil, framework__isnull=False)
        # The Engagement Model is observations by area, never a value: no series of values.
        .exclude(framework__kind=Framework.Kind.ENGAGEMENT)
        .select_related("framework", "stage", "point", "subject")
        # The start of the point's next point, so that its as-at date costs no query.
        .annotate(next_starts_on=Subquery(following.values("starts_on")[:1]))
        .order_by("subject__order", "subject__name", "point__academic_year", "point__order")
    )
    for row in rows:
        row.point.next_starts_on = row.next_starts_on
        row.shown = frameworks.show(row.framework, row.stage, row.step, row.score)
    return rows


def pupil_page_context(membership, pupil, today, assessments=None):
    """What the pupil page shows of other frameworks (overview.views.pupil_detail adds it), and
    `placements`, every placement of the pupil read for it (None when the role does not see
    frameworks), which the Engagement Model section reuses. `assessments`: the pupil's
    (selectors.pupil_assessments), when the caller has read them already."""
    if not policy.can(membership, "framework.view"):
        return {"framework_progress": None, "can_place": False, "placements": None}
    progress = pupil_framework_progress(membership, pupil, today, assessments)
    return {
        "framework_progress": progress,
        "can_place": policy.can(membership, "placement.set"),
        # Every subject with a placement has its moves, one a placement (placement_history).
        "placements": [move[3] for subject in progress for move in subject.moves],
    }


def placements_now(pupil_ids, subject_id, today):
    """{pupil id: framework id or None} in `subject_id` today (one query)."""
    return {
        pupil_id: framework_id
        for (pupil_id, s), framework_id in frameworks.placements_at(pupil_ids, today).items()
        if s == subject_id
    }
