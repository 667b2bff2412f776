"""A special school (every pupil has SEND) on the gap pages: no one is outside the group, so
there is no in-school gap, and the pages say so instead of ranking rows of "none (0/0)". The
cohort and its figures are worked by hand in tests/gaps/framework_cohort.py
(build_special_school; the mixed mainstream class is build_framework_cohort)."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.gaps.framework_cohort import build_framework_cohort, build_special_school
from tests.gaps.test_lines import text_of

pytestmark = pytest.mark.django_db

NOBODY_ELSE = (
    "All SEND (SEN support and EHCP): every pupil assessed at this point is in this group, so there "
    "is no one else in the school to compare with and no in-school gap."
)
GAPS_TABLE = "Gaps at or above ARE, largest first"


def page(client, membership, name, point):
    client.force_login(membership.user)
    response = client.get(reverse(name) + f"?point={point.pk}&group=send")
    assert response.status_code == 200
    return text_of(response)


@pytest.mark.parametrize("role", [Role.SENCO, Role.HEAD, Role.GOVERNOR])
def test_the_overview_says_there_is_no_one_to_compare_with(client, role):
    """9 SEND pupils assessed in Year 4 Reading, 0 others: the draft says why there is no gap,
    not that there are too few assessments, and the chart and table of 0/0 rows are left out.
    Every reader may know that no one else was assessed (a count of zero is no small group)."""
    school = build_special_school()
    text = page(client, school[role], "gaps:dashboard", school["spring"])
    assert NOBODY_ELSE in text
    assert "not yet enough assessments" not in text
    assert GAPS_TABLE not in text
    assert "none (0/0)" not in text.split("Largest in-school gaps", 1)[1].split("All gaps and the grids")[0]


def test_question_c_drafts_the_same_finding(client):
    """C says the same, and its section of gaps has no chart or table of 0/0 rows either; the
    mixed class's C keeps its table."""
    school = build_special_school()
    text = page(client, school[Role.SENCO], "gaps:grid", school["spring"])
    assert NOBODY_ELSE in text
    assert GAPS_TABLE not in text
    assert "there is no one else in the school to compare with, so no in-school gap" in text
    mixed = build_framework_cohort()
    assert GAPS_TABLE in page(client, mixed[Role.SENCO], "gaps:grid", mixed["spring"])


def test_a_mainstream_school_still_ranks_its_gaps(client):
    """The mixed class (tests/gaps/framework_cohort.py): focus 27% (4/15), everyone else 100%
    (5/5) at or above ARE, a gap of 73 points: the draft and the table are as before."""
    mixed = build_framework_cohort()
    text = page(client, mixed[Role.SENCO], "gaps:dashboard", mixed["spring"])
    assert "every pupil assessed at this point is in this group" not in text
    assert GAPS_TABLE in text
    assert "The largest in-school gap is Reading in Year 4" in text
