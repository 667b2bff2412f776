"""Every main page of the Assess, Plan and do, Review cycle in a real browser, on the demo data a
new user gets from `make run`: each opens, passes axe-core with no serious or critical violation,
breaks no Content-Security-Policy rule and asks nothing of another origin."""

from urllib.parse import urlsplit

import pytest

from demo.generator import DEMO_PASSWORD, build_demo
from pupils.models import Pupil, SenStatus

from .test_pages import blocking_violations, describe

PAGES = [
    ("gap analysis", "gaps:dashboard"),
    ("gap grids", "gaps:grid"),
    ("attendance and exclusions", "gaps:attendance"),
    ("assessment scheme", "assessment:scheme"),
    ("attendance entry", "attendance:grid"),
    ("interventions", "interventions:list"),
    ("provision map", "interventions:provision_map"),
    ("impact", "interventions:impact"),
    ("action plan", "interventions:action_plan"),
    ("evidence log", "evidence:list"),
    ("Part Two questions", "evidence:part_two"),
    ("conversations", "evidence:conversations"),
    ("plans and reviews", "plans:index"),
    ("reports", "reports:index"),
    ("SEF summary", "reports:sef"),
    ("judgement prompts", "reports:prompts"),
    ("two-factor", "accounts:two_factor"),
    ("data retention", "retention:review"),
]


@pytest.fixture
def demo(transactional_db_with_migration_data):
    return build_demo(pupils=60, seed=5)


@pytest.mark.browser
def test_every_main_page_opens_accessibly_as_the_senco(page, live_server, login, demo):
    from django.urls import reverse

    login(page, "senco", DEMO_PASSWORD)
    ehcp_pupil = Pupil.objects.filter(school=demo["schools"][0].school, sen_status=SenStatus.EHCP).first()
    pages = [(label, reverse(name)) for label, name in PAGES]
    pages.append(("pupil page with timeline", reverse("pupils:detail", kwargs={"pk": ehcp_pupil.pk})))
    found, statuses = [], {}
    for label, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        statuses[label] = response.status
        found += [describe(label, page.url, v) for v in blocking_violations(page)]
    assert statuses == {label: 200 for label, _ in pages}
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages
    origin = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in page.log.requests if url.startswith("http")} == {origin}
