"""The cells of the termly grid, written in Python.

A year group of 300 by 6 subjects is 5,400 boxes; the template language resolves each variable
of each box one by one (about twenty-five a cell), which was most of the page's time. These tags
write a cell's boxes and the notes it may carry (error, target, note, conflict) in one go, every
value escaped; the template keeps everything else."""

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from assessment.frameworks import show_age, value_range
from core.markup import text as escape

register = template.Library()


@register.simple_tag
def grid_row(cells):
    """A pupil's cells of the grid, one after another (`grid_cell`): one tag a row rather than
    one a cell, as the template language's loop and tag call cost more than the cell itself."""
    return mark_safe("".join(grid_cell(cell) for cell in cells))  # noqa: S308 - grid_cell escapes


def grid_cell(cell):
    """A cell of the termly grid: its boxes (`grid_boxes`), then the notes it may carry, each
    in a <div class="grid-note">: an error in what was typed, the target and whether the value
    meets it, a note, and a conflict with someone else's save. Written here for the same reason
    as the boxes: a year group's grid has thousands of cells."""
    return mark_safe(grid_boxes(cell) + _notes(cell))  # noqa: S308 - both escape every value


def _notes(cell):
    notes = []
    if cell.error:
        notes.append(
            f'<div class="grid-note grid-error-note" role="alert">{conditional_escape(cell.error)}</div>'
        )
    if cell.target:
        target = cell.target.target
        if target.shown:
            aim = conditional_escape(target.shown)
        else:
            aim = conditional_escape(target.attainment.code if target.attainment else "")
            if target.points is not None:
                aim += f" {conditional_escape(localize(target.points))}"
        words = conditional_escape(cell.target.words)
        notes.append(f'<div class="grid-note">Target {aim}: <strong>{words}</strong></div>')
    if cell.note:
        notes.append(f'<div class="grid-note">{conditional_escape(cell.note)}</div>')
    if cell.conflict:
        conflict = cell.conflict
        who = conditional_escape(conflict.updated_by or "someone")
        what = conditional_escape(cell.conflict_text)
        at = timezone.localtime(conflict.updated_at).strftime("%H:%M")
        notes.append(
            f'<div class="grid-note" role="alert"><strong>Conflict:</strong> {who} saved {what} at {at}. '
            "Yours is shown: save again to keep it.</div>"
        )
    return "".join(notes)


@register.simple_tag
def grid_boxes(cell):
    """A cell's attainment, progress and points boxes, each with its previous value under it.

    The `</td>` end tags are left out (HTML allows it; every byte counts 5,400 times); the notes
    the template adds after this tag end up in the third box's cell, under the points."""
    if cell.framework is not None:
        return _framework_box(cell)
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


def _framework_box(cell):
    """The one box of a cell on another framework (across the three columns), named by the
    subject, the framework and the pupil; or, on the Engagement Model, no box but a link to the
    pupil's observations."""
    framework = cell.framework
    classes = " ".join(c for c in ("grid-fw", cell.state) if c)
    if cell.engagement:
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<td colspan=3 class="{" ".join(c for c in ("grid-em", cell.state) if c)}">'
            f"<span class=grid-fw-name>{escape(framework.name)}</span>"
            f'<a href="{escape(cell.observations_url)}">Observations'
            f"<span class=visually-hidden> of {escape(cell.pupil.legal_surname)}, "
            f"{escape(cell.pupil.forename)} ({escape(cell.subject.name)})</span></a>"
        )
    kind = framework.kind
    extra = ""
    if framework.ordered:
        extra = f" list=grid-k{framework.pk}"
    elif kind == "score":
        extra = " inputmode=decimal"
    html = (
        f'<td colspan=3 class="{classes}">'
        f"<span class=grid-fw-name aria-hidden=true>{escape(framework.name)}</span>"
        f'<input name=f-{cell.key} value="{escape(cell.value)}"{extra} '
        f'aria-labelledby="f{cell.col} k{framework.pk} p{cell.row}">'
    )
    if cell.was_value is not None:
        html += f"<i>{escape(cell.was_value)}</i>"
    return mark_safe(html)  # noqa: S308 - every value above is escaped


@register.simple_tag
def typed_as(framework, stages):
    """How a value on `framework` is typed, for the grid's help: its codes, a stage and step,
    a score or an age."""
    if framework.kind == "engagement":
        return "recorded as observations, not on the grid"
    if framework.kind == "standards":
        codes = [s.code for s in stages]
        return f"{codes[0]} to {codes[-1]}" if len(codes) > 1 else (codes[0] if codes else "no standards yet")
    if framework.kind == "steps":
        if not stages:
            return "no stages yet"
        first = stages[0]
        example = first.code if first.steps == 1 else f"{first.code}.1"
        return f"a stage and step, such as {example} (stages {', '.join(s.code for s in stages)})"
    low, high = value_range(framework)
    if framework.kind == "age":
        return f"years and months, such as 7y 6m ({show_age(low)} to {show_age(high)})"
    return f"a score, such as 96 ({low.normalize():f} to {high.normalize():f})"


@register.simple_tag
def stage_options(stages):
    """Every value a stage framework takes, for its datalist ("S1.1" ... or "PK1" ...)."""
    options = []
    for stage in stages:
        if stage.steps == 1:
            options.append(f'<option value="{escape(stage.code)}" label="{escape(stage.name)}">')
        else:
            options += [
                f'<option value="{escape(stage.code)}.{n}" label="{escape(stage.name)}, step {n}">'
                for n in range(1, stage.steps + 1)
            ]
    return mark_safe("".join(options))  # noqa: S308 - every value is escaped
