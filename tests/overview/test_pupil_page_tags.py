"""The pupil page's filters (overview/templatetags/pupil_page.py, core/templatetags/dates.py)
give what the template's own markup gave: each compared with the template it replaced, hostile
text and summer time included."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from core.access_log import How
from pupils.access_log import AccessLogEntry

DATES = [
    None,
    "",
    datetime.date(2026, 1, 5),
    datetime.date(999, 12, 31),
    # 23:30 on 30 June UTC is 00:30 on 1 July in London (summer time): the day moves.
    datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 7, 9, 5, tzinfo=datetime.UTC),
]


def render(source, **context):
    return engines["django"].from_string("{% load dates pupil_page %}" + source).render(context)


@pytest.mark.parametrize("value", DATES)
def test_dmy_is_the_date_filter_d_m_y(value):
    assert render("{{ v|dmy }}", v=value) == render('{{ v|date:"d/m/Y" }}', v=value)
    assert render('{{ v|dmy|default:"—" }}', v=value) == render('{{ v|date:"d/m/Y"|default:"—" }}', v=value)


@pytest.mark.parametrize(
    "value", [v for v in DATES if not isinstance(v, datetime.date) or hasattr(v, "hour")]
)
def test_dmy_hm_is_the_date_filter_with_the_time(value):
    assert render("{{ v|dmy_hm }}", v=value) == render('{{ v|date:"d/m/Y H:i" }}', v=value)


def test_summer_time_moves_the_day_as_the_date_filter_does():
    assert render("{{ v|dmy_hm }}", v=DATES[4]) == "01/07/2026 00:30"


OLD_ROW = (
    "{% for entry in access_log %}"
    '<tr><td>{{ entry.at|date:"d/m/Y H:i" }}</td><td>{{ entry.username }} '
    '<span class="text-body-secondary">({{ entry.role_label }})</span></td>'
    "<td>{{ entry.get_how_display }}</td>"
    "<td>{{ entry.what }}{% if entry.detail %}: {{ entry.detail }}{% endif %}"
    '<br><span class="text-body-secondary text-break">{{ entry.path }}</span></td></tr>'
    "{% endfor %}"
)
NEW_ROW = "{% for entry in access_log %}{{ entry|access_log_row }}{% endfor %}"


def entry(**fields):
    """An access-log entry as the page reads it (unsaved: the row needs no database)."""
    values = {
        "at": timezone.now(),
        "username": "senco",
        "role": "senco",
        "how": How.PAGE,
        "what": "assessment, pupil",
        "detail": "",
        "path": "/pupils/8/",
        **fields,
    }
    return AccessLogEntry(**values)


ENTRIES = [
    entry(),
    entry(at=DATES[4], how=How.PDF, detail="Case study", role="head"),
    entry(how="unknown", role="nobody"),
    entry(
        username="<script>alert(1)</script>",
        what='pupil, "quoted" & <b>bold</b>',
        detail="O'Brien <img src=x onerror=alert(1)>",
        path="/pupils/8/?q=<x>&y='1'",
    ),
]


@pytest.mark.parametrize("one", ENTRIES)
def test_an_access_log_row_is_what_the_template_wrote(one):
    assert render(NEW_ROW, access_log=[one]) == render(OLD_ROW, access_log=[one])


def test_hostile_text_in_an_access_log_row_is_escaped():
    html = render(NEW_ROW, access_log=[ENTRIES[3]])
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "O&#x27;Brien" in html


def test_how_read_is_the_choice_label():
    for how, label in How.choices:
        assert render("{{ e|how_read }}", e=entry(how=how)) == render(
            "{{ e.get_how_display }}", e=entry(how=how)
        )
        assert render("{{ e|how_read }}", e=entry(how=how)) == label
