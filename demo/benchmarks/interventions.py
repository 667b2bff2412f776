"""`manage.py benchmark --only interventions`: the provision map and impact pages (SENCO and
governor), the provision-map CSV and PDF, and a run's monitoring sheet, on the scale profile."""

from django.urls import reverse
from django.utils import timezone

from core.calendar import academic_year_of
from interventions.models import InterventionRun


def measure(bench):
    senco, governor = bench.client("senco"), bench.client("governor")
    # Last academic year: its runs are finished, so impact has every figure to compute.
    year = academic_year_of(timezone.localdate()) - 1

    def get(client, name, **params):
        def fetch():
            response = client.get(reverse(name), {"year": year, **params})
            assert response.status_code == 200, response.status_code

        return fetch

    yield ("provision map page, SENCO", bench.timed(get(senco, "interventions:provision_map")))
    yield ("provision map page, governor", bench.timed(get(governor, "interventions:provision_map")))
    yield ("impact page, SENCO", bench.timed(get(senco, "interventions:impact")))
    yield ("impact page, governor", bench.timed(get(governor, "interventions:impact")))
    yield ("provision map CSV, SENCO", bench.timed(get(senco, "interventions:provision_map_csv")))
    yield (
        "provision map PDF, SENCO",
        bench.timed(get(senco, "interventions:provision_map", format="pdf"), repeat=3),
    )
    run = (
        InterventionRun.objects.filter(intervention__school=bench.main.school, end_date__isnull=False)
        .order_by("start_date")
        .first()
    )
    if run is None:
        yield ("monitoring sheet", "no run in the demo")
        return

    def sheet():
        assert senco.get(reverse("interventions:run", kwargs={"pk": run.pk})).status_code == 200

    yield ("monitoring sheet (Appendix C) page, SENCO", bench.timed(sheet))
