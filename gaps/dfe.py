"""Read the Department for Education's key stage 2 "national pupil characteristics" file as it
is published (explore-education-statistics CSV), into national comparator rows.

Only the rows a school compares its SEND pupils with are kept: characteristic_group "SEN status"
or "SEN primary need", school_type "State-funded schools", gender "Total". A suppressed or
unpublished cell (x, z, c, u, low, a blank) is None, never zero.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .models import ComparatorGroup, Measure

# The DfE's file as published, shipped with its source and licence (gaps/data/SOURCE.md): what
# the demo loads and the tests read.
KS2_FILE = (
    Path(__file__).resolve().parent / "data" / "ks2_national_pupil_characteristics_2016_to_2022_revised.csv"
)

REQUIRED_COLUMNS = {"time_period", "characteristic_group", "characteristic", "school_type", "gender"}

CHARACTERISTICS = {
    ("SEN status", "No SEN"): ComparatorGroup.NO_SEN,
    ("SEN status", "SEN support"): ComparatorGroup.SEN_SUPPORT,
    ("SEN status", "EHC plan"): ComparatorGroup.EHCP,
    ("SEN status", "All SEN"): ComparatorGroup.ALL_SEN,
    ("All pupils", "Total"): ComparatorGroup.ALL,
    ("SEN primary need", "Autistic Spectrum Disorder"): ComparatorGroup.ASD,
    ("SEN primary need", "Hearing Impairment"): ComparatorGroup.HI,
    ("SEN primary need", "Moderate Learning Difficulty"): ComparatorGroup.MLD,
    ("SEN primary need", "Multi-sensory Impairment"): ComparatorGroup.MSI,
    ("SEN primary need", "Other Difficulty or Disability"): ComparatorGroup.OTH,
    ("SEN primary need", "Physical Disability"): ComparatorGroup.PD,
    ("SEN primary need", "Profound and Multiple Learning Difficulty"): ComparatorGroup.PMLD,
    ("SEN primary need", "SEN support but no specialist assessment of type of need"): ComparatorGroup.NSA,
    ("SEN primary need", "Severe Learning Difficulty"): ComparatorGroup.SLD,
    ("SEN primary need", "Social, Emotional and Mental Health"): ComparatorGroup.SEMH,
    ("SEN primary need", "Specific Learning Difficulty"): ComparatorGroup.SPLD,
    ("SEN primary need", "Speech, Language and Communication needs"): ComparatorGroup.SLCN,
    ("SEN primary need", "Visual Impairment"): ComparatorGroup.VI,
}

# measure: (numerator column, denominator column) for shares, or the average column.
SHARES = {
    Measure.RWM_EXPECTED: ("t_rwm_met_expected_standard", "t_rwm_eligible_pupils"),
    Measure.RWM_HIGHER: ("t_rwm_met_higher_standard", "t_rwm_eligible_pupils"),
    Measure.READ_EXPECTED: ("t_read_met_expected_standard", "t_read_eligible_pupils"),
    Measure.WRIT_EXPECTED: ("t_writta_met_expected_standard", "t_writta_eligible_pupils"),
    Measure.MAT_EXPECTED: ("t_mat_met_expected_standard", "t_mat_eligible_pupils"),
    Measure.GPS_EXPECTED: ("t_gps_met_expected_standard", "t_gps_eligible_pupils"),
}
AVERAGES = {
    Measure.READ_PROGRESS: "avg_read_progress_score",
    Measure.WRIT_PROGRESS: "avg_writta_progress_score",
    Measure.MAT_PROGRESS: "avg_mat_progress_score",
}


class DfeFileError(ValueError):
    pass


@dataclass(frozen=True)
class ComparatorRow:
    academic_year: int
    measure: str
    group: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None


def _number(text):
    """A published number, or None for a suppressed / unavailable cell."""
    text = (text or "").strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _count(text):
    number = _number(text)
    return int(number) if number is not None and number == number.to_integral_value() else None


def academic_year_of_period(period):
    """'202122' -> 2021, the year the academic year starts in."""
    period = str(period).strip()
    if len(period) != 6 or not period.isdigit():
        raise DfeFileError(f"time_period {period!r} is not of the form 202122.")
    return int(period[:4])


def read_ks2_characteristics(source):
    """The comparator rows of a DfE KS2 pupil characteristics CSV (path or file object)."""
    frame = _read_frame(source)
    frame = frame[(frame["school_type"] == "State-funded schools") & (frame["gender"] == "Total")]
    rows = {}
    for record in frame.to_dict("records"):
        group = CHARACTERISTICS.get((record["characteristic_group"], record["characteristic"]))
        if group is None:
            continue
        year = academic_year_of_period(record["time_period"])
        for row in _record_rows(record, year, group):
            rows[(year, row.measure, group)] = row
    if not rows:
        raise DfeFileError("The file has no SEN status rows for state-funded schools.")
    return list(rows.values())


def _read_frame(source):
    """The file as a frame of text cells, checked to have the file's identifying columns."""
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DfeFileError(f"The file could not be read as a CSV file: {error}") from error
    missing = REQUIRED_COLUMNS - set(frame.columns)
    if missing:
        raise DfeFileError(
            "This is not the DfE key stage 2 pupil characteristics file: it has no "
            + ", ".join(sorted(missing))
            + " column."
        )
    return frame


def _record_rows(record, year, group):
    """The comparator rows of one line of the file: a share per SHARES measure and an average
    per AVERAGES measure whose column the file has (older files lack some)."""
    for measure, (num_col, den_col) in SHARES.items():
        if num_col in record:
            num, den = _count(record[num_col]), _count(record.get(den_col))
            if num is None or not den:
                num = den = None
            yield ComparatorRow(year, measure, group, num, den, None)
    for measure, col in AVERAGES.items():
        if col in record:
            value = _number(record[col])
            value = value.quantize(Decimal("0.01")) if value is not None else None
            yield ComparatorRow(year, measure, group, None, None, value)
