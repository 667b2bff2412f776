"""The pages that show or edit the lines of the scheme (issue 13) in a real browser: B's table of
every line by SEN status and the progress bands editor pass axe-core."""

import pytest

from demo.generator import DEMO_PASSWORD, build_demo

from .test_pages import blocking_violations, describe


@pytest.fixture
def demo(transactional_db_with_migration_data):
    return build_demo(pupils=60, seed=5)


@pytest.mark.browser
def test_line_pages_open_accessibly(page, live_server, login, demo):
    from django.urls import reverse  # after the live server's settings are in place

    login(page, "senco", DEMO_PASSWORD)
    pages = [
        ("B by SEN status", reverse("gaps:attainment")),
        ("progress bands", reverse("assessment:scheme_bands", kwargs={"kind": "progress"})),
    ]
    found = []
    for label, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert response.status == 200, label
        found += [describe(label, page.url, v) for v in blocking_violations(page)]
        if label == "B by SEN status":
            assert page.get_by_role("rowheader", name="Made more than expected progress").first.is_visible()
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
