"""Identification figures (gaps.identification), worked by hand on a small cohort.

The figures are produced as at 6 December 2026: the last complete term is summer 2025/26
(1 April to 31 August 2026), compared with summer 2024/25 and summer 2023/24; the concern years
are 2024/25, 2025/26 and 2026/27.

The cohort (K = SEN support, E = EHC plan, dates of the SEN history):
  P1  concern 1 Oct 2025; K from 10 Nov 2025. Plan from 20 Nov 2025, due 1 May 2026, reviewed 5 May 2026.
  P2  concerns 15 Sep 2025 and 5 Jan 2026; K from 15 Mar 2026. Plan from 20 Mar 2026, due 1 Jul 2026,
      not reviewed.
  P3  no concern; E from 1 Oct 2025; annual review meeting 10 Jun 2026.
  P4  K from 20 Jan 2026; a concern only after that (1 Feb 2026); no plan.
  P5  concern 20 Sep 2024; K from 10 Oct 2024. Plan 1 from 15 Oct 2024, reviewed 20 Jan 2025; plan 2 from
      21 Jan 2025, due 30 Sep 2026, not reviewed.
  P6  K from 1 May 2022. Plan from 1 Jun 2022, due 1 Sep 2022, reviewed only on 10 Apr 2026.
  P7  K from 1 Jan 2023, no plan; left (archived) on 1 Jun 2025.
  X   another school's pupil: concern 1 Oct 2025, K from 2 Oct 2025 (never counted here).
"""

import datetime

import pytest
from django.utils import timezone

from gaps.identification import identification, last_complete_term
from plans.models import EhcpReview, SupportPlan
from pupils.models import Concern, SenStatus
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
K, E = SenStatus.SEN_SUPPORT, SenStatus.EHCP


def pupil(school, *history, concerns=(), archived_on=None):
    p = PupilFactory(school=school, sen_status=history[-1][0] if history else SenStatus.NONE)
    for status, day in history:
        SenStatusChangeFactory(pupil=p, status=status, effective_date=day)
    for day in concerns:
        Concern.objects.create(
            pupil=p, raised_on=day, raised_by=Concern.RaisedBy.CLASS_TEACHER, summary="Noticed"
        )
    if archived_on:
        p.archived_at = timezone.make_aware(datetime.datetime.combine(archived_on, datetime.time(12)))
        p.archive_reason = "Left"
        p.save()
    return p


def plan(p, number, starts, due, reviewed=None):
    status = SupportPlan.Status.REVIEWED if reviewed else SupportPlan.Status.OPEN
    return SupportPlanFactory(
        pupil=p, number=number, starts_on=starts, review_date=due, reviewed_on=reviewed, status=status
    )


@pytest.fixture
def school():
    school = SchoolFactory()
    p1 = pupil(school, (K, D(2025, 11, 10)), concerns=[D(2025, 10, 1)])
    plan(p1, 1, D(2025, 11, 20), D(2026, 5, 1), reviewed=D(2026, 5, 5))
    p2 = pupil(school, (K, D(2026, 3, 15)), concerns=[D(2025, 9, 15), D(2026, 1, 5)])
    plan(p2, 1, D(2026, 3, 20), D(2026, 7, 1))
    p3 = pupil(school, (E, D(2025, 10, 1)))
    ehc = EhcPlanFactory(pupil=p3, plan_date=D(2025, 10, 1))
    EhcpReview.objects.create(
        plan=ehc, meeting_date=D(2026, 6, 10), attendees="a", pupil_views="b", family_views="c"
    )
    pupil(school, (K, D(2026, 1, 20)), concerns=[D(2026, 2, 1)])  # P4
    p5 = pupil(school, (K, D(2024, 10, 10)), concerns=[D(2024, 9, 20)])
    plan(p5, 1, D(2024, 10, 15), D(2025, 1, 20), reviewed=D(2025, 1, 20))
    plan(p5, 2, D(2025, 1, 21), D(2026, 9, 30))
    p6 = pupil(school, (K, D(2022, 5, 1)))
    plan(p6, 1, D(2022, 6, 1), D(2022, 9, 1), reviewed=D(2026, 4, 10))
    pupil(school, (K, D(2023, 1, 1)), archived_on=D(2025, 6, 1))  # P7
    pupil(SchoolFactory(), (K, D(2025, 10, 2)), concerns=[D(2025, 10, 1)])  # X
    return school


