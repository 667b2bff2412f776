"""Which way a gap between two groups moved, in words, whichever group is ahead.

A gap is the rest's figure minus the focus group's, in (percentage) points: positive when the
focus group (SEND pupils, say) is behind, negative when it is ahead. How far apart the groups
are is the gap's size, |gap|, so the direction is judged on sizes, never on signed values:

- narrowed: the same group ahead, by less (|now| < |then|);
- widened:  the same group ahead, by more, or the groups were level and no longer are;
- closed:   the groups are level now (0) and were not;
- reversed: the other group is ahead now;
- unchanged: the same gap.

Separately, `better` says whether the focus group's position improved (the signed gap fell):
a gap that widens with SEND pupils ahead is wider, and better for them. Pages colour a change
by `better`, and word it by `direction`.

Examples, for "SEND pupils": 5 now, 1 before (rest minus focus) is "SEND pupils 5 percentage points behind,
up from 1 (widened)"; -5 now, -1 before is "SEND pupils 5 percentage points ahead, up from 1 (widened)";
12 now, 20 before is "SEND pupils 12 percentage points behind, down from 20 (narrowed)"; -2 now, 3 before
is "SEND pupils 2 percentage points ahead, from 3 percentage points behind (reversed)".
"""

from dataclasses import dataclass

NARROWED, WIDENED, CLOSED, REVERSED, UNCHANGED = "narrowed", "widened", "closed", "reversed", "unchanged"


def _points(n):
    """A difference of two percentages, in percentage points (never bare "points", which on
    the same pages means the school's assessment measure)."""
    n = abs(n)
    return f"{n} percentage point" if n == 1 else f"{n} percentage points"


def standing(gap, *, others="the others"):
    """Where the focus group stands, without the group's name: "5 percentage points behind", "5 points
    ahead", "level with the others"; None when the gap is not known."""
    if gap is None:
        return None
    if gap == 0:
        return f"level with {others}"
    return f"{_points(gap)} {'behind' if gap > 0 else 'ahead'}"


@dataclass(frozen=True)
class GapDirection:
    """A gap now against a gap before, worded for `label` (the focus group)."""

    label: str
    now: object  # int, Decimal or None: rest minus focus
    then: object
    others: str = "the others"

    @property
    def direction(self):
        """narrowed, widened, closed, reversed, unchanged; None when either gap is unknown."""
        now, then = self.now, self.then
        if now is None or then is None:
            return None
        if now == then:
            return UNCHANGED
        if now == 0:
            return CLOSED
        if now * then < 0:
            return REVERSED
        return NARROWED if abs(now) < abs(then) else WIDENED

    @property
    def better(self):
        """True when the focus group's position improved, False when it worsened, None when
        unchanged or unknown."""
        if self.direction in (None, UNCHANGED):
            return None
        return self.now < self.then

    @property
    def since(self):
        """The change alone: "down from 20", "up from 1", "from 3 percentage points behind", "unchanged";
        None when there is no earlier gap (or no gap now)."""
        direction, then = self.direction, self.then
        if direction is None:
            return None
        if direction == UNCHANGED:
            return "unchanged"
        if direction in (NARROWED, WIDENED) and then != 0:
            return f"{'down' if direction == NARROWED else 'up'} from {abs(then)}"
        return f"from {standing(then, others=self.others)}"

    @property
    def now_words(self):
        """ "SEND pupils 5 percentage points behind", or None when the gap is not known."""
        where = standing(self.now, others=self.others)
        return None if where is None else f"{self.label} {where}"

    @property
    def words(self):
        """The whole sentence part: "SEND pupils 12 percentage points behind, down from 20 (narrowed)";
        with no earlier gap, where the group stands; with no gap now, "not shown"."""
        if self.now is None:
            return "not shown"
        direction = self.direction
        if direction is None:
            return self.now_words
        if direction == UNCHANGED:
            return f"{self.now_words}, unchanged"
        return f"{self.now_words}, {self.since} ({direction})"


def gap_direction(label, now, then, *, others="the others"):
    """How the gap `now` (rest minus focus, in points) moved from `then`, worded for the focus
    group `label`: `.words`, `.direction`, `.since`, `.better` (GapDirection)."""
    return GapDirection(label, now, then, others)
