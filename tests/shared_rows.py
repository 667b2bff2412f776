"""Rows that many tests share, built once for a run of tests instead of once for each test.

`@shared_rows` turns a function that builds rows into a fixture of the same name. When a test
that asks for it is about to start, the rows are built inside a transaction opened *before*
the test's own, so pytest-django's per-test transaction becomes a savepoint inside it and every
test still rolls back to exactly those rows. The outer transaction stays open while the tests
that follow ask for the same rows, and is rolled back before any test that does not, so no
other test ever sees them. A transaction test (`transaction=True`, `transactional_db`,
`live_server`) cannot run inside a transaction: it builds the rows itself, as before.

Each test gets a deep copy of the objects the builder returned (as Django's setUpTestData
does), so a test that changes an instance in memory changes only its own copy.

The root conftest.py calls `before_test_transaction` from its `pytest_fixture_setup` hook,
just before pytest-django's `_django_db_helper` fixture opens the test's transaction.
"""

import copy
import shutil
import tempfile

import pytest
from django.db import connections, transaction
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

BUILD = "shared_rows_build"


class Block:
    """The one set of shared rows open at a time, with the transaction that holds them."""

    def __init__(self):
        self.build = None
        self.value = None
        self.atomics = []
        self.media = None
        self.builds = 0

    def open(self, build):
        self.close()
        self.media = tempfile.mkdtemp(prefix="shared-rows-media-")
        self.atomics = [(alias, transaction.atomic(using=alias)) for alias in connections]
        for _alias, atomic in self.atomics:
            atomic.__enter__()
        try:
            # A builder writes no file today; if one ever does, it lands in a throwaway folder,
            # never in the project's uploads/.
            with override_settings(MEDIA_ROOT=self.media):
                self.value = build()
        except BaseException:
            self.close()
            raise
        self.build = build
        self.builds += 1

    def close(self):
        for alias, atomic in reversed(self.atomics):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)
        if self.media:
            shutil.rmtree(self.media, ignore_errors=True)
        self.build, self.value, self.atomics, self.media = None, None, [], None


BLOCK = Block()


def is_transactional(item):
    """Whether pytest-django runs this test as a TransactionTestCase (its own rule, in
    `_django_db_helper`)."""
    marker = item.get_closest_marker("django_db")
    transactional = reset_sequences = False
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
    names = item.fixturenames
    return bool(
        transactional
        or reset_sequences
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names)
    )


def wanted_build(item):
    """The builder of the shared rows this test asks for, directly or through a fixture."""
    # pytest has no public way from an item to the fixture functions it resolved, so this reads
    # the item's private `_fixtureinfo`; should pytest change it, every test here errors loudly.
    name2defs = item._fixtureinfo.name2fixturedefs
    builds = set()
    for name in item.fixturenames:
        defs = name2defs.get(name)
        build = getattr(defs[-1].func, BUILD, None) if defs else None
        if build is not None:
            builds.add(build)
    if len(builds) > 1:
        names = ", ".join(sorted(b.__qualname__ for b in builds))
        raise pytest.UsageError(f"{item.nodeid} asks for two sets of shared rows ({names}); use one.")
    return builds.pop() if builds else None


def before_test_transaction(request, blocker):
    """Open the rows the coming test shares, or roll back rows it must not see."""
    item = request.node
    wanted = None if is_transactional(item) else wanted_build(item)
    if BLOCK.build is wanted:
        return
    with blocker.unblock():
        if wanted is None:
            BLOCK.close()
        else:
            BLOCK.open(wanted)


def close(blocker):
    with blocker.unblock():
        BLOCK.close()


def shared_rows(build):
    """Make `build` (no arguments, returns the objects a test needs) a fixture of its name."""

    def fixture(request, db):
        if BLOCK.build is build:
            return copy.deepcopy(BLOCK.value)
        if is_transactional(request.node):
            return build()
        raise RuntimeError(
            f"The shared rows of {build.__qualname__} were not opened before the test's transaction: "
            "has pytest-django renamed _django_db_helper (see tests/shared_rows.py)?"
        )

    setattr(fixture, BUILD, build)
    fixture.__doc__ = build.__doc__
    return pytest.fixture(name=build.__name__)(fixture)
