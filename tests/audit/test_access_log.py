"""The access log (finding 1 of the data-protection audit): every read of pupil data is written
once per request, with who, role, school, what, when and how; it is shown to the SENCO on the
pupil page and downloadable as a CSV; and its hash chain shows any change.

Before the access log, only the pupil page and the subject-access download were logged (in
PupilRecordView), the download as an ordinary view; case studies, plans, passports, PDFs,
evidence, conversations, run sheets and the CSVs left no trace. The walk below opens every pupil
URL of the permission tables and fails for any that writes no entry, or more than one.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from pupils.access_log import AccessLogEntry, AccessLogPupil, append, broken_links
from pupils.middleware import AccessLogMiddleware
from pupils.models import Pupil
from tests.audit.paths import path_to_pupil
from tests.factories import PupilFactory
from tests.schools.test_permissions import call, visible_pupils
from tests.url_tables import collect_url_tables

pytestmark = pytest.mark.django_db

PERMISSIONS, TARGETS, EXTRA_KWARGS = collect_url_tables()
READERS = (Role.SENCO, Role.TEACHER, Role.TEACHING_ASSISTANT, Role.HEAD)


def pupil_urls():
    """(name, target) of every GET URL that opens one pupil, or one object of a pupil's data."""
    return sorted(
        (name, target)
        for name, (method, allowed, target) in PERMISSIONS.items()
        if method == "get" and target and any(role in allowed for role in READERS)
    )


def reader_of(allowed):
    return next(role for role in READERS if role in allowed)


@pytest.mark.parametrize(("name", "target"), pupil_urls())
def test_every_pupil_url_writes_exactly_one_entry(client, world, name, target):
    home = world["A"]
    method, allowed, _ = PERMISSIONS[name]
    role = reader_of(allowed)
    member = home.members[role]
    if target is True:
        obj = pk = sorted(visible_pupils(home, role), key=lambda p: p.pk)[0].pk
        pupils = {pk}
    else:
        obj = TARGETS[target](home)
        pk = obj.pk
        path = path_to_pupil(type(obj))
        if path is None:
            pytest.skip(f"{type(obj).__name__} holds no pupil data")
        pupils = set(type(obj)._base_manager.filter(pk=pk).values_list(path, flat=True)) - {None}
        if not pupils:
            pytest.skip(f"this {type(obj).__name__} names no pupil")
    client.force_login(member.user)
    before = AccessLogEntry.objects.count()
    response = call(client, name, method, pk)
    assert response.status_code == 200, response.status_code
    entries = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert len(entries) == 1, (name, entries)
    entry = entries[0]
    assert (entry.user_id, entry.username, entry.role, entry.school_id) == (
        member.user.pk,
        member.user.username,
        role,
        home.school.pk,
    )
    # Every pupil the object is about was read (a page may read more: a group evidence item).
    assert pupils <= set(entry.pupil_ids), (name, pupils, entry.pupil_ids)
    assert set(entry.pupil_links.values_list("pupil_id", flat=True)) == set(entry.pupil_ids)
    assert entry.path == reverse(name, kwargs={**EXTRA_KWARGS.get(name, {}), "pk": pk})
    assert entry.what


@pytest.mark.parametrize(
    ("name", "target", "how"),
    [
        ("reports:case_study", "case_study", "pdf"),
        ("plans:plan", "support_plan", "pdf"),
        ("interventions:run", "run", "pdf"),
        ("pupils:data_export", True, "sar"),
        ("pupils:access_log_csv", True, "csv"),
        ("pupils:detail", True, "page"),
        ("evidence:attachment", "evidence", "download"),
    ],
)
def test_how_the_data_left_is_recorded(client, world, name, target, how):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    pk = home.class_pupil.pk if target is True else TARGETS[target](home).pk
    url = reverse(name, kwargs={**EXTRA_KWARGS.get(name, {}), "pk": pk})
    if how == "pdf":
        url += "?format=pdf"
    assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.get().how == how


