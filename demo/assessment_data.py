"""Five years of assessments for every demo school, with targets and support-scale observations
for the pupils on the SEND record.

Six half-term points a year. A school assesses the subjects a real one does (SUBJECT_PLAN):
a primary school its core subjects at every half term (reading, writing, maths, grammar,
punctuation and spelling from Reception, phonics from Reception to Year 2, science from Year 1)
and the foundation subjects once a term from Year 1 (French from Year 3, key stage 2); a
secondary school every subject at every half term in key stage 3, and in key stage 4 English,
maths and science beside four GCSE options each pupil chose (one of history or geography
among them). A pupil has points only from the year they joined the school (no record before
it), in the year groups they were in then.

The sizes this gives are worked out in `expected_rows` (and by hand in docs/scaling.md and
tests/demo/test_sizes.py): on 7 December 2026 (two points of 2026/27 held) a primary school of
800 pupils all of whom joined in Reception has 800 x 1,060/7 = about 121,000 rows and a secondary
school of 1,500 has 1,500 x 790/5 = 237,000; pupils who joined later have fewer.

Each pupil has a level in APS-like points against the expected line (4 points a year, the
seeds' figure) and a rate of progress: SEND pupils start lower and progress a little slower,
EHCP pupils lower still; some SEND pupils stall for a year, some catch up; the SEND gap narrows
in reading (English) and widens in maths.

Rows go in without simple-history rows (demo history would be a second copy of millions of
rows for no reader: a real school's history starts with its first save): with COPY on
PostgreSQL, which writes several times faster than INSERT, and bulk_create elsewhere.
"""

import datetime
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from assessment.models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    ProgressBand,
    Subject,
    SupportObservation,
    Target,
)
from assessment.selectors import key_stage_end_year
from core.calendar import SIX_HALF_TERMS, academic_year_of, default_start
from pupils.models import Pupil, SenStatus

YEARS = 5
EXPECTED_PER_YEAR = 4.0
BATCH = 10000
COPY_BATCH = 200000
# From this many pupils on PostgreSQL, the indexes are built after the rows (_indexes_built_after).
INDEX_AFTER_PUPILS = 5000
NULL = "\\N"  # COPY's text format for a null

EVERY_HALF_TERM = (1, 2, 3, 4, 5, 6)
EVERY_TERM = (2, 4, 6)  # the end of each term: Autumn 2, Spring 2, Summer 2


@dataclass(frozen=True)
class Tracked:
    """A subject a demo school assesses: from year group `first` to `last`, at the points of a
    year whose order is in `points`; `option` subjects are taken in key stage 4 by the pupils
    who chose them."""

    name: str
    first: int
    last: int
    points: tuple = EVERY_HALF_TERM
    option: bool = False
    targets: bool = False  # SEND pupils have targets in it (the core subjects)


PRIMARY_FOUNDATION = [
    "History",
    "Geography",
    "Computing",
    "Art and design",
    "Design and technology",
    "Music",
    "PE",
    "RE",
]
SECONDARY_OPTIONS = [
    "History",
    "Geography",
    "Computing",
    "French",
    "Art and design",
    "Design and technology",
    "Music",
    "PE",
    "RE",
]
OPTIONS_CHOSEN = 4  # GCSE options besides English, maths and science (one a humanity)
SUBJECT_PLAN = {
    "primary": [
        Tracked("Reading", 0, 6, targets=True),
        Tracked("Writing", 0, 6, targets=True),
        Tracked("Maths", 0, 6, targets=True),
        Tracked("GPS", 0, 6, targets=True),
        Tracked("Phonics", 0, 2),
        Tracked("Science", 1, 6),
        *(Tracked(name, 1, 6, EVERY_TERM) for name in PRIMARY_FOUNDATION),
        Tracked("French", 3, 6, EVERY_TERM),
    ],
    "secondary": [
        Tracked("English", 7, 11, targets=True),
        Tracked("Maths", 7, 11, targets=True),
        Tracked("Science", 7, 11, targets=True),
        *(
            Tracked(name, 7, 11, option=True, targets=name in ("History", "Geography"))
            for name in SECONDARY_OPTIONS
        ),
    ],
}
FIRST_YEAR_GROUP = {"primary": 0, "secondary": 7}
KEY_STAGE_4 = 10


