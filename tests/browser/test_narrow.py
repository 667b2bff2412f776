"""Narrow screens: at 390 px (a phone) no page is wider than the screen, and wide tables scroll
inside their own box with their first column kept in view; at 1280 px the pupil page shows its
attendance table whole, the rate and the persistent-absence mark included.

Every main page of every role is opened, as collected from the permission tables
(tests/url_tables.py): each page without an object in its address, and the pages of one pupil
the role may open. Downloads (CSV, templates) are left out.
"""

import pytest
from django.urls import reverse

from core.roles import Role
from demo.generator import DEMO_PASSWORD, build_demo
from pupils.models import Pupil, SenStatus
from schools.models import Membership
from tests.url_tables import collect_url_tables

from .test_pages import blocking_violations, describe

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_LOGINS = {
    Role.SENCO: "senco",
    Role.HEAD: "head",
    Role.TEACHER: "teacher",
    Role.TEACHING_ASSISTANT: "ta",
    Role.GOVERNOR: "governor",
    Role.TRUST_LEAD: "trustlead",
}
# Not pages: files to download, and the one-time code step of logging in.
NOT_PAGES = {"imports:template", "accounts:verify"}


def main_pages(role):
    """The URL names (and their extra arguments) of the pages `role` may open: those of the
    school (no object) and those of one pupil; never a download."""
    permissions, _targets, extra_kwargs = collect_url_tables()
    school, pupil = [], []
    for name, (method, roles, target) in sorted(permissions.items()):
        if method != "get" or role not in roles or name in NOT_PAGES or name.endswith("_csv"):
            continue
        if name == "pupils:data_export":
            continue  # a JSON download
        if target is False:
            school.append((name, extra_kwargs.get(name, {})))
        elif target is True:
            pupil.append((name, extra_kwargs.get(name, {})))
    return school, pupil


def pupil_for(membership):
    """A pupil on the SEND record that this membership may open (an EHC plan where there is
    one, for the fullest pages)."""
    pupils = Pupil.objects.for_membership(membership).on_sen_record()
    return pupils.filter(sen_status=SenStatus.EHCP).order_by("pk").first() or pupils.order_by("pk").first()


@pytest.fixture
def demo(transactional_db_with_migration_data):
    return build_demo(pupils=60, seed=5)


def too_wide(page, live_server, paths):
    """{path: the page's width} of each path wider than the screen; fails on a page that does
    not open."""
    wide = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    return wide


@pytest.mark.browser
@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_no_page_is_wider_than_a_phone(page, live_server, login, demo, role):
    login(page, DEMO_LOGINS[role], DEMO_PASSWORD)  # at 1280 px, where the menu is open
    school_pages, pupil_pages = main_pages(role)
    paths = [reverse(name, kwargs=kwargs or None) for name, kwargs in school_pages]
    if pupil_pages:  # staff, who work in a school (a trust lead works across the trust)
        membership = Membership.objects.get(
            user__username=DEMO_LOGINS[role], school=demo["schools"][0].school
        )
        pupil = pupil_for(membership)
        paths += [reverse(name, kwargs={"pk": pupil.pk, **kwargs}) for name, kwargs in pupil_pages]
    # Every role has pages to check; staff have their pupil's pages too.
    assert len(school_pages) >= 8
    assert bool(pupil_pages) == (role not in (Role.GOVERNOR, Role.TRUST_LEAD))
    page.set_viewport_size(PHONE)
    assert too_wide(page, live_server, paths) == {}
    assert not page.log.page_errors and not page.log.csp_messages


@pytest.mark.browser
def test_a_wide_table_scrolls_in_its_own_box_keeping_its_first_column(page, live_server, login, demo):
    login(page, "senco", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('gaps:attendance')}")
    box = page.locator("main .table-responsive").first
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.tabIndex, b.getAttribute('role')]")
    assert sizes[0] > sizes[1], "the first attendance table should be wider than a phone"
    # Reachable by keyboard and named, because it scrolls (WCAG 2.1.1).
    assert sizes[2:] == [0, "region"]
    first_cell = box.locator("tbody tr").first.locator("th, td").first
    before = first_cell.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    after = first_cell.bounding_box()["x"]
    assert box.evaluate("b => b.scrollLeft") > 0
    assert after == pytest.approx(before, abs=1), "the first column scrolled away"
    # And the scrolling boxes pass axe-core at this width (scrollable-region-focusable).
    found = [describe("gap attendance at 390 px", page.url, v) for v in blocking_violations(page)]
    page.goto(f"{live_server.url}{reverse('gaps:dashboard')}")
    found += [describe("gap dashboard at 390 px", page.url, v) for v in blocking_violations(page)]
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_the_pupil_pages_attendance_table_shows_its_last_column_at_1280(page, live_server, login, demo):
    login(page, "senco", DEMO_PASSWORD)
    page.set_viewport_size(DESKTOP)
    pupil = pupil_for(Membership.objects.get(user__username="senco", school=demo["schools"][0].school))
    page.goto(f"{live_server.url}{reverse('pupils:detail', kwargs={'pk': pupil.pk})}")
    table = page.locator("section[aria-labelledby=attendance-h] table").first
    box = table.locator("xpath=..")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the attendance table is cut off"
    header = table.get_by_role("columnheader", name="Attendance", exact=True)
    header_right = header.bounding_box()["x"] + header.bounding_box()["width"]
    box_right = box.bounding_box()["x"] + box.bounding_box()["width"]
    assert header_right <= box_right + 1
    assert header.is_visible()