def test_last_complete_term_is_the_one_that_ended_before_today():
    assert last_complete_term(TODAY).label == "Summer 2025/26"
    assert last_complete_term(D(2027, 2, 1)).label == "Autumn 2026/27"
    assert last_complete_term(D(2027, 4, 1)).label == "Spring 2026/27"


def test_time_from_first_concern_to_sen_support(school):
    concerns = identification(school.pk, today=TODAY).concerns
    assert [c.label for c in concerns] == ["2024/25", "2025/26", "2026/27"]
    y24, y25, y26 = concerns
    # 2024/25: P5 alone, 20 Sep to 10 Oct 2024 = 20 days.
    assert (y24.placed.value, str(y24.with_concern), y24.median_days) == (1, "100% (1/1)", 20)
    # 2025/26: P1, P2, P3, P4 placed; P1 (40 days: 1 Oct to 10 Nov) and P2 (181 days from the earlier
    # concern: 15 Sep 2025 to 15 Mar 2026 = 30+31+30+31+31+28) had a concern by then; P3 none, and
    # P4's came after. Median of 40 and 181 = 110.5, rounded half up to 111.
    assert (y25.placed.value, str(y25.with_concern), y25.median_days) == (4, "50% (2/4)", 111)
    # 2026/27: nobody placed yet.
    assert (y26.placed.value, str(y26.with_concern), y26.median_days) == (0, "none (0/0)", None)


def test_plan_reviews_in_the_last_term_and_its_trend(school):
    reviews = identification(school.pk, today=TODAY).reviews
    assert [r.label for r in reviews] == ["Summer 2023/24", "Summer 2024/25", "Summer 2025/26"]
    y23, y24, y25 = reviews
    # Summer 2025/26 (to 31 Aug 2026): on SEN support P1, P2, P4, P5, P6 (P3 has an EHC plan, P7 left).
    # Reviewed in the term: P1 (5 May), P6 (10 Apr) = 2/5; no plan: P4 = 1/5; review date passed
    # unreviewed: P2 (due 1 Jul) = 1/5 (P5's plan 2 is due only in September).
    assert str(y25.sen_support) == "5"
    assert (str(y25.reviewed), str(y25.no_plan), str(y25.overdue)) == ("40% (2/5)", "20% (1/5)", "20% (1/5)")
    # P3's EHC plan had its annual review on 10 Jun 2026: 1/1.
    assert (str(y25.ehcp), str(y25.ehcp_reviewed)) == ("1", "100% (1/1)")
    # Summer 2024/25 (to 31 Aug 2025): P5 and P6 on SEN support (P7 left on 1 Jun 2025). P5's plan 2 is
    # not yet due; P6's was due in 2022 and not reviewed by then: overdue 1/2.
    assert (str(y24.sen_support), str(y24.reviewed), str(y24.no_plan), str(y24.overdue)) == (
        "2",
        "0% (0/2)",
        "0% (0/2)",
        "50% (1/2)",
    )
    assert str(y24.ehcp_reviewed) == "none (0/0)"
    # Summer 2023/24 (to 31 Aug 2024): P6 (overdue) and P7 (no plan).
    assert (str(y23.sen_support), str(y23.no_plan), str(y23.overdue)) == ("2", "50% (1/2)", "50% (1/2)")


def test_governor_figures_are_suppressed_under_the_threshold(school):
    found = identification(school.pk, today=TODAY, suppress_below=3)
    y24, y25, _ = found.concerns
    # 2024/25: one pupil placed, hidden; 2025/26: 4 placed shown, but 2 with a concern is under 3, so
    # the share and the median over those 2 pupils are hidden.
    assert (str(y24.placed), str(y24.with_concern), y24.median_days) == ("c", "c", None)
    assert (str(y25.placed), str(y25.with_concern), y25.median_days, y25.median_shown) == (
        "4",
        "c",
        None,
        False,
    )
    last = found.latest_review
    # 5 pupils on SEN support is shown; 2, 1 and 1 of them are under 3 and hidden, and so is the one EHC plan.
    assert str(last.sen_support) == "5"
    assert {
        str(last.reviewed),
        str(last.no_plan),
        str(last.overdue),
        str(last.ehcp),
        str(last.ehcp_reviewed),
    } == {"c"}


def test_the_figures_take_one_query_for_the_terms_and_one_for_the_concerns(school, django_assert_num_queries):
    with django_assert_num_queries(2):
        identification(school.pk, today=TODAY)
