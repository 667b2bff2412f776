"""Targets against the latest assessment, the Pupil Support Scale, and the CSV exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.frameworks import kit_add
from assessment.models import AssessmentPoint, AttainmentBand, Subject, SupportObservation, Target
from assessment.selectors import key_stage_end_year
from assessment.services import assessment_points_ensure, scheme_set_up_defaults
from core.calendar import academic_year_of
from core.csv import neutralise
from core.roles import Role
from tests.factories import assessment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(world):
    home = world["A"]
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    return home


def band(school, code):
    return AttainmentBand.objects.get(school=school, code=code)


def test_key_stage_end_years():
    # Year 4 in 2026/27 ends KS2 in Year 6: 2028/29. Year 7 ends KS3 in Year 9: 2028/29.
    assert key_stage_end_year(4, 2026) == 2028
    assert key_stage_end_year(7, 2026) == 2028
    assert key_stage_end_year(0, 2026) == 2028  # Reception: KS1 ends in Year 2
    assert key_stage_end_year(11, 2026) == 2026


def test_senco_sets_targets_and_pupil_page_judges_them_when_due(client, home):
    """This year Y (points at places 3, 4, 5 after last year's 0, 1, 2); the pupil is in Year 4.

    Reading: Y-1 Summer (2) OT 18, Y Spring (4) OT 20. End-of-year target OT and 24 points: the
    starting point is the last assessment before the year, 18 at place 2; the year's target is
    due at place 5, so at Spring the line is 2 of 3 along: 18 + 6 x 2/3 = 22; 20 is below the
    trajectory. Key stage 2 (Years 3 to 6, Y-1 to Y+2) target 27 points, due at Y+2's last
    point, place 11 (a year without points counts three): the first assessment in the key
    stage, 18 at place 2, starts the line; at place 4 it is 2 of 9 along, 18 + 9 x 2/9 = 20:
    on track. Maths: Y Autumn (3) B 10, Y Spring (4) B 13; target 16 points: 1 of 2 along,
    10 + 6/2 = 13: on track (on the line). Writing: Y Autumn OT, Y Summer (5) OT; target EX:
    due at Summer, OT is short of EX: target missed."""
    pupil = home.class_pupil
    year = academic_year_of(timezone.localdate())
    scheme_set_up_defaults(school=home.school, academic_year=year)
    AssessmentPoint.objects.exclude(academic_year__in=[year - 1, year]).delete()
    assessment_points_ensure(school=home.school, academic_year=year - 1)
    assessment_points_ensure(school=home.school, academic_year=year)
    point = {(p.academic_year, p.order): p for p in AssessmentPoint.objects.filter(school=home.school)}
    subject = {s.name: s for s in Subject.objects.filter(school=home.school)}
    for (y, order), name, code, points in [
        ((year - 1, 3), "Reading", "OT", 18),
        ((year, 2), "Reading", "OT", 20),
        ((year, 1), "Maths", "B", 10),
        ((year, 2), "Maths", "B", 13),
        ((year, 1), "Writing", "OT", None),
        ((year, 3), "Writing", "OT", None),
    ]:
        assessment_create(
            pupil=pupil,
            point=point[(y, order)],
            subject=subject[name],
            attainment=band(home.school, code),
            points=points,
        )
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:pupil_targets", kwargs={"pk": pupil.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {f"year-{subject['Reading'].pk}-points": "not a number"})
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()
    assert not Target.objects.exists()
    data = {
        f"year-{subject['Reading'].pk}-band": band(home.school, "OT").pk,
        f"year-{subject['Reading'].pk}-points": "24",
        f"ks-{subject['Reading'].pk}-points": "27",
        f"year-{subject['Maths'].pk}-points": "16",
        f"year-{subject['Writing'].pk}-band": band(home.school, "EX").pk,
    }
    assert client.post(url, data).status_code == 302
    assert Target.objects.filter(pupil=pupil).count() == 4
    page = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    section = page[page.index('id="targets-h"') : page.index('id="support-h"')]
    rows = {
        name: section[section.index(f'<th scope="row">{name}</th>') :].split("</tr>")[0]
        for name in ("Reading", "Writing", "Maths")
    }
    assert 'OT 24.0: <span class="badge text-bg-warning">below the trajectory</span>' in rows["Reading"]
    assert '27.0: <span class="badge text-bg-success">on track</span>' in rows["Reading"]
    assert '16.0: <span class="badge text-bg-success">on track</span>' in rows["Maths"]
    assert 'EX: <span class="badge text-bg-danger">target missed</span>' in rows["Writing"]
    assert "on target" not in section and "below target" not in section
    # Blank both parts to remove a target.
    data.pop(f"ks-{subject['Reading'].pk}-points")
    client.post(url, data)
    assert Target.objects.filter(pupil=pupil).count() == 3


def test_only_the_senco_sets_targets(client, home):
    url = reverse("assessment:pupil_targets", kwargs={"pk": home.class_pupil.pk})
    for role in (Role.TEACHER, Role.HEAD, Role.TEACHING_ASSISTANT, Role.GOVERNOR):
        client.force_login(home.members[role].user)
        assert client.post(url, {}).status_code == 403


def test_grid_targets_mode_saves_targets_and_grid_shows_them(client, home):
    pupil = home.class_pupil
    reading = Subject.objects.get(school=home.school, name="Reading")
    point = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=1)
    assessment_create(pupil=pupil, point=point, subject=reading, attainment=band(home.school, "B"))
    client.force_login(home.members[Role.SENCO].user)
    base = reverse("assessment:grid") + f"?point={point.pk}&school_class={home.school_class.pk}"
    key = f"{pupil.pk}-{reading.pk}"
    response = client.post(base + "&mode=targets", {f"t-{key}": "EX", f"p-{key}": "25"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.kind, target.academic_year, target.attainment.code, target.points) == (
        "year",
        2025,
        "EX",
        Decimal("25.0"),
    )
    page = client.get(base).content.decode()
    # Autumn is the pupil's starting point: at the start of the line, on track by definition.
    assert "Target EX 25.0: <strong>on track</strong>" in page
    # Spring, still B: the line from B (place 1) at Autumn to EX (3) at Summer is half way at
    # Spring, place 2 (OT): B is below the trajectory.
    spring = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=2)
    assessment_create(pupil=pupil, point=spring, subject=reading, attainment=band(home.school, "B"))
    page = client.get(base.replace(str(point.pk), str(spring.pk), 1)).content.decode()
    assert "Target EX 25.0: <strong>below the trajectory</strong>" in page
    # Summer, the year's last point: the target falls due; OT with no points is short of EX.
    summer = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=3)
    assessment_create(pupil=pupil, point=summer, subject=reading, attainment=band(home.school, "OT"))
    page = client.get(base.replace(str(point.pk), str(summer.pk), 1)).content.decode()
    assert "Target EX 25.0: <strong>target missed</strong>" in page
    # A teacher cannot set targets through the grid.
    client.force_login(home.members[Role.TEACHER].user)
    assert client.post(base + "&mode=targets", {f"t-{key}": ""}).status_code == 403


@pytest.mark.parametrize(
    ("role", "pupil_attr", "status"),
    [
        (Role.SENCO, "other_pupil", 302),
        (Role.TEACHER, "class_pupil", 302),
        (Role.TEACHER, "group_pupil", 404),
        (Role.TEACHING_ASSISTANT, "group_pupil", 302),
        (Role.TEACHING_ASSISTANT, "class_pupil", 404),
        (Role.HEAD, "class_pupil", 403),
        (Role.GOVERNOR, "class_pupil", 403),
    ],
)
def test_who_records_support_scale(client, home, role, pupil_attr, status):
    pupil = getattr(home, pupil_attr)
    client.force_login(home.members[role].user)
    url = reverse("assessment:support_add", kwargs={"pk": pupil.pk})
    response = client.post(url, {"observed_on": "2026-01-10", "level": "3", "context": "Playtime"})
    assert response.status_code == status
    assert SupportObservation.objects.count() == (1 if status == 302 else 0)


def test_support_scale_bad_input_and_chart(client, home):
    pupil = home.class_pupil
    reading = Subject.objects.get(school=home.school, name="Reading")
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:support_add", kwargs={"pk": pupil.pk})
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"observed_on": future, "level": "9", "note": "kept"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be dated in the future" in page
    assert "Choose a subject or say where the pupil was observed." in page
    assert "kept" in page
    for day, level in (("2025-10-01", 2), ("2025-12-01", 3), ("2026-02-01", 4)):
        client.post(url, {"observed_on": day, "level": str(level), "subject": reading.pk})
    page = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert "<svg" in page and "polyline" in page
    # The chart's figures as a table, in words.
    assert "4 Prompting" in page and "requires some support" in page
    assert "3 observations from 01/10/2025 to 01/02/2026: first 2 Modelling, latest 4 Prompting." in page


def _rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    return list(csv.reader(io.StringIO(text)))


def test_neutralise():
    assert [neutralise(v) for v in ["=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx", "Smith", 12, None]] == [
        "'=1+1",
        "'+44",
        "'-3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "Smith",
        "12",
        "",
    ]


def test_grid_csv_is_the_grid_as_shown_with_formulas_neutralised(client, home):
    pupil = home.class_pupil
    pupil.legal_surname = '=HYPERLINK("http://evil","x")'
    pupil.save()
    reading = Subject.objects.get(school=home.school, name="Reading")
    point = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=1)
    assessment_create(
        pupil=pupil, point=point, subject=reading, attainment=band(home.school, "OT"), points=17
    )
    client.force_login(home.members[Role.TEACHER].user)
    url = reverse("assessment:grid_csv") + f"?point={point.pk}&school_class={home.school_class.pk}"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:9] == ["UPN", "Surname", "Forename", "Year group", "SEN status", "Primary need"] + [
        "Reading attainment",
        "Reading progress",
        "Reading APS points",
    ]
    assert len(rows) == 2  # the teacher's class has one pupil
    assert rows[1][1] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][6:9] == ["OT", "", "17.0"]


def test_pupils_csv_is_scoped_and_governors_get_none(client, home, world):
    client.force_login(home.members[Role.TEACHING_ASSISTANT].user)
    rows = _rows(client.get(reverse("assessment:pupils_csv")))
    assert [r[1] for r in rows[1:]] == [home.group_pupil.legal_surname]
    assert rows[0][5:8] == ["SEN status", "Primary need", "Secondary need"]
    client.force_login(home.members[Role.SENCO].user)
    rows = _rows(client.get(reverse("assessment:pupils_csv")))
    surnames = {r[1] for r in rows[1:]}
    assert surnames == {p.legal_surname for p in home.pupils}
    assert not surnames & {p.legal_surname for p in world["B"].pupils}
    for role in (Role.GOVERNOR, Role.TRUST_LEAD):
        client.force_login(home.members[role].user)
        assert client.get(reverse("assessment:pupils_csv")).status_code == 403
        assert client.get(reverse("assessment:grid_csv")).status_code == 403


def test_grid_targets_mode_leaves_a_target_on_another_framework(client, home):
    """The grid's target boxes are the main scheme's: a blank one clears a main-scheme target,
    never a target set on the pupil's own framework, which the grid does not show."""
    pupil = home.class_pupil
    reading = Subject.objects.get(school=home.school, name="Reading")
    point = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=1)
    ks2 = kit_add(home.school, "Pre-key stage 2 standards")
    pk5 = ks2.stages.get(code="PK5")
    Target.objects.create(
        pupil=pupil,
        subject=reading,
        kind="year",
        academic_year=2025,
        framework=ks2,
        stage=pk5,
        step=1,
        place=5,
    )
    client.force_login(home.members[Role.SENCO].user)
    base = reverse("assessment:grid") + f"?point={point.pk}&school_class={home.school_class.pk}"
    key = f"{pupil.pk}-{reading.pk}"
    assert client.post(base + "&mode=targets", {f"t-{key}": "", f"p-{key}": ""}).status_code == 302
    assert Target.objects.get(pupil=pupil).place == 5
    # The grid names the target as typed on its framework.
    assert "Target PK5: <strong>" in client.get(base).content.decode()
