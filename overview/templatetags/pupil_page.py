"""Filters for the pupil page, written in Python because the page draws them many times:
`get_FOO_display` rebuilds the field's choices for every row of the access log, whose rows are
drawn here whole (its dates by core's `dmy_hm`). Each gives what the template gave before."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.access_log import How
from core.templatetags.dates import dmy_hm

register = template.Library()

HOW = dict(How.choices)


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
