"""Walks every URL pattern as every role of two schools.

PERMISSIONS lists each named URL with what each role gets. A new URL that is not in the table
fails test_every_url_is_in_the_permission_table, so no page can be added without deciding
who may open it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import Role
from pupils.models import Pupil
from tests.url_tables import STAFF, collect_url_tables

pytestmark = pytest.mark.django_db

# Each app's tests hold its part of the table in tests/<app>/url_table.py:
#   PERMISSIONS = {name: (method, roles that may use it, target)}, where target is False (no pk),
#   True (the pk of a pupil), or the name of a maker in TARGETS;
#   TARGETS = {target: function(world_school) -> an object of that school, whose pk the URL takes};
#   EXTRA_KWARGS = {name: {other URL kwargs}}.
PERMISSIONS, TARGETS, EXTRA_KWARGS = collect_url_tables()
PUBLIC = {
    "login",
    "healthz",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
SESSION = {"logout"}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_permission_table():
    assert set(url_names()) == set(PERMISSIONS) | PUBLIC | SESSION


# Pages open to any signed-in user that check the membership themselves (the home page shows the
# no-membership page; the school switcher and two-factor pages belong to the user, not a school).
UNDECORATED = {
    "home",
    "switch_school",
    "accounts:two_factor",
    "accounts:verify",
    # A job's pages belong to the person who started it (jobs.models.Job.objects.visible_to).
    "jobs:list",
    "jobs:detail",
    "jobs:result",
    "accounts:idle",
    "accounts:password_change",
    "accounts:password_change_done",
}


def url_views(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_views(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_each_view_lets_in_the_roles_the_table_gives():
    """The decorator's roles (`allowed_roles`, from the view's core.policy action) are the table's;
    for a URL of an object they may be wider, where a role opens the page but not this object
    (the table then answers 404 for that role)."""
    checked = 0
    for name, view in url_views():
        if name in PUBLIC | SESSION | UNDECORATED:
            continue
        method, allowed, target = PERMISSIONS[name]
        assert hasattr(view, "allowed_roles"), f"{name} is not behind membership_required(action)"
        if object_target((method, allowed, target)):
            assert set(allowed) <= set(view.allowed_roles), (name, view.action)
        else:
            assert set(allowed) == set(view.allowed_roles), (name, view.action)
        checked += 1
    assert checked == len(PERMISSIONS) - len(UNDECORATED)


def visible_pupils(world_school, role):
    """Which of a school's pupils each role may open, by the product's rules."""
    if role in (Role.SENCO, Role.HEAD):
        return set(world_school.pupils)
    if role == Role.TEACHER:
        return {world_school.class_pupil}
    if role == Role.TEACHING_ASSISTANT:
        return {world_school.group_pupil}
    return set()


def call(client, name, method, pk=None):
    kwargs = dict(EXTRA_KWARGS.get(name, {}), **({"pk": pk} if pk is not None else {}))
    url = reverse(name, kwargs=kwargs or None)
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("name", sorted(PERMISSIONS))
def test_anonymous_is_sent_to_login(client, world, name):
    method, _, target = PERMISSIONS[name]
    pk = target_pk(world["A"], target)
    response = call(client, name, method, pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_public_pages_need_no_login(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def body(response):
    """What a page or a download sends, as text (file downloads are streamed)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def target_pk(world_school, target):
    if target is True:
        return world_school.class_pupil.pk
    if target:
        return TARGETS[target](world_school).pk
    return None


def object_target(row):
    return isinstance(row[2], str)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(name for name, row in PERMISSIONS.items() if object_target(row)))
def test_objects_of_another_school_are_not_found(client, world, role, name):
    method, allowed, target = PERMISSIONS[name]
    client.force_login(world["A"].members[role].user)
    own, other = TARGETS[target](world["A"]), TARGETS[target](world["B"])
    if role not in allowed:
        # Refused (403), or, where the role may use the page but not this object, not found.
        assert call(client, name, method, own.pk).status_code in {403, 404}
        return
    assert call(client, name, method, own.pk).status_code in {200, 302, 400}
    assert call(client, name, method, other.pk).status_code == 404


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(name for name, row in PERMISSIONS.items() if not object_target(row)))
def test_each_role_gets_what_the_table_says(client, world, role, name):
    method, allowed, takes_pupil = PERMISSIONS[name]
    home, away = world["A"], world["B"]
    client.force_login(home.members[role].user)
    if not takes_pupil:
        response = call(client, name, method)
        if role in allowed:
            # A POST with an empty form may also be refused with the form shown again (400).
            expected = {200, 302, 400} if method == "post" else {200, 302}
            assert response.status_code in expected, response.status_code
        else:
            assert response.status_code == 403
        return
    visible = visible_pupils(home, role)
    for pupil in home.pupils + away.pupils:
        before = Pupil.objects.filter(pk=pupil.pk).values().get()
        response = call(client, name, method, pupil.pk)
        if role not in allowed:
            expected = {403}
        elif pupil in visible:
            # A POST with an empty form is refused with the form shown again (400), or the
            # action is done (302); a GET renders the page.
            expected = {200} if method == "get" else {302, 400}
        else:
            expected = {404}
        assert response.status_code in expected, (role, name, pupil, response.status_code)
        if response.status_code != 302:
            assert Pupil.objects.filter(pk=pupil.pk).values().get() == before


