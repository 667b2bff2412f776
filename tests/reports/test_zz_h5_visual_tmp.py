import pytest

from core.roles import Role
from tests.browser.conftest import chromium_browser, login, page  # noqa: F401
from tests.reports.conftest import build_cohort

pytestmark = pytest.mark.browser


def test_shots(page, login, live_server, transactional_db_with_migration_data):  # noqa: F811
    cohort = build_cohort()
    login(page, cohort.members[Role.HEAD].user.username)
    page.goto(f"{live_server.url}/reports/sef/?year={cohort.year}")
    page.locator("svg.chart").first.screenshot(path="/tmp/h5/page_chart.png")
    page.locator("svg.chart").nth(2).screenshot(path="/tmp/h5/page_chart_trend.png") if page.locator("svg.chart").count() > 2 else None
    page.screenshot(path="/tmp/h5/page_full.png", full_page=True)
    response = page.request.get(f"{live_server.url}/reports/sef/?year={cohort.year}&format=pdf")
    open("/tmp/h5/sef.pdf", "wb").write(response.body())
