"""Filters for the pupil page and the partials it includes, written in Python because the page
draws them many times: the `date` filter parses its format and looks up each part for every date
(about 140 calls, and the page shows 40 to 130 dates), and `get_FOO_display` rebuilds the field's
choices for every row of the access log, whose rows are drawn here whole. Each gives what the
template gave before."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.access_log import How

register = template.Library()

HOW = dict(How.choices)


@register.filter(expects_localtime=True)
def dmy(value):
    """`value|date:"d/m/Y"`: a date, or a datetime in the current time zone; "" for none."""
    if value in (None, ""):
        return ""
    try:
        # Digits and slashes only: nothing to escape.
        return mark_safe(f"{value.day:02d}/{value.month:02d}/{value.year:04d}")  # noqa: S308
    except AttributeError:
        return ""


@register.filter(expects_localtime=True)
def dmy_hm(value):
    """`value|date:"d/m/Y H:i"`: a datetime in the current time zone; "" for none."""
    if value in (None, ""):
        return ""
    try:
        return mark_safe(  # noqa: S308 - digits, slashes, a space and a colon only
            f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"
        )
    except AttributeError:
        return ""


@register.filter
def how_read(entry):
    """`entry.get_how_display` of an access-log entry: how the data was read, in words."""
    return HOW.get(entry.how, entry.how)


@register.filter
def access_log_row(entry):
    """One row of the page's "Who saw this record" table: when, who (and their role), how, what
    and the address read. Every value from the entry escaped, as the template escaped it."""
    detail = f": {conditional_escape(entry.detail)}" if entry.detail else ""
    return mark_safe(  # noqa: S308 - every value from the entry is escaped
        f"<tr><td>{dmy_hm(template_localtime(entry.at))}</td>"
        f"<td>{conditional_escape(entry.username)} "
        f'<span class="text-body-secondary">({conditional_escape(entry.role_label)})</span></td>'
        f"<td>{conditional_escape(how_read(entry))}</td>"
        f"<td>{conditional_escape(entry.what)}{detail}<br>"
        f'<span class="text-body-secondary text-break">{conditional_escape(entry.path)}</span></td></tr>'
    )