def points_held(year_group_then, tracked, orders, *, options=None):
    """The orders (1 to 6) of a year's points, among `orders` (those held so far), at which a
    pupil in `year_group_then` is assessed in `tracked`; `options`, the GCSE options they chose."""
    if not tracked.first <= year_group_then <= tracked.last:
        return []
    if tracked.option and year_group_then >= KEY_STAGE_4 and tracked.name not in (options or ()):
        return []
    return [order for order in orders if order in tracked.points]


def expected_rows(profile, year_group, joined_year_group, points_this_year):
    """Assessment rows of one pupil now in `year_group` who joined the school in
    `joined_year_group`, over the last YEARS academic years (all six points of each past year,
    the first `points_this_year` of this one), key stage 4 pupils with OPTIONS_CHOSEN options.
    The arithmetic the generator follows, for the sizes in the docs and tests."""
    options = SECONDARY_OPTIONS[:OPTIONS_CHOSEN]
    total = 0
    for years_back in range(YEARS):
        then = year_group - years_back
        if then < max(joined_year_group, FIRST_YEAR_GROUP[profile]):
            continue
        orders = range(1, (points_this_year if years_back == 0 else 6) + 1)
        for tracked in SUBJECT_PLAN[profile]:
            total += len(points_held(then, tracked, orders, options=options))
    return total


@dataclass
class _Pupil:
    pk: int
    year_group: int
    status: str
    level: float  # points above or below the expected line at entry
    rate: float  # share of expected progress made each year
    stall_year: int | None  # years back in which the pupil stalled
    catch_up: bool
    joined_year: int  # the academic year the pupil joined the school: no assessment before it
    joined: datetime.date


def _expected(year_group, point_order):
    """The expected line: 6 points at the start of Reception, 4 a year, spread over six points."""
    return 6 + EXPECTED_PER_YEAR * (year_group + (point_order - 1) / 6)


def _subject_tilt(subject_name, status):
    """The gap narrows in reading or English and widens in maths, for pupils on the record."""
    if status == SenStatus.NONE:
        return 0.0
    name = subject_name.lower()
    if name in ("reading", "english"):
        return 0.08  # faster than other SEND progress: the gap closes
    if name == "maths":
        return -0.06  # a little slower: the gap opens
    return 0.0


def _bands(school):
    return list(AttainmentBand.objects.filter(school=school)), list(
        ProgressBand.objects.filter(school=school)
    )


def add_assessment_history(builder, demo):
    rng = random.Random(builder.seed + 31)
    pupils = sum(built.pupils for built in demo["schools"])
    with _indexes_built_after(pupils >= INDEX_AFTER_PUPILS):
        for index, built in enumerate(demo["schools"]):
            _school_history(builder, rng, built, observer=_observer(demo, index))


@contextmanager
def _indexes_built_after(large):
    """For a large profile on PostgreSQL, into an empty table: load the assessments with the
    table's secondary indexes and its unique and foreign-key constraints dropped, then build them
    once over all the rows (one sort per index and one join per key, several times faster than
    keeping them up to date row by row). All in one transaction: a failure leaves them as they
    were. Anything else: nothing changes."""
    table = Assessment._meta.db_table
    if not large or connection.vendor != "postgresql" or Assessment.objects.exists():
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.contype = 'u')",
            [table],
        )
        indexes = cursor.fetchall()
        # PostgreSQL alters no table with deferred key checks pending, and dropping or adding a
        # foreign key alters the table it refers to: check the rows written so far now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _observer(demo, index):
    users = demo["users"]
    return users["ta"] if index == 0 else users["senco"]


def _school_subjects(school, profile):
    """{Tracked: Subject}: the school's subjects of the plan, adding those its default scheme
    does not have (after them, as subjects beyond the core)."""
    have = {subject.name: subject for subject in Subject.objects.filter(school=school, retired=False)}
    order = max((subject.order for subject in have.values()), default=-1) + 1
    missing = [tracked.name for tracked in SUBJECT_PLAN[profile] if tracked.name not in have]
    created = Subject.objects.bulk_create(
        Subject(school=school, name=name, order=order + i, is_core=False) for i, name in enumerate(missing)
    )
    have.update((subject.name, subject) for subject in created)
    return {tracked: have[tracked.name] for tracked in SUBJECT_PLAN[profile]}


def _options(rng):
    """A key stage 4 pupil's GCSE options: one humanity, then the rest from the other subjects."""
    humanity = rng.choice(["History", "Geography"])
    rest = [name for name in SECONDARY_OPTIONS if name != humanity]
    return {humanity, *rng.sample(rest, OPTIONS_CHOSEN - 1)}


