import datetime

import pytest
from django.core.management import call_command

from core.roles import Role
from demo.generator import DEMO_USERS, DemoBuilder, build_demo
from pupils.models import Pupil, SenStatusChange
from pupils.services import current_sen
from pupils.upn import validate_upn
from schools.models import Membership, OrganisationMembership, memberships_for
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 11, 23)


@shared_rows
def demo():
    return build_demo(pupils=420, seed=7, today=TODAY)


def test_primary_school_has_national_shares_and_two_forms(demo):
    main = demo["schools"][0]
    pupils = Pupil.objects.filter(school=main.school)
    assert pupils.count() == 420
    # 4.8% of 420 = 20.16 -> 20 EHCP; 13.6% of 420 = 57.12 -> 57 SEN support; 77/420 = 18.3%.
    assert pupils.filter(sen_status="E").count() == 20
    assert pupils.filter(sen_status="K").count() == 57
    # Reception to Year 6 in two forms a year: 14 classes of about 30.
    assert main.school.classes.count() == 14
    assert set(pupils.values_list("year_group", flat=True)) == set(range(7))
    needs = set(pupils.on_sen_record().values_list("primary_need", flat=True))
    assert len(needs) >= 6
    assert pupils.filter(pupil_premium=True).count() > 60
    assert pupils.filter(eal=True).count() > 40


def test_every_upn_is_valid_and_unique(demo):
    upns = list(Pupil.objects.values_list("school", "upn"))
    assert len(upns) == len(set(upns))
    for _school, upn in upns:
        validate_upn(upn)


def test_sen_history_agrees_with_current_status(demo):
    for pupil in Pupil.objects.prefetch_related("sen_history"):
        changes = sorted((c.effective_date, c.status) for c in pupil.sen_history.all())
        assert current_sen([(s, d) for d, s in changes]) == (pupil.sen_status, pupil.sen_placed_on)
        assert all(pupil.date_of_birth < d <= TODAY for d, _ in changes)
    # Several years of history: movements on and off the record over more than three years.
    dates = SenStatusChange.objects.exclude(status="N").values_list("effective_date", flat=True)
    assert min(dates) < datetime.date(2023, 9, 1)
    assert SenStatusChange.objects.filter(status="N").exclude(pupil__sen_status="N").count() > 0


def test_one_user_per_role_and_a_switcher(demo):
    main = demo["schools"][0].school
    roles = {m.role for user in demo["users"].values() for m in memberships_for(user) if m.school == main}
    assert roles == set(Role)
    assert len(DEMO_USERS) == len(Role)
    # The trust lead holds one membership of the trust, which covers every school of it.
    lead = demo["users"]["trustlead"]
    assert not Membership.objects.filter(user=lead).exists()
    assert OrganisationMembership.objects.get(user=lead).organisation == main.organisation
    assert [m.school for m in memberships_for(lead)] == sorted(
        (built.school for built in demo["schools"]), key=lambda school: school.name
    )
    senco = demo["users"]["senco"]
    assert senco.memberships.count() == 2
    assert demo["users"]["admin"].is_superuser
    assert demo["teacher_class"].teachers.filter(pk=demo["users"]["teacher"].pk).exists()
    ta_pupils = Pupil.objects.filter(intervention_places__run__staff=demo["users"]["ta"])
    assert ta_pupils.count() == 6


def test_same_seed_gives_same_school():
    def build(urn):
        built = DemoBuilder(seed=3, today=TODAY).build_school(name=f"S{urn}", urn=urn, pupils=50)
        return list(
            Pupil.objects.filter(school=built.school)
            .order_by("pk")
            .values_list("upn", "legal_surname", "sen_status", "sen_placed_on", "primary_need")
        )

    assert build("900001") == build("900002")


def test_scale_sizes_secondary_and_several_schools():
    built = build_demo(pupils=1500, schools=2, profile="secondary", seed=1, today=TODAY)
    assert [b.pupils for b in built["schools"]] == [1500, 750, 1500]
    assert set(
        Pupil.objects.filter(school=built["schools"][0].school).values_list("year_group", flat=True)
    ) == {7, 8, 9, 10, 11}


def test_command_prints_logins_and_refuses_to_seed_twice(capsys):
    call_command("seed_demo", "--pupils", "40")
    out = capsys.readouterr().out
    assert "senco" in out and "sendtrack-demo" in out and "governor" in out
    call_command("seed_demo", "--if-empty")
    assert "already present" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo")
