"""Two small schools of one trust, worked by hand in tests/trusts/test_comparison.py.

Ash (30 pupils on roll: 10 with SEND, of whom 2 with an EHC plan; 20 with no SEN):
- Reading, Autumn this year: SEND 5 of 10 on track (50%), no SEN 15 of 20 (75%): gap 25.
  Autumn last year: SEND 0 of 10 (0%), no SEN 10 of 20 (50%): gap 50. So the gap narrowed,
  "down from 50"; two years ago nothing was assessed: trend "—, 50, 25".
- Progress, Autumn this year: SEND 5 of 10 expected (50%), no SEN 20 of 20 (100%): gap 50.
- Attendance this year (one term, 100 possible sessions each): SEND 5 of 10 persistently absent
  (80 attended), no SEN 5 of 20: 50% against 25%, a difference of 25 points.
- No suspension: 0% (0/10) against 0% (0/20), difference 0.
- The 2 EHC plans: one annual review overdue (1 of 2).

Birch (8 pupils: 3 on SEN support, 5 no SEN): Reading, Autumn this year, SEND 1 of 3 on track,
no SEN 5 of 5. Under the threshold of 5, a trust lead reads Birch's SEND figures as "c".

A third school, Cedar, belongs to another trust: never on the page.
"""

import datetime

from django.utils import timezone

from attendance.models import Attendance
from pupils.models import SenStatus
from tests.factories import EhcPlanFactory, OrganisationFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR, Scheme, assess, pupils


def attendance(group, attended):
    Attendance.objects.bulk_create(
        Attendance(
            pupil=p, academic_year=THIS_YEAR, term=1, possible_sessions=100, attended_sessions=attended
        )
        for p in group
    )


def build_ash(school):
    scheme = Scheme(school)
    support = pupils(school, 8, sen_status=SenStatus.SEN_SUPPORT)
    ehcp = pupils(school, 2, sen_status=SenStatus.EHCP)
    send = support + ehcp
    others = pupils(school, 20)
    autumn, last_autumn = scheme.point("Autumn"), scheme.point("Autumn", THIS_YEAR - 1)
    assess(scheme, send[:5], autumn, "Reading", "OT", "E")
    assess(scheme, send[5:], autumn, "Reading", "B", "B")
    assess(scheme, others[:15], autumn, "Reading", "OT", "E")
    assess(scheme, others[15:], autumn, "Reading", "B", "E")
    assess(scheme, send, last_autumn, "Reading", "B")
    assess(scheme, others[:10], last_autumn, "Reading", "EX")
    assess(scheme, others[10:], last_autumn, "Reading", "B")
    attendance(send[:5] + others[:5], 80)
    attendance(send[5:] + others[5:], 95)
    today = timezone.localdate()
    EhcPlanFactory(pupil=ehcp[0], plan_date=today, next_review_due=today - datetime.timedelta(days=1))
    EhcPlanFactory(pupil=ehcp[1], plan_date=today, next_review_due=today + datetime.timedelta(days=100))
    return scheme, send, others


def build_birch(school):
    scheme = Scheme(school)
    send = pupils(school, 3, sen_status=SenStatus.SEN_SUPPORT)
    others = pupils(school, 5)
    autumn = scheme.point("Autumn")
    assess(scheme, send[:1], autumn, "Reading", "OT")
    assess(scheme, send[1:], autumn, "Reading", "B")
    assess(scheme, others, autumn, "Reading", "OT")
    return scheme


def build_trust():
    trust = OrganisationFactory(name="Willow Trust")
    ash = SchoolFactory(name="Ash Primary", organisation=trust)
    birch = SchoolFactory(name="Birch Primary", organisation=trust)
    cedar = SchoolFactory(name="Cedar Primary")
    scheme, send, others = build_ash(ash)
    build_birch(birch)
    return {
        "trust": trust,
        "ash": ash,
        "birch": birch,
        "cedar": cedar,
        "scheme": scheme,
        "send": send,
        "others": others,
    }
