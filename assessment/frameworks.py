"""Reading, showing and judging values on a school's other frameworks (`models.Framework`).

**Values.** What a teacher types, per kind of framework:

- pre-key stage standards: the standard's code ("PK4"); small steps: the stage's code, a dot and
  the step ("S2.3"), or the code alone for a stage of one step. Kept as the stage and step, with
  `place`, the step counted from the framework's start (the stage's `offset` plus the step);
- standardised scores: the score ("96"), within the framework's range (40 to 160 by default);
- reading and spelling ages: years and months ("7y 6m", "7:6", "7-06", or "7" for whole years),
  kept in months, within the range (3 to 17 years by default);
- the Engagement Model has no value on the grid: it is recorded as observations by area.

**Progress** (`judge`, and `progress_refresh`, which keeps it on every assessment). A value is
compared with the pupil's *baseline* on the same framework and subject: their value at the latest
point of an earlier academic year on that framework, or failing that the earliest point of this
year on it (a pupil who started on it this year). `months` are the whole months from the
baseline's as-at date to this point's. The pupil made the expected progress or better when:

- standards or steps: steps gained >= the expected steps a year x months / 12, rounded down (a
  framework of one standard a year expects none in the first eleven months, then one);
- ages: months gained >= the expected months a year (12) x months / 12; the ratio gain is months
  gained / months elapsed;
- scores: the score has not fallen by more than the framework's allowance: a standardised score
  that holds steady shows progress at the typical rate for the pupil's age.

Unlike measures are never added together: every cohort figure counts pupils who met their own
framework's rate, by framework (gaps, reports).
"""

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import ngettext

from core.figures import one_decimal

from .models import Assessment, AssessmentPoint, Framework, FrameworkPlacement, FrameworkStage

Kind = Framework.Kind
DEFAULT_RANGES = {
    Kind.SCORE: (Decimal(40), Decimal(160)),
    Kind.AGE: (Decimal(36), Decimal(204)),  # 3y 0m to 17y 0m, in months
}
# Ratio gains read with Brooks (2016), "What works for children and young people with literacy
# difficulties?" (5th edition): the bands the SENCO may change on the framework.
DEFAULT_IMPACT_BANDS = [
    [0, "modest impact"],
    [1.4, "useful impact"],
    [2, "substantial impact"],
    [3, "remarkable impact"],
]
_AGE = re.compile(
    r"^\s*(\d{1,2})\s*(?:y(?:ears?|rs?)?\s*|[:.\-\s]\s*)?(?:(\d{1,2})\s*(?:m(?:onths?)?)?)?\s*$", re.I
)


class NotOnFramework(ValueError):
    """A value that does not belong to the framework; the message names what was wrong."""


@dataclass(frozen=True)
class Value:
    stage: FrameworkStage | None = None
    step: int | None = None
    place: int | None = None
    score: Decimal | None = None


def value_range(framework):
    low, high = DEFAULT_RANGES.get(framework.kind, (None, None))
    return (
        framework.value_min if framework.value_min is not None else low,
        framework.value_max if framework.value_max is not None else high,
    )


def parse(framework, stages, text):
    """The `Value` that `text` stands for on `framework`, whose stages (for standards and steps)
    are `stages`. Raises `NotOnFramework` with a message a teacher can act on."""
    text = (text or "").strip()
    if framework.kind == Kind.ENGAGEMENT:
        raise NotOnFramework(f"{framework.name} is recorded as observations, not a value on the grid.")
    if framework.ordered:
        return _parse_stage(framework, stages, text)
    if framework.kind == Kind.AGE:
        found = _AGE.match(text)
        if not found or (found.group(2) and int(found.group(2)) > 11):
            raise NotOnFramework(f"“{text}” is not an age: type years and months, such as 7y 6m or 7:6.")
        months = Decimal(int(found.group(1)) * 12 + int(found.group(2) or 0))
        low, high = value_range(framework)
        if not low <= months <= high:
            raise NotOnFramework(
                f"{show_age(months)} is outside {framework.name}'s range, "
                f"{show_age(low)} to {show_age(high)}."
            )
        return Value(score=months)
    try:
        score = Decimal(text.replace(",", ""))
    except ArithmeticError:
        score = None
    if score is None or not score.is_finite() or score != score.quantize(Decimal("0.1")):
        raise NotOnFramework(f"“{text}” is not a score: type a number, such as 96.")
    low, high = value_range(framework)
    if not low <= score <= high:
        raise NotOnFramework(f"{score} is outside {framework.name}'s range, {low} to {high}.")
    return Value(score=score)


def _parse_stage(framework, stages, text):
    by_code = {s.code.upper(): s for s in stages}
    code, _, step_text = text.upper().rpartition(".") if "." in text else (text.upper(), "", "")
    stage = by_code.get(code)
    if stage is None:
        codes = ", ".join(s.code for s in stages)
        raise NotOnFramework(f"“{text}” is not on {framework.name}: its codes are {codes}.")
    if stage.steps == 1 and not step_text:
        return Value(stage=stage, step=1, place=stage.offset + 1)
    if not step_text.isdigit() or not 1 <= int(step_text) <= stage.steps:
        raise NotOnFramework(
            f"{stage.code} {stage.name} has "
            + ngettext("%(n)d step", "%(n)d steps", stage.steps) % {"n": stage.steps}
            + f": type {stage.code}.1"
            + (f" to {stage.code}.{stage.steps}." if stage.steps > 1 else ".")
        )
    step = int(step_text)
    return Value(stage=stage, step=step, place=stage.offset + step)


