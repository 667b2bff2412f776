"""The evidence log's item (evidence/templatetags/evidence_log.py) gives what
templates/evidence/_item.html gave before it: compared with that template, for items with and
without pupils, a group, questions, prompts and a file, hostile text included."""

import pytest
from django.template import engines

from evidence import selectors
from evidence.models import EvidenceItem, OfstedPrompt, PartTwoQuestion
from schools.models import SchoolClass
from tests.factories import EvidenceItemFactory, PupilFactory, UserFactory

HOSTILE = "<script>alert('x')</script> & \"O'Brien\""

# templates/evidence/_item.html as it was, one item at a time.
OLD_ITEM = (
    '{% load dates %}<article class="border-bottom py-2" aria-labelledby="item-{{ item.pk }}-h">\n'
    '  <h3 id="item-{{ item.pk }}-h" class="h6 mb-1"><a href="{% url \'evidence:detail\' item.pk %}">'
    "{{ item.get_source_display }}, {{ item.date|dmy }}</a> "
    # templates/evidence/_judgement.html as it was, with the line end it ended with.
    '{% if item.judgement == "strength" %}<span class="badge text-bg-success">Strength</span>'
    '{% elif item.judgement == "development" %}'
    '<span class="badge text-bg-warning">Area for development</span>'
    '{% else %}<span class="badge text-bg-secondary">Neutral</span>{% endif %}\n</h3>\n'
    '  <p class="mb-1">{{ item.summary|truncatewords:50 }}</p>\n'
    '  <p class="small text-body-secondary mb-0">\n'
    "    By {{ item.author.get_full_name|default:item.author.get_username }}.\n"
    "    {% if item.visible_pupils %}About {% for p in item.visible_pupils %}"
    "<a href=\"{% url 'pupils:detail' p.pk %}\">{{ p.full_name }}</a>"
    "{% if not forloop.last %}, {% endif %}{% endfor %}."
    "{% elif item.group %}{% else %}School-wide.{% endif %}\n"
    "    {% if item.group %}Group: {{ item.group }}.{% endif %}\n"
    "    {% for q in item.questions.all %}{% if forloop.first %}Part Two: {% endif %}"
    "<a href=\"{% url 'evidence:question' q.number %}\">Q{{ q.number }}</a>"
    "{% if not forloop.last %}, {% else %}.{% endif %}{% endfor %}\n"
    "    {% for p in item.prompts.all %}{% if forloop.first %}Prompts: {% endif %}{{ p.number }}"
    "{% if not forloop.last %}, {% else %}.{% endif %}{% endfor %}\n"
    "    {% if item.attachment %}<a href=\"{% url 'evidence:attachment' item.pk %}\">"
    "Download the attached file"
    '<span class="visually-hidden"> ({{ item.attachment_name }})</span></a>{% endif %}\n'
    "  </p>\n"
    "</article>\n"
)


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def items(school, senco, teacher):
    school_class = SchoolClass.objects.create(school=school, name="Oak")
    school_class.teachers.add(teacher.user)
    seen = PupilFactory(
        school=school, school_class=school_class, legal_surname=HOSTILE, preferred_forename="Bo"
    )
    unseen = PupilFactory(school=school, legal_surname="Zed")
    author = UserFactory(first_name="", last_name="", username="a<b>")
    long_summary = " ".join(f"w{n}<&>" for n in range(60)) + "\nlast"
    everything = EvidenceItemFactory(
        school=school, summary=long_summary, group=HOSTILE, judgement="development", source="pupil_voice"
    )
    everything.pupils.set([seen, unseen])
    everything.questions.set(PartTwoQuestion.objects.order_by("number")[:3])
    everything.prompts.set(OfstedPrompt.objects.order_by("number")[:2])
    EvidenceItem.objects.filter(pk=everything.pk).update(attachment="evidence/x.pdf", attachment_name=HOSTILE)
    grouped = EvidenceItemFactory(school=school, author=author, group="Year 4", judgement="neutral")
    grouped.questions.set(PartTwoQuestion.objects.order_by("number")[:1])
    EvidenceItemFactory(school=school, summary=HOSTILE, judgement="strength")  # school-wide
    about_one = EvidenceItemFactory(school=school, source="community", summary="")
    about_one.pupils.set([unseen])
    return [everything, grouped, about_one]


@pytest.mark.parametrize("who", ["senco", "teacher"])
def test_the_item_is_the_template_markup(request, items, who):
    membership = request.getfixturevalue(who)
    shown = list(selectors.evidence_log(membership))
    assert len(shown) == (4 if who == "senco" else 1)
    for item in shown:
        old = render(OLD_ITEM, item=item)
        assert render("{% load evidence_log %}{{ item|evidence_item }}\n", item=item) == old
        assert render('{% include "evidence/_item.html" %}', item=item) == old


def test_hostile_text_is_escaped(items, senco):
    html = "".join(
        render("{% load evidence_log %}{{ item|evidence_item }}", item=item)
        for item in selectors.evidence_log(senco)
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;O&#x27;Brien&quot;" in html
    assert "w1&lt;&amp;&gt;" in html
    assert " …" in html
