"""How a figure is shown: a percentage rounded half up, always with its counts, "73% (8/11)".

A figure over a group smaller than the school's suppression threshold is never shown to a
governor, nor is a figure from which one could be worked out (core.disclosure decides which): it
carries no number at all and prints as the letter "c", as in the DfE's statistics, with the note
`core.disclosure.SUPPRESSED_NOTE` once on the page.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SUPPRESSED_TEXT = "c"


def one_decimal(value):
    """A rate, mean or ratio to one decimal place, half way rounding up as a reader rounds (2.25 ->
    2.3, where Python's Decimal would round half to even, 2.2); None stays None. A float (an AVG
    from SQLite) is read as it prints, so 0.15 is 0.15 and not the binary 0.1499..."""
    if value is None:
        return None
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(numerator, denominator):
    """Whole-number percentage, rounded half up (12.5 -> 13), or None when there is no group."""
    if not denominator:
        return None
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int
    suppressed: bool = False
    threshold: int = 0

    @classmethod
    def of(cls, numerator, denominator, *, suppress_below=0):
        """A share; suppressed when the group, the count itself or the rest of the group (its
        complement: "80% (16/20)" says 4 are not) is under the threshold. A share that stands
        alone is its own table of disclosure control; one among others is read from a
        core.disclosure.Table instead, which also protects the cells beside it."""
        small = bool(suppress_below) and (
            denominator < suppress_below
            or 0 < numerator < suppress_below
            or 0 < denominator - numerator < suppress_below
        )
        if small:
            return cls(0, 0, suppressed=True, threshold=suppress_below)
        return cls(numerator, denominator)

    @classmethod
    def withheld(cls, threshold):
        """A share hidden by disclosure control (under the threshold, or revealing one that is)."""
        return cls(0, 0, suppressed=True, threshold=threshold)

    @property
    def percent(self):
        return None if self.suppressed else percent(self.numerator, self.denominator)

    def __str__(self):
        if self.suppressed:
            return SUPPRESSED_TEXT
        if not self.denominator:
            return "none (0/0)"
        return f"{self.percent}% ({self.numerator}/{self.denominator})"


@dataclass(frozen=True)
class Count:
    value: int
    suppressed: bool = False
    threshold: int = 0

    @classmethod
    def of(cls, value, *, suppress_below=0):
        if suppress_below and 0 < value < suppress_below:
            return cls(0, suppressed=True, threshold=suppress_below)
        return cls(value)

    @classmethod
    def withheld(cls, threshold):
        return cls(0, suppressed=True, threshold=threshold)

    def __str__(self):
        if self.suppressed:
            return SUPPRESSED_TEXT
        return str(self.value)
