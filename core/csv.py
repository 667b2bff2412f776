"""CSV downloads that a spreadsheet cannot turn into formulas.

A cell that begins with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (CSV injection, OWASP). Every such cell is written with a
leading apostrophe, which the spreadsheet shows as text. Every app's export writes through
`csv_response` so none can forget.
"""

import csv

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as text, with a leading apostrophe if a spreadsheet would read a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """csv.writer whose every cell goes through `neutralise`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_response(filename, header, rows):
    """An attachment download of `header` and `rows`, UTF-8 with a BOM so Excel reads accents."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = SafeWriter(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
