"""The pupil list's and the SEN register's rows (pupils/templatetags/sen.py) give what the
template's own markup gave: each compared with the template it replaced, hostile text included."""

import datetime

import pytest
from django.template import engines

from pupils.models import Pupil
from schools.models import SchoolClass

OLD_LIST_ROW = """{% for pupil in pupils %}
    <tr>
      <td><a href="{% url 'pupils:detail' pupil.pk %}">{{ pupil.legal_surname }}, {{ pupil.forename }}</a></td>
      <td class="font-monospace small">{{ pupil.upn }}</td>
      <td>{{ pupil.get_year_group_display }}</td>
      <td>{{ pupil.school_class|default:"—" }}</td>
      <td>{{ pupil.sen_status|sen_badge }}</td>
      <td>{{ pupil.primary_need|default:"—" }}{% if pupil.secondary_need %}, {{ pupil.secondary_need }}{% endif %}</td>
      <td class="small">{% if pupil.pupil_premium %}<span class="badge text-bg-info">PP</span> {% endif %}{% if pupil.fsm %}<span class="badge text-bg-info">FSM</span> {% endif %}{% if pupil.eal %}<span class="badge text-bg-secondary">EAL</span> {% endif %}{% if pupil.lac %}<span class="badge text-bg-dark">LAC</span>{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501 - the template's lines as they were
NEW_LIST_ROW = """{% for pupil in pupils %}
    {{ pupil|pupil_list_row }}
    {% endfor %}"""

OLD_REGISTER_ROW = """{% for pupil in pupils %}
      <tr><td><a href="{% url 'pupils:detail' pupil.pk %}">{{ pupil.legal_surname }}, {{ pupil.forename }}</a></td>
      <td>{{ pupil.get_year_group_display }}</td><td>{{ pupil.school_class|default:"—" }}</td>
      <td>{{ pupil.sen_status|sen_badge }}</td>
      <td>{{ pupil.sen_placed_on|dmy|default:"—" }}</td>
      <td>{{ pupil.primary_need|default:"—" }}</td><td>{{ pupil.secondary_need|default:"—" }}</td></tr>
    {% endfor %}"""  # noqa: E501 - the template's lines as they were
NEW_REGISTER_ROW = """{% for pupil in pupils %}
      {{ pupil|register_row }}
    {% endfor %}"""

HOSTILE = "<script>alert('x')</script> & \"O'Brien\""


def render(source, **context):
    return engines["django"].from_string("{% load sen dates %}" + source).render(context)


def pupils():
    hostile_class = SchoolClass(pk=3, name=HOSTILE)
    plain_class = SchoolClass(pk=4, name="Oak")
    return [
        Pupil(
            pk=1,
            legal_surname=HOSTILE,
            legal_forename="Ann",
            preferred_forename=HOSTILE,
            upn="A<1>&",
            year_group=0,
            school_class=hostile_class,
            sen_status="E",
            sen_placed_on=datetime.date(2025, 9, 3),
            primary_need="<b>",
            secondary_need="&x",
            pupil_premium=True,
            fsm=True,
            eal=True,
            lac=True,
        ),
        Pupil(
            pk=22,
            legal_surname="Smith",
            legal_forename="Bo",
            upn="B2",
            year_group=13,
            school_class=None,
            sen_status="K",
            primary_need="SLCN",
            eal=True,
        ),
        Pupil(
            pk=333, legal_surname="Jones", legal_forename="Cy", upn="", year_group=6, school_class=plain_class
        ),
        Pupil(pk=4444, legal_surname="Lee", legal_forename="Di", upn="D4", year_group=99, sen_status="N"),
    ]


@pytest.mark.parametrize(("old", "new"), [(OLD_LIST_ROW, NEW_LIST_ROW), (OLD_REGISTER_ROW, NEW_REGISTER_ROW)])
def test_rows_are_the_template_markup(old, new):
    rows = pupils()
    assert render(new, pupils=rows) == render(old, pupils=rows)


def test_hostile_text_is_escaped():
    html = render(NEW_LIST_ROW, pupils=pupils()[:1]) + render(NEW_REGISTER_ROW, pupils=pupils()[:1])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;O&#x27;Brien&quot;" in html
    assert "<b>" not in html
