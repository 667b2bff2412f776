"""The groups the inclusion evaluation area names (pupils known to children's social care,
previously looked after, young carers) in key question A and the gap filters, worked by hand on
the cohort of tests/gaps/test_figures.py: 11 SEND pupils (8 on SEN support, all pupil premium;
3 with an EHC plan) and 9 others, 20 in all."""

import pytest

from core.roles import Role
from gaps.cohort import group_q
from pupils.models import PostLookedAfter, Pupil, SocialCare, YoungCarer
from tests.gaps.test_figures import page

pytestmark = pytest.mark.django_db


def mark(pupil, **fields):
    for name, value in fields.items():
        setattr(pupil, name, value)
    pupil.save()


@pytest.fixture
def groups(cohort):
    k, e, others = cohort["k"], cohort["e"], cohort["others"]
    mark(k[0], social_care=SocialCare.CHILD_IN_NEED)
    mark(k[1], social_care=SocialCare.CHILD_PROTECTION)
    mark(k[2], post_looked_after=PostLookedAfter.ADOPTED)
    mark(k[3], young_carer=YoungCarer.NOT_DECLARED)  # not declared: not a young carer
    mark(e[0], young_carer=YoungCarer.BY_SCHOOL)
    mark(others[0], young_carer=YoungCarer.BY_PARENT)
    mark(others[1], social_care=SocialCare.PREVIOUSLY)
    return cohort


def test_the_new_groups_filter_the_pupils(groups):
    school = groups["school"]
    in_group = {
        code: set(Pupil.objects.filter(group_q(code), school=school))
        for code in ("social_care", "plac", "young_carer")
    }
    k, e, others = groups["k"], groups["e"], groups["others"]
    assert in_group == {
        "social_care": {k[0], k[1], others[1]},
        "plac": {k[2]},
        "young_carer": {e[0], others[0]},
    }


def test_question_a_shares_and_pupils_in_several_groups(client, groups):
    report = page(client, groups[Role.SENCO], "gaps:groups").context["report"]
    rows = {row.label: row for row in report.groups}
    # Social care: k0, k1 of the 11 SEND pupils (2/11 = 18.2 -> 18%); with others[1], 3 of 20 = 15%.
    social = rows["Known to children's social care"]
    assert (str(social.in_focus), str(social.in_school), social.over_represented) == (
        "18% (2/11)",
        "15% (3/20)",
        True,
    )
    # Previously looked after: k2 alone: 1/11 = 9.1 -> 9%, 1/20 = 5%.
    assert (
        str(rows["Previously looked after"].in_focus),
        str(rows["Previously looked after"].in_school),
    ) == (
        "9% (1/11)",
        "5% (1/20)",
    )
    # Young carers: e0 of the SEND pupils (1/11 = 9%), and others[0]: 2/20 = 10%; fewer among SEND pupils.
    carers = rows["Pupils who are young carers"]
    assert (str(carers.in_focus), str(carers.in_school), carers.over_represented) == (
        "9% (1/11)",
        "10% (2/20)",
        False,
    )
    # Several groups: the 8 SEN support pupils all have pupil premium; k0 and k1 are also known to social
    # care and k2 previously looked after: 3 pupils in two groups. e0 is in one group only.
    assert str(report.several_groups) == "3"
    k = groups["k"]
    assert {p.pk for p in report.several_pupils} == {k[0].pk, k[1].pk, k[2].pk}


def test_governor_sees_the_new_groups_suppressed(client, groups):
    response = page(client, groups[Role.GOVERNOR], "gaps:groups")
    report = response.context["report"]
    rows = {row.label: row for row in report.groups}
    # 2, 1 and 1 pupils are under the school's threshold of 5 (3 of 20 in the school too), so every
    # share of the new groups is hidden, and so are the 3 pupils in several groups.
    for label in (
        "Known to children's social care",
        "Previously looked after",
        "Pupils who are young carers",
    ):
        assert (str(rows[label].in_focus), str(rows[label].in_school)) == ("c", "c")
    assert str(report.several_groups) == "c"
    assert report.several_pupils is None
    assert groups["k"][0].legal_surname not in response.content.decode()


def test_a_gap_page_can_focus_on_a_new_group(client, groups):
    response = page(client, groups[Role.SENCO], "gaps:groups", "?group=social_care")
    assert response.context["report"].focus_total == 3
