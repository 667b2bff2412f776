import json
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject, Target
from assessment.services import CellInput, assessment_points_ensure, grid_save, scheme_set_up_defaults
from core.roles import Role
from tests.factories import (
    MembershipFactory,
    PupilFactory,
    SchoolClassFactory,
    UserFactory,
    assessment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    home = world["A"]
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    scheme = home.school.assessment_scheme
    scheme.measure_min, scheme.measure_max = 0, 60
    scheme.save()
    points = list(AssessmentPoint.objects.filter(school=home.school))
    return home, points


def bands(school):
    att = {b.code: b.pk for b in AttainmentBand.objects.filter(school=school)}
    prog = {b.code: b.pk for b in ProgressBand.objects.filter(school=school)}
    return att, prog


def grid_url(point, school_class):
    return reverse("assessment:grid") + f"?point={point.pk}&school_class={school_class.pk}"


def grid_year_url(point, year_group):
    return reverse("assessment:grid") + f"?point={point.pk}&year_group={year_group}"


def test_default_scheme_matches_part_one_c(setup):
    home, points = setup
    assert [s.name for s in Subject.objects.filter(school=home.school)] == [
        "Reading",
        "Writing",
        "Maths",
        "GPS",
    ]
    assert [b.label for b in AttainmentBand.objects.filter(school=home.school)] == [
        "Below ARE",
        "On track to achieve ARE",
        "Exceeded ARE",
    ]
    assert [p.name for p in points] == ["Autumn", "Spring", "Summer"]
    assert home.school.assessment_scheme.expected_progress_per_year == 4
    # Setting up again changes nothing.
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    assert Subject.objects.filter(school=home.school).count() == 4


def test_senco_saves_grid_and_sees_values_after_reload(client, setup):
    home, points = setup
    att, prog = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    pupil = home.class_pupil
    client.force_login(home.members[Role.SENCO].user)
    url = grid_url(points[0], home.school_class)
    key = f"{pupil.pk}-{reading.pk}"
    # Without JavaScript the page posts every box as a form; bands are typed as their codes, in
    # any case.
    response = client.post(url, {f"a-{key}": "ot", f"g-{key}": "E", f"n-{key}": "17.5", "versions": ""})
    assert response.status_code == 302
    stored = Assessment.objects.get()
    assert (stored.attainment_id, stored.progress_id, stored.points) == (
        att["OT"],
        prog["E"],
        Decimal("17.5"),
    )
    page = client.get(url).content.decode()
    assert f'name=a-{key} value="OT"' in page
    assert f'name=n-{key} value="17.5"' in page
    assert f'name="versions" value="{key}:1"' in page
    assert "Saved 1 cell." in page


def test_previous_point_value_is_shown(client, setup):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    assessment_create(
        pupil=home.class_pupil,
        point=points[0],
        subject=reading,
        attainment_id=att["B"],
        points=Decimal("12"),
    )
    client.force_login(home.members[Role.SENCO].user)
    page = client.get(grid_url(points[1], home.school_class)).content.decode()
    # Under the empty boxes of Spring: Autumn's B, no progress band, 12.0 ("was" comes from the
    # stylesheet, not 540 times from the page).
    label = "1 p1"  # Reading is the first column, the class's one pupil the first row
    assert f'aria-labelledby="a{label}"><i>B</i>' in page
    assert f'aria-labelledby="g{label}"><i>—</i>' in page
    assert f'aria-labelledby="n{label}"><i>12.0</i>' in page


def test_second_save_over_changed_cell_is_refused_and_both_values_shown(client, setup):
    home, points = setup
    att, prog = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    writing = Subject.objects.get(school=home.school, name="Writing")
    pupil = home.class_pupil
    teacher = home.members[Role.TEACHER].user
    url = grid_url(points[0], home.school_class)
    r_key, w_key = f"{pupil.pk}-{reading.pk}", f"{pupil.pk}-{writing.pk}"
    # The SENCO saved reading = EX (version 1) after the teacher loaded the empty grid.
    grid_save(
        point=points[0],
        by=home.members[Role.SENCO].user,
        cells=[CellInput(pupil.pk, reading.pk, att["EX"], None, None, 0)],
    )
    client.force_login(teacher)
    response = client.post(url, {f"a-{r_key}": "B", f"a-{w_key}": "OT", "versions": ""})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Conflict:" in page and "EX" in page
    assert "Saved 1 cell. 1 cell was changed by someone else" in page
    stored = {a.subject_id: a.attainment_id for a in Assessment.objects.all()}
    assert stored == {reading.pk: att["EX"], writing.pk: att["OT"]}  # reading not overwritten
    # Saving again with the version now shown keeps the teacher's value.
    assert f'name="versions" value="{r_key}:1 {w_key}:1"' in page
    response = client.post(url, {f"a-{r_key}": "B", f"a-{w_key}": "OT", "versions": f"{r_key}:1 {w_key}:1"})
    assert response.status_code == 302
    assert Assessment.objects.get(subject=reading).attainment_id == att["B"]
    assert Assessment.objects.get(subject=reading).history.count() == 2


def test_bad_cells_save_nothing_and_keep_what_was_typed(client, setup):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    writing = Subject.objects.get(school=home.school, name="Writing")
    pupil = home.class_pupil
    client.force_login(home.members[Role.SENCO].user)
    r_key, w_key = f"{pupil.pk}-{reading.pk}", f"{pupil.pk}-{writing.pk}"
    response = client.post(
        grid_url(points[0], home.school_class),
        {
            f"a-{r_key}": "OT",
            f"n-{r_key}": "75",  # over the scheme's 60
            f"n-{w_key}": "lots",
            f"a-{w_key}": "ZZ",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved: 2 cells need correcting" in page
    assert "must be between 0 and 60" in page and "is not a number" in page
    assert "“ZZ” is not an attainment band: type one of B, OT, EX" in page
    assert f'name=n-{w_key} value="lots"' in page and f'name=a-{w_key} value="ZZ"' in page
    assert not Assessment.objects.exists()


def test_posted_cells_for_pupils_outside_the_grid_are_ignored(client, setup, world):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    client.force_login(home.members[Role.TEACHER].user)
    outsider = world["B"].class_pupil
    other = home.other_pupil
    client.post(
        grid_url(points[0], home.school_class),
        {
            f"a-{outsider.pk}-{reading.pk}": "OT",
            f"a-{other.pk}-{reading.pk}": "OT",
        },
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        (Role.SENCO, 200, 302),
        (Role.TEACHER, 200, 302),
        (Role.HEAD, 200, 403),
        (Role.TEACHING_ASSISTANT, 403, 403),
        (Role.GOVERNOR, 403, 403),
        (Role.TRUST_LEAD, 403, 403),
    ],
)
def test_who_may_read_and_save_the_grid(client, setup, role, get_status, post_status):
    home, points = setup
    client.force_login(home.members[role].user)
    url = grid_url(points[0], home.school_class)
    assert client.get(url).status_code == get_status
    assert client.post(url, {}).status_code == post_status


def test_teacher_cannot_open_another_class_grid(client, setup):
    home, points = setup
    other_class = SchoolClassFactory(school=home.school, name="4 Other")
    client.force_login(home.members[Role.TEACHER].user)
    response = client.get(grid_url(points[0], other_class))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def _class_of(n, subjects=6, *, year_group=4):
    membership = MembershipFactory(role=Role.SENCO)
    scheme_set_up_defaults(school=membership.school, academic_year=2025)
    # The primary default has four subjects; QUALITY.md's grid is 30 pupils by 6 subjects.
    for i in range(4, subjects):
        Subject.objects.create(school=membership.school, name=f"Subject {i}", order=i)
    school_class = SchoolClassFactory(school=membership.school)
    pupils = PupilFactory.create_batch(
        n, school=membership.school, school_class=school_class, year_group=year_group
    )
    return membership, school_class, pupils


def _is_write(sql):
    return sql.startswith(("INSERT", "UPDATE"))


def _reads(captured):
    """Queries that are neither writes nor transaction control (SQLite logs BEGIN and COMMIT,
    PostgreSQL does not)."""
    return sum(
        not _is_write(q["sql"]) and q["sql"] not in ("BEGIN", "COMMIT") for q in captured.captured_queries
    )


def post_json(client, url, fields, **extra):
    return client.post(
        url,
        json.dumps({"fields": fields}),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **extra,
    )


def _grid_queries(client, django_assert_max_num_queries, size):
    """A class of 10 or 30 (the grid of one class) or a year group of 300 (the grid of Year 4),
    by 6 subjects: the page, then a save of every cell as the page's script sends it (JSON, the
    changed cells only), new and then changed."""
    membership, school_class, pupils = _class_of(size)
    points = list(AssessmentPoint.objects.filter(school=membership.school))
    subjects = list(Subject.objects.filter(school=membership.school))
    assert len(subjects) == 6
    att, prog = bands(membership.school)
    client.force_login(membership.user)
    url = grid_url(points[1], school_class) if size < 300 else grid_year_url(points[1], 4)
    # Values at the previous point, so "was ..." is rendered for every cell, and a target.
    grid_save(
        point=points[0],
        by=membership.user,
        cells=[CellInput(p.pk, s.pk, att["B"], prog["E"], Decimal(10), 0) for p in pupils for s in subjects],
    )
    Target.objects.create(
        pupil=pupils[0], subject=subjects[0], kind="year", academic_year=2025, attainment_id=att["OT"]
    )
    # Session, user, membership; points with the scheme, classes, pupils, one UNION of subjects
    # and bands, the cells of this point and the last, the targets, their pupils' values in their
    # subjects up to this point (where each target's line starts): 10 (QUALITY.md allows 10).
    # Writing the access-log entry adds 8 whatever the number of pupils shown (savepoint, the
    # school's chain head made and locked and read, the entry, its pupil rows in one INSERT, the
    # head's new hash, release).
    with django_assert_max_num_queries(10 + 8) as page:
        response = client.get(url)
        assert response.status_code == 200
    html = response.content.decode()
    assert "Target OT" in html
    # Every box is on the page: three for each of the size x 6 cells.
    assert html.count("<input name=") == 3 * 6 * size
    fields = {}
    for p in pupils:
        for s in subjects:
            fields.update({f"a-{p.pk}-{s.pk}": "OT", f"g-{p.pk}-{s.pk}": "X", f"n-{p.pk}-{s.pk}": "14"})
    # Session, user, membership; the point with its scheme; one UNION of pupils, subjects and
    # bands; the stored cells; one INSERT of the cells and one of their history: 8, and BEGIN and
    # COMMIT, which both backends log in a transaction test. (Whether the user has two-factor
    # authentication is read at sign-in and kept in the session.) SQLite caps a statement at 999
    # parameters, so its INSERTs are batched.
    limit = 10 if connection.vendor == "postgresql" else 10 + 3 * 6 * size // 30
    with django_assert_max_num_queries(limit) as save:
        response = post_json(client, url, fields)
        assert response.status_code == 200, response.content
    assert response.json()["message"] == f"Saved {6 * size} changes."
    assert Assessment.objects.filter(point=points[1]).count() == size * len(subjects)
    writes = sum(_is_write(q["sql"]) for q in save.captured_queries)
    # Saving the whole grid again with a change in every cell, at the versions the first save
    # answered: one UPDATE instead of the INSERT.
    versions = response.json()["saved"]
    assert set(versions.values()) == {1}
    changed = {name: ("EX" if name.startswith("a-") else value) for name, value in fields.items()}
    changed.update({f"v-{key}": str(version) for key, version in versions.items()})
    with django_assert_max_num_queries(limit) as again:
        assert post_json(client, url, changed).status_code == 200
    assert set(Assessment.objects.filter(point=points[1]).values_list("attainment_id", "version")) == {
        (att["EX"], 2)
    }
    return len(page), _reads(save), writes, _reads(again), len(response.content), len(html)


@pytest.mark.django_db(transaction=True)
def test_grid_page_and_save_query_counts_do_not_grow(client, django_assert_max_num_queries):
    # A transaction test, as on a running server: the save's atomic block issues no SAVEPOINT.
    page_30, save_30, writes_30, again_30, _, html_30 = _grid_queries(
        client, django_assert_max_num_queries, 30
    )
    page_300, save_300, _, again_300, _, _ = _grid_queries(client, django_assert_max_num_queries, 300)
    assert (page_30, save_30, again_30) == (page_300, save_300, again_300)
    assert save_30 == 6  # everything but the two writes and BEGIN / COMMIT
    # One INSERT of the cells and one of their history rows; on SQLite 180 cells (18 values
    # each, with the framework columns) need four batches of 999 parameters (55 rows a batch)
    # and their history rows (24 values) five (41 rows a batch).
    assert writes_30 == (2 if connection.vendor == "postgresql" else 9)
    # QUALITY.md: the page of a class of 30 by 6 subjects is at most 60 KB of HTML (it was 225 KB
    # with a select of every band in every cell).
    assert html_30 <= 60_000


def test_grid_save_service_counts(setup):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    by = UserFactory()
    first = grid_save(
        point=points[0],
        by=by,
        cells=[
            CellInput(home.class_pupil.pk, reading.pk, att["B"], None, None, 0),
            CellInput(home.other_pupil.pk, reading.pk, None, None, None, 0),
        ],
    )
    assert (first.created, first.updated, first.unchanged) == (1, 0, 1)
    again = grid_save(
        point=points[0],
        by=by,
        cells=[
            CellInput(home.class_pupil.pk, reading.pk, att["B"], None, None, 1),
        ],
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


# -- the page's script: the changed cells only, as JSON --------------------------------------


def test_json_save_stores_only_the_cells_sent(client, setup):
    home, points = setup
    att, prog = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    writing = Subject.objects.get(school=home.school, name="Writing")
    pupil, senco = home.class_pupil, home.members[Role.SENCO].user
    grid_save(
        point=points[0],
        by=senco,
        cells=[
            CellInput(pupil.pk, reading.pk, att["B"], prog["E"], Decimal("10"), 0),
            CellInput(pupil.pk, writing.pk, att["B"], prog["E"], Decimal("11"), 0),
        ],
    )
    client.force_login(senco)
    key = f"{pupil.pk}-{reading.pk}"
    # The script sends the three boxes and the loaded version of each changed cell; Writing,
    # unchanged, is not sent at all.
    response = post_json(
        client,
        grid_url(points[0], home.school_class),
        {f"a-{key}": "ot", f"g-{key}": "X", f"n-{key}": "12.5", f"v-{key}": "1"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body == {"ok": True, "message": "Saved 1 change.", "saved": {key: 2}, "conflicts": []}
    stored = {a.subject_id: a for a in Assessment.objects.all()}
    assert (stored[reading.pk].attainment_id, stored[reading.pk].progress_id, stored[reading.pk].points) == (
        att["OT"],
        prog["X"],
        Decimal("12.5"),
    )
    assert stored[reading.pk].version == 2 and stored[reading.pk].history.count() == 2
    # Writing kept its value, version and single history row.
    assert (stored[writing.pk].points, stored[writing.pk].version) == (Decimal("11"), 1)
    assert stored[writing.pk].history.count() == 1


def test_json_save_reports_a_cell_changed_meanwhile_and_keeps_it(client, setup):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    writing = Subject.objects.get(school=home.school, name="Writing")
    pupil = home.class_pupil
    url = grid_url(points[0], home.school_class)
    r_key, w_key = f"{pupil.pk}-{reading.pk}", f"{pupil.pk}-{writing.pk}"
    # The teacher loaded the empty grid; then the SENCO saved Reading = EX (version 1).
    grid_save(
        point=points[0],
        by=home.members[Role.SENCO].user,
        cells=[CellInput(pupil.pk, reading.pk, att["EX"], None, Decimal("20"), 0)],
    )
    client.force_login(home.members[Role.TEACHER].user)
    sent = {f"a-{r_key}": "B", f"g-{r_key}": "", f"n-{r_key}": "", f"v-{r_key}": "0"}
    sent.update({f"a-{w_key}": "OT", f"g-{w_key}": "", f"n-{w_key}": "", f"v-{w_key}": "0"})
    response = post_json(client, url, sent)
    assert response.status_code == 409
    body = response.json()
    assert body["saved"] == {w_key: 1}
    assert body["message"].startswith("Saved 1 change. 1 cell changed by someone else")
    [conflict] = body["conflicts"]
    assert {k: conflict[k] for k in ("key", "version", "by", "a", "g", "n")} == {
        "key": r_key,
        "version": 1,
        "by": "senco-A",
        "a": "EX",
        "g": "",
        "n": "20.0",
    }
    assert Assessment.objects.get(subject=reading).attainment_id == att["EX"]  # not overwritten
    # Saving again at the version the answer gave keeps the teacher's value.
    sent[f"v-{r_key}"] = "1"
    del sent[f"a-{w_key}"], sent[f"g-{w_key}"], sent[f"n-{w_key}"], sent[f"v-{w_key}"]
    response = post_json(client, url, sent)
    assert response.status_code == 200 and response.json()["saved"] == {r_key: 2}
    assert Assessment.objects.get(subject=reading).attainment_id == att["B"]


def test_json_save_with_bad_values_stores_nothing_and_names_each_cell(client, setup):
    home, points = setup
    reading = Subject.objects.get(school=home.school, name="Reading")
    writing = Subject.objects.get(school=home.school, name="Writing")
    pupil = home.class_pupil
    client.force_login(home.members[Role.SENCO].user)
    r_key, w_key = f"{pupil.pk}-{reading.pk}", f"{pupil.pk}-{writing.pk}"
    other_key = f"{home.other_pupil.pk}-{reading.pk}"
    response = post_json(
        client,
        grid_url(points[0], home.school_class),
        {
            f"a-{r_key}": "ZZ",
            f"n-{r_key}": "61",  # the scheme's measure runs from 0 to 60
            f"a-{w_key}": "OT",  # good, but nothing is stored while another cell is bad
            f"n-{w_key}": "7",
        },
    )
    assert response.status_code == 400
    body = response.json()
    name = f"{pupil.legal_surname}, {pupil.forename}"
    assert body == {
        "ok": False,
        "message": "Nothing was saved: 1 cell needs correcting (marked in the grid).",
        "errors": [
            {
                "key": r_key,
                "message": f"{name}, Reading: “ZZ” is not an attainment band: type one of B, OT, EX; "
                "APS points must be between 0 and 60",
            }
        ],
    }
    assert not Assessment.objects.exists()
    assert other_key not in json.dumps(body)


def test_json_save_refuses_what_it_cannot_read_with_a_message(client, setup, settings):
    home, points = setup
    client.force_login(home.members[Role.SENCO].user)
    url = grid_url(points[0], home.school_class)
    reading = Subject.objects.get(school=home.school, name="Reading")
    key = f"{home.class_pupil.pk}-{reading.pk}"

    def send(body):
        return client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")

    for body in ("not json", "[1, 2]", '{"fields": ["a"]}', json.dumps({"fields": {f"a-{key}": {"x": 1}}})):
        response = send(body)
        assert response.status_code == 400
        assert response.json()["message"] == "The save could not be read. Reload the grid and try again."
    # The class's grid is its one pupil by the 4 default subjects: 4 cells, so at most 16 fields.
    too_many = {f"n-{home.class_pupil.pk}-{n}": "1" for n in range(17)}
    response = send(json.dumps({"fields": too_many}))
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "The save holds 17 values, more than this grid of 4 cells has."
    )
    # Larger than Django reads into memory: refused before it is read, with a message.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = send(json.dumps({"fields": {f"n-{key}": "1" * 30, "pad": "x" * 300}}))
    assert response.status_code == 413
    assert response.json()["message"].startswith(
        "This save is too large to send in one go. Nothing was saved"
    )
    assert not Assessment.objects.exists()


def test_json_save_reaches_only_the_teachers_class(client, setup, world):
    home, points = setup
    reading = Subject.objects.get(school=home.school, name="Reading")
    client.force_login(home.members[Role.TEACHER].user)
    outsider, other = world["B"].class_pupil, home.other_pupil
    fields = {f"a-{p.pk}-{reading.pk}": "OT" for p in (outsider, other)}
    response = post_json(client, grid_url(points[0], home.school_class), fields)
    assert response.status_code == 200 and response.json()["saved"] == {}
    # Another class's grid: the teacher's scoped pupils hold none of its pupils.
    other_class = SchoolClassFactory(school=home.school, name="4 Other")
    PupilFactory(school=home.school, school_class=other_class)
    response = post_json(client, grid_url(points[0], other_class), fields)
    assert response.json()["saved"] == {}
    assert not Assessment.objects.exists()
    # The head reads the grid but saves nothing.
    client.force_login(home.members[Role.HEAD].user)
    key = f"{home.class_pupil.pk}-{reading.pk}"
    assert post_json(client, grid_url(points[0], home.school_class), {f"a-{key}": "OT"}).status_code == 403
    assert not Assessment.objects.exists()


def test_json_save_of_targets(client, setup):
    home, points = setup
    att, _ = bands(home.school)
    reading = Subject.objects.get(school=home.school, name="Reading")
    client.force_login(home.members[Role.SENCO].user)
    key = f"{home.class_pupil.pk}-{reading.pk}"
    url = grid_url(points[0], home.school_class) + "&mode=targets"
    response = post_json(client, url, {f"t-{key}": "ex", f"p-{key}": "30"})
    assert response.status_code == 200
    assert response.json()["message"] == "Saved 1 target."
    target = Target.objects.get(pupil=home.class_pupil, subject=reading, kind="year")
    assert (target.attainment_id, target.points, target.academic_year) == (att["EX"], Decimal("30.0"), 2025)
    response = post_json(client, url, {f"t-{key}": "Q"})
    assert response.status_code == 400
    assert "“Q” is not a target band: type one of B, OT, EX" in response.json()["errors"][0]["message"]


def test_page_says_what_to_do_without_javascript(client, setup, settings):
    home, points = setup
    client.force_login(home.members[Role.SENCO].user)
    url = grid_url(points[0], home.school_class)
    page = client.get(url).content.decode()
    assert "JavaScript is off, so the whole grid is sent as one form." in page
    assert "Press “Save grid” when you have finished." in page
    # One pupil by 4 subjects posts 3 x 4 boxes, the versions and the CSRF token: 14 fields.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 13
    page = client.get(url).content.decode()
    assert "This grid is too large for that: turn JavaScript on, or open one class at a time." in page
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 14
    assert "too large for that" not in client.get(url).content.decode()


def test_grid_opened_without_a_point_saves_to_its_full_address(client, setup):
    home, points = setup
    client.force_login(home.members[Role.SENCO].user)
    # Next year's points exist already but have not started: the newest point is not the current.
    assessment_points_ensure(school=home.school, academic_year=2027)
    # Opened from a link with the class only: the page shows the current point (the latest that
    # has started; all three 2025/26 points have by now) and saves to it.
    page = client.get(reverse("assessment:grid") + f"?school_class={home.school_class.pk}").content.decode()
    current = max(points, key=lambda p: p.order)
    assert f'action="?point={current.pk}&amp;school_class={home.school_class.pk}"' in page
    # ...and the list of points says so (it showed the newest point, not the grid's).
    assert f'<option value="{current.pk}" selected>' in page


@pytest.mark.parametrize(
    ("phase", "offered", "not_offered"),
    [
        ("primary", ["Reception", "Year 6"], ["Year 7", "Year 13"]),
        ("secondary", ["Year 7", "Year 13"], ["Year 6"]),
    ],
)
def test_the_chooser_offers_the_phases_own_year_groups(client, setup, phase, offered, not_offered):
    home, _points = setup
    home.school.phase = phase
    home.school.save()
    client.force_login(home.members[Role.SENCO].user)
    html = client.get(reverse("assessment:grid")).content.decode()
    chooser = html[html.index('name="year_group"') : html.index("</select>", html.index('name="year_group"'))]
    for label in offered:
        assert f">{label}</option>" in chooser
    for label in not_offered:
        assert f">{label}</option>" not in chooser