def show_age(months):
    months = int(months)
    return f"{months // 12}y {months % 12}m"


def show(framework, stage, step, score):
    """A value as the grid shows it and a teacher types it."""
    if framework is None:
        return ""
    if framework.ordered:
        if stage is None:
            return ""
        return stage.code if stage.steps == 1 else f"{stage.code}.{step}"
    if score is None:
        return ""
    if framework.kind == Kind.AGE:
        return show_age(score)
    return str(score.normalize()) if score == score.to_integral() else str(score)


def months_between(earlier, later):
    """Whole calendar months from one as-at date to another (31 Aug to 31 Dec: 4)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def expected_gain(framework, months):
    """What the framework expects gained over `months` (see the module docstring)."""
    rate = framework.expected_per_year
    if framework.kind == Kind.SCORE:
        return -(rate or Decimal(0))
    if rate is None:
        rate = Decimal(12) if framework.kind == Kind.AGE else Decimal(1)
    expected = Decimal(rate) * months / 12
    if framework.ordered:
        return expected.to_integral_value(rounding=ROUND_FLOOR)
    return expected


def judge(framework, gained, months):
    """Whether `gained` over `months` is the expected progress or better on `framework`."""
    if gained is None or not months:
        return None
    return gained >= expected_gain(framework, months)


def ratio_gain(gained, months):
    """Months gained over months passed, to one decimal place, half way rounding up (9 months in
    4: 2.25, shown 2.3); its impact band is named from the ratio as shown."""
    if not months or gained is None:
        return None
    return one_decimal(Decimal(gained) / months)


def impact_of(framework, ratio):
    """The words of the ratio gain's impact band on an age framework ("useful impact")."""
    if ratio is None:
        return ""
    words = ""
    for lower, label in framework.impact_bands or DEFAULT_IMPACT_BANDS:
        if ratio >= Decimal(str(lower)):
            words = label
    return words


UNITS = {Kind.STANDARDS: ("standard", "standards"), Kind.STEPS: ("step", "steps")}


def progress_words(framework, gained, months, *, since=""):
    """One pupil's progress on their framework as a reader sees it: "+1 standard this year",
    "10 months gained in 4 months: ratio gain 2.5", "score +2 since September: steady or better".
    `since` names the baseline ("this year" by default)."""
    if gained is None or not months:
        return "no earlier value on this framework yet"
    when = since or "this year"
    if framework.ordered:
        one, many = UNITS[framework.kind]
        n = int(gained)
        unit = one if abs(n) == 1 else many
        text = f"{n:+d} {unit} {when}" if n else f"no {many} gained {when}"
        expected = expected_gain(framework, months)
        rate = framework.expected_per_year
        if not expected and rate:
            # Whole standards or steps are due: "expected 0 in 5 months" would read as if
            # nothing were expected at all.
            shown = rate.normalize() if rate == rate.to_integral() else rate
            per_year = f"{shown} {one if shown == 1 else many} a year"
            return text + f" (expected {per_year}: none due yet in {months} months)"
        return text + f" (expected {int(expected)} in {months} months)"
    if framework.kind == Kind.AGE:
        gained_n = int(gained)
        ratio = ratio_gain(gained, months)
        shown = ratio.normalize() if ratio == ratio.to_integral() else ratio
        text = f"{gained_n} months gained in {months} months: ratio gain {shown}"
        impact = impact_of(framework, ratio)
        return f"{text} ({impact})" if impact else text
    change = Decimal(gained)
    text = f"score {change:+} {when}" if change else f"score unchanged {when}"
    return text + (": steady or better" if judge(framework, gained, months) else ": fallen")


# -- which framework a pupil is on ------------------------------------------------------------


def placements_at(pupil_ids, as_at):
    """{(pupil id, subject id): framework id or None} in force on `as_at` for `pupil_ids`, in one
    query: the latest placement starting on or before that day. Pairs with no placement are
    absent (the main scheme)."""
    found = {}
    rows = (
        FrameworkPlacement.objects.filter(pupil_id__in=pupil_ids, starts_on__lte=as_at)
        .order_by("pupil_id", "subject_id", "starts_on")
        .values_list("pupil_id", "subject_id", "framework_id")
    )
    for pupil_id, subject_id, framework_id in rows:
        found[(pupil_id, subject_id)] = framework_id  # the latest wins
    return found


def pupils_on(framework, today):
    """The ids of the pupils assessed on `framework` today in at least one subject (two
    queries: who was ever placed on it, then who still is)."""
    placed = set(
        FrameworkPlacement.objects.filter(framework=framework, starts_on__lte=today).values_list(
            "pupil_id", flat=True
        )
    )
    return {p for (p, _s), f in placements_at(placed, today).items() if f == framework.pk}


