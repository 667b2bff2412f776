"""Dates as the pages print them (d/m/Y, with the time H:i), written in Python: the `date`
filter parses its format and looks up each part for every date, about 140 calls a date, and a
pupil's page shows 40 to 130 dates, a list one a row. Each gives what `date` gave with the same
format (tests/overview/test_pupil_page_tags.py)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


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
