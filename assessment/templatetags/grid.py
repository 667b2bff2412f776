"""The boxes of the termly grid, written in Python.

A year group of 300 by 6 subjects is 5,400 boxes; the template language resolves each variable
of each box one by one (about twenty-five a cell), which was most of the page's time. This tag
writes a cell's three boxes in one go, every value escaped; the template keeps everything else,
and the notes a cell may carry (error, target, conflict) stay in the template."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def grid_boxes(cell):
    """A cell's attainment, progress and points boxes, each with its previous value under it.

    The `</td>` end tags are left out (HTML allows it; every byte counts 5,400 times); the notes
    the template adds after this tag end up in the third box's cell, under the points."""
    opening = f'<td class="{cell.state}">' if cell.state else "<td>"
    was = cell.was
    boxes = (("a", cell.attainment_code), ("g", cell.progress_code), ("n", cell.points_text))
    html = []
    for index, (prefix, value) in enumerate(boxes):
        html.append(
            f'{opening}<input name={prefix}-{cell.key} value="{escape(value)}" '
            f'aria-labelledby="{prefix}{cell.col} p{cell.row}">'
        )
        if was:
            html.append(f"<i>{escape(was[index])}</i>")
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
