"""The overview's "needs attention" list, with dates fixed by hand."""

import datetime

import pytest
from django.urls import reverse

from overview.selectors import needs_attention
from plans.models import EhcPlan
from pupils.models import SenStatus
from tests.factories import ConversationFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)  # autumn term of 2026/27


def ehcp(school, due):
    pupil = PupilFactory(school=school, sen_status=SenStatus.EHCP)
    return EhcPlan.objects.create(pupil=pupil, plan_date=due.replace(year=due.year - 1), next_review_due=due)


def test_counts_what_is_overdue_and_due_soon(senco):
    school = senco.school
    ehcp(school, datetime.date(2026, 11, 1))  # overdue
    ehcp(school, datetime.date(2027, 1, 18))  # due within eight weeks (horizon 18 January 2027)
    ehcp(school, datetime.date(2027, 1, 19))  # one day past the horizon: not yet listed
    talked_to = PupilFactory(school=school, sen_status=SenStatus.SEN_SUPPORT)
    ConversationFactory(pupil=talked_to, date=datetime.date(2026, 10, 5))
    PupilFactory(school=school, sen_status=SenStatus.NONE)  # not on the record: never listed

    found = {item.text: item.count for item in needs_attention(senco, TODAY)}

    assert found["EHC plan annual reviews overdue"] == 1
    assert found["EHC plan annual reviews due in the next eight weeks"] == 1
    # 3 EHCP pupils and 1 on SEN support are on the record; only the latter's family was seen.
    assert found["pupils on the SEND record whose families have had no conversation this term"] == 3


def test_leaders_see_the_panel_and_governors_do_not(client, senco, governor):
    ehcp(senco.school, datetime.date(2020, 1, 1))
    client.force_login(senco.user)
    assert "Needs attention" in client.get(reverse("home")).content.decode()
    client.force_login(governor.user)
    assert "Needs attention" not in client.get(reverse("home")).content.decode()
