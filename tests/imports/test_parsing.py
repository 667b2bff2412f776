"""Reading and checking files: every kind of problem gets its own plain message."""

import datetime

import pytest
from django.utils import timezone

from imports.columns import COLUMNS
from imports.errors import RowError
from imports.models import ImportKind
from imports.parsing import parse_file

from .files import (
    PUPIL_HEADINGS,
    PUPIL_ROWS,
    SEN_HEADINGS,
    UPN1,
    UPN2,
    UPN3,
    UPN5,
    csv_bytes,
    pupils_csv,
    sen_csv,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

PUPILS, SEN = ImportKind.PUPILS, ImportKind.SEN_STATUS
D = datetime.date


def parse(content, name="pupils.csv", kind=PUPILS, *, school):
    return parse_file(kind, content, name, school=school)


def only_error(result):
    assert len(result.errors) == 1, result.errors
    assert result.rows == []
    return result.errors[0]


def a_pupil(**changes):
    """One good pupil row under PUPIL_HEADINGS, with some cells changed."""
    row = dict(zip(PUPIL_HEADINGS, PUPIL_ROWS[1], strict=True))
    row["Class"] = ""
    row.update(changes)
    return [row[h] for h in PUPIL_HEADINGS]


# --- Files that read correctly ----------------------------------------------------------


def test_our_template_headings_give_cleaned_rows(school, oak):
    result = parse(pupils_csv(), school=school)
    assert result.errors == []
    first, second, third = result.rows
    assert first == {
        "row": 2,
        "upn": UPN1,
        "legal_surname": "Brontë",
        "legal_forename": "Zoë",
        "preferred_forename": "",
        "date_of_birth": D(2016, 3, 1),
        "gender": "F",
        "year_group": 4,
        "school_class": "4 Oak",
        "pupil_premium": True,
        "fsm": False,
        "eal": False,
        "lac": False,
        "primary_need": "SPLD",
        "secondary_need": "",
        "sen_status": "K",
        "sen_status_date": D(2024, 9, 10),
    }
    assert (second["year_group"], second["eal"], second["sen_status"]) == (4, True, None)
    assert (third["date_of_birth"], third["school_class"], third["fsm"]) == (
        D(2015, 11, 30),
        "",
        True,
    )
    assert (third["preferred_forename"], third["secondary_need"]) == ("Dan", "SLCN")


def test_excel_workbook_reads_like_csv_with_real_date_and_number_cells(school, oak):
    rows = [
        ["UPN", "Surname", "Forename", "DOB", "Gender", "NC Year", "Reg Group", "PP"],
        [UPN1, "Brontë", "Zoë", datetime.datetime(2016, 3, 1), "Female", 4, "4 oak", True],
        [],  # an empty row in the middle keeps the numbering of the rows below it
        [UPN2, "Khan", "Ava", "04/05/2016", "f", 4.0, "", False],
    ]
    result = parse(xlsx_bytes(rows), "Pupils.XLSX", school=school)
    assert result.errors == []
    assert [r["row"] for r in result.rows] == [2, 4]
    first, second = result.rows
    assert (first["legal_forename"], first["date_of_birth"], first["year_group"]) == (
        "Zoë",
        D(2016, 3, 1),
        4,
    )
    assert (first["school_class"], first["pupil_premium"], second["pupil_premium"]) == (
        "4 Oak",
        True,
        False,
    )


def test_windows_1252_csv_keeps_accented_names(school):
    content = pupils_csv([a_pupil(**{"Legal Surname": "Brontë", "Legal Forename": "Zoë"})])
    content = content.decode("utf-8").encode("cp1252")
    assert b"Bront\xeb" in content  # the byte Excel writes for ë in Windows-1252
    result = parse(content, school=school)
    assert result.errors == []
    assert (result.rows[0]["legal_surname"], result.rows[0]["legal_forename"]) == ("Brontë", "Zoë")


def test_utf8_with_bom_reads_the_first_heading(school):
    content = b"\xef\xbb\xbf" + sen_csv([[UPN1, "K", "10/09/2024"]])
    result = parse(content, "sen.csv", SEN, school=school)
    assert result.errors == []
    assert result.columns["upn"] == "UPN"
    assert result.rows == [{"row": 2, "upn": UPN1, "status": "K", "effective_date": D(2024, 9, 10)}]


def test_utf8_with_bom_keeps_accented_names(school):
    content = b"\xef\xbb\xbf" + pupils_csv([a_pupil(**{"Legal Surname": "Brontë", "Legal Forename": "Zoë"})])
    assert b"Bront\xc3\xab" in content  # UTF-8 writes ë as two bytes
    result = parse(content, school=school)
    assert result.errors == []
    assert (result.rows[0]["upn"], result.rows[0]["legal_surname"]) == (UPN2, "Brontë")
    assert result.rows[0]["legal_forename"] == "Zoë"


def test_sims_style_headings_any_case_and_spacing(school, oak):
    headings = [
        "upn",
        "LEGAL SURNAME",
        "Forename",
        "Preferred  Forename",
        "Date of Birth",
        "Sex",
        " NC Year ",
        "Reg Group",
        "PP",
        "FSM",
        "EAL",
        "CLA",
        "SEN Primary Need",
        "Secondary Need",
        "SEN Provision",
        "SEN Start Date",
        "Ethnicity",  # not ours: ignored, and listed as such
    ]
    row = [UPN1, "Brontë", "Zoë", "", "01/03/2016", "M", "Y4", "4 OAK", "Yes", "No", "True", "0"]
    row += ["Specific learning difficulty", "", "SEN support", "10/09/2024", "WBRI"]
    result = parse(csv_bytes([headings, row]), school=school)
    assert result.errors == []
    assert result.ignored_columns == ["Ethnicity"]
    cleaned = result.rows[0]
    assert (cleaned["gender"], cleaned["year_group"], cleaned["school_class"]) == ("M", 4, "4 Oak")
    assert (cleaned["pupil_premium"], cleaned["fsm"], cleaned["eal"], cleaned["lac"]) == (
        True,
        False,
        True,
        False,
    )
    assert (cleaned["primary_need"], cleaned["sen_status"]) == ("SPLD", "K")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("R", 0), ("Reception", 0), ("0", 0), ("YR", 0), ("1", 1), ("Year 4", 4), ("13", 13)],
)
def test_year_groups_as_schools_write_them(school, cell, expected):
    result = parse(pupils_csv([a_pupil(**{"Year Group": cell, "Class": ""})]), school=school)
    assert result.errors == []
    assert result.rows[0]["year_group"] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("N", "N"), ("No SEN", "N"), ("k", "K"), ("SEN support", "K"), ("EHCP", "E"), ("E", "E")],
)
def test_sen_provision_as_codes_or_words(school, cell, expected):
    result = parse(sen_csv([[UPN1, cell, "10/09/2024"]]), "sen.csv", SEN, school=school)
    assert result.errors == []
    assert result.rows[0]["status"] == expected