@pytest.mark.parametrize("role", list(Role))
def test_no_page_shows_another_schools_pupils_or_pupils_out_of_reach(client, world, role):
    home, away = world["A"], world["B"]
    client.force_login(home.members[role].user)
    visible = visible_pupils(home, role)
    hidden = [p for p in home.pupils + away.pupils if p not in visible]
    for name, (method, allowed, takes_pupil) in PERMISSIONS.items():
        if method != "get" or role not in allowed:
            continue
        if object_target((method, allowed, takes_pupil)):
            pks = [target_pk(home, takes_pupil)]
        else:
            pks = [p.pk for p in visible] if takes_pupil else [None]
        for pk in pks:
            page = body(call(client, name, method, pk))
            for pupil in hidden:
                assert pupil.legal_surname not in page, (role, name, pupil)
                assert pupil.upn not in page, (role, name, pupil)


def test_list_shows_the_pupils_each_role_may_see(client, world):
    home = world["A"]
    for role in STAFF:
        client.force_login(home.members[role].user)
        page = client.get(reverse("pupils:list")).content.decode()
        for pupil in home.pupils:
            assert (pupil.legal_surname in page) == (pupil in visible_pupils(home, role)), (
                role,
                pupil,
            )


def test_senco_of_one_school_cannot_archive_anothers_pupil(client, world):
    client.force_login(world["A"].members[Role.SENCO].user)
    target = world["B"].other_pupil
    response = client.post(reverse("pupils:archive", kwargs={"pk": target.pk}), {"archive_reason": "Left"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.archived_at is None


def test_switching_school_changes_what_a_user_sees(client, world):
    """One person, SENCO at A and governor at B: the role follows the school."""
    from tests.factories import MembershipFactory

    user = world["A"].members[Role.SENCO].user
    MembershipFactory(user=user, school=world["B"].school, role=Role.GOVERNOR)
    client.force_login(user)
    assert client.get(reverse("pupils:list")).status_code == 200
    client.post(reverse("switch_school"), {"school": world["B"].school.pk})
    assert client.get(reverse("pupils:list")).status_code == 403
    # A school the user has no membership of cannot be chosen.
    from tests.factories import SchoolFactory

    stranger = SchoolFactory()
    client.post(reverse("switch_school"), {"school": stranger.pk})
    page = client.get(reverse("home")).content.decode()
    assert stranger.name not in page
    assert world["B"].school.name in page


def test_user_without_membership_sees_no_school(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("sen_register")).status_code == 403


def test_an_organisation_membership_covers_its_schools_figures_only(client, world):
    """The trust lead holds one membership of school A's trust (conftest: each world school has a
    trust of its own). The trust also runs school C: after switching to C, every page of the
    table opens to them as to a trust lead of C, with no pupil of C, and nothing of school B,
    whose trust is another, can be reached."""
    from schools.models import memberships_for
    from tests.factories import PupilFactory, SchoolFactory

    home, away = world["A"], world["B"]
    lead = home.members[Role.TRUST_LEAD].user
    third = SchoolFactory(name="C", organisation=home.school.organisation)
    third_pupil = PupilFactory(school=third, legal_surname="PupilOfC")
    assert [m.school for m in memberships_for(lead)] == [home.school, third]
    assert {m.role for m in memberships_for(lead)} == {Role.TRUST_LEAD}
    client.force_login(lead)
    # Another trust's school cannot be chosen; the trust's other school can.
    client.post(reverse("switch_school"), {"school": away.school.pk})
    assert client.session.get("current_school_id") != away.school.pk
    client.post(reverse("switch_school"), {"school": third.pk})
    assert client.session["current_school_id"] == third.pk
    opened = 0
    for name, (method, allowed, target) in PERMISSIONS.items():
        if object_target((method, allowed, target)):
            # Objects of another trust's school are not found (or the page is refused).
            assert call(client, name, method, TARGETS[target](away).pk).status_code in {403, 404}
            continue
        pupils = [third_pupil, *away.pupils] if target else [None]
        for pupil in pupils:
            response = call(client, name, method, pupil.pk if pupil else None)
            if Role.TRUST_LEAD not in allowed:
                assert response.status_code == 403, (name, response.status_code)
            elif pupil is not None:
                assert response.status_code in {403, 404}, (name, response.status_code)
            else:
                assert response.status_code in {200, 302, 400}, (name, response.status_code)
                if method == "get":
                    opened += 1
                    page = body(response)
                    for hidden in [third_pupil, *home.pupils, *away.pupils]:
                        assert hidden.legal_surname not in page, (name, hidden)
    assert opened >= 10  # the gap analysis, the SEF, the register, the trust comparison ...


def test_a_school_membership_wins_over_the_organisations_in_its_school(world):
    """A person who is head of A and trust lead of A's trust works in A as its head."""
    from schools.models import memberships_for
    from tests.factories import OrganisationMembershipFactory

    head = world["A"].members[Role.HEAD]
    OrganisationMembershipFactory(user=head.user, organisation=world["A"].school.organisation)
    [membership] = memberships_for(head.user)
    assert (membership.school, membership.role, membership.pk) == (world["A"].school, Role.HEAD, head.pk)


def test_an_inactive_organisation_membership_opens_nothing(client, world):
    from schools.models import OrganisationMembership

    lead = world["A"].members[Role.TRUST_LEAD].user
    OrganisationMembership.objects.filter(user=lead).update(is_active=False)
    client.force_login(lead)
    assert client.get(reverse("gaps:dashboard")).status_code == 403
