"""Rows of the long per-pupil tables on the D screen, written in Python: a class of 300 pupils
by 3 subjects by 4 columns is over 3,000 cells, which the template language renders about ten
times slower. The markup is the same as a template would write, escaped by format_html."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

EMPTY = mark_safe('<td class="small">—</td>')


def _cell(cell):
    if not cell:
        return EMPTY
    code, points = cell
    return format_html('<td class="small">{} {}</td>', code or "", "" if points is None else points)


def _target(target):
    if not target:
        return EMPTY
    mark = format_html('<span class="badge {}">{}</span>', target.badge, target.words)
    return format_html('<td class="small">{} {}</td>', target.target, mark)


@register.simple_tag
def track_row(track):
    """One pupil's row: name, then per subject the cells at the points and the target."""
    pupil = track.pupil
    cells = format_html_join(
        "",
        "{}{}",
        (
            (format_html_join("", "{}", ((_cell(c),) for c in cells)), _target(t))
            for cells, t in track.by_subject
        ),
    )
    return format_html(
        '<tr><th scope="row"><a href="{}">{}, {}</a> <span class="small fw-normal">{}</span></th>{}</tr>',
        reverse("pupils:detail", args=[pupil.pk]),
        pupil.legal_surname,
        pupil.forename,
        pupil.get_year_group_display(),
        cells,
    )
