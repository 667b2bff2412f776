"""The Unique Pupil Number: 13 characters, a check letter then twelve more.

Format and check letter follow the DfE common basic data set: a check letter, a 3-digit LA
number, a 4-digit establishment number, 2 digits of the year of issue, then 3 digits (or,
for a temporary UPN, 2 digits and a letter). The check letter is python-stdnum's modulus-23
calculation. stdnum's own validate() is not used because it rejects LA numbers created
after 2011 (for example 838 Dorset, 940 North Northamptonshire), which real UPNs carry.
"""

import re

from django.core.exceptions import ValidationError
from stdnum.gb.upn import calc_check_digit

_FORMAT = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")


def normalise_upn(value):
    return "".join(str(value).split()).upper()


def validate_upn(value):
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise ValidationError(
            "A UPN has 13 characters; this one has %(n)s.",
            code="upn_length",
            params={"n": len(upn)},
        )
    if not _FORMAT.match(upn):
        raise ValidationError(
            "A UPN is a letter, eleven digits, then a digit or letter (I, O and S are never used).",
            code="upn_format",
        )
    expected = calc_check_digit(upn[1:])
    if upn[0] != expected:
        raise ValidationError(
            "The check letter of this UPN is wrong: for these digits it should be %(expected)s. "
            "Check the number against the pupil's CTF or school record.",
            code="upn_check_letter",
            params={"expected": expected},
        )
