"""The Pupil Support Scale in the SEF: of the pupils observed at least twice in the year, how
many moved up the scale (towards independence), held, or moved down, from their first level
of the year to their latest (assessment.support, one query)."""

from dataclasses import dataclass

from assessment.support import support_movement
from core.figures import Count, Share

from ..snapshot import register


@register
@dataclass
class SupportScaleSection:
    available: bool
    note: str = ""
    pupils: Count | None = None
    up: Share | None = None
    held: Share | None = None
    down: Share | None = None


def support_section(school, academic_year, *, suppress_below=0):
    moved = support_movement(school.pk, academic_year)
    if not moved.pupils:
        return SupportScaleSection(
            False, "No pupil was observed on the Pupil Support Scale twice or more this year."
        )
    counts = (moved.up, moved.held, moved.down)
    # The three add up to the total shown beside them, so one small count hidden alone could be
    # worked back out: when any is under the threshold, all three are hidden.
    if suppress_below and (moved.pupils < suppress_below or any(0 < n < suppress_below for n in counts)):
        hidden = Share(0, 0, suppressed=True, threshold=suppress_below)
        shares = (hidden, hidden, hidden)
    else:
        shares = tuple(Share.of(n, moved.pupils) for n in counts)
    return SupportScaleSection(True, "", Count.of(moved.pupils, suppress_below=suppress_below), *shares)
