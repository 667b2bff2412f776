"""Parsing an import file: bytes in, cleaned rows and every problem out.

`parse_file(kind, content, file_name, school=...)` does the whole job and never raises. It
reads the file into text cells (`reading`), matches the heading row against the kind's columns
(`columns`), cleans each cell (`cleaning`) and applies the rules across a row and across the
file (`row_rules`). Every problem becomes a `RowError` numbered as Excel numbers rows: the
headings are row 1 and the first pupil is row 2.

The only database access here is reading the school's class names. Checks against the
school's pupils (is the pupil archived, does the SEN date fall before the date of birth on
record) are in `selectors.import_plan`, which the preview and the confirmation both run.
"""

import datetime
import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils import timezone

from .cleaning import Context, Invalid, class_names
from .columns import COLUMNS, column_letter, match_headings
from .errors import RowError
from .models import ImportKind
from .reading import FileProblem, read_table
from .row_rules import duplicates, row_problems

logger = logging.getLogger(__name__)

DATE_FIELDS = frozenset({"date_of_birth", "sen_status_date", "effective_date"})
UNEXPECTED = (
    "The file could not be read because of a fault in sendtrack. Nothing was imported; "
    "the fault has been logged."
)


@dataclass
class ParseResult:
    kind: str
    file_name: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # field name -> the heading the file uses for it
    columns: dict = field(default_factory=dict)
    ignored_columns: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def parse_file(kind, content, file_name, *, school, today=None):
    """Read and check a whole file. Never raises: every problem is in `result.errors`."""
    if kind == ImportKind.CTF:
        # imports.ctf builds on this module (ParseResult, UNEXPECTED), so it is imported here.
        from .ctf import parse_ctf

        return parse_ctf(content, file_name, today=today)
    file_name = PurePath(str(file_name or "")).name[:255]
    result = ParseResult(kind=kind, file_name=file_name)
    try:
        _parse(result, content, school=school, today=today or timezone.localdate())
    except FileProblem as problem:
        result.errors, result.rows = [RowError(None, "", str(problem))], []
    except Exception:
        logger.exception("Import of %s (%s) failed unexpectedly", file_name, kind)
        result.errors, result.rows = [RowError(None, "", UNEXPECTED)], []
    return result


def _parse(result, content, *, school, today):
    columns = COLUMNS[ImportKind(result.kind)]
    table = read_table(bytes(content), result.file_name)
    headings, data = table[0], table[1:]
    positions, heading_errors, result.ignored_columns = match_headings(headings, columns)
    result.errors.extend(heading_errors)
    if not any(any(cells) for cells in data):
        result.errors.append(RowError(None, "", "The file has headings but no rows of data below them."))
    if result.errors:
        return
    result.columns = {name: headings[position] for name, position in positions.items()}
    in_use = [(column, positions[column.field]) for column in columns if column.field in positions]
    classes = class_names(school) if "school_class" in positions else {}
    ctx = Context(today=today, classes=classes)
    last_heading = max(i for i, heading in enumerate(headings) if heading)
    for number, cells in enumerate(data, start=2):
        if any(cells):
            result.rows.append(_clean_row(result, number, cells, in_use, ctx, last_heading))
    result.errors.extend(duplicates(result.kind, result.rows, result.columns))
    result.errors.sort(key=lambda error: error.row or 0)
    if result.errors:
        result.rows = []


def _clean_row(result, number, cells, in_use, ctx, last_heading):
    """One row of the file as {field: value}; its problems go into `result.errors`."""
    row, valid = {"row": number}, True
    for column, position in in_use:
        try:
            row[column.field] = column.clean(cells[position], ctx)
        except Invalid as problem:
            result.errors.append(RowError(number, result.columns[column.field], str(problem)))
            valid = False
    beyond = [i for i, cell in enumerate(cells) if cell and i > last_heading]
    if beyond:
        result.errors.append(
            RowError(
                number,
                "",
                f"There is something in column {column_letter(beyond[0])}, which has no "
                "heading. Clear it, or check for a comma in a name that is not in quotes.",
            )
        )
    if valid:
        result.errors.extend(row_problems(result.kind, row, result.columns))
    return row


# --- Rows kept between preview and confirmation -------------------------------------------


def rows_to_json(rows):
    return [
        {name: (value.isoformat() if name in DATE_FIELDS and value else value) for name, value in row.items()}
        for row in rows
    ]


def rows_from_json(rows):
    return [
        {
            name: (datetime.date.fromisoformat(value) if name in DATE_FIELDS and value else value)
            for name, value in row.items()
        }
        for row in rows
    ]
