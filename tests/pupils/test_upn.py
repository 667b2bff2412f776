import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pupils.upn import normalise_upn, validate_upn

# Worked by hand: digits 2-13 of P207000016049 are 2 0 7 0 0 0 0 1 6 0 4 9, weighted 2 to 13:
# 2*2 + 7*4 + 1*9 + 6*10 + 4*12 + 9*13 = 4 + 28 + 9 + 60 + 48 + 117 = 266; 266 mod 23 = 13;
# in the check alphabet (A=0 ... H=7, J=8 ... N=12, P=13) 13 is P.
GOOD = ["P207000016049", "B801200005001"]


@pytest.mark.parametrize("upn", GOOD)
def test_valid_upns_pass(upn):
    validate_upn(upn)


def test_temporary_upn_with_final_letter_passes():
    # Temporary UPN: body 8012000050 0 + "A"; final letter counts as 0 (A).
    # 8*2+0*3+1*4+2*5+0+0+0+0+5*10+0*11+0*12+0*13 = 16+4+10+50 = 80; 80 mod 23 = 11 = M.
    validate_upn("M80120000500A")


def test_new_local_authority_numbers_are_accepted():
    # 940 North Northamptonshire (2021) is absent from older code lists but issues UPNs.
    # 9*2+4*3+0+2*5+0+0+1*8+2*9+0+0+0+1*13 = 18+12+10+8+18+13 = 79; 79 mod 23 = 10 = L.
    validate_upn("L940200120001")


@pytest.mark.parametrize(
    ("upn", "fragment"),
    [
        ("A207000016049", "should be P"),  # wrong check letter
        ("B207000016049", "should be P"),
        ("P20700001604", "13 characters"),  # too short
        ("P2070000160491", "13 characters"),  # too long
        ("P20700X016049", "letter, eleven digits"),  # letter in the middle
        ("I207000016049", "letter, eleven digits"),  # I is never used
        ("1207000016049", "letter, eleven digits"),  # no check letter
        ("", "13 characters"),
    ],
)
def test_bad_upns_get_a_clear_message(upn, fragment):
    with pytest.raises(ValidationError) as error:
        validate_upn(upn)
    assert fragment in " ".join(error.value.messages)


def test_spaces_and_case_are_normalised():
    assert normalise_upn(" p207 0000 16049 ") == "P207000016049"
    validate_upn("p207 000016049")


@given(st.text(max_size=30))
def test_any_text_either_validates_or_raises_validation_error(text):
    with contextlib.suppress(ValidationError):
        validate_upn(text)
