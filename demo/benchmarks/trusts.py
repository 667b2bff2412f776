"""`manage.py benchmark --only trusts`: the trust comparison page as the trust lead reads it
(every school of the trust, from the rollup), its query count beside the number of schools, and
one school's rollup refresh (what a change to the school's figures costs, after the commit).
QUALITY.md's target on the trust profile: the page in at most 1 s, its query count constant in
the number of schools."""

from django.urls import reverse

from schools.models import School
from trusts.services import rollup_refresh


def measure(bench):
    client = bench.client("trustlead")
    url = reverse("trusts:comparison")

    def get_page(params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code

    schools = School.objects.filter(organisation_id=bench.main.school.organisation_id).count()
    yield f"trust comparison, {schools} schools", bench.timed(get_page)
    yield (
        f"trust comparison sorted by attainment gap, {schools} schools",
        bench.timed(lambda: get_page({"sort": "attainment", "order": "desc"})),
    )
    yield (
        "rollup refresh of the main school (after a change)",
        bench.timed(lambda: rollup_refresh(school_id=bench.main.school.pk), repeat=min(bench.repeat, 3)),
    )