def test_semicolon_separated_file_is_read(school):
    content = f"UPN;SEN Provision;Date\r\n{UPN1};K;10/09/2024\r\n".encode()
    result = parse(content, "sen.csv", SEN, school=school)
    assert result.errors == []
    assert result.rows[0]["effective_date"] == D(2024, 9, 10)


def test_empty_rows_are_skipped_but_keep_excel_row_numbers(school):
    content = sen_csv([["", "", ""], [UPN1, "X", "10/09/2024"]])
    error = only_error(parse(content, "sen.csv", SEN, school=school))
    assert (error.row, error.column) == (3, "SEN Status")


# --- Whole-file problems ------------------------------------------------------------------


def test_empty_file(school):
    error = only_error(parse(b"", school=school))
    assert error == RowError(None, "", "The file is empty: there is nothing to import.")


def test_file_of_blank_lines_is_empty(school):
    error = only_error(parse(b"\r\n,,,\r\n\r\n", school=school))
    assert error.message == "The file is empty: there is nothing to import."


def test_only_headings(school):
    error = only_error(parse(csv_bytes([PUPIL_HEADINGS]), school=school))
    assert error == RowError(None, "", "The file has headings but no rows of data below them.")


def test_excel_workbook_with_only_headings(school):
    error = only_error(parse(xlsx_bytes([SEN_HEADINGS]), "sen.xlsx", SEN, school=school))
    assert error.message == "The file has headings but no rows of data below them."


