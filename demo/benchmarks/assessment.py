"""Grid page and whole-grid save for a class of 30 pupils by 6 subjects (QUALITY.md: page at most
100 ms and 10 queries, save at most 150 ms and 8 queries). Run with `manage.py benchmark --only
assessment` on PostgreSQL for the figures that count."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, AttainmentBand, ProgressBand, Subject
from assessment.selectors import current_point, points_of
from pupils.models import Pupil


def measure(bench):
    school = bench.main.school
    subjects = list(Subject.objects.filter(school=school, retired=False))
    # A class of exactly 30: the first 30 pupils of the largest class.
    school_class = max(bench.main.classes, key=lambda c: Pupil.objects.filter(school_class=c).count())
    pupils = list(
        Pupil.objects.filter(school_class=school_class).order_by("legal_surname", "legal_forename")[:30]
    )
    Pupil.objects.filter(school_class=school_class).exclude(pk__in=[p.pk for p in pupils]).update(
        school_class=None
    )
    point = current_point(points_of(school), timezone.localdate())
    url = reverse("assessment:grid") + f"?point={point.pk}&school_class={school_class.pk}"
    client = bench.client("senco")

    yield (
        f"grid page, class of {len(pupils)} x {len(subjects)} subjects",
        bench.timed(lambda: client.get(url)),
    )

    att = list(AttainmentBand.objects.filter(school=school))
    prog = list(ProgressBand.objects.filter(school=school))
    data = {}
    for i, pupil in enumerate(pupils):
        for j, subject in enumerate(subjects):
            key = f"{pupil.pk}-{subject.pk}"
            data.update(
                {
                    f"a-{key}": att[(i + j) % len(att)].pk,
                    f"g-{key}": prog[(i * j) % len(prog)].pk,
                    f"n-{key}": str(Decimal(20 + (i + j) % 30)),
                    f"v-{key}": "0",
                }
            )
    cells = Assessment.objects.filter(point=point, pupil__in=pupils)

    def clear():
        Assessment.history.model.objects.filter(
            point_id=point.pk, pupil_id__in=[p.pk for p in pupils]
        ).delete()
        cells.delete()

    def save():
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code

    yield (
        f"whole-grid save (new cells), {len(pupils) * len(subjects)} cells",
        bench.timed(save, setup=clear),
    )
