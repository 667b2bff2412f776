"""The demo school's pupils assessed on frameworks other than its main scheme (assessment.frameworks):

- the pre-key stage 1 and 2 standards (the shipped kits): three pupils with EHC plans working at
  the pre-key stage 2 standards in reading, writing and maths since last September, and a key
  stage 1 pupil at the pre-key stage 1 standards;
- the school's own small steps, "Stepping stones" (four stages of six steps, four steps a year
  expected): two pupils in maths and writing;
- reading ages on a named reading test, for the pupils of a reading intervention group;
- the Engagement Model: one pupil with profound and multiple learning difficulties, their cells
  on it (no value) and observations in the five areas over the last year;
- a pupil who worked at the pre-key stage 2 standards in maths last year and moved to the
  school's scale this September (both records kept: the move is shown as progress).

Each pupil's existing main-scheme cells from their placement on are turned into values on the
framework (the main school only; a few dozen pupils' rows), their targets in those subjects set
on the framework, and `frameworks.progress_refresh` works out progress. Nothing is dated before
the pupil joined or after the demo's today. Writes in bulk; a handful of queries.
"""

import datetime
import random
from decimal import Decimal

from assessment import frameworks
from assessment.models import (
    Assessment,
    AssessmentPoint,
    EngagementArea,
    EngagementObservation,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    Subject,
    Target,
)
from interventions.models import InterventionPlace
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, SenStatus

STEPS = [
    ("S1", "Stage 1: early foundations"),
    ("S2", "Stage 2: building foundations"),
    ("S3", "Stage 3: secure foundations"),
    ("S4", "Stage 4: towards the national curriculum"),
]
READING_TEST = "Salford Sentence Reading Test (revised)"
READING_GROUPS = ("Reading catch-up (phonics)", "Paired reading (phonics)", "Precision teaching (HFW)")

# Engagement Model observations, by area: notes as a class team writes them, in the order the
# pupil's engagement became more established.
NOTES = {
    EngagementArea.EXPLORATION: [
        "Turned towards the light-up ball when it was brought close, eyes on it for a few seconds.",
        "Reached out to the textured mat twice during sensory story time and patted it.",
        "Explored the new rain-maker with both hands, turning it over and listening to it.",
    ],
    EngagementArea.REALISATION: [
        "Stilled when the music stopped, then vocalised when it came back on.",
        "Pressed the switch again after the fan came on, and smiled when it did.",
        "Used the switch on purpose to make the bubble tube change colour, looking from one to the other.",
    ],
    EngagementArea.ANTICIPATION: [
        "Began to smile as the hello song started, before their name was sung.",
        "Opened mouth when the spoon was shown before lunch, on two days this week.",
        "Reached for the coat peg when the outside-time objects of reference were shown.",
    ],
    EngagementArea.PERSISTENCE: [
        "Kept reaching for the chime bar for about ten seconds after it was moved away.",
        "Kept trying to pull the ribbon out of the box until it came free, with one prompt.",
        "Worked at the stacking cups for two minutes with no adult prompt.",
    ],
    EngagementArea.INITIATION: [
        "Looked at the adult, then at the drum, when the drum was left within reach.",
        "Vocalised to ask for more of the sensory story, looking at the adult holding the book.",
        "Moved to the book corner and held up the favourite book to an adult.",
    ],
}
OUTCOMES = [
    "To show likes and dislikes through a consistent response",
    "To anticipate familiar routines of the school day",
    "To reach for and explore new objects with either hand",
]


def add_frameworks(builder, demo):
    rng = random.Random(builder.seed + 71)
    built = demo["schools"][0]
    _school_frameworks(builder, rng, built.school, demo["users"])