def test_missing_headings_says_which_are_missing_and_which_were_found(school):
    content = csv_bytes([["UPN", "Surname", "Forename", "Reg Group"], [UPN1, "Khan", "Ava", ""]])
    error = only_error(parse(content, school=school))
    assert error.row == 1
    assert error.message == (
        "Missing columns: Date of Birth (or DOB, Birth Date); Gender (or Sex); Year Group "
        "(or Year, NC Year). Columns found: “UPN”, “Surname”, “Forename”, “Reg Group”. "
        "The headings must be in row 1; the template shows them."
    )


def test_wrong_file_entirely_has_no_known_headings(school):
    content = csv_bytes([["Name", "Score"], ["Ava", "12"]])
    error = only_error(parse(content, "sen.csv", SEN, school=school))
    assert error.message.startswith(
        "Missing columns: UPN (or Unique Pupil Number); SEN Provision (or SEN Status, SEN "
        "Stage); Start Date (or SEN Start Date, Date). Columns found: “Name”, “Score”."
    )


def test_same_heading_twice(school):
    content = csv_bytes([["UPN", "SEN Provision", "Date", "upn"], [UPN1, "K", "10/09/2024", ""]])
    error = only_error(parse(content, "sen.csv", SEN, school=school))
    assert error == RowError(
        1, "upn", "The heading “upn” is in both column A and column D: keep only one of them."
    )


def test_best_heading_wins_when_two_name_the_same_thing(school):
    headings = ["UPN", "Surname", "Legal Surname", *PUPIL_HEADINGS[2:]]
    row = a_pupil()
    row.insert(1, "Preferred-Surname")
    result = parse(csv_bytes([headings, row]), school=school)
    assert result.errors == []
    assert result.columns["legal_surname"] == "Legal Surname"
    assert result.rows[0]["legal_surname"] == "Khan"
    assert result.ignored_columns == ["Surname"]


@pytest.mark.parametrize("name", ["pupils.xls", "pupils.txt", "pupils.pdf", "pupils"])
def test_wrong_file_type(school, name):
    error = only_error(parse(pupils_csv(), name, school=school))
    assert error.message.startswith("Only .csv and .xlsx files can be imported, and this is a")


def test_file_over_the_size_limit(school):
    content = pupils_csv() + b" " * (2 * 1024 * 1024)
    error = only_error(parse(content, school=school))
    # 2 MB plus the small file is 2.0001 MB, shown rounded up.
    assert error.message.startswith("The file is 2.1 MB, over the limit of 2 MB for one import.")


def test_size_limit_is_a_setting(school, settings):
    settings.IMPORT_MAX_BYTES = 100
    content = sen_csv([[UPN1, "K", "10/09/2024"]] * 3)
    # "UPN,SEN Status,SEN Start Date" is 29 characters and each row 26, each with CRLF.
    assert len(content) == 31 + 3 * 28
    error = only_error(parse(content, "sen.csv", SEN, school=school))
    assert error.message.startswith("The file is 115 bytes, over the limit of 100 bytes")


def test_more_than_20000_rows(school):
    rows = [[UPN1, "K", "10/09/2024"]] * 20_001
    error = only_error(parse(sen_csv(rows), "sen.csv", SEN, school=school))
    assert error.message.startswith("The file has more than 20,000 rows below the headings")


def test_row_limit_counts_rows_not_lines(school, settings):
    settings.IMPORT_MAX_ROWS = 3
    three = [[UPN1, "K", "10/09/2024"], [UPN2, "K", "10/09/2024"], [UPN3, "E", "10/09/2024"]]
    assert parse(sen_csv(three), "sen.csv", SEN, school=school).errors == []
    four = [*three, [UPN1, "N", "11/09/2024"]]
    error = only_error(parse(sen_csv(four), "sen.csv", SEN, school=school))
    assert error.message.startswith("The file has more than 3 rows")


