"""`manage.py benchmark --only gaps`: the school gap dashboard on the profile's main school,
beside the time of the raw SQL aggregate queries it needs (its floor)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def measure(bench):
    client = bench.client("senco")
    url = reverse("gaps:dashboard")

    def get_page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page = bench.timed(get_page)
    yield "gap dashboard (overview), SENCO", page
    # The floor: the same SQL the page sends, replayed raw through the cursor.
    with CaptureQueriesContext(connection) as captured:
        get_page()
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    floor = bench.timed(raw)
    yield "its raw SQL (floor)", floor
    yield (
        "ratio page / floor",
        f"{page.median_ms / floor.median_ms:.2f}x (target at most 2x; page target 150 ms)",
    )
    grid_url = reverse("gaps:grid")
    yield "C grids and gaps, SENCO", bench.timed(lambda: client.get(grid_url))
    yield (
        "E to H attendance, governor",
        bench.timed(lambda: bench.client("governor").get(reverse("gaps:attendance"))),
    )
