"""A pupil's SEN status as a badge, and the rows of the pupil list and the SEN register: drawn on
every row of those pages (and the badge on the termly grid's), so written here in Python rather
than resolved by the template language for each row. Every value from the record is escaped, as
the template escaped it (by the standard library's escape, as Django's does); each gives what the
template's markup gave (tests/pupils/test_sen_tags.py)."""

from django import template
from django.utils.safestring import mark_safe

from core.markup import text as escape
from core.markup import url_with_id
from core.templatetags.dates import dmy
from pupils.models import YEAR_GROUPS, SenStatus

register = template.Library()

BADGES = {
    SenStatus.EHCP.value: '<span class="badge text-bg-danger">E · EHCP</span>',
    SenStatus.SEN_SUPPORT.value: '<span class="badge text-bg-warning">K · SEN support</span>',
}
NO_SEN = '<span class="badge text-bg-light border">N · no SEN</span>'
# `get_year_group_display` rebuilds the field's choices at every call: a dict looked up instead.
YEAR_LABELS = dict(YEAR_GROUPS)


@register.filter
def sen_badge(status):
    """The badge of an SEN status code (E, K or N): fixed markup, nothing from the record."""
    return mark_safe(BADGES.get(status, NO_SEN))  # noqa: S308 - constant markup


def pupil_url(pk):
    """`{% url 'pupils:detail' pk %}`."""
    return url_with_id("pupils:detail", pk)


def _name_link(pupil):
    return f'<a href="{pupil_url(pupil.pk)}">{escape(pupil.legal_surname)}, {escape(pupil.forename)}</a>'


def _year(pupil):
    return escape(YEAR_LABELS.get(pupil.year_group, pupil.year_group))


def _or_dash(value):
    """`value|default:"—"`, escaped."""
    return escape(value) if value else "—"


def _class_name(pupil):
    return "—" if pupil.school_class is None else escape(pupil.school_class)


@register.filter
def pupil_list_row(pupil):
    """One row of the pupil list: name (linked), UPN, year, class, SEN status, needs, groups."""
    secondary = f", {escape(pupil.secondary_need)}" if pupil.secondary_need else ""
    groups = (
        ('<span class="badge text-bg-info">PP</span> ' if pupil.pupil_premium else "")
        + ('<span class="badge text-bg-info">FSM</span> ' if pupil.fsm else "")
        + ('<span class="badge text-bg-secondary">EAL</span> ' if pupil.eal else "")
        + ('<span class="badge text-bg-dark">LAC</span>' if pupil.lac else "")
    )
    return mark_safe(  # noqa: S308 - every value from the record is escaped
        f"<tr>\n      <td>{_name_link(pupil)}</td>\n"
        f'      <td class="font-monospace small">{escape(pupil.upn)}</td>\n'
        f"      <td>{_year(pupil)}</td>\n"
        f"      <td>{_class_name(pupil)}</td>\n"
        f"      <td>{sen_badge(pupil.sen_status)}</td>\n"
        f"      <td>{_or_dash(pupil.primary_need)}{secondary}</td>\n"
        f'      <td class="small">{groups}</td>\n    </tr>'
    )


@register.filter
def register_row(pupil):
    """One row of the SEN register: name (linked), year, class, status, date placed on the
    record, primary and secondary need."""
    return mark_safe(  # noqa: S308 - every value from the record is escaped
        f"<tr><td>{_name_link(pupil)}</td>\n"
        f"      <td>{_year(pupil)}</td><td>{_class_name(pupil)}</td>\n"
        f"      <td>{sen_badge(pupil.sen_status)}</td>\n"
        f"      <td>{dmy(pupil.sen_placed_on) or '—'}</td>\n"
        f"      <td>{_or_dash(pupil.primary_need)}</td><td>{_or_dash(pupil.secondary_need)}</td></tr>"
    )
