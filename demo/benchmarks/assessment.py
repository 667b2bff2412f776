"""The termly grid for a class of 30 and for a whole year group (QUALITY.md: the class page at
most 100 ms, 10 queries and 60 KB of HTML, its save at most 150 ms and 8 queries; the year group
page at most 500 ms, saving every cell at most 1 s). Saves are made as the page's script makes
them: the changed cells as JSON. Run with `manage.py benchmark --only assessment` on PostgreSQL
for the figures that count."""

import json
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from assessment.frameworks import kit_add
from assessment.models import (
    Assessment,
    AttainmentBand,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    ProgressBand,
    Subject,
)
from assessment.selectors import current_point, points_of
from pupils.models import Pupil


def measure(bench):
    school = bench.main.school
    subjects = list(Subject.objects.filter(school=school, retired=False))
    point = current_point(points_of(school), timezone.localdate())
    client = bench.client("senco")
    att = list(AttainmentBand.objects.filter(school=school))
    prog = list(ProgressBand.objects.filter(school=school))

    # A class of exactly 30: the first 30 pupils of the largest class.
    school_class = max(bench.main.classes, key=lambda c: Pupil.objects.filter(school_class=c).count())
    pupils = list(
        Pupil.objects.filter(school_class=school_class).order_by("legal_surname", "legal_forename")[:30]
    )
    Pupil.objects.filter(school_class=school_class).exclude(pk__in=[p.pk for p in pupils]).update(
        school_class=None
    )
    url = reverse("assessment:grid") + f"?point={point.pk}&school_class={school_class.pk}"
    yield from _grid(bench, client, url, point, pupils, subjects, att, prog, f"class of {len(pupils)}")

    # The largest year group on roll, whole (the secondary profile's are 300).
    year = (
        Pupil.objects.filter(school=school, archived_at__isnull=True)
        .values("year_group")
        .annotate(n=Count("pk"))
        .order_by("-n", "year_group")
        .first()
    )
    pupils = list(
        Pupil.objects.filter(school=school, archived_at__isnull=True, year_group=year["year_group"])
    )
    url = reverse("assessment:grid") + f"?point={point.pk}&year_group={year['year_group']}"
    yield from _grid(bench, client, url, point, pupils, subjects, att, prog, f"year group of {len(pupils)}")
    yield from _mixed(bench, client, url, point, pupils, subjects)


def _grid(bench, client, url, point, pupils, subjects, att, prog, what):
    size = f"{what} x {len(subjects)} subjects"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    yield f"grid page, {size}", bench.timed(lambda: client.get(url))
    yield f"grid page HTML, {size}", f"{len(page.content):,} bytes"

    fields = {}
    for i, pupil in enumerate(pupils):
        for j, subject in enumerate(subjects):
            key = f"{pupil.pk}-{subject.pk}"
            fields.update(
                {
                    f"a-{key}": att[(i + j) % len(att)].code,
                    f"g-{key}": prog[(i * j) % len(prog)].code,
                    f"n-{key}": str(Decimal(20 + (i + j) % 30)),
                    f"v-{key}": "0",
                }
            )
    body = json.dumps({"fields": fields})
    cells = Assessment.objects.filter(point=point, pupil__in=pupils)

    def clear():
        Assessment.history.model.objects.filter(
            point_id=point.pk, pupil_id__in=[p.pk for p in pupils]
        ).delete()
        cells.delete()

    def save():
        response = client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (response.status_code, response.content[:200])

    yield (
        f"save of every cell (new), {len(pupils) * len(subjects)} cells, {len(body):,} bytes of JSON",
        bench.timed(save, setup=clear),
    )


def _mixed(bench, client, url, point, pupils, subjects):
    """The same year group with its pupils by turns on the school's scheme, pre-key stage 2
    standards, small steps, a reading age and the Engagement Model (issue 22), every subject:
    the page, and a save of every box. The placements and cells are taken away after."""
    school = point.school
    frameworks = [
        kit_add(school, "Pre-key stage 2 standards"),
        Framework.objects.get_or_create(school=school, name="Benchmark small steps", kind="steps")[0],
        Framework.objects.get_or_create(school=school, name="Benchmark reading age", kind="age")[0],
        Framework.objects.get_or_create(school=school, name="Benchmark engagement", kind="engagement")[0],
    ]
    FrameworkStage.objects.get_or_create(
        framework=frameworks[1], order=1, code="S1", name="Stage one", steps=6
    )
    turns = [None, *frameworks]
    on = {p.pk: turns[i % len(turns)] for i, p in enumerate(pupils)}
    placed = FrameworkPlacement.objects.bulk_create(
        FrameworkPlacement(pupil=p, subject=s, framework=on[p.pk], starts_on=point.starts_on)
        for p in pupils
        for s in subjects
        if on[p.pk] is not None
    )
    typed = {"standards": "PK2", "steps": "S1.3", "age": "8y 6m"}
    fields = {}
    for pupil in pupils:
        for subject in subjects:
            key, framework = f"{pupil.pk}-{subject.pk}", on[pupil.pk]
            if framework is None:
                fields.update({f"a-{key}": "", f"v-{key}": "0"})
            elif framework.kind in typed:
                fields.update({f"f-{key}": typed[framework.kind], f"v-{key}": "0"})
    body = json.dumps({"fields": fields})
    cells = Assessment.objects.filter(point=point, pupil__in=pupils)
    size = f"mixed year group of {len(pupils)} (scheme and four frameworks) x {len(subjects)} subjects"

    def clear():
        pupil_ids = [p.pk for p in pupils]
        Assessment.history.model.objects.filter(point_id=point.pk, pupil_id__in=pupil_ids).delete()
        cells.delete()

    def save():
        response = client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (response.status_code, response.content[:200])

    try:
        clear()
        assert client.get(url).status_code == 200
        yield f"grid page, {size}", bench.timed(lambda: client.get(url))
        yield f"save of every framework box (new), {size}", bench.timed(save, setup=clear)
    finally:
        clear()
        FrameworkPlacement.objects.filter(pk__in=[p.pk for p in placed]).delete()
