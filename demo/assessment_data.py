"""Five years of termly assessments for every demo school, with targets and support-scale
observations for the pupils on the SEND record.

Six half-term points a year; the primary scheme's four subjects, and five of the secondary
scheme's (QUALITY.md: 1,500 pupils x 5 years x 6 points x 5 subjects is about 225,000 rows).
Each pupil has a level in APS-like points against the expected line (4 points a year, the
seeds' figure) and a rate of progress: SEND pupils start lower and progress a little slower,
EHCP pupils lower still; some SEND pupils stall for a year, some catch up; the SEND gap narrows
in reading (English) and widens in maths.

Rows go in with bulk_create in large batches and no simple-history rows: demo history would
be a second copy of a quarter of a million rows for no reader (a real school's history starts
with its first save).
"""

import datetime
import random
from dataclasses import dataclass

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
SUBJECTS_WITH_HISTORY = {"primary": 4, "secondary": 5}
EXPECTED_PER_YEAR = 4.0
BATCH = 10000


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
    for index, built in enumerate(demo["schools"]):
        _school_history(builder, rng, built, observer=_observer(demo, index))


def _observer(demo, index):
    users = demo["users"]
    return users["ta"] if index == 0 else users["senco"]


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
    subjects = list(Subject.objects.filter(school=school, retired=False))[: SUBJECTS_WITH_HISTORY[profile]]
    attainment, progress = _bands(school)
    below, on_track, exceeded = attainment[0], attainment[1], attainment[-1]
    slow, expected, fast = progress[0], progress[1], progress[-1]

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

    rows = []
    latest = {}
    for pupil in pupils:
        for subject in subjects:
            tilt = _subject_tilt(subject.name, pupil.status)
            gap = pupil.level + rng.gauss(0, 1)
            history = []
            for point in points:
                years_back = builder.year_start - point.academic_year
                year_then = pupil.year_group - years_back
                if year_then < (0 if profile == "primary" else 7) or point.academic_year < pupil.joined_year:
                    continue
                rate = pupil.rate + tilt
                if pupil.stall_year == years_back:
                    rate = 0.2
                if pupil.catch_up and years_back <= 1:
                    rate = 1.35
                # The gap moves by (rate - 1) of a year's expected progress each half term.
                gap += (rate - 1) * EXPECTED_PER_YEAR / 6
                value = max(0.0, _expected(year_then, point.order) + gap + rng.gauss(0, 0.4))
                band = below if gap < -1.5 else exceeded if gap > 2.5 else on_track
                made = value - history[-6] if len(history) >= 6 else None
                step = None if made is None else slow if made < 3 else fast if made > 5 else expected
                history.append(value)
                rows.append(
                    Assessment(
                        pupil_id=pupil.pk,
                        point_id=point.pk,
                        subject_id=subject.pk,
                        attainment_id=band.pk,
                        progress_id=step.pk if step else None,
                        points=round(value, 1),
                        year_group=year_then,
                        version=1,
                    )
                )
            if history:
                latest[(pupil.pk, subject.pk)] = history[-1]
    # History rows are skipped on purpose (see the module docstring).
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    _targets(builder, rng, school, pupils, subjects, latest, on_track, below)
    _support_scale(builder, rng, pupils, subjects, observer)


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