def test_damaged_excel_file(school):
    error = only_error(parse(b"PK\x03\x04 not really a workbook", "pupils.xlsx", school=school))
    assert error.message.startswith("This file could not be opened as an Excel workbook (.xlsx).")


def test_csv_renamed_to_xlsx(school):
    error = only_error(parse(pupils_csv(), "pupils.xlsx", school=school))
    assert error.message.startswith("This file could not be opened as an Excel workbook")


def test_binary_file_named_csv(school):
    error = only_error(parse(b"\x00\x01\x02PK\x00", school=school))
    assert error.message.startswith("This file could not be read as a CSV file.")


def test_quotation_mark_never_closed(school):
    content = sen_csv([[UPN1, "K", "10/09/2024"]]) + b'"' + UPN2.encode() + b",K,10/09/2024\r\n"
    error = only_error(parse(content, "sen.csv", SEN, school=school))
    assert error.message.startswith('Row 3 opens a quotation mark (") that is never closed')


def test_rows_with_more_cells_than_headings_are_each_reported(school):
    content = (
        "UPN,SEN Provision,Date\r\n"
        f"{UPN1},K,10/09/2024,extra\r\n"
        f"{UPN2},K,10/09/2024\r\n"
        f"{UPN3},K,10/09/2024,a,b\r\n"
    ).encode()
    result = parse(content, "sen.csv", SEN, school=school)
    message = (
        "There is something in column D, which has no heading. Clear it, or check for a comma "
        "in a name that is not in quotes."
    )
    assert result.errors == [RowError(2, "", message), RowError(4, "", message)]


# --- Problems in cells: row, column heading as written, reason ----------------------------


BAD_CELLS = [
    ("UPN", "", "The UPN is missing."),
    ("UPN", "R88620012400", "A UPN has 13 characters; this one has 12."),
    (
        "UPN",
        "A886200124001",
        "The check letter of this UPN is wrong: for these digits it should be R. "
        "Check the number against the pupil's CTF or school record.",
    ),
    ("Legal Surname", "  ", "The legal surname is missing."),
    ("Legal Forename", "x" * 101, "The legal forename is 101 characters long; at most 100 fit."),
    ("Date of Birth", "31/02/2016", "31/02/2016 is not a real date: check the day and the month."),
    ("Date of Birth", "2016-13-01", "2016-13-01 is not a real date: check the day and the month."),
    (
        "Date of Birth",
        "1/3/16",
        "1/3/16: write the year with four digits, as dd/mm/yyyy (for example 01/03/2016).",
    ),
    (
        "Date of Birth",
        "March 2016",
        "“March 2016” is not a date: write dates as dd/mm/yyyy, for example 01/03/2016.",
    ),
    ("Date of Birth", "01/03/1990", "01/03/1990 makes the pupil over 25: check the year."),
    ("Gender", "X", "“X” is not a gender sendtrack records: use M or F."),
    (
        "Year Group",
        "N2",
        "“N2” is not a year group: use R (or 0) for Reception, or 1 to 13 (for example 4 or Year 4).",
    ),
    (
        "Year Group",
        "14",
        "“14” is not a year group: use R (or 0) for Reception, or 1 to 13 (for example 4 or Year 4).",
    ),
    (
        "FSM",
        "maybe",
        "“maybe” is not yes or no: use Y or N (Yes/No, True/False, 1/0 also work); leave it blank for No.",
    ),
    (
        "Primary Need",
        "Dyslexia",
        "“Dyslexia” is not an area of need: use a school census code (SPLD, MLD, SLD, PMLD, "
        "SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA).",
    ),
    ("SEN Provision", "S", "S (statement) was replaced by E (EHC plan) in 2014: use E."),
    (
        "SEN Provision",
        "Q",
        "“Q” is not an SEN provision: use N (no SEN), K (SEN support) or E (EHC plan).",
    ),
    ("SEN Start Date", "30/02/2024", "30/02/2024 is not a real date: check the day and the month."),
]


