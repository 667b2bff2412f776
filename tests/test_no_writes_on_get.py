"""No GET changes the database: every URL pattern is opened with GET as every role of school A,
and every table is compared before and after each request.

The URLs and their kwargs come from the permission tables (tests/<app>/url_table.py) that
tests/schools/test_permissions.py walks; a URL whose table row says POST is opened with GET too,
since a GET to it must not act either (it should answer 405 or show a form).

One write is allowed: the access log (pupils.access_log), when a request reads pupil data. It is
the record of who read which pupil's data, which the product promises for special-category data;
it records the reading, it changes no pupil data. The test checks that a request adds one entry at
most (one school), naming the user who made the request and, for a pupil's URL, that pupil, with
its pupil rows and the school's chain head beside it.

Nothing else is excused, the session table included: the user is signed in with force_login
before the first snapshot, and the session row must not change after that.
"""

import hashlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from core.roles import Role
from pupils.models import AccessLogChain, AccessLogEntry, AccessLogPupil
from tests.schools.test_permissions import url_names, visible_pupils
from tests.url_tables import collect_url_tables

pytestmark = pytest.mark.django_db

PERMISSIONS, TARGETS, EXTRA_KWARGS = collect_url_tables()
AUDIT_TABLES = {model._meta.db_table for model in (AccessLogEntry, AccessLogPupil, AccessLogChain)}


def tables():
    """Every concrete table of every installed model (many-to-many tables and history too), with
    its primary-key column."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            seen.setdefault(model._meta.db_table, model._meta.pk.column)
    return seen


TABLES = tables()


def snapshot():
    """Per table: its row count and a digest of every row, in primary-key order. Raw SQL, as the
    ORM would take 25 times as long over some 90 tables after each of 600 requests."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk in TABLES.items():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
            rows = cursor.fetchall()
            state[table] = (len(rows), hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest())
    return state


def changed_tables(before, after):
    return sorted(table for table in before if before[table] != after[table])


def urls_for(world_school, role):
    """(name, url, pupil pk or None) for every URL pattern, with kwargs a role can use: a pupil
    URL takes a pupil this role may see (so the page is really rendered), if there is one."""
    visible = sorted(visible_pupils(world_school, role), key=lambda pupil: pupil.pk)
    pupil = visible[0] if visible else world_school.class_pupil
    for name in sorted(set(url_names())):
        kwargs = dict(EXTRA_KWARGS.get(name, {}))
        pupil_pk = None
        if name in PERMISSIONS:
            target = PERMISSIONS[name][2]
            if target is True:
                kwargs["pk"] = pupil_pk = pupil.pk
            elif target:
                kwargs["pk"] = TARGETS[target](world_school).pk
        yield name, reverse(name, kwargs=kwargs or None), pupil_pk


@pytest.mark.parametrize("role", list(Role))
def test_no_get_changes_any_table(client, world, role):
    home = world["A"]
    user = home.members[role].user
    client.force_login(user)
    walked = list(urls_for(home, role))
    before = snapshot()
    offenders, audited = {}, []
    for name, url, pupil_pk in walked:
        entries_before = AccessLogEntry.objects.count()
        response = client.get(url)
        assert response.status_code < 500, (name, url, response.status_code)
        after = snapshot()
        changed = changed_tables(before, after)
        if AUDIT_TABLES & set(changed):
            new = list(AccessLogEntry.objects.order_by("pk")[entries_before:].values("user", "pupil_ids"))
            assert len(new) == 1 and new[0]["user"] == user.pk, (name, new)
            assert pupil_pk is None or pupil_pk in new[0]["pupil_ids"], (name, new)
            changed = [table for table in changed if table not in AUDIT_TABLES]
            audited.append(name)
        if changed:
            offenders[name] = changed
        before = after
    assert offenders == {}
    # The walk did open pupil records where the role may: the audit branch above was taken.
    assert bool(audited) == bool(visible_pupils(home, role))


def test_the_snapshot_sees_an_update_that_keeps_the_row_count(world):
    """The comparison can fail: an update that adds no row still changes the table's digest."""
    from schools.models import School

    home = world["A"]
    before = snapshot()
    School.objects.filter(pk=home.school.pk).update(name="Renamed")  # an update, count unchanged
    assert changed_tables(before, snapshot()) == [School._meta.db_table]
