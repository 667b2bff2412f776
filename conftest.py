"""Fixtures shared by every test: two schools, and a member of each role in each.

`world` builds, for school A and school B alike, one class taught by the teacher, one
intervention run delivered by the teaching assistant, and pupils: one in the teacher's class,
one in the assistant's group, one in neither. It is built once for each run of consecutive
tests that use it, not once a test (tests/shared_rows.py says how each test still starts from
exactly those rows).

Tests marked `slow` (the browser tests, the demo generator at full size, the property tests)
can be left out for a quick loop with `pytest -m "not slow"`; `make test` runs everything.
"""

from dataclasses import dataclass

import pytest

from core import policy
from core.roles import Role
from tests import shared_rows
from tests.factories import (
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    OrganisationMembershipFactory,
    PupilFactory,
    SchoolClassFactory,
    SchoolFactory,
)


@dataclass
class SchoolWorld:
    school: object
    members: dict
    school_class: object
    run: object
    class_pupil: object
    group_pupil: object
    other_pupil: object

    @property
    def pupils(self):
        return [self.class_pupil, self.group_pupil, self.other_pupil]


def build_school_world(name):
    school = SchoolFactory(name=name)
    members = {
        role: MembershipFactory(school=school, role=role, user__username=f"{role}-{name}")
        for role in Role
        if role not in policy.ORGANISATION_ROLES
    }
    # The trust lead holds one membership of the school's organisation (each world school has
    # an organisation of its own), read as a membership of the school (not saved).
    for role in policy.ORGANISATION_ROLES:
        members[role] = OrganisationMembershipFactory(
            organisation=school.organisation, role=role, user__username=f"{role}-{name}"
        ).membership_in(school)
    school_class = SchoolClassFactory(school=school, name=f"4 {name}")
    school_class.teachers.add(members[Role.TEACHER].user)
    class_pupil = PupilFactory(school=school, school_class=school_class, legal_surname=f"Class{name}")
    group_pupil = PupilFactory(school=school, legal_surname=f"Group{name}")
    other_pupil = PupilFactory(school=school, legal_surname=f"Other{name}")
    run = InterventionRunFactory(intervention__school=school)
    run.staff.add(members[Role.TEACHING_ASSISTANT].user)
    InterventionPlaceFactory(run=run, pupil=group_pupil)
    return SchoolWorld(school, members, school_class, run, class_pupil, group_pupil, other_pupil)


@pytest.fixture(scope="session", autouse=True)
def second_factor_on_test_logins():
    """force_login and login pass the second factor too (tests/signing_in.py)."""
    from django.test import Client

    from tests.signing_in import _login_with_second_factor

    patch = pytest.MonkeyPatch()
    patch.setattr(Client, "_login", _login_with_second_factor)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never to the project's uploads/."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(scope="session")
def migration_data(django_db_setup, django_db_blocker):
    """The rows the migrations load (Part Two questions, Ofsted prompts, external agencies),
    serialised once, by the session's first database test (`snapshot_migration_data`), before
    any transaction test can empty them."""
    from django.core import serializers

    from evidence.models import OfstedPrompt, PartTwoQuestion
    from pupils.models import ExternalAgency

    with django_db_blocker.unblock():
        rows = [*PartTwoQuestion.objects.all(), *OfstedPrompt.objects.all(), *ExternalAgency.objects.all()]
        return serializers.serialize("json", rows)


@pytest.fixture(autouse=True)
def snapshot_migration_data(request):
    """Takes the snapshot at the first test that uses the database. A run with no database test
    (a lint-like test of the source alone) never sets the database up."""
    if "_django_db_helper" in request.fixturenames:
        request.getfixturevalue("migration_data")


@pytest.fixture
def transactional_db_with_migration_data(transactional_db, migration_data):
    """A transaction test empties every table when it ends, the migrations' rows too; this puts
    them back first. (Django's serialized_rollback would, but it looks for the snapshot on the
    thread's connection object, which Playwright's event loop replaces in browser tests.)
    Loading is idempotent: a deserialised row with an existing primary key is updated."""
    from django.core import serializers

    for row in serializers.deserialize("json", migration_data):
        row.save()


@shared_rows.shared_rows
def world():
    return {"A": build_school_world("A"), "B": build_school_world("B")}


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django opens each test's transaction in `_django_db_helper`: shared rows the
    # test asks for are opened just before it, and rows it did not ask for are rolled back.
    if fixturedef.argname == "_django_db_helper":
        shared_rows.before_test_transaction(request, request.getfixturevalue("django_db_blocker"))
    return (yield)


@pytest.fixture(scope="session", autouse=True)
def close_shared_rows(django_db_setup, django_db_blocker):
    """Rolls back the last shared rows before the test database is dropped."""
    yield
    shared_rows.close(django_db_blocker)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def school(db):
    return SchoolFactory(name="Oakfield")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Riverside")


def _member(school, role):
    return MembershipFactory(school=school, role=role)


@pytest.fixture
def senco(school):
    return _member(school, Role.SENCO)


@pytest.fixture
def head(school):
    return _member(school, Role.HEAD)


@pytest.fixture
def teacher(school):
    return _member(school, Role.TEACHER)


@pytest.fixture
def governor(school):
    return _member(school, Role.GOVERNOR)


@pytest.fixture
def senco_client(client, senco):
    client.force_login(senco.user)
    return client
