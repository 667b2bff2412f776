"""Identification's plan reviews at the edges of a term, worked by hand: who is on roll at its
end when they left late on its last day or just after it, two changes of status on one day, and
a review or meeting on the first or last day of a term or twelve months before its end.

The last complete term as at 6 December 2026 is summer 2025/26 (1 April to 31 August 2026); the
trend terms are summer 2024/25 and summer 2023/24. Times are in the school's time zone (London,
British Summer Time in August: UTC+1).
"""

import datetime

import pytest
from django.utils import timezone

from gaps.identification import identification
from plans.models import EhcpReview
from pupils.models import SenStatus
from tests.factories import (
    EhcPlanFactory,
    PupilFactory,
    SchoolFactory,
    SenStatusChangeFactory,
    SupportPlanFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 6)
K, E, N = SenStatus.SEN_SUPPORT, SenStatus.EHCP, SenStatus.NONE


def pupil(school, *history, left=None):
    p = PupilFactory(school=school, sen_status=history[-1][0])
    for status, day in history:
        SenStatusChangeFactory(pupil=p, status=status, effective_date=day)
    if left:
        p.archived_at = timezone.make_aware(left)
        p.archive_reason = "Left"
        p.save()
    return p


@pytest.fixture
def school():
    school = SchoolFactory()
    # A: left at 23:30 on 31 August 2026, the term's last day: not on roll at its end.
    pupil(school, (K, D(2025, 1, 1)), left=datetime.datetime(2026, 8, 31, 23, 30))
    # B: left at 00:30 on 1 September 2026 (23:30 on 31 August in UTC): on roll at its end.
    b = pupil(school, (K, D(2025, 1, 1)), left=datetime.datetime(2026, 9, 1, 0, 30))
    # B's plan was reviewed on the term's first day: reviewed in the term.
    SupportPlanFactory(
        pupil=b,
        starts_on=D(2026, 1, 1),
        review_date=D(2026, 4, 1),
        reviewed_on=D(2026, 4, 1),
        status="reviewed",
    )
    # C: SEN support from 1 September 2026 only, after the term: not counted in it.
    pupil(school, (N, D(2024, 1, 1)), (K, D(2026, 9, 1)))
    # D: an EHC plan, back to SEN support on 31 August 2026: on SEN support at the end, with a plan
    # started on the term's last day and due that day (not yet passed, so not overdue).
    d = pupil(school, (E, D(2024, 5, 1)), (K, D(2026, 8, 31)))
    SupportPlanFactory(pupil=d, starts_on=D(2026, 8, 31), review_date=D(2026, 8, 31))
    # F: an EHC plan whose annual review met on 31 August 2025, twelve months before the end:
    # not within the twelve months to 31 August 2026 (counted in summer 2024/25 instead).
    f = pupil(school, (E, D(2024, 5, 1)))
    ehc = EhcPlanFactory(pupil=f, plan_date=D(2024, 5, 1))
    EhcpReview.objects.create(
        plan=ehc, meeting_date=D(2025, 8, 31), attendees="a", pupil_views="b", family_views="c"
    )
    # G: a plan started on 1 September 2026, after the term: no plan at its end.
    g = pupil(school, (K, D(2025, 3, 1)))
    SupportPlanFactory(pupil=g, starts_on=D(2026, 9, 1), review_date=D(2026, 12, 1))
    return school


def test_the_edges_of_the_last_term(school):
    y23, y24, y25 = identification(school.pk, today=TODAY).reviews
    # Summer 2025/26: on SEN support B, D and G (A left on the last day, C came after it). Reviewed:
    # B = 1/3; no plan: G = 1/3; overdue: none (D's is due on the last day itself).
    assert str(y25.sen_support) == "3"
    assert (str(y25.reviewed), str(y25.no_plan), str(y25.overdue)) == ("33% (1/3)", "33% (1/3)", "0% (0/3)")
    # EHC plans then: F only (D had moved to SEN support); its meeting was twelve months before: 0/1.
    assert (str(y25.ehcp), str(y25.ehcp_reviewed)) == ("1", "0% (0/1)")
    # Summer 2024/25: A, B and G on SEN support, none with a plan started by then: 3 of 3 no plan.
    # D and F had EHC plans; F's meeting on 31 August 2025 is within that term's twelve months.
    assert (str(y24.sen_support), str(y24.no_plan)) == ("3", "100% (3/3)")
    assert (str(y24.ehcp), str(y24.ehcp_reviewed)) == ("2", "50% (1/2)")
    # Summer 2023/24: nobody on SEN support yet; D and F had EHC plans from 1 May 2024.
    assert (str(y23.sen_support), str(y23.ehcp)) == ("0", "2")
