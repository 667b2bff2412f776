"""The grid's cells are written in Python (assessment/templatetags/grid.py): the notes a cell
carries must read as the template wrote them, every value escaped."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from assessment.selectors import GridCell
from assessment.templatetags.grid import grid_boxes, grid_cell

# The notes as grid.html wrote them before the tag did.
TEMPLATE_NOTES = Template(
    '{% if c.error %}<div class="grid-note grid-error-note" role="alert">{{ c.error }}</div>{% endif %}'
    '{% if c.target %}<div class="grid-note">Target {% if c.target.target.shown %}{{ c.target.target.shown }}'
    '{% else %}{{ c.target.target.attainment.code|default:"" }}'
    "{% if c.target.target.points is not None %} {{ c.target.target.points }}{% endif %}{% endif %}: "
    "<strong>{{ c.target.words }}</strong></div>{% endif %}"
    '{% if c.note %}<div class="grid-note">{{ c.note }}</div>{% endif %}'
    '{% if c.conflict %}<div class="grid-note" role="alert"><strong>Conflict:</strong> '
    '{{ c.conflict.updated_by|default:"someone" }} saved {{ c.conflict_text }} at '
    '{{ c.conflict.updated_at|date:"H:i" }}. Yours is shown: save again to keep it.</div>{% endif %}'
)


def _cell(**notes):
    pupil, subject = SimpleNamespace(pk=7), SimpleNamespace(pk=3)
    return GridCell(pupil=pupil, subject=subject, attainment_code="WT", row="2", col="4", **notes)


def _target(shown="", code="EX", points=None, words="on track"):
    attainment = SimpleNamespace(code=code) if code is not None else None
    return SimpleNamespace(
        target=SimpleNamespace(shown=shown, attainment=attainment, points=points), words=words
    )


# 14:05 in London in summer time, stored in UTC.
SAVED = timezone.make_aware(datetime.datetime(2026, 6, 1, 13, 5), datetime.UTC)


@pytest.mark.parametrize(
    "notes",
    [
        {},
        {"error": "Type a band of the scheme: <b>XX</b> is not one"},
        {"target": _target()},
        {"target": _target(points=Decimal("4.5"), words="below the trajectory")},
        {"target": _target(code=None, points=12)},
        {"target": _target(shown="PK4 & more", words="met")},
        {"note": "Kept on Small steps, which the pupil has left"},
        {"conflict": SimpleNamespace(updated_by="A <Teacher>", updated_at=SAVED), "conflict_text": "EX 5"},
        {"conflict": SimpleNamespace(updated_by=None, updated_at=SAVED), "conflict_text": "GD"},
        {
            "error": "Bad",
            "target": _target(),
            "note": "n",
            "conflict": SimpleNamespace(updated_by="B", updated_at=SAVED),
        },
    ],
)
def test_notes_read_as_the_template_wrote_them(notes, settings):
    settings.TIME_ZONE = "Europe/London"
    cell = _cell(**notes)
    assert grid_cell(cell) == grid_boxes(cell) + TEMPLATE_NOTES.render(Context({"c": cell}))


def test_a_conflict_is_shown_in_the_schools_time():
    cell = _cell(conflict=SimpleNamespace(updated_by="B", updated_at=SAVED), conflict_text="GD")
    assert "saved GD at 14:05." in grid_cell(cell)


def test_every_note_is_escaped():
    html = grid_cell(_cell(error="<script>", note="<img>", target=_target(shown="<i>", words="<u>")))
    assert "<script>" not in html and "<img>" not in html and "<i>" not in html and "<u>" not in html


def test_a_row_is_its_cells_in_order_each_box_escaped():
    hostile = GridCell(
        pupil=SimpleNamespace(pk=8),
        subject=SimpleNamespace(pk=3),
        attainment_code='"><b>',
        progress_code="A&B",
        points=Decimal("4.5"),
        was=("O'Neil", "—", "—"),
        row="3",
        col="4",
    )
    cells = [_cell(), _cell(error="<script>"), hostile]
    html = Template("{% load grid %}{% grid_row cells %}").render(Context({"cells": cells}))
    assert html == "".join(grid_cell(cell) for cell in cells)
    assert 'name=a-8-3 value="&quot;&gt;&lt;b&gt;"' in html
    assert 'name=g-8-3 value="A&amp;B"' in html and 'name=n-8-3 value="4.5"' in html
    assert "<i>O&#x27;Neil</i>" in html and "<script>" not in html
