"""The termly grid with pupils on other frameworks (issue 22): each pupil's own framework per
subject at the point, one typed box for its value, values read on that framework, nothing stored
on any error, progress worked out after the save, and query counts that do not grow with the
number of frameworks or pupils.

The school's points of 2025/26 start on 1 September, 3 January and 15 April, so Autumn is as at
2 January 2026 and Spring as at 14 April 2026: three whole months from one to the other."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from assessment.frameworks import kit_add
from assessment.models import (
    Assessment,
    AssessmentPoint,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    Subject,
)
from assessment.services import CellInput, grid_save, scheme_set_up_defaults
from core.roles import Role
from tests.factories import MembershipFactory, PupilFactory, SchoolClassFactory
from tests.queries import access_log_writes

pytestmark = pytest.mark.django_db

SEPT = datetime.date(2025, 9, 1)


def frameworks_of(school):
    """The four frameworks of the mixed class: pre-key stage 2 standards (PK1 to PK6, one a year),
    small steps (S1 and S2 of four steps each, four steps a year), a reading age (twelve months a
    year) and the Engagement Model."""
    pk2 = kit_add(school, "Pre-key stage 2 standards")
    steps = Framework.objects.create(
        school=school, kind="steps", name="Small steps", expected_per_year=4, order=1
    )
    FrameworkStage.objects.create(framework=steps, order=1, code="S1", name="Stage one", steps=4, offset=0)
    FrameworkStage.objects.create(framework=steps, order=2, code="S2", name="Stage two", steps=4, offset=4)
    age = Framework.objects.create(
        school=school, kind="age", name="Reading age", expected_per_year=12, test_name="Salford", order=2
    )
    engagement = Framework.objects.create(school=school, kind="engagement", name="Engagement Model", order=3)
    return {"pk2": pk2, "steps": steps, "age": age, "em": engagement}


def place(pupil, subject, framework, starts_on=SEPT):
    FrameworkPlacement.objects.create(pupil=pupil, subject=subject, framework=framework, starts_on=starts_on)


def stage(framework, code):
    return FrameworkStage.objects.get(framework=framework, code=code)


@pytest.fixture
def mixed(world):
    """Five pupils of one class, in Reading: Adams on the school's scheme, Baker on pre-key stage
    2 standards, Clark on small steps, Davis on a reading age, Evans on the Engagement Model."""
    home = world["A"]
    school = home.school
    scheme_set_up_defaults(school=school, academic_year=2025)
    points = list(AssessmentPoint.objects.filter(school=school).order_by("order"))
    reading = Subject.objects.get(school=school, name="Reading")
    fws = frameworks_of(school)
    pupils = {
        name: PupilFactory(
            school=school, school_class=home.school_class, legal_surname=name, legal_forename="Jo"
        )
        for name in ("Adams", "Baker", "Clark", "Davis", "Evans")
    }
    place(pupils["Baker"], reading, fws["pk2"])
    place(pupils["Clark"], reading, fws["steps"])
    place(pupils["Davis"], reading, fws["age"])
    place(pupils["Evans"], reading, fws["em"])
    # Autumn, saved through the service as the grid saves: Baker PK3, Clark S1.4, Davis 7y 0m.
    by = home.members[Role.SENCO].user
    grid_save(
        point=points[0],
        by=by,
        cells=[
            CellInput(pupils["Baker"].pk, reading.pk, None, None, None, 0, fws["pk2"].pk,
                      stage(fws["pk2"], "PK3").pk, 1, 3),
            CellInput(pupils["Clark"].pk, reading.pk, None, None, None, 0, fws["steps"].pk,
                      stage(fws["steps"], "S1").pk, 4, 4),
            CellInput(pupils["Davis"].pk, reading.pk, None, None, None, 0, fws["age"].pk, score=Decimal(84)),
        ],
    )  # fmt: skip
    return home, points, reading, fws, pupils


def url_of(point, school_class):
    return reverse("assessment:grid") + f"?point={point.pk}&school_class={school_class.pk}"


def post_json(client, url, fields):
    return client.post(
        url, json.dumps({"fields": fields}), content_type="application/json", HTTP_ACCEPT="application/json"
    )


def key(pupil, subject):
    return f"{pupil.pk}-{subject.pk}"


def test_each_pupil_has_their_own_framework_in_the_row(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.SENCO].user)
    page = client.get(url_of(points[1], home.school_class)).content.decode()
    # Rows in surname order: Adams 1, Baker 2, Clark 3, ClassA (the world's pupil) 4, Davis 5.
    # Adams keeps the three boxes of the school's scheme.
    assert f'name=a-{key(pupils["Adams"], reading)} value=""' in page
    assert f'name=n-{key(pupils["Adams"], reading)} value=""' in page
    # Baker has one box on pre-key stage 2 standards, named by subject, framework and pupil, and
    # Autumn's PK3 under it; no band boxes.
    pk2 = fws["pk2"].pk
    assert (
        f'name=f-{key(pupils["Baker"], reading)} value="" list=grid-k{pk2} aria-labelledby="f1 k{pk2} p2">'
        f"<i>PK3</i>"
    ) in page
    assert f"name=a-{key(pupils['Baker'], reading)}" not in page
    assert '<span id="f1">Reading on</span>' in page
    assert f'<span id="k{pk2}">Pre-key stage 2 standards for</span>' in page
    assert f'<datalist id="grid-k{pk2}"><option value="PK1" label="Standard 1">' in page
    # Clark was S1.4 and Davis 7y 0m; Davis's box is named with the reading age.
    assert f'aria-labelledby="f1 k{fws["steps"].pk} p3"><i>S1.4</i>' in page
    assert f'aria-labelledby="f1 k{fws["age"].pk} p5"><i>7y 0m</i>' in page
    # Evans has no box: the cell says Engagement Model and links to the observations.
    assert f"name=f-{key(pupils['Evans'], reading)}" not in page
    assert '<td colspan=3 class="grid-em"><span class=grid-fw-name>Engagement Model</span><a href="' in page
    assert "Observations<span class=visually-hidden> of Evans, Jo (Reading)</span>" in page
    observations = reverse("assessment:engagement", args=[pupils["Evans"].pk])
    assert page.count(f'<a href="{observations}">Observations') == 1  # Reading only
    # The help says how each framework is typed.
    assert "<strong>Pre-key stage 2 standards</strong>: PK1 to PK6" in page
    assert "<strong>Small steps</strong>: a stage and step, such as S1.1 (stages S1, S2)" in page
    assert "<strong>Reading age</strong> (Salford): years and months, such as 7y 6m (3y 0m to 17y 0m)" in page
    # In Writing every pupil is on the scheme: three boxes each.
    writing = Subject.objects.get(school=home.school, name="Writing")
    assert f"name=a-{key(pupils['Baker'], writing)}" in page


def test_json_save_stores_framework_values_and_their_progress(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.SENCO].user)
    url = url_of(points[1], home.school_class)
    response = post_json(
        client,
        url,
        {
            f"a-{key(pupils['Adams'], reading)}": "OT",
            f"f-{key(pupils['Baker'], reading)}": "pk4",
            f"f-{key(pupils['Clark'], reading)}": "S2.3",
            f"f-{key(pupils['Davis'], reading)}": "7y 6m",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Saved 4 changes."
    spring = {
        a.pupil_id: a for a in Assessment.objects.filter(point=points[1]).select_related("framework", "stage")
    }
    adams, baker, clark, davis = (spring[pupils[n].pk] for n in ("Adams", "Baker", "Clark", "Davis"))
    assert (adams.framework, adams.attainment.code, adams.expected_met) == (None, "OT", None)
    # Baker: PK3 to PK4 is one standard in three months; one a year expects none before twelve.
    assert (baker.framework, baker.stage.code, baker.step, baker.place) == (fws["pk2"], "PK4", 1, 4)
    assert (baker.attainment_id, baker.progress_id, baker.points) == (None, None, None)
    assert (baker.gained, baker.months, baker.expected_met) == (1, 3, True)
    # Clark: S1.4 (place 4) to S2.3 (4 + 3 = 7) is three steps; four a year expect 4 x 3 / 12 = 1.
    assert (clark.stage.code, clark.step, clark.place, clark.gained, clark.expected_met) == (
        "S2",
        3,
        7,
        3,
        True,
    )
    # Davis: 84 months to 90 is six months gained in three; twelve a year expect three.
    assert (davis.score, davis.gained, davis.months, davis.expected_met) == (90, 6, 3, True)
    assert baker.history.count() == 1
    # The page shows the values back as typed on each framework, at version 1.
    page = client.get(url).content.decode()
    assert f'name=f-{key(pupils["Baker"], reading)} value="PK4"' in page
    assert f'name=f-{key(pupils["Clark"], reading)} value="S2.3"' in page
    assert f'name=f-{key(pupils["Davis"], reading)} value="7y 6m"' in page
    # Saving the same again changes nothing.
    again = post_json(
        client, url, {f"f-{key(pupils['Baker'], reading)}": "PK4", f"v-{key(pupils['Baker'], reading)}": "1"}
    )
    assert again.json()["saved"] == {key(pupils["Baker"], reading): 1}
    assert baker.history.count() == 1


def test_values_not_on_the_framework_store_nothing_and_name_pupil_and_subject(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.SENCO].user)
    before = Assessment.objects.count()
    response = post_json(
        client,
        url_of(points[1], home.school_class),
        {
            f"a-{key(pupils['Adams'], reading)}": "OT",  # good, but not stored either
            f"f-{key(pupils['Baker'], reading)}": "PK7",
            f"f-{key(pupils['Clark'], reading)}": "S1.5",
            f"f-{key(pupils['Davis'], reading)}": "40",
            f"a-{key(pupils['Evans'], reading)}": "OT",  # the Engagement Model has no value here
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Nothing was saved: 4 cells need correcting (marked in the grid)."
    assert [e["message"] for e in body["errors"]] == [
        "Baker, Jo, Reading: “PK7” is not on Pre-key stage 2 standards: its codes are PK1, PK2, PK3, "
        "PK4, PK5, PK6.",
        "Clark, Jo, Reading: S1 Stage one has 4 steps: type S1.1 to S1.4. (on Small steps)",
        "Davis, Jo, Reading: 40y 0m is outside Reading age's range, 3y 0m to 17y 0m.",
        "Evans, Jo, Reading: this pupil is assessed on Engagement Model in this subject at this point, "
        "not on the school's bands: reload the grid and type a value on it",
    ]
    assert Assessment.objects.count() == before
    assert not Assessment.objects.filter(point=points[1]).exists()


def test_form_without_javascript_saves_and_refuses_framework_values(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.SENCO].user)
    url = url_of(points[1], home.school_class)
    baker, davis = key(pupils["Baker"], reading), key(pupils["Davis"], reading)
    refused = client.post(url, {f"f-{baker}": "PK2.2", f"f-{davis}": "8y", "versions": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    # PK2 is one standard, with no steps; the message names the pupil and subject at the top.
    assert (
        "Nothing was saved: 1 cell needs correcting (marked below). Baker, Jo, Reading: PK2 Standard 2"
        in page
    )
    assert f'name=f-{baker} value="PK2.2"' in page
    assert not Assessment.objects.filter(point=points[1]).exists()
    saved = client.post(url, {f"f-{baker}": "PK2", f"f-{davis}": "8y", "versions": ""})
    assert saved.status_code == 302
    stored = {a.pupil_id: a for a in Assessment.objects.filter(point=points[1])}
    # PK3 in autumn to PK2 in spring: one standard lost, below the expected none.
    assert (stored[pupils["Baker"].pk].place, stored[pupils["Baker"].pk].gained) == (2, -1)
    assert stored[pupils["Baker"].pk].expected_met is False
    assert (stored[pupils["Davis"].pk].score, stored[pupils["Davis"].pk].gained) == (96, 12)


def test_a_framework_cell_changed_meanwhile_is_a_conflict(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.TEACHER].user)
    baker = key(pupils["Baker"], reading)
    # Autumn's PK3 is at version 1; the teacher's page loaded it at version 0 (empty).
    response = post_json(
        client, url_of(points[0], home.school_class), {f"f-{baker}": "PK4", f"v-{baker}": "0"}
    )
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert (conflict["key"], conflict["version"], conflict["shown"]) == (
        baker,
        1,
        "PK3 (Pre-key stage 2 standards)",
    )
    assert Assessment.objects.get(pupil=pupils["Baker"], point=points[0]).stage.code == "PK3"


def test_a_pupil_placed_elsewhere_keeps_the_old_value_until_one_is_typed(client, mixed):
    home, points, reading, fws, pupils = mixed
    # From 1 December Baker is on small steps: Autumn (as at 2 January) shows the small steps box,
    # with PK3 noted as kept; an empty box leaves it, a value replaces it.
    place(pupils["Baker"], reading, fws["steps"], datetime.date(2025, 12, 1))
    client.force_login(home.members[Role.SENCO].user)
    url = url_of(points[0], home.school_class)
    baker = key(pupils["Baker"], reading)
    page = client.get(url).content.decode()
    assert f'name=f-{baker} value="" list=grid-k{fws["steps"].pk}' in page
    assert "Kept on Pre-key stage 2 standards: PK3" in page
    assert client.post(url, {f"f-{baker}": "", "versions": f"{baker}:1"}).status_code == 302
    assert Assessment.objects.get(pupil=pupils["Baker"], point=points[0]).stage.code == "PK3"
    assert client.post(url, {f"f-{baker}": "S1.1", "versions": f"{baker}:1"}).status_code == 302
    cell = Assessment.objects.get(pupil=pupils["Baker"], point=points[0])
    assert (cell.framework_id, cell.stage.code, cell.place, cell.version) == (fws["steps"].pk, "S1", 1, 2)


def test_grid_csv_gives_the_framework_value(client, mixed):
    home, points, reading, fws, pupils = mixed
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:grid_csv") + f"?point={points[0].pk}&school_class={home.school_class.pk}"
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert "Reading other framework" in text
    assert "PK3 (Pre-key stage 2 standards)" in text
    assert "Engagement Model" in text


# -- query counts: four frameworks mixed as one, a class of 30 as a year group of 300 ----------


def _is_write(sql):
    return sql.startswith(("INSERT", "UPDATE"))


def _reads(captured):
    return sum(
        not _is_write(q["sql"]) and q["sql"] not in ("BEGIN", "COMMIT") for q in captured.captured_queries
    )


VALUES = {"pk2": ("PK2", "PK3"), "steps": ("S1.2", "S1.4"), "age": ("8y 0m", "8y 6m")}


def _counts(client, django_assert_max_num_queries, size, mixed):
    """A class of `size` (a year group when 300) by four subjects, every pupil on a framework in
    every subject: on pre-key stage 2 standards only, or (mixed) by turns on the school's scheme,
    the standards, small steps, a reading age and the Engagement Model. The page, then a save of
    every box (new), then again with every value changed at its version (progress worked out)."""
    membership = MembershipFactory(role=Role.SENCO)
    school = membership.school
    scheme_set_up_defaults(school=school, academic_year=2025)
    fws = frameworks_of(school)
    school_class = SchoolClassFactory(school=school)
    pupils = PupilFactory.create_batch(size, school=school, school_class=school_class, year_group=4)
    subjects = list(Subject.objects.filter(school=school))
    turns = ["main", "pk2", "steps", "age", "em"] if mixed else ["pk2"]
    on = {p.pk: turns[i % len(turns)] for i, p in enumerate(pupils)}
    FrameworkPlacement.objects.bulk_create(
        FrameworkPlacement(pupil=p, subject=s, framework=fws[on[p.pk]], starts_on=SEPT)
        for p in pupils
        for s in subjects
        if on[p.pk] != "main"
    )
    point = AssessmentPoint.objects.get(school=school, academic_year=2025, order=1)
    url = (
        url_of(point, school_class)
        if size < 300
        else reverse("assessment:grid") + f"?point={point.pk}&year_group=4"
    )
    client.force_login(membership.user)
    with django_assert_max_num_queries(30) as page:
        response = client.get(url)
        assert response.status_code == 200
    html = response.content.decode()
    fields = {}
    for p in pupils:
        for s in subjects:
            k = f"{p.pk}-{s.pk}"
            if on[p.pk] == "main":
                fields.update({f"a-{k}": "OT", f"g-{k}": "E", f"n-{k}": "14"})
            elif on[p.pk] != "em":
                fields[f"f-{k}"] = VALUES[on[p.pk]][0]
    boxes = len([n for n in fields])
    assert html.count("<input name=") == boxes
    # SQLite writes a year group's new cells in batches of its 999 parameters: the reads are
    # what must not grow, and the writes are counted on PostgreSQL below.
    most = 30 if connection.vendor == "postgresql" else 100
    with django_assert_max_num_queries(most) as save:
        response = post_json(client, url, fields)
        assert response.status_code == 200, response.content[:300]
    changed = {n: VALUES[on[int(n.split("-")[1])]][1] for n in fields if n.startswith("f-")}
    changed.update({n: v for n, v in fields.items() if not n.startswith("f-")})
    changed.update({f"v-{k}": str(v) for k, v in response.json()["saved"].items()})
    with django_assert_max_num_queries(most) as again:
        assert post_json(client, url, changed).status_code == 200
    # Every framework value moved on: progress is kept on each (none gained in no months: the
    # baseline is the cell itself, so the rows of the second save are their own baselines).
    return len(page), _reads(save), _reads(again), sum(_is_write(q["sql"]) for q in again.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_query_counts_same_for_four_frameworks_as_one_and_for_300_as_30(
    client, django_assert_max_num_queries
):
    one_30 = _counts(client, django_assert_max_num_queries, 30, mixed=False)
    mixed_30 = _counts(client, django_assert_max_num_queries, 30, mixed=True)
    mixed_300 = _counts(client, django_assert_max_num_queries, 300, mixed=True)
    assert one_30[:3] == mixed_30[:3] == mixed_300[:3]
    page, save, again, writes = mixed_30
    # The page: session, user, membership; points (with their as-at dates) and the scheme,
    # classes, pupils, one UNION of subjects, bands, frameworks, stages and the placements in
    # force, the cells of this point, the targets (none here, so no read of their values): 9, and
    # the access log's 8 writes.
    assert page == 9 + access_log_writes()
    # The save: session, user, membership, the point with its scheme and as-at date, the UNION
    # (with pupils and placements), the stored cells; then progress_refresh's two reads (the
    # school's points, the framework rows of the pupils saved): 8.
    assert (save, again) == (8, 8)
    if connection.vendor == "postgresql":
        # The second save: one UPDATE of the cells, one INSERT of their history; nothing of
        # progress changes (each value is the first of its year on its framework).
        assert writes == 2
