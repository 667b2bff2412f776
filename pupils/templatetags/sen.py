"""A pupil's SEN status as a badge: drawn on every row of the pupil lists, the SEN register and
the termly grid, so written here once rather than included as a template for each row."""

from django import template
from django.utils.safestring import mark_safe

from pupils.models import SenStatus

register = template.Library()

BADGES = {
    SenStatus.EHCP.value: '<span class="badge text-bg-danger">E · EHCP</span>',
    SenStatus.SEN_SUPPORT.value: '<span class="badge text-bg-warning">K · SEN support</span>',
}
NO_SEN = '<span class="badge text-bg-light border">N · no SEN</span>'


@register.filter
def sen_badge(status):
    """The badge of an SEN status code (E, K or N): fixed markup, nothing from the record."""
    return mark_safe(BADGES.get(status, NO_SEN))  # noqa: S308 - constant markup
