"""Gap question C with SEND pupils ahead: the table and the drafted finding say who is ahead
and which way the gap moved (core.gap_direction)."""

import pytest

from core.roles import Role
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import Scheme, assess, pupils
from tests.gaps.test_figures import page

pytestmark = pytest.mark.django_db


def test_grid_and_finding_word_a_gap_with_send_pupils_ahead(client):
    """Year 4 Reading. Autumn: SEND 4/5 = 80% at or above ARE, everyone else 3/5 = 60%: gap -20.
    Spring: SEND 5/5 = 100%, everyone else 2/5 = 40%: gap -60, 60 points ahead, up from 20:
    widened, in the SEND pupils' favour (a green badge)."""
    school = SchoolFactory(name="Aheadfield")
    scheme = Scheme(school)
    send = pupils(school, 5, sen_status=SenStatus.SEN_SUPPORT, primary_need="SPLD")
    others = pupils(school, 5)
    autumn, spring = scheme.point("Autumn"), scheme.point("Spring")
    assess(scheme, send[:4], autumn, "Reading", "OT", points="10")
    assess(scheme, send[4:], autumn, "Reading", "B", points="8")
    assess(scheme, others[:3], autumn, "Reading", "OT", points="10")
    assess(scheme, others[3:], autumn, "Reading", "B", points="8")
    assess(scheme, send, spring, "Reading", "OT", points="12")
    assess(scheme, others[:2], spring, "Reading", "OT", points="12")
    assess(scheme, others[2:], spring, "Reading", "B", points="8")
    senco = MembershipFactory(school=school, role=Role.SENCO)
    response = page(client, senco, "gaps:grid", f"?point={spring.pk}")
    gap = response.context["report"].gaps[0]
    assert (str(gap.focus), str(gap.rest), gap.points) == ("100% (5/5)", "40% (2/5)", -60)
    assert (gap.standing, gap.narrowed_since_last_point) == ("60 percentage points ahead", "widened")
    text = response.content.decode()
    assert "<td>60 percentage points ahead</td>" in text
    assert '<span class="badge text-bg-success">Widened</span> <span class="small">up from 20</span>' in text
    assert response.context["finding"]["draft"] == (
        "The largest in-school gap is Reading in Year 4: All SEND (SEN support and EHCP) 100% (5/5), "
        "everyone else 40% (2/5), so 60 percentage points ahead; up from 20 since last term (widened). "
        "Since the last point: 1 gap widened. Gaps compared in core subjects (Reading, Writing and Maths)."
    )