def _school_frameworks(builder, rng, school, users):
    senco = users["senco"]
    points = [
        p
        for p in AssessmentPoint.objects.filter(school=school)
        .with_next_start()
        .order_by("academic_year", "order")
        if p.starts_on <= builder.today
    ]
    if not points:
        return
    subjects = {s.name: s for s in Subject.objects.filter(school=school, retired=False)}
    reading = subjects.get("Reading") or subjects.get("English")
    core = [s for s in (reading, subjects.get("Writing"), subjects.get("Maths")) if s is not None]
    with_history = set(
        Assessment.objects.filter(point__school=school).values_list("subject_id", flat=True).distinct()
    )

    kit = {name: frameworks.kit_add(school, name) for name in frameworks.PRE_KEY_STAGE}
    pk1, pk2 = kit["Pre-key stage 1 standards"], kit["Pre-key stage 2 standards"]
    steps = Framework.objects.create(
        school=school,
        kind=Framework.Kind.STEPS,
        name="Stepping stones",
        expected_per_year=Decimal(4),
        order=3,
    )
    FrameworkStage.objects.bulk_create(
        FrameworkStage(framework=steps, order=i, code=code, name=name, steps=6, offset=(i - 1) * 6)
        for i, (code, name) in enumerate(STEPS, 1)
    )
    age = Framework.objects.create(
        school=school,
        kind=Framework.Kind.AGE,
        name="Reading age",
        test_name=READING_TEST,
        expected_per_year=Decimal(12),
        impact_bands=frameworks.DEFAULT_IMPACT_BANDS,
        order=4,
    )
    engagement = Framework.objects.create(
        school=school, kind=Framework.Kind.ENGAGEMENT, name="Engagement Model", order=5
    )
    Framework.objects.filter(pk=pk1.pk).update(order=1)
    Framework.objects.filter(pk=pk2.pk).update(order=2)
    stages = {f.pk: list(f.stages.order_by("order")) for f in (pk1, pk2, steps)}

    chosen = _choose_pupils(builder, rng, school)
    this_year = builder.year_start
    plan = []  # (pupil, subject, framework, starts_on, values by point pk or None)
    for pupil in chosen["engagement"]:
        for subject in subjects.values():
            if subject.pk in with_history:
                plan.append((pupil, subject, engagement, _from(builder, pupil, this_year - 1), None))
    for pupil in chosen["pk2"]:
        for subject in core:
            start = rng.choice([2, 3, 3, 4])
            rate = rng.choice([1.0, 1.0, 1.2, 0.6])
            plan.append(
                (pupil, subject, pk2, _from(builder, pupil, this_year - 1), ("stage", start, rate, 6))
            )
    for pupil in chosen["pk1"]:
        for subject in core:
            plan.append((pupil, subject, pk1, _from(builder, pupil, this_year - 1), ("stage", 1, 1.0, 4)))
    maths_and_writing = [s for s in core if s is not reading] or core
    for pupil in chosen["steps"]:
        for subject in maths_and_writing:
            start = rng.randrange(4, 10)
            rate = rng.choice([0.75, 1.0, 1.25])
            plan.append(
                (pupil, subject, steps, _from(builder, pupil, this_year - 1), ("steps", start, rate, 24))
            )
    for pupil, run_start in chosen["reading_age"]:
        starts = _from(
            builder, pupil, this_year - 1 if run_start.year < this_year or run_start.month < 9 else this_year
        )
        plan.append(
            (pupil, reading, age, starts, ("age", rng.randrange(14, 30), rng.uniform(1.3, 2.6), None))
        )
    moved = chosen["moved"]
    if moved and subjects.get("Maths"):
        maths = subjects["Maths"]
        plan.append((moved, maths, pk2, _from(builder, moved, this_year - 1), ("stage", 4, 2.4, 6)))

    placements, rows, pairs = [], [], set()
    stored = {
        (a.pupil_id, a.subject_id, a.point_id): a
        for a in Assessment.objects.filter(
            pupil_id__in={p.pk for p, *_rest in plan}, subject_id__in={s.pk for _p, s, *_rest in plan}
        )
    }
    for pupil, subject, framework, starts_on, how in plan:
        placements.append(
            FrameworkPlacement(
                pupil_id=pupil.pk,
                subject_id=subject.pk,
                framework=framework,
                starts_on=starts_on,
                note="Working below the national curriculum in this subject.",
                updated_by=senco,
            )
        )
        on = [p for p in points if p.as_at >= starts_on and p.academic_year <= this_year]
        if moved is not None and pupil.pk == moved.pk:
            on = [p for p in on if p.academic_year < this_year]  # back on the scale this year
        for i, point in enumerate(on):
            row = stored.get((pupil.pk, subject.pk, point.pk))
            if row is None:
                continue
            row.attainment_id = row.progress_id = row.points = None
            row.framework_id, row.stage_id, row.step, row.place, row.score = (
                framework.pk,
                None,
                None,
                None,
                None,
            )
            if how is not None:
                _set_value(row, how, i, pupil, point, stages.get(framework.pk))
            rows.append(row)
        pairs.add((pupil.pk, subject.pk))
    if moved is not None and subjects.get("Maths"):
        placements.append(
            FrameworkPlacement(
                pupil_id=moved.pk,
                subject_id=subjects["Maths"].pk,
                framework=None,
                starts_on=max(datetime.date(this_year, 9, 1), builder.joined(moved.pk)),
                note="Reached PK6 in the summer: assessed on the school's scale from September.",
                updated_by=senco,
            )
        )
    FrameworkPlacement.objects.bulk_create(placements)
    Assessment.objects.bulk_update(
        rows,
        ["attainment", "progress", "points", "framework", "stage", "step", "place", "score"],
        batch_size=2000,
    )
    _targets(builder, plan, rows, moved, {p.pk: p for p in points}, stages)
    frameworks.progress_refresh(school.pk, pairs)
    for pupil in chosen["engagement"]:
        _observations(builder, rng, pupil, users)


