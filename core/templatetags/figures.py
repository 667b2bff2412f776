"""{{ threshold|withheld_note }}: what a hidden figure ("c") means, once on each page that can show one."""

from django import template

from core.disclosure import suppressed_note

register = template.Library()


@register.filter
def withheld_note(threshold):
    return suppressed_note(threshold)
