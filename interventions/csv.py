"""A CSV download whose cells cannot run as spreadsheet formulas.

Minimal stand-in until reports/csv.py (being written for every export) lands: a cell that
starts with =, +, -, @, tab or carriage return is prefixed with an apostrophe, so Excel shows it
as text. Numbers are written as numbers.
"""

import csv
from numbers import Number

from django.http import HttpResponse

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response
