"""A mixed class worked by hand (issue 22): Year 4 Reading at Spring this year, pupils on the
school's scale (the default scheme: attainment Below / On track / Exceeded, progress Below
expected / Expected / Exceeded expected), on the pre-key stage 2 standards, on small steps and
on reading ages. Every framework value is measured from the pupil's value at last year's Summer
point (their baseline: the latest point of an earlier year on the framework).

Dates (core.calendar, Y = this academic year): last year's Summer is as at 31 August Y; this
year's Spring runs from 3 January Y+1 to the day before Summer starts (15 April), so it is as at
14 April Y+1. Whole months between them: 12 + 4 - 8 = 8.

Fifteen SEND pupils (the focus group):

    on the school's scale (8)   attainment   progress
      m0, m1                    OT           E
      m2                        OT           X
      m3                        EX           X
      m4, m5                    B            B
      m6, m7                    B            E
    pre-key stage 2 standards (one standard a year: over 8 months floor(8/12) = 0 expected)
      k0   PK3 -> PK4           +1 standard: met
      k1   PK2 -> PK2           no standards: met (0 >= 0)
    small steps (S1, S2, S3 of four steps each; six steps a year: floor(6 x 8/12) = 4 expected)
      s0   S1.2 -> S2.2         place 2 -> 6, +4 steps: met
      s1   S1.1 -> S2.3         place 1 -> 7, +6 steps: met
      s2   S2.1 -> S3.1         place 5 -> 9, +4 steps: met
    reading age (12 months a year expected: 8 in 8 months)
      r0   7y 0m -> 8y 4m       84 -> 100 months, 16 gained, ratio 16/8 = 2.0 (substantial): met
      r1   6y 6m -> 6y 10m      78 -> 82 months, 4 gained, ratio 4/8 = 0.5 (modest): not met

Five pupils with no SEN on the school's scale: attainment OT, progress E.

The figures of the focus group, Year 4 Reading at Spring:
- attainment: on another framework 7/15 = 46.7 -> 47%, B 4/15 = 26.7 -> 27%, OT 3/15 = 20%,
  EX 1/15 = 6.7 -> 7%; at or above ARE (OT, EX) 4/15 = 27%, exceeding ARE 1/15 = 7%;
- progress: B 2/15 = 13.3 -> 13%, E 4/15 = 26.7 -> 27%, X 2/15 = 13%, judged on own framework
  and expected or better 6/15 = 40% (k0, k1, s0, s1, s2, r0), below expected 1/15 = 6.7 -> 7%
  (r1); expected progress or better (E, X and own framework met) 4 + 2 + 6 = 12/15 = 80%; more
  than expected progress (X) 2/15 = 13%;
- the line by framework: 12 of 15: on the school's scale 6 of 8 (m0 to m3, m6, m7), pre-key
  stage 2 standards 2 of 2, reading age 1 of 2, small steps 3 of 3 (frameworks in the school's
  order: all at order 0, so by name);
- gap at or above ARE: focus 27% (4/15), everyone else 100% (5/5): 73 points.
"""

import datetime
from decimal import Decimal

from assessment.frameworks import kit_add, parse, progress_refresh
from assessment.models import Assessment, Framework, FrameworkPlacement, FrameworkStage, year_group_in
from core.roles import Role
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR, Scheme, assess, pupils

MAIN_ROWS = [(0, 2, "OT", "E"), (2, 3, "OT", "X"), (3, 4, "EX", "X"), (4, 6, "B", "B"), (6, 8, "B", "E")]
# (pupil, framework key, value last Summer, value this Spring)
FRAMEWORK_ROWS = [
    ("k0", "pk2", "PK3", "PK4"),
    ("k1", "pk2", "PK2", "PK2"),
    ("s0", "steps", "S1.2", "S2.2"),
    ("s1", "steps", "S1.1", "S2.3"),
    ("s2", "steps", "S2.1", "S3.1"),
    ("r0", "age", "7y 0m", "8y 4m"),
    ("r1", "age", "6y 6m", "6y 10m"),
]


def small_steps(school, name="Small steps", expected=6):
    framework = Framework.objects.create(
        school=school, kind=Framework.Kind.STEPS, name=name, expected_per_year=Decimal(expected)
    )
    FrameworkStage.objects.bulk_create(
        FrameworkStage(
            framework=framework, order=i, code=f"S{i}", name=f"Stage {i}", steps=4, offset=4 * (i - 1)
        )
        for i in (1, 2, 3)
    )
    return framework


def frameworks_of(school):
    return {
        "pk2": kit_add(school, "Pre-key stage 2 standards"),
        "steps": small_steps(school),
        "age": Framework.objects.create(school=school, kind=Framework.Kind.AGE, name="Reading age"),
    }


