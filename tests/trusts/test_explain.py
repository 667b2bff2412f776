"""Database work that grows with the school, not the database (PostgreSQL only): every query of
the E–H page and of the trust comparison, run with EXPLAIN ANALYZE beside a much larger school
of another trust, reads no more rows of the big tables (assessment, attendance, pupils) than the
school (or the trust) itself holds. A sequential scan, or an index scan over every school's rows
of a year, reads the other school's rows and fails here.

The other school holds ten times the rows, and the tables are ANALYZEd, so the planner chooses
as it would on a database of many schools."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Assessment
from attendance.models import Attendance
from core.roles import Role
from gaps.attendance_report import attendance_report
from gaps.cohort import cohort_form
from gaps.shared import school_scheme
from pupils.models import Pupil
from tests.factories import MembershipFactory, OrganisationMembershipFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR, Scheme, assess, pupils
from tests.trusts.cohort import build_trust
from trusts.figures import FiguresReader
from trusts.services import rollup_refresh_all

pytestmark = pytest.mark.django_db

BIG_TABLES = {
    "assessment_assessment": Assessment,
    "attendance_attendance": Attendance,
    "pupils_pupil": Pupil,
}


@pytest.fixture
def beside_a_big_school(db):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    built = build_trust()
    big = SchoolFactory(name="Big Academy")
    scheme = Scheme(big)
    crowd = pupils(big, 600)
    for name in ("Autumn", "Spring"):
        for subject in ("Reading", "Writing", "Maths"):
            assess(scheme, crowd, scheme.point(name), subject, "OT", "E")
    Attendance.objects.bulk_create(
        Attendance(pupil=p, academic_year=year, term=term, possible_sessions=100, attended_sessions=90)
        for p in crowd
        for year in (THIS_YEAR - 1, THIS_YEAR)
        for term in (1, 2, 3)
    )
    rollup_refresh_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return built


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def rows_read(node):
    read = (
        node["Actual Rows"]
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
    )
    return read * node["Actual Loops"]


def assert_scoped(queries, own_rows):
    """Each query's scans of the big tables read at most the rows the school (or trust) holds."""
    checked = 0
    for query in queries:
        sql = query["sql"]
        if not any(table in sql for table in BIG_TABLES) or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        for node in nodes(plan[0]["Plan"]):
            table = node.get("Relation Name")
            if table not in BIG_TABLES:
                continue
            checked += 1
            assert node["Node Type"] != "Seq Scan", (table, sql[:300])
            assert rows_read(node) <= own_rows[table], (table, rows_read(node), own_rows[table], sql[:300])
    return checked


def test_e_to_h_reads_only_the_schools_rows(beside_a_big_school):
    ash = beside_a_big_school["ash"]
    reader = FiguresReader(ash)
    cohort = cohort_form(reader, {}).cohort()
    with CaptureQueriesContext(connection) as captured:
        attendance_report(reader, cohort, school_scheme(reader))
    own = {
        "assessment_assessment": Assessment.objects.filter(pupil__school=ash).count(),
        "attendance_attendance": Attendance.objects.filter(pupil__school=ash).count(),
        "pupils_pupil": Pupil.objects.filter(school=ash).count(),
    }
    assert own == {"assessment_assessment": 60, "attendance_attendance": 30, "pupils_pupil": 30}
    assert assert_scoped(captured.captured_queries, own) >= 4


def test_trust_comparison_reads_only_the_trusts_rows(client, beside_a_big_school):
    trust = beside_a_big_school["trust"]
    lead = OrganisationMembershipFactory(organisation=trust)
    client.force_login(lead.user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("trusts:comparison")).status_code == 200
    own = {
        "assessment_assessment": 0,
        "attendance_attendance": 0,
        "pupils_pupil": Pupil.objects.filter(school__organisation=trust).count(),
    }
    assert assert_scoped(captured.captured_queries, own) >= 1


def test_the_check_fails_on_a_scan_of_every_schools_attendance(beside_a_big_school):
    """The check itself can fail: the year's attendance of every school (as the persistent-absence
    subquery read it before), whatever plan the database picks, reads the big school's rows."""
    ash = beside_a_big_school["ash"]
    MembershipFactory(school=ash, role=Role.HEAD)
    with CaptureQueriesContext(connection) as captured:
        list(Attendance.objects.filter(academic_year=THIS_YEAR).values("pupil_id").order_by().distinct())
    with pytest.raises(AssertionError):
        assert_scoped(captured.captured_queries, {"attendance_attendance": 30, "pupils_pupil": 30})