def _from(builder, pupil, year):
    """A placement's first day: 1 September of `year`, or the day the pupil joined if later."""
    return max(datetime.date(year, 9, 1), builder.joined(pupil.pk))


def _set_value(row, how, i, pupil, point, stages):
    """The value at the `i`th point on the framework, per the pupil's plan `how`."""
    kind, start, rate, top = how
    if kind == "age":
        # Chronological age at the point less the delay, gaining `rate` months a month.
        born = pupil.date_of_birth
        age_then = (point.as_at.year - born.year) * 12 + point.as_at.month - born.month
        months = age_then - start + round((rate - 1) * i * 2)  # about two months a half term
        row.score = Decimal(max(48, months))
        return
    # Standards or steps: `rate` a year in standards (steps: four a year), six points a year.
    per_year = 1 if kind == "stage" else 4
    place = min(top, start + int(rate * per_year * i / 6))
    stage = next(s for s in reversed(stages) if s.offset < place)
    row.stage_id, row.step, row.place = stage.pk, place - stage.offset, place


def _choose_pupils(builder, rng, school):
    """The pupils of each framework: a stable choice from the school's register."""
    pupils = list(
        Pupil.objects.filter(school=school, archived_at__isnull=True)
        .only("pk", "year_group", "sen_status", "primary_need", "date_of_birth")
        .order_by("pk")
    )
    # Pupils here since before last September, so that each has values at several points (and
    # the Engagement Model pupil a year of observations); others only if too few are.
    settled_by = datetime.date(builder.year_start - 1, 9, 30)
    pupils.sort(key=lambda p: (builder.joined(p.pk) > settled_by, p.pk))
    ehcp = [p for p in pupils if p.sen_status == SenStatus.EHCP]
    taken = set()

    def pick(candidates, n):
        found = [p for p in dict.fromkeys(candidates) if p.pk not in taken][:n]
        taken.update(p.pk for p in found)
        return found

    # Pupils on the record in key stage 2 (and the first years of secondary), youngest first
    # and those with EHC plans first in a year group: placed on a framework early on.
    ks2 = sorted(
        (p for p in pupils if 3 <= p.year_group <= 8 and p.sen_status in SEN_STATUSES_ON_RECORD),
        key=lambda p: (builder.joined(p.pk) > settled_by, p.year_group, p.sen_status != SenStatus.EHCP),
    )
    settled = [p for p in ehcp if builder.joined(p.pk) <= settled_by]
    pmld = [p for p in settled if p.primary_need == "PMLD"]
    engagement = pick(pmld or [p for p in settled if p.primary_need == "SLD"] or settled or ehcp, 1)
    if engagement and engagement[0].primary_need != "PMLD":
        # A school this size has one or two pupils with PMLD: the demo's is one of them.
        Pupil.objects.filter(pk=engagement[0].pk).update(primary_need="PMLD", secondary_need="")
        engagement[0].primary_need = "PMLD"
    # Reading ages for the pupils of one reading intervention run (the largest of last year's or
    # this year's), in Year 2 and above.
    reading_age = []
    places = (
        InterventionPlace.objects.filter(
            run__intervention__school=school, run__intervention__name__in=READING_GROUPS
        )
        .select_related("run")
        .order_by("-run__start_date", "run_id", "pk")
    )
    runs = {}
    for place in places:
        runs.setdefault(place.run_id, []).append(place)
    by_pk = {p.pk: p for p in pupils}
    if runs:
        # A group of last year's, if there is one, so that the ages span several points.
        last_year = datetime.date(builder.year_start, 9, 1)
        best = max(runs.values(), key=lambda found: (found[0].run.start_date < last_year, len(found)))
        for place in best:
            pupil = by_pk.get(place.pupil_id)
            if pupil is not None and pupil.pk not in taken and pupil.year_group >= 2 and len(reading_age) < 6:
                taken.add(pupil.pk)
                reading_age.append((pupil, place.run.start_date))
    learning = sorted(
        ks2,
        key=lambda p: (
            builder.joined(p.pk) > settled_by,
            p.year_group,
            p.sen_status != SenStatus.EHCP,
            p.primary_need not in ("SLD", "MLD", "ASD", "SLCN"),
        ),
    )
    # As many as a school of 420 pupils has (three and two), fewer in a smaller school.
    size = len(pupils) / 420
    pk2 = pick(learning, max(1, round(3 * size)))
    steps = pick(ks2, max(1, round(2 * size)))
    pk1 = pick([p for p in ehcp + pupils if p.year_group == 2 and p.sen_status != SenStatus.NONE], 1)
    moved = pick(
        [p for p in pupils if p.year_group in (5, 6, 8, 9) and p.sen_status in SEN_STATUSES_ON_RECORD], 1
    )
    return {
        "engagement": engagement,
        "pk2": pk2,
        "steps": steps,
        "pk1": pk1,
        "moved": moved[0] if moved else None,
        "reading_age": reading_age,
    }