def _school_history(builder, rng, built, *, observer):
    school = built.school
    profile = "primary" if school.phase == "primary" else "secondary"
    scheme = AssessmentScheme.objects.get(school=school)
    scheme.measure_name, scheme.measure_min, scheme.measure_max = "APS points", 0, 80
    scheme.save()
    # Six half terms a year for five years, replacing the default three terms (no data yet).
    AssessmentPoint.objects.filter(school=school).delete()
    first_year = builder.year_start - YEARS + 1
    points = AssessmentPoint.objects.bulk_create(
        AssessmentPoint(
            school=school,
            academic_year=year,
            order=order,
            name=name,
            starts_on=default_start(year, order, len(SIX_HALF_TERMS)),
        )
        for year in range(first_year, builder.year_start + 1)
        for order, name in enumerate(SIX_HALF_TERMS, start=1)
    )
    points = [p for p in points if p.starts_on <= builder.today]
    plan = _school_subjects(school, profile)
    attainment, progress = _bands(school)
    below, on_track, exceeded = attainment[0], attainment[1], attainment[-1]
    slow, expected, fast = progress[0], progress[1], progress[-1]
    phase_start = FIRST_YEAR_GROUP[profile]

    pupils = []
    for pk, year_group, status in Pupil.objects.filter(school=school).values_list(
        "pk", "year_group", "sen_status"
    ):
        level = rng.gauss(0.5, 2.5)
        rate = rng.gauss(1.0, 0.12)
        # Roughly the national shares at the expected standard in a subject: about 80% of pupils
        # with no SEN, a third of those on SEN support, under a tenth of those with an EHC plan.
        if status == SenStatus.SEN_SUPPORT:
            level = rng.gauss(-2.0, 2.0)
            rate -= 0.04
        elif status == SenStatus.EHCP:
            level = rng.gauss(-4.5, 2.0)
            rate -= 0.08
        stall = rng.randrange(YEARS) if status != SenStatus.NONE and rng.random() < 0.15 else None
        catch_up = status != SenStatus.NONE and rng.random() < 0.12
        joined = builder.joined(pk)
        pupils.append(
            _Pupil(pk, year_group, status, level, rate, stall, catch_up, academic_year_of(joined), joined)
        )

    rows = _Rows()
    latest = {}
    for pupil in pupils:
        options = _options(rng) if profile == "secondary" and pupil.year_group >= KEY_STAGE_4 else None
        # The points of the pupil's time at the school, with their year group then.
        mine = []
        for point in points:
            year_then = pupil.year_group - (builder.year_start - point.academic_year)
            if year_then >= phase_start and point.academic_year >= pupil.joined_year:
                mine.append((point, year_then))
        for tracked, subject in plan.items():
            held = [
                (point, year_then)
                for point, year_then in mine
                if points_held(year_then, tracked, (point.order,), options=options)
            ]
            if not held:
                continue
            tilt = _subject_tilt(subject.name, pupil.status)
            gap = pupil.level + rng.gauss(0, 1)
            assessed = {(point.academic_year, point.order) for point, _ in held}
            history = {}
            value = None
            # The gap moves every half term; the pupil is assessed at the points `held`.
            for point, year_then in mine:
                years_back = builder.year_start - point.academic_year
                rate = pupil.rate + tilt
                if pupil.stall_year == years_back:
                    rate = 0.2
                if pupil.catch_up and years_back <= 1:
                    rate = 1.35
                # The gap moves by (rate - 1) of a year's expected progress each half term.
                gap += (rate - 1) * EXPECTED_PER_YEAR / 6
                if (point.academic_year, point.order) not in assessed:
                    continue
                value = max(0.0, _expected(year_then, point.order) + gap + rng.gauss(0, 0.4))
                band = below if gap < -1.5 else exceeded if gap > 2.5 else on_track
                year_ago = history.get((point.academic_year - 1, point.order))
                made = None if year_ago is None else value - year_ago
                step = None if made is None else slow if made < 3 else fast if made > 5 else expected
                history[(point.academic_year, point.order)] = value
                rows.add(
                    pupil.pk,
                    point.pk,
                    subject.pk,
                    band.pk,
                    step.pk if step else None,
                    round(value, 1),
                    year_then,
                )
            if value is not None and tracked.targets:
                latest[(pupil.pk, subject.pk)] = value
    rows.flush()
    core = [subject for tracked, subject in plan.items() if tracked.targets]
    _targets(builder, rng, school, pupils, core, latest, on_track, below)
    _support_scale(builder, rng, pupils, core, observer)


