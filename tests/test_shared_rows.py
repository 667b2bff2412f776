"""The shared rows of tests/shared_rows.py, with the root `world`: each test starts from exactly
the rows as built, a test that did not ask for them sees none of them, and every test gets its
own copy of the objects.

These tests run in the order of the file (pytest-django keeps that order among its database
tests), each one checking what the one before it left behind.
"""

import pytest
from django.db import connection

from core.roles import Role
from pupils.models import Pupil
from schools.models import School
from tests import shared_rows
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

first = {}


def test_a_test_changes_the_rows_and_its_objects(world):
    home = world["A"]
    first["school"], first["builds"] = home.school.pk, shared_rows.BLOCK.builds
    # One deep copy of the whole world: what was one object is still one object.
    assert home.members[Role.SENCO].school is home.school
    assert home.run.places.get().pupil == home.group_pupil
    home.class_pupil.legal_surname = "Changed"
    home.class_pupil.save()
    home.school.name = "Renamed in memory only"
    PupilFactory(school=home.school, legal_surname="Added")
    assert Pupil.objects.count() == 7


def test_the_next_test_starts_from_the_rows_as_built(world):
    home = world["A"]
    # The same rows, not built again...
    assert (home.school.pk, shared_rows.BLOCK.builds) == (first["school"], first["builds"])
    # ...and as they were before the last test changed them, in memory and in the database.
    assert home.school.name == "A"
    assert home.class_pupil.legal_surname == "ClassA"
    assert Pupil.objects.get(pk=home.class_pupil.pk).legal_surname == "ClassA"
    assert sorted(Pupil.objects.values_list("legal_surname", flat=True)) == [
        "ClassA",
        "ClassB",
        "GroupA",
        "GroupB",
        "OtherA",
        "OtherB",
    ]


def test_a_test_that_does_not_ask_for_the_world_sees_none_of_it(db):
    assert shared_rows.BLOCK.build is None
    assert not School.objects.exists()
    assert not Pupil.objects.exists()


def test_the_world_is_built_again_after_such_a_test(world):
    assert shared_rows.BLOCK.builds == first["builds"] + 1
    assert Pupil.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_transaction_test_builds_its_own_world(world):
    # Nothing shared is open, and the test's own rows are committed, as a transaction test's are.
    assert shared_rows.BLOCK.build is None
    assert not connection.in_atomic_block
    assert Pupil.objects.count() == 6
    assert School.objects.get(pk=world["B"].school.pk).name == "B"