def record(scheme, pupil, point, subject, framework, text):
    """One cell on a framework, as the grid writes it: the pupil's value parsed on it."""
    value = parse(framework, list(framework.stages.all()), text)
    Assessment.objects.create(
        pupil=pupil,
        point=point,
        subject=scheme.subjects[subject],
        year_group=year_group_in(pupil, point.academic_year),
        framework=framework,
        stage=value.stage,
        step=value.step,
        place=value.place,
        score=value.score,
    )


def place_on(pupil, subject, framework, starts_on):
    FrameworkPlacement.objects.create(pupil=pupil, subject=subject, framework=framework, starts_on=starts_on)


def build_framework_cohort(name="Mixed Class Primary", threshold=5):
    school = SchoolFactory(name=name, suppression_threshold=threshold)
    scheme = Scheme(school)
    spring, last_summer = scheme.point("Spring"), scheme.point("Summer", THIS_YEAR - 1)
    main = pupils(school, 8, sen_status=SenStatus.SEN_SUPPORT, primary_need="SPLD")
    on_frameworks = pupils(school, 7, sen_status=SenStatus.EHCP, primary_need="SLD")
    others = pupils(school, 5)
    for start, stop, attainment, progress in MAIN_ROWS:
        assess(scheme, main[start:stop], spring, "Reading", attainment, progress)
    assess(scheme, others, spring, "Reading", "OT", "E")
    frameworks = frameworks_of(school)
    reading = scheme.subjects["Reading"]
    named = {}
    for pupil, (label, key, before, now) in zip(on_frameworks, FRAMEWORK_ROWS, strict=True):
        named[label] = pupil
        place_on(pupil, reading, frameworks[key], datetime.date(THIS_YEAR - 1, 9, 1))
        record(scheme, pupil, last_summer, "Reading", frameworks[key], before)
        record(scheme, pupil, spring, "Reading", frameworks[key], now)
    progress_refresh(school.pk, [(p.pk, reading.pk) for p in on_frameworks])
    members = {role: MembershipFactory(school=school, role=role) for role in Role}
    named.update({f"m{i}": p for i, p in enumerate(main)})
    return {
        "school": school,
        "scheme": scheme,
        "frameworks": frameworks,
        "pupils": named,
        "others": others,
        "spring": spring,
        **members,
    }


def build_special_school(threshold=5):
    """A special school worked by hand: every pupil has an EHC plan, so no one is outside the
    SEND group. Year 4 Reading, Spring this year; the seven framework pupils of FRAMEWORK_ROWS
    (k0, k1, s0, s1, s2, r0, r1, as above) and two on the school's scale:

      m0   OT   E        m1   B   B

    - at or above ARE (OT, EX): m0 only, 1 of 9 = 11.1 -> 11%; the seven on frameworks count as
      below ARE;
    - expected progress or better: m0 (E) and k0, k1, s0, s1, s2, r0 (met); not m1 (B) nor r1
      (ratio 0.5): 7 of 9 = 77.8 -> 78%; by framework 1 of 2 on the school's scale, 2 of 2 on
      pre-key stage 2 standards, 1 of 2 on reading age, 3 of 3 on small steps;
    - everyone else: no pupil at all, so there is no in-school gap to work out.

    A governor (threshold 5) reads neither share: 1 at ARE, and 2 short of expected progress, are
    each fewer than 5."""
    school = SchoolFactory(name="Brookside Special School", suppression_threshold=threshold)
    scheme = Scheme(school)
    spring, last_summer = scheme.point("Spring"), scheme.point("Summer", THIS_YEAR - 1)
    main = pupils(school, 2, sen_status=SenStatus.EHCP, primary_need="MLD")
    on_frameworks = pupils(school, 7, sen_status=SenStatus.EHCP, primary_need="SLD")
    assess(scheme, main[:1], spring, "Reading", "OT", "E")
    assess(scheme, main[1:], spring, "Reading", "B", "B")
    frameworks = frameworks_of(school)
    reading = scheme.subjects["Reading"]
    named = {"m0": main[0], "m1": main[1]}
    for pupil, (label, key, before, now) in zip(on_frameworks, FRAMEWORK_ROWS, strict=True):
        named[label] = pupil
        place_on(pupil, reading, frameworks[key], datetime.date(THIS_YEAR - 1, 9, 1))
        record(scheme, pupil, last_summer, "Reading", frameworks[key], before)
        record(scheme, pupil, spring, "Reading", frameworks[key], now)
    progress_refresh(school.pk, [(p.pk, reading.pk) for p in on_frameworks])
    members = {role: MembershipFactory(school=school, role=role) for role in Role}
    return {"school": school, "scheme": scheme, "pupils": named, "spring": spring, **members}
