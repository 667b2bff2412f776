"""Small files for the import tests, written as a school's Excel would save them."""

import io

import openpyxl

# Valid UPNs, check letters worked out by hand: for 886200124001 the weighted sum of the
# twelve digits (weights 2 to 13) is 8*2 + 8*3 + 6*4 + 2*5 + 1*8 + 2*9 + 4*10 + 1*13 = 153,
# and 153 mod 23 = 15, the letter R in ABCDEFGHJKLMNPQRTUVWXYZ. Each next number adds 13.
UPN1 = "R886200124001"  # 153 -> 15 -> R
UPN2 = "F886200124002"  # 166 -> 5 -> F
UPN3 = "V886200124003"  # 179 -> 18 -> V
UPN4 = "J886200124004"  # 192 -> 8 -> J
UPN5 = "Y886200124005"  # 205 -> 21 -> Y

PUPIL_HEADINGS = [
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "Preferred Forename",
    "Date of Birth",
    "Gender",
    "Year Group",
    "Class",
    "Pupil Premium",
    "FSM",
    "EAL",
    "LAC",
    "Primary Need",
    "Secondary Need",
    "SEN Provision",
    "SEN Start Date",
]
PUPIL_ROWS = [
    [UPN1, "Brontë", "Zoë", "", "01/03/2016", "F", "4", "4 Oak"]
    + ["Y", "N", "N", "N", "SPLD", "", "K", "10/09/2024"],
    [UPN2, "Khan", "Ava", "", "04/05/2016", "F", "Year 4", "4 Oak"] + ["N", "N", "Y", "N", "", "", "", ""],
    [UPN3, "Okafor", "Daniel", "Dan", "2015-11-30", "M", "5", ""]
    + ["1", "1", "0", "0", "SEMH", "SLCN", "E", "01/02/2025"],
]

SEN_HEADINGS = ["UPN", "SEN Status", "SEN Start Date"]
SEN_ROWS = [
    [UPN2, "SEN Support", "15/01/2025"],
    [UPN1, "EHC plan", "2025-03-03"],
    [UPN1, "K", "10/09/2024"],
]


def csv_text(rows):
    """CSV as Excel writes it: commas, quotes only where needed, CRLF line ends."""
    lines = []
    for row in rows:
        cells = ['"' + c.replace('"', '""') + '"' if any(ch in c for ch in ',"\r\n') else c for c in row]
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


def csv_bytes(rows, encoding="utf-8"):
    return csv_text(rows).encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pupils_csv(rows=None, headings=None):
    return csv_bytes([headings or PUPIL_HEADINGS, *(PUPIL_ROWS if rows is None else rows)])


def sen_csv(rows=None, headings=None):
    return csv_bytes([headings or SEN_HEADINGS, *(SEN_ROWS if rows is None else rows)])
