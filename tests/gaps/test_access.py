"""The menu item and the screens are decided by the same role set (schools.models
GAP_DASHBOARD_ROLES, read through Membership.reads_gap_dashboards)."""

import pytest
from django.urls import reverse

from core.roles import Role
from schools.models import GAP_DASHBOARD_ROLES
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_menu_item_shows_exactly_to_the_roles_that_may_open_the_screens(client, role):
    membership = MembershipFactory(school=SchoolFactory(), role=role)
    client.force_login(membership.user)
    allowed = role in GAP_DASHBOARD_ROLES
    assert membership.reads_gap_dashboards is allowed
    assert client.get(reverse("gaps:dashboard")).status_code == (200 if allowed else 403)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    link = f'href="{reverse("gaps:dashboard")}"'
    assert (link in home.content.decode()) is allowed