# -- keeping progress beside each value ---------------------------------------------------------


def progress_refresh(school_id, pairs):
    """Work out again `gained`, `months` and `expected_met` of every framework assessment of the
    (pupil id, subject id) `pairs`, after their values changed: three queries whatever the number
    of pairs (the school's points, the pairs' framework rows, one bulk update). Call it inside
    the transaction that wrote the values, so the two stand or fall together."""
    pairs = set(pairs)
    if not pairs:
        return 0
    points = {
        p.pk: p
        for p in AssessmentPoint.objects.filter(school_id=school_id)
        .with_next_start()
        .order_by("academic_year", "order")
    }
    pupil_ids = {p for p, _s in pairs}
    rows = [
        a
        for a in Assessment.objects.filter(pupil_id__in=pupil_ids, framework__isnull=False)
        .select_related("framework")
        .only(
            "pk",
            "pupil_id",
            "subject_id",
            "point_id",
            "framework",
            "place",
            "score",
            "gained",
            "months",
            "expected_met",
        )
        if (a.pupil_id, a.subject_id) in pairs
    ]
    changed = []
    for series in _series(rows, points).values():
        for row in series:
            base = _baseline(row, series, points)
            gained = months = met = None
            if base is not None:
                months = months_between(points[base.point_id].as_at, points[row.point_id].as_at)
                now, then = value_of(row), value_of(base)
                gained = None if now is None or then is None else now - then
                met = judge(row.framework, gained, months)
            if (row.gained, row.months, row.expected_met) != (gained, months, met):
                row.gained, row.months, row.expected_met = gained, months, met
                changed.append(row)
    if changed:
        Assessment.objects.bulk_update(changed, ["gained", "months", "expected_met"])
    return len(changed)


def value_of(row):
    """A value on a framework as progress counts it: the place of a standard or step, else the score."""
    return Decimal(row.place) if row.framework.ordered else row.score


def _series(rows, points):
    """{(pupil, subject, framework): that framework's rows in point order}."""
    series = {}
    for row in sorted(rows, key=lambda r: (points[r.point_id].academic_year, points[r.point_id].order)):
        series.setdefault((row.pupil_id, row.subject_id, row.framework_id), []).append(row)
    return series


def _baseline(row, series, points):
    """The row `row` is measured from (see the module docstring), or None."""
    year = points[row.point_id].academic_year
    earlier_years = [r for r in series if points[r.point_id].academic_year < year]
    if earlier_years:
        return earlier_years[-1]
    first = series[0]
    return None if first.pk == row.pk else first


@transaction.atomic
def renumber(framework):
    """After a framework's stages were edited: each stage's `offset` (the steps of the stages
    before it) and the `place` of every value recorded on it, then progress again. A query per
    stage that moved, and the refresh's three."""
    offset, moved = 0, []
    for stage in framework.stages.order_by("order"):
        if stage.offset != offset:
            stage.offset = offset
            moved.append(stage)
        offset += stage.steps
    if not moved:
        return 0
    FrameworkStage.objects.bulk_update(moved, ["offset"])
    for stage in moved:
        Assessment.objects.filter(stage=stage).update(place=F("step") + stage.offset)
    pairs = Assessment.objects.filter(framework=framework).values_list("pupil_id", "subject_id").distinct()
    return progress_refresh(framework.school_id, list(pairs))


# -- frameworks shipped ready to use -----------------------------------------------------------

# The pre-key stage standards (DfE, for use from 2018/19) for pupils working below the standard
# of the national curriculum tests and engaged in subject-specific study: four at key stage 1
# and six at key stage 2, reported at the end of the key stage as PK1 to PK4 and PK1 to PK6 in
# reading, writing and mathematics. A pupil not engaged in subject-specific study is assessed
# with the Engagement Model instead.
PRE_KEY_STAGE = {
    "Pre-key stage 1 standards": [
        ("PK1", "Standard 1"),
        ("PK2", "Standard 2"),
        ("PK3", "Standard 3"),
        ("PK4", "Standard 4: foundations for the expected standard"),
    ],
    "Pre-key stage 2 standards": [
        ("PK1", "Standard 1"),
        ("PK2", "Standard 2"),
        ("PK3", "Standard 3"),
        ("PK4", "Standard 4: foundations for the expected standard"),
        ("PK5", "Standard 5: early development of the expected standard"),
        ("PK6", "Standard 6: growing development of the expected standard"),
    ],
}


@transaction.atomic
def kit_add(school, name):
    """Add one of the pre-key stage frameworks to `school` (one standard a year expected, which
    the SENCO may change), or return the school's own if it has it already."""
    framework, created = Framework.objects.get_or_create(
        school=school, name=name, defaults={"kind": Kind.STANDARDS, "expected_per_year": Decimal(1)}
    )
    if created:
        FrameworkStage.objects.bulk_create(
            FrameworkStage(framework=framework, order=i, code=code, name=label, steps=1, offset=i - 1)
            for i, (code, label) in enumerate(PRE_KEY_STAGE[name], 1)
        )
    return framework