def test_an_htmx_partial_is_recorded_as_part_of_a_page(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    client.get(reverse("pupils:list"), headers={"HX-Request": "true"})
    assert AccessLogEntry.objects.get().how == "partial"


def test_a_list_writes_one_entry_naming_every_pupil_shown(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    client.get(reverse("pupils:list"))
    entry = AccessLogEntry.objects.get()
    # The teacher sees their class only: one pupil of the three.
    assert entry.pupil_ids == [home.class_pupil.pk]


def test_a_redirect_or_a_refusal_reads_nothing(client, world):
    home = world["A"]
    client.force_login(home.members[Role.GOVERNOR].user)
    assert client.get(reverse("pupils:detail", kwargs={"pk": home.class_pupil.pk})).status_code == 403
    client.force_login(home.members[Role.SENCO].user)
    assert client.get(reverse("pupils:detail", kwargs={"pk": world["B"].class_pupil.pk})).status_code == 404
    assert not AccessLogEntry.objects.exists()


def queries_for_the_list(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("pupils:list")).status_code == 200
    return len(captured)


def test_logging_a_list_costs_the_same_queries_for_3_or_13_pupils(client, world):
    """Recording is a fixed few queries (lock the chain, the entry, its pupil rows in one INSERT),
    whatever the number of pupils listed."""
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    queries_for_the_list(client)  # warm the session and caches
    small = queries_for_the_list(client)
    PupilFactory.create_batch(10, school=home.school)
    large = queries_for_the_list(client)
    assert small == large
    # 3 pupils in the second entry, 13 in the third.
    assert [len(e.pupil_ids) for e in AccessLogEntry.objects.order_by("pk")] == [3, 3, 13]


def test_the_admin_site_reads_are_logged(world):
    """The administration site reads through the models' plain querysets, not the scoped path:
    there every pupil fetched is logged, as read on the administration site."""
    home = world["A"]
    admin = home.members[Role.SENCO].user
    admin.is_staff = admin.is_superuser = True

    def admin_view(request):
        from django.http import HttpResponse

        names = [p.legal_surname for p in Pupil.objects.filter(school=home.school)]
        return HttpResponse(", ".join(names))

    request = RequestFactory().get(reverse("admin:index") + "pupils/")
    request.user = admin
    AccessLogMiddleware(admin_view)(request)
    entry = AccessLogEntry.objects.get()
    assert (entry.how, entry.role, entry.role_label) == ("admin", "", "Administrator")
    assert entry.pupil_ids == sorted(p.pk for p in home.pupils)


def test_outside_the_admin_site_a_plain_queryset_is_not_logged(world):
    """A figure counts pupils through a plain queryset: no pupil is read, nothing is logged."""
    home = world["A"]

    def figures_view(request):
        from django.http import HttpResponse

        return HttpResponse(str(len(list(Pupil.objects.filter(school=home.school).values("year_group")))))

    request = RequestFactory().get("/gaps/")
    request.user = home.members[Role.SENCO].user
    AccessLogMiddleware(figures_view)(request)
    assert not AccessLogEntry.objects.exists()


# -- shown and exported


def test_the_senco_sees_who_opened_the_record_and_the_teacher_does_not(client, world):
    home = world["A"]
    pupil = home.class_pupil
    url = reverse("pupils:detail", kwargs={"pk": pupil.pk})
    client.force_login(home.members[Role.TEACHER].user)
    page = client.get(url).content.decode()
    assert "Who saw this record" not in page
    client.get(reverse("plans:pupil", kwargs={"pk": pupil.pk}))
    client.force_login(home.members[Role.SENCO].user)
    page = client.get(url).content.decode()
    assert "Who saw this record" in page
    assert 'teacher-A <span class="text-body-secondary">(Teacher)</span>' in page
    assert page.count("teacher-A") == 2  # the pupil page and the plans page


def test_the_access_log_csv_lists_every_read_of_the_pupil(client, world):
    home = world["A"]
    pupil = home.class_pupil
    client.force_login(home.members[Role.TEACHER].user)
    client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk}))
    client.force_login(home.members[Role.SENCO].user)
    client.get(reverse("pupils:data_export", kwargs={"pk": pupil.pk}))
    client.get(reverse("pupils:detail", kwargs={"pk": home.other_pupil.pk}))  # another pupil
    text = client.get(reverse("pupils:access_log_csv", kwargs={"pk": pupil.pk})).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "When,Who,Role,How,What was read,Detail,Address"
    assert len(lines) == 3  # the teacher's view and the subject-access download, oldest first
    assert ",teacher-A,Teacher,Page,pupil,," in lines[1]
    assert ",senco-A,SENCO,Subject access download,pupil," in lines[2]


# -- the hash chain


