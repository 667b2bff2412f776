"""A small cohort with a four-band progress scale, worked by hand for the lines of the scheme
(issue 13): Inadequate / Satisfactory / Good / Outstanding progress (the Ofsted-style preset,
with its lines "at least satisfactory progress" from Satisfactory and "good or outstanding
progress" from Good) and the default attainment scale (lines "at or above ARE" from On track and
"exceeding ARE" from Exceeded).

Year 4 Reading at Spring. Eleven SEND pupils, eight on SEN support (s0 to s7) and three with an
EHC plan (s8 to s10), and nine others:

    pupil      attainment  progress          others (9)   attainment  progress
    s0, s1     B           I (inadequate)    o0 to o6     OT          o0, o1 S; o2 to o6 G
    s2         B           S (satisfactory)  o7, o8       EX          O
    s3, s4     OT          S
    s5 to s8   OT          G (good)
    s9, s10    EX          O (outstanding)

All SEND (11): at least satisfactory 9 (s2 to s10), 9/11 = 81.8 -> 82%; good or outstanding 6
(s5 to s10), 6/11 = 54.5 -> 55%; at or above ARE 8, 73%; exceeding ARE 2, 18%.
SEN support (8): at least satisfactory 6/8 = 75%; good or outstanding 3/8 = 37.5 -> 38%.
EHC plan (3): both progress lines 3/3 = 100%.
No SEN (9): at least satisfactory 9/9 = 100%; good or outstanding 7/9 = 77.8 -> 78%;
at or above ARE 9/9 = 100%; exceeding ARE 2/9 = 22.2 -> 22%.
"""

from assessment.models import ProgressBand
from assessment.services import bands_apply_preset
from core.roles import Role
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import Scheme, assess, pupils

SEND_ROWS = [
    (0, 2, "B", "I"),
    (2, 3, "B", "S"),
    (3, 5, "OT", "S"),
    (5, 9, "OT", "G"),
    (9, 11, "EX", "O"),
]
OTHER_ROWS = [(0, 2, "OT", "S"), (2, 7, "OT", "G"), (7, 9, "EX", "O")]


def build_lines_cohort(name="Lineham Primary"):
    school = SchoolFactory(name=name, suppression_threshold=5)
    scheme = Scheme(school)
    bands_apply_preset(model=ProgressBand, school=school, preset="ofsted")
    scheme.prog = {b.code: b for b in ProgressBand.objects.filter(school=school)}
    k = pupils(school, 8, sen_status=SenStatus.SEN_SUPPORT, primary_need="SPLD")
    e = pupils(school, 3, sen_status=SenStatus.EHCP, primary_need="ASD")
    others = pupils(school, 9)
    send = k + e
    spring = scheme.point("Spring")
    for group, rows in ((send, SEND_ROWS), (others, OTHER_ROWS)):
        for start, stop, attainment, progress in rows:
            assess(scheme, group[start:stop], spring, "Reading", attainment, progress)
    members = {role: MembershipFactory(school=school, role=role) for role in Role}
    return {"school": school, "scheme": scheme, "send": send, "others": others, **members}
