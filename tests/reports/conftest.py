"""A small cohort whose SEF figures are worked out by hand in tests/reports/test_sef.py.

Twelve pupils: four on the SEND record (three SEN support, one EHC plan) and eight others, in a
school whose suppression threshold is 5, so every SEND-only figure is hidden from governors.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, Subject, year_group_in
from assessment.services import assessment_points_ensure, scheme_set_up_defaults
from attendance.models import Attendance, BehaviourCount, Exclusion
from core.roles import Role
from pupils.models import SenStatus, SenStatusChange
from reports.selectors import current_academic_year
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory
from tests.shared_rows import shared_rows


@dataclass
class Cohort:
    school: object
    year: int
    send: list
    others: list
    members: dict
    points: dict
    subjects: dict
    bands: dict

    @property
    def pupils(self):
        return self.send + self.others

    def assess(self, pupils, subject, point, codes):
        Assessment.objects.bulk_create(
            Assessment(
                pupil=p,
                subject=self.subjects[subject],
                point=self.points[point],
                attainment=self.bands[c],
                year_group=year_group_in(p, self.points[point].academic_year),
            )
            for p, c in zip(pupils, codes, strict=True)
        )


def build_cohort():
    year = current_academic_year()
    school = SchoolFactory(name="Hawthorn Primary", suppression_threshold=5)
    scheme_set_up_defaults(school=school, academic_year=year)
    assessment_points_ensure(school=school, academic_year=year - 1)
    statuses = [SenStatus.SEN_SUPPORT] * 3 + [SenStatus.EHCP]
    send = [
        PupilFactory(
            school=school, sen_status=s, primary_need="SLCN", sen_placed_on=datetime.date(year - 1, 10, 1)
        )
        for s in statuses
    ]
    # The dated history behind their status, from which the SEF takes it at each point.
    SenStatusChange.objects.bulk_create(
        SenStatusChange(pupil=p, status=p.sen_status, effective_date=p.sen_placed_on) for p in send
    )
    others = [PupilFactory(school=school) for _ in range(8)]
    members = {role: MembershipFactory(school=school, role=role) for role in Role}
    points = {(p.academic_year, p.name): p for p in AssessmentPoint.objects.filter(school=school)}
    points = {"autumn": points[(year, "Autumn")], "spring": points[(year, "Spring")]} | {
        "last summer": points[(year - 1, "Summer")]
    }
    cohort = Cohort(
        school=school,
        year=year,
        send=send,
        others=others,
        members=members,
        points=points,
        subjects={s.name: s for s in Subject.objects.filter(school=school)},
        bands={b.code: b for b in AttainmentBand.objects.filter(school=school)},
    )
    # Reading: SEND 1/4, 2/4 and 1/4 at or above ARE; others 6/8, 6/8 and 7/8.
    cohort.assess(send, "Reading", "autumn", ["B", "B", "OT", "B"])
    cohort.assess(others, "Reading", "autumn", ["OT"] * 5 + ["EX", "B", "B"])
    cohort.assess(send, "Reading", "spring", ["B", "OT", "OT", "B"])
    cohort.assess(others, "Reading", "spring", ["OT"] * 5 + ["EX", "B", "B"])
    cohort.assess(send, "Reading", "last summer", ["B", "B", "OT", "B"])
    cohort.assess(others, "Reading", "last summer", ["OT"] * 6 + ["EX", "B"])
    # Maths, spring only: SEND 3/4, others 8/8.
    cohort.assess(send, "Maths", "spring", ["OT", "OT", "OT", "B"])
    cohort.assess(others, "Maths", "spring", ["EX"] * 8)
    # Attendance this year (100 possible sessions each) and last year (SEND only, 90 each).
    attended = dict(zip(send, [95, 85, 92, 80], strict=True)) | dict(
        zip(others, [97] * 7 + [89], strict=True)
    )
    Attendance.objects.bulk_create(
        Attendance(pupil=p, academic_year=year, term=1, possible_sessions=100, attended_sessions=n)
        for p, n in attended.items()
    )
    Attendance.objects.bulk_create(
        Attendance(pupil=p, academic_year=year - 1, term=3, possible_sessions=100, attended_sessions=90)
        for p in send
    )
    for start, days in (
        (datetime.date(year, 9, 20), Decimal("1.5")),
        (datetime.date(year, 9, 27), Decimal("1")),
    ):
        Exclusion.objects.create(pupil=send[0], start_date=start, days=days)
    BehaviourCount.objects.bulk_create(
        [
            BehaviourCount(pupil=send[0], academic_year=year, term=1, incidents=6),
            BehaviourCount(pupil=send[1], academic_year=year, term=1, incidents=2),
            BehaviourCount(pupil=others[0], academic_year=year, term=1, incidents=1),
        ]
    )
    return cohort


@shared_rows
def cohort():
    return build_cohort()