class _Rows:
    """Assessment rows written in batches, without history (see the module docstring): COPY on
    PostgreSQL, bulk_create elsewhere."""

    def __init__(self):
        self.rows = []
        self.now = timezone.now()
        self.copy = connection.vendor == "postgresql"

    def add(self, *row):
        self.rows.append(row)
        if len(self.rows) >= (COPY_BATCH if self.copy else BATCH * 5):
            self.flush()

    def flush(self):
        if not self.rows:
            return
        if self.copy:
            self._copy()
        else:
            Assessment.objects.bulk_create(
                (
                    Assessment(
                        pupil_id=pupil,
                        point_id=point,
                        subject_id=subject,
                        attainment_id=attainment,
                        progress_id=progress,
                        points=points,
                        year_group=year_group,
                        version=1,
                    )
                    for pupil, point, subject, attainment, progress, points, year_group in self.rows
                ),
                batch_size=BATCH,
            )
        self.rows = []

    def _copy(self):
        now = self.now.isoformat()
        buffer = io.StringIO()
        buffer.writelines(
            f"{pupil}\t{point}\t{subject}\t{attainment}\t{NULL if progress is None else progress}"
            f"\t{points}\t{year_group}\t1\t{now}\n"
            for pupil, point, subject, attainment, progress, points, year_group in self.rows
        )
        buffer.seek(0)
        columns = "pupil_id, point_id, subject_id, attainment_id, progress_id, points, year_group, version"
        columns += ", updated_at"
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {Assessment._meta.db_table} ({columns}) FROM STDIN", buffer)


def _targets(builder, rng, school, pupils, subjects, latest, on_track, below):
    rows = []
    for pupil in pupils:
        if pupil.status == SenStatus.NONE:
            continue
        for subject in subjects:
            now = latest.get((pupil.pk, subject.pk))
            if now is None:
                continue
            band = below if pupil.status == SenStatus.EHCP else on_track
            rows.append(
                Target(
                    pupil_id=pupil.pk,
                    subject_id=subject.pk,
                    kind=Target.Kind.END_OF_YEAR,
                    academic_year=builder.year_start,
                    attainment_id=band.pk,
                    points=round(now + rng.choice([2.5, 3.0, 3.5]), 1),
                )
            )
            ks_year = key_stage_end_year(pupil.year_group, builder.year_start)
            years_left = ks_year - builder.year_start + 1
            rows.append(
                Target(
                    pupil_id=pupil.pk,
                    subject_id=subject.pk,
                    kind=Target.Kind.END_OF_KEY_STAGE,
                    academic_year=ks_year,
                    attainment_id=on_track.pk,
                    points=round(now + years_left * 3.5, 1),
                )
            )
    Target.objects.bulk_create(rows, batch_size=BATCH)


def _support_scale(builder, rng, pupils, subjects, observer):
    """Every EHCP pupil and a third of those on SEN support: an observation about every three
    weeks over the last year, edging up the scale with the odd step back."""
    rows = []
    contexts = ["Playtime", "Lunch hall", "Small-group session", "Trip"]
    for pupil in pupils:
        if pupil.status == SenStatus.NONE or (pupil.status == SenStatus.SEN_SUPPORT and rng.random() > 0.33):
            continue
        level = 1 + (rng.random() < 0.6) if pupil.status == SenStatus.EHCP else rng.choice([2, 3])
        day = max(pupil.joined, builder.today - datetime.timedelta(days=330 + rng.randrange(20)))
        while day <= builder.today:
            subject = rng.choice(subjects) if subjects and rng.random() < 0.8 else None
            rows.append(
                SupportObservation(
                    pupil_id=pupil.pk,
                    observed_on=day,
                    level=level,
                    subject=subject,
                    context="" if subject else rng.choice(contexts),
                    observer=observer,
                    note="",
                )
            )
            if rng.random() < 0.3:
                level = min(6, level + 1)
            elif rng.random() < 0.08:
                level = max(1, level - 1)
            day += datetime.timedelta(days=14 + rng.randrange(14))
    SupportObservation.objects.bulk_create(rows, batch_size=BATCH)