@pytest.mark.parametrize(("heading", "cell", "message"), BAD_CELLS)
def test_bad_cell(school, heading, cell, message):
    result = parse(pupils_csv([a_pupil(**{heading: cell})]), school=school)
    assert result.errors == [RowError(2, heading, message)]
    assert result.rows == []


def test_unknown_class_lists_the_known_ones(school, oak, elm):
    result = parse(pupils_csv([a_pupil(**{"Class": "4 Ash"})]), school=school)
    assert result.errors == [
        RowError(
            2, "Class", "There is no class called “4 Ash” in this school. Its classes are: 4 Oak, 5 Elm."
        )
    ]


def test_future_dates_are_refused(school):
    tomorrow = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
    born = parse(pupils_csv([a_pupil(**{"Date of Birth": tomorrow})]), school=school)
    assert born.errors == [
        RowError(2, "Date of Birth", f"{tomorrow} is in the future: a date of birth must be in the past.")
    ]
    status = parse(sen_csv([[UPN1, "K", tomorrow]]), "sen.csv", SEN, school=school)
    assert status.errors == [
        RowError(2, "SEN Start Date", f"{tomorrow} is in the future: give the date the status began.")
    ]


def test_rules_across_a_row(school):
    rows = [
        a_pupil(**{"UPN": UPN1, "Primary Need": "", "Secondary Need": "MLD"}),
        a_pupil(**{"UPN": UPN2, "Primary Need": "MLD", "Secondary Need": "mld"}),
        a_pupil(**{"UPN": UPN3, "SEN Provision": "", "SEN Start Date": "10/09/2024"}),
        a_pupil(**{"UPN": UPN5, "SEN Provision": "K", "SEN Start Date": "03/05/2016"}),
    ]
    result = parse(pupils_csv(rows), school=school)
    needs_status = "A SEN start date needs an SEN provision (N, K or E) in the same row."
    assert result.errors == [
        RowError(2, "Secondary Need", "Give a primary need before a secondary one."),
        RowError(3, "Secondary Need", "The secondary need must differ from the primary need."),
        RowError(4, "SEN Start Date", needs_status),
        # Ava Khan of a_pupil() was born on 04/05/2016.
        RowError(5, "SEN Start Date", "03/05/2016 is before the pupil's date of birth."),
    ]


def test_every_bad_row_is_reported_not_just_the_first(school):
    rows = [
        a_pupil(**{"UPN": UPN1}),
        a_pupil(**{"UPN": "bad", "Gender": "?"}),
        a_pupil(**{"UPN": UPN3}),
        a_pupil(**{"UPN": UPN2, "Date of Birth": "31/04/2016"}),
    ]
    result = parse(pupils_csv(rows), school=school)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "UPN"),
        (3, "Gender"),
        (5, "Date of Birth"),
    ]
    assert result.rows == []


def test_duplicate_upn_names_both_rows(school):
    rows = [a_pupil(**{"UPN": UPN1}), a_pupil(**{"UPN": UPN2}), a_pupil(**{"UPN": UPN1.lower()})]
    result = parse(pupils_csv(rows), school=school)
    assert result.errors == [
        RowError(
            4,
            "UPN",
            f"Rows 2 and 4 both have UPN {UPN1}: each pupil can be in the file only once.",
        )
    ]


def test_sen_file_may_hold_a_history_but_one_status_a_day(school):
    rows = [[UPN1, "K", "10/09/2024"], [UPN1, "E", "03/03/2025"], [UPN1, "N", "2024-09-10"]]
    result = parse(sen_csv(rows), "sen.csv", SEN, school=school)
    assert result.errors == [
        RowError(
            4,
            "UPN",
            f"Rows 2 and 4 both have UPN {UPN1} with the date 10/09/2024: a pupil can have one "
            "SEN status for each date.",
        )
    ]


def test_heading_keys_do_not_clash_within_a_kind():
    for columns in COLUMNS.values():
        keys = [key for column in columns for key in column.keys]
        assert len(keys) == len(set(keys))