def _targets(builder, plan, rows, moved, points, stages):
    """This year's targets on the framework for the pupils on one now (their value at the year's
    first point on it and a year's expected gain); none on the Engagement Model. The pupils'
    main-scheme targets in those subjects are replaced."""
    this_year = builder.year_start
    first_value = {}
    for row in rows:
        key = (row.pupil_id, row.subject_id)
        if row.framework_id and (row.place is not None or row.score is not None):
            first_value.setdefault(key, row)  # rows are in point order per pupil and subject
    replace, targets = set(), []
    for pupil, subject, framework, _starts, how in plan:
        if moved is not None and pupil.pk == moved.pk:
            continue
        replace.add((pupil.pk, subject.pk))
        if how is None or pupil.sen_status == SenStatus.NONE:
            continue
        this = [
            r
            for r in rows
            if (r.pupil_id, r.subject_id) == (pupil.pk, subject.pk)
            and points[r.point_id].academic_year == this_year
        ]
        base = this[0] if this else first_value.get((pupil.pk, subject.pk))
        if base is None:
            continue
        kind, _start, _rate, top = how
        fields = {"framework_id": framework.pk}
        if kind == "age":
            fields["score"] = base.score + 12
        else:
            place = min(top, base.place + (1 if kind == "stage" else 4))
            stage = next(s for s in reversed(stages[framework.pk]) if s.offset < place)
            fields.update(stage_id=stage.pk, step=place - stage.offset, place=place)
        targets.append(
            Target(
                pupil_id=pupil.pk,
                subject_id=subject.pk,
                kind=Target.Kind.END_OF_YEAR,
                academic_year=this_year,
                **fields,
            )
        )
    if replace:
        pupil_ids = {p for p, _s in replace}
        stale = Target.objects.filter(pupil_id__in=pupil_ids).values_list("pk", "pupil_id", "subject_id")
        Target.objects.filter(pk__in=[pk for pk, *pair in stale if tuple(pair) in replace]).delete()
    Target.objects.bulk_create(targets)


def _observations(builder, rng, pupil, users):
    """An observation every two to three weeks over the last year (since the pupil joined, if
    later), in one or two of the five areas by turns, becoming more established over time."""
    areas = list(EngagementArea)
    observers = [users["teacher"], users["ta"], users["senco"]]
    day = max(builder.joined(pupil.pk), builder.today - datetime.timedelta(days=330))
    total = max(1, (builder.today - day).days)
    rows, turn = [], 0
    while day <= builder.today:
        for _ in range(1 + (rng.random() < 0.4)):
            area = areas[turn % len(areas)]
            turn += 1
            share = (day - (builder.today - datetime.timedelta(days=total))).days / total
            established = min(3, int(share * 3 + rng.random() * 0.9))
            notes = NOTES[area]
            note = notes[min(len(notes) - 1, int(share * len(notes)))]
            rows.append(
                EngagementObservation(
                    pupil_id=pupil.pk,
                    observed_on=day,
                    area=area,
                    established=established,
                    note=note,
                    outcome=OUTCOMES[turn % len(OUTCOMES)],
                    observer=rng.choice(observers),
                )
            )
        day += datetime.timedelta(days=14 + rng.randrange(8))
    EngagementObservation.objects.bulk_create(rows)
