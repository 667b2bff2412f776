"""The dashboards' query counts do not grow with the number of pupils (100 and 1,500)."""

import pytest
from django.urls import reverse

from core.roles import Role
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import Scheme, assess, pupils

pytestmark = pytest.mark.django_db

PAGES = {
    "gaps:dashboard": 15,
    "gaps:groups": 15,
    "gaps:attainment": 15,
    # Initials mode: two more queries (the named pupils of each grid), and the access-log entry of
    # the pupils named, 8 whatever their number (savepoint, the school's chain head made (the
    # school's first entry) and locked and read, the entry, its pupil rows in one INSERT, the new
    # hash, release); the next page that names pupils, 6 of them.
    "gaps:grid": 17 + 8,
    "gaps:pupils": 16 + 6,
    "gaps:attendance": 16,
}


def build(size):
    school = SchoolFactory()
    scheme = Scheme(school)
    send = pupils(school, size // 5, sen_status=SenStatus.SEN_SUPPORT, primary_need="MLD", pupil_premium=True)
    rest = pupils(school, size - size // 5, year_group=5)
    for point in ("Autumn", "Spring"):
        for subject in ("Reading", "Maths"):
            assess(scheme, send, scheme.point(point), subject, "B", "E", points="10")
            assess(scheme, rest, scheme.point(point), subject, "OT", "E", points="12")
    return school, scheme


@pytest.mark.parametrize("role", [Role.SENCO, Role.GOVERNOR])
def test_query_count_is_the_same_at_100_and_1500_pupils(client, django_assert_max_num_queries, role):
    counts = {}
    for size in (100, 1500):
        school, scheme = build(size)
        client.force_login(MembershipFactory(school=school, role=role).user)
        spring = scheme.point("Spring").pk
        # The first request after logging in writes the session once (two-factor state).
        client.get(reverse("home"))
        for name, limit in PAGES.items():
            with django_assert_max_num_queries(limit) as captured:
                response = client.get(reverse(name) + f"?point={spring}&mode=initials")
            assert response.status_code == 200
            counts[(size, name)] = len(captured)
    for name in PAGES:
        assert counts[(100, name)] == counts[(1500, name)], name
    print(counts)
