"""An .xlsx is a zip: a small file can expand to gigabytes (a "zip bomb"). What it expands to is
checked from the zip's directory before anything is parsed: the total uncompressed size, each
part's compression ratio, and the cells each sheet says it spans (its <dimension>).

Zip output is capped at each part's declared size (Python's zipfile stops there and a part that
holds more fails its checksum), so the directory's sizes are a true bound."""

import io
import time
import tracemalloc
import zipfile

import pytest

from imports.reading import FileProblem, read_table
from tests.imports.files import xlsx_bytes

MEMORY_BOUND = 16 * 1024 * 1024  # what reading and refusing the bomb may allocate at its peak

SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}">
<sheets><sheet name="Pupils" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def sheet(dimension="A1:A1"):
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/>
<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"""


def workbook(*, shared_strings_mb=0, dimension="A1:A1"):
    """A valid minimal workbook; its shared strings padded with `shared_strings_mb` megabytes of
    one repeated string, written a megabyte at a time so the test itself holds little."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet(dimension))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            part.write(b"<si><t>UPN</t></si>")
            megabyte = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * (1024 * 1024 // 32)
            for _ in range(shared_strings_mb):
                part.write(megabyte)
            part.write(b"</sst>")
    return buffer.getvalue()


def test_the_minimal_workbook_reads():
    """The builder makes a real workbook: unpadded, it reads as one cell."""
    assert read_table(workbook(), "pupils.xlsx") == [["UPN"]]


def test_a_zip_bomb_is_refused_at_once_without_growing_memory():
    bomb = workbook(shared_strings_mb=200)
    assert len(bomb) < 2 * 1024 * 1024  # under the 2 MB upload limit: only the expansion gives it away
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FileProblem) as refused:
            read_table(bomb, "pupils.xlsx")
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert "expands to" in message
    # 200 MB of padding and a few hundred bytes of the rest, rounded up to a tenth of a MB.
    assert "expands to 200.1 MB" in message
    assert elapsed < 1.0, elapsed
    assert peak < MEMORY_BOUND, peak


def test_a_part_packed_far_tighter_than_any_spreadsheet_is_refused(settings):
    """Under the size limit, but a thousand times smaller packed than unpacked: not a real
    export (spreadsheets pack about ten to one)."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
    with pytest.raises(FileProblem, match="packed"):
        read_table(workbook(shared_strings_mb=20), "pupils.xlsx")


def test_a_sheet_spanning_more_cells_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_CELLS = 1_000_000
    # A1:CV20000 is 100 columns (A..CV) by 20,000 rows: 2,000,000 cells.
    with pytest.raises(FileProblem, match="2,000,000 cells"):
        read_table(workbook(dimension="A1:CV20000"), "pupils.xlsx")
    # Every column of a worksheet in every row: 16,384 x 1,048,576.
    with pytest.raises(FileProblem, match="cells"):
        read_table(workbook(dimension="A1:XFD1048576"), "pupils.xlsx")


def test_an_ordinary_export_is_within_every_bound():
    rows = [["UPN", "Legal surname", "Legal forename"]] + [
        [f"A{n:012d}", f"Surname{n}", f"Forename{n}"] for n in range(2000)
    ]
    assert len(read_table(xlsx_bytes(rows), "pupils.xlsx")) == 2001
