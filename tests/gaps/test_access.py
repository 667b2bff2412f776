"""The menu item and the screens are decided by the same action of the role policy
(core.policy "gaps.view", read in templates/_nav.html through the `may` filter)."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_menu_item_shows_exactly_to_the_roles_that_may_open_the_screens(client, role):
    membership = MembershipFactory(school=SchoolFactory(), role=role)
    client.force_login(membership.user)
    # By the product's roles table: leaders read the gap dashboards, governors and trust leads
    # their suppressed figures; teachers and teaching assistants do not.
    allowed = role in {Role.SENCO, Role.HEAD, Role.GOVERNOR, Role.TRUST_LEAD}
    assert client.get(reverse("gaps:dashboard")).status_code == (200 if allowed else 403)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    link = f'href="{reverse("gaps:dashboard")}"'
    assert (link in home.content.decode()) is allowed