def entries_for(school, n):
    return [
        append(
            school.pk,
            [1],
            at=timezone.now(),
            user=None,
            username=f"user{i}",
            role="senco",
            how="page",
            what="pupil",
            path=f"/pupils/{i}/",
            detail="",
        )
        for i in range(n)
    ]


def test_an_entry_is_written_in_two_statements_and_verifies(world):
    """On PostgreSQL, lock-and-number then one statement for the entry, its pupil rows and the
    head's hash (besides the transaction's own); the entry, its two pupil rows and the head are
    as the ORM would have written them, and the chain verifies."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's; SQLite writes through the ORM")
    school = world["A"].school
    entries_for(school, 1)  # a school's first entry makes its chain head first
    with CaptureQueriesContext(connection) as captured:
        first = entries_for(school, 1)[0]
    statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 2
    second = append(
        school.pk,
        [7, 3],
        at=timezone.now(),
        user=None,
        username="u",
        role="head",
        how="pdf",
        what="pupil",
        path="/p/",
        detail="d",
    )
    stored = AccessLogEntry.objects.get(pk=second.pk)
    assert (stored.sequence, stored.pupil_ids, stored.previous_hash) == (3, [7, 3], first.hash)
    assert stored.hash == second.hash == stored.compute_hash()
    assert sorted(AccessLogPupil.objects.filter(entry=stored).values_list("pupil_id", flat=True)) == [3, 7]
    assert school.access_log_chain.__class__.objects.get(school=school).last_hash == second.hash
    assert list(broken_links(school)) == []


def test_a_whole_chain_verifies(world):
    school = world["A"].school
    entries = entries_for(school, 3)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].hash
    assert list(broken_links(school)) == []
    call_command("verify_access_log", school=school.urn)


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        (
            lambda e: AccessLogEntry.objects.filter(pk=e.pk).update(username="someone else"),
            "content was changed",
        ),
        (lambda e: AccessLogEntry.objects.filter(pk=e.pk).delete(), "entries 2 to 2 are missing"),
        (lambda e: AccessLogPupil.objects.filter(entry=e).delete(), "list of pupils was changed"),
    ],
)
def test_a_changed_or_removed_entry_is_the_first_broken_link(world, tamper, why, capsys):
    school = world["A"].school
    entries = entries_for(school, 4)
    tamper(entries[1])
    entry, reason = next(broken_links(school))
    assert why in reason
    # The first break is the second entry (or, where it was removed, the third, which follows
    # a gap).
    assert entry.sequence == (3 if "missing" in why else 2)
    with pytest.raises(CommandError):
        call_command("verify_access_log")
    assert "first broken link at entry" in capsys.readouterr().err


def test_a_removed_last_entry_is_found_too(world):
    school = world["A"].school
    entries = entries_for(school, 2)
    AccessLogEntry.objects.filter(pk=entries[-1].pk).delete()
    entry, reason = next(broken_links(school))
    assert entry is None and reason == "entries 2 to 2 are missing at the end"


def test_each_school_has_its_own_chain(world):
    a, b = entries_for(world["A"].school, 2), entries_for(world["B"].school, 1)
    assert [e.sequence for e in a + b] == [1, 2, 1]


def test_the_subject_access_download_lists_who_read_the_record(client, world):
    import json

    home = world["A"]
    pupil = home.class_pupil
    client.force_login(home.members[Role.TEACHER].user)
    client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk}))
    client.force_login(home.members[Role.SENCO].user)
    data = json.loads(client.get(reverse("pupils:data_export", kwargs={"pk": pupil.pk})).content)
    # The teacher's reading; the download itself is logged once it is sent.
    assert [(row["who"], row["role"], row["how"]) for row in data["access_log"]] == [
        ("teacher-A", "Teacher", "Page")
    ]
    assert "pupils.AccessLogPupil" not in data["related"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_fork_the_chain():
    """Eight threads, each with its own connection, append five entries each at once: the head's
    UPDATE ... RETURNING serialises them, so the school's chain is 1 to 40 with no fork."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that runs connections in parallel (PostgreSQL)")
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    errors = []

    def work(n):
        try:
            for i in range(5):
                fields = {"user": None, "username": f"t{n}", "role": "senco", "how": "page", "what": "pupil"}
                append(school.pk, [n * 10 + i], at=timezone.now(), path="/", detail="", **fields)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AccessLogEntry.objects.filter(school=school).values_list("sequence", flat=True)) == list(
        range(1, 41)
    )
    assert list(broken_links(school)) == []
