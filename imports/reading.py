"""Reading: an import file's bytes in, its cells as lists of text out, or `FileProblem`.

pandas reads the table (a CSV in UTF-8, UTF-8 with a BOM, UTF-16 with a BOM or Windows-1252,
separated by commas, semicolons or tabs, or the first sheet of an .xlsx workbook) with every cell as text, so
UPNs and leading zeros survive. The file's name, size and number of rows are checked here, and
every way a file can fail to read becomes one message in plain words.

An .xlsx is a zip, and a small zip can expand to gigabytes (a "zip bomb"): before openpyxl
parses anything, the zip's directory is read for what the workbook expands to (the total, and
how tightly each part is packed) and each sheet's <dimension> for the cells it spans. Python's
zipfile never gives more than a part's declared size (a part holding more fails its checksum),
so the declared sizes bound what parsing can allocate.
"""

import io
import math
import re
import warnings
import zipfile
from pathlib import PurePath

import pandas as pd
from django.conf import settings

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
# 20,000 rows of 50 columns: wider than any school export, far below what would exhaust a worker.
DEFAULT_MAX_CELLS = 1_000_000
# Spreadsheet XML packs about ten to one; a part packed a hundred times tighter is built to expand.
MAX_PACKING_RATIO = 100
# A part this small may pack tighter (an empty sheet's boilerplate) without meaning anything.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_PARTS = 1000
EXTENSIONS = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "cp1252")


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_uncompressed_bytes():
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def max_cells():
    return getattr(settings, "IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why in plain words."""


def file_problem(file_name, size):
    """A message if the file's name or size rules it out before it is read, else None."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        shown = f"a {suffix} file" if suffix else "a file without an extension"
        return (
            f"Only .csv and .xlsx files can be imported, and this is {shown}. In Excel, use "
            "Save As and choose “CSV UTF-8 (Comma delimited)” or “Excel Workbook (.xlsx)”."
        )
    limit = max_bytes()
    if size > limit:
        return (
            f"The file is {size_text(size, up=True)}, over the limit of {size_text(limit)} for "
            "one import. Split it into smaller files, or remove columns sendtrack does not use."
        )
    if size == 0:
        return "The file is empty: there is nothing to import."
    return None


def size_text(n, *, up=False):
    """1.5 MB, 300 KB or 12 bytes; `up` rounds up, so a file just over a limit says so."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            tenths = n * 10 / factor
            tenths = math.ceil(tenths) if up else round(tenths)
            return f"{tenths / 10:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} byte{'s' if n != 1 else ''}"


def read_table(content, file_name):
    """The file's cells as lists of stripped strings, headings first. Raises FileProblem."""
    problem = file_problem(file_name, len(content))
    if problem:
        raise FileProblem(problem)
    read = _read_csv if PurePath(file_name).suffix.lower() == ".csv" else _read_xlsx
    frame = read(content)
    # pandas stops after max_rows() + 2 rows (headings, the limit, one more), so a long file
    # is not read to the end just to be refused.
    capped = len(frame) >= max_rows() + 2
    rows = [[_cell(value) for value in record] for record in frame.itertuples(False, None)]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise FileProblem("The file is empty: there is nothing to import.")
    if capped or len(rows) - 1 > max_rows():
        raise FileProblem(
            f"The file has more than {max_rows():,} rows below the headings (empty rows "
            f"count too). Import at most {max_rows():,} rows at a time: split the file."
        )
    return rows


def _cell(value):
    if isinstance(value, str):
        return value.replace("\ufeff", "").strip()
    return ""  # a missing cell: pandas gives NaN


def _decode(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ENCODINGS:
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise FileProblem(
        "The file could not be read as text. In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    )


_NOT_CSV = (
    "This file could not be read as a CSV file. Open it in Excel and use Save As with "
    "“CSV UTF-8 (Comma delimited)”, or save it as an Excel workbook (.xlsx)."
)


def _separator(text):
    """Commas, unless the heading row plainly uses semicolons or tabs (some exports do)."""
    first_line = text.lstrip().split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read_csv(content):
    text = _decode(content)
    if "\x00" in text:
        raise FileProblem(_NOT_CSV)
    if not text.strip(" \t\r\n,;"):
        raise FileProblem("The file is empty: there is nothing to import.")
    width = None
    # A row with more cells than the first makes pandas stop and name the width it saw;
    # read again that wide, so that every such row is reported, not just the first.
    for _attempt in range(20):
        try:
            return pd.read_csv(
                io.StringIO(text),
                sep=_separator(text),
                header=None,
                names=range(width) if width else None,
                index_col=False,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                nrows=max_rows() + 2,
                engine="c",
            )
        except pd.errors.ParserError as error:
            message = str(error)
            if match := re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", message):
                width = max(int(match[2]), (width or 0) + 1)
                continue
            if match := re.search(r"EOF inside string starting at row (\d+)", message):
                raise FileProblem(
                    f'Row {int(match[1]) + 1} opens a quotation mark (") that is never '
                    "closed, so the rest of the file cannot be read. Check that row in "
                    "Excel and save the file again."
                ) from None
            raise FileProblem(_NOT_CSV) from None
        except pd.errors.EmptyDataError:
            raise FileProblem("The file is empty: there is nothing to import.") from None
        except (ValueError, OverflowError, MemoryError):
            raise FileProblem(_NOT_CSV) from None
    raise FileProblem(_NOT_CSV)


_NOT_XLSX = (
    "This file could not be opened as an Excel workbook (.xlsx). Open it in Excel and "
    "save it again as “Excel Workbook (.xlsx)”, or as “CSV UTF-8 (Comma delimited)”."
)
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\""
)
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _sheet_cells(archive, part):
    """The cells a sheet's <dimension ref="A1:D200"> spans (rows x columns), or 0 if it has
    none. The element comes near the start of the sheet; only its first 64 KB are read."""
    with archive.open(part) as stream:
        head = stream.read(64 * 1024)
    match = _DIMENSION.search(head)
    if not match:
        return 0
    first_column, first_row, last_column, last_row = match.groups()
    last_column, last_row = last_column or first_column, last_row or first_row
    columns = abs(_column_number(last_column.decode()) - _column_number(first_column.decode())) + 1
    return (abs(int(last_row) - int(first_row)) + 1) * columns


def check_xlsx_expansion(content):
    """Raise FileProblem if the workbook would expand beyond what one import may take."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileProblem(_NOT_XLSX) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise FileProblem(_NOT_XLSX)
        expanded = sum(part.file_size for part in parts)
        if expanded > max_uncompressed_bytes():
            raise FileProblem(
                f"This workbook is {size_text(len(content), up=True)} but expands to "
                f"{size_text(expanded, up=True)} when opened, over the limit of "
                f"{size_text(max_uncompressed_bytes())}. Save the sheet as “CSV UTF-8 (Comma "
                "delimited)” and import that, or split it into smaller files."
            )
        for part in parts:
            packed = max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR_BYTES and part.file_size / packed > MAX_PACKING_RATIO:
                raise FileProblem(
                    f"This workbook is packed {part.file_size // packed:,} times smaller than it "
                    "expands to, which no spreadsheet is: it looks built to exhaust the server, "
                    "and is not opened. Save the sheet from Excel again, or as a CSV file."
                )
        try:
            cells = max(
                (_sheet_cells(archive, part) for part in parts if _WORKSHEET.fullmatch(part.filename)),
                default=0,
            )
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
            raise FileProblem(_NOT_XLSX) from None
    if cells > max_cells():
        raise FileProblem(
            f"A sheet of this workbook spans {cells:,} cells, over the limit of {max_cells():,} "
            "for one import. Delete the empty rows and columns below and beside the table "
            "(select them, then Delete), or save the sheet as a CSV file."
        )


def _read_xlsx(content):
    check_xlsx_expansion(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not read
            return pd.read_excel(
                io.BytesIO(content),
                sheet_name=0,
                header=None,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                engine="openpyxl",
                nrows=max_rows() + 2,
            )
    # zipfile, openpyxl, XML and pandas each raise their own errors for a damaged or
    # disguised file; any of them means the same thing to the user.
    except Exception:
        raise FileProblem(_NOT_XLSX) from None
