"""Rounding of the figures people read: core.figures."""

from decimal import Decimal

from core.figures import one_decimal


def test_one_decimal_rounds_half_way_up_and_reads_a_float_as_it_prints():
    assert one_decimal(Decimal("2.25")) == Decimal("2.3")  # half-even would give 2.2
    assert one_decimal(Decimal("-0.25")) == Decimal("-0.3")  # half away from zero, as for gains
    assert one_decimal(0.15) == Decimal("0.2")  # the float 0.15 is 0.1499... in binary
    assert one_decimal(Decimal("91.24")) == Decimal("91.2")
    assert one_decimal(None) is None
