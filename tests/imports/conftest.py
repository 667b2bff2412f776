import pytest

from tests.factories import SchoolClassFactory


@pytest.fixture
def oak(school):
    return SchoolClassFactory(school=school, name="4 Oak", year_group=4)


@pytest.fixture
def elm(school):
    return SchoolClassFactory(school=school, name="5 Elm", year_group=5)
