"""The SEF summary as a report service: `sef_figures(school, year, anonymised=...)` gathers every
figure of the SEND self-evaluation into one plain object, with a module per part of it:

- `report.py`: the sections' names, the whole figures object, `sef_figures` that gathers it and
  `sef_charts`, the charts (drawn by core.charts) that the page and the PDF show;
- `context.py`: the SEND cohort by status, need and vulnerable group, against national figures;
- `attainment.py`: SEND pupils against the others in the core subjects, and the gap over time;
- `attendance.py`: attendance, persistent absence, suspensions, exclusions and behaviour;
- `interventions.py`: the interventions of the year, their impact and their cost;
- `qualitative.py`: evidence counted by Part Two question; `actions.py`: the SEND action plan;
- `gap.py`: how a gap between two groups is worked out and which way it is moving.

Each section calls the owning app's selector where there is one and otherwise runs its own
aggregate queries (GROUP BY and conditional counts, never a loop over pupils). A section whose
data the school has not entered yet says so (`available=False`, with a note) rather than printing
made-up figures. The object is made of registered dataclasses so that a sign-off can keep it as
JSON (reports/snapshot.py) and render it later exactly as it was.

Conventions, stated once:
- "SEND" means on the SEN record (SEN support K or EHC plan E). Attainment and progress take it
  as at each assessment point, from the dated SEN history (attainment.BASIS, printed beside the
  figures); the cohort, attendance and interventions sections are about the pupils on the record
  today. A signed-off snapshot keeps the figures, and the basis, it was signed with.
- Attainment and progress are read on the lines of the school's scheme (assessment.bands): each
  line counts its band and every band above it; gaps and trends are on each scale's headline
  line (its lowest, "at or above ARE", "expected progress or better" by default), and every line
  is shown with its counts beside them. Denominators are the pupils with a band recorded for
  that subject at that point, including pupils who have left since.
- A gap is the other pupils' percentage minus the SEND pupils' percentage, in percentage points,
  from the rounded percentages printed beside it: negative when SEND pupils are ahead. It
  narrows when it gets closer to zero, whichever group is ahead; its direction is worded by
  core.gap_direction ("SEND pupils 5 points ahead, up from 1 (widened)").
- The governor version passes the school's suppression threshold to every Share and Count.
"""

from .report import SECTION_KEYS, SECTIONS, SefFigures, sef_charts, sef_figures

__all__ = ["SECTIONS", "SECTION_KEYS", "SefFigures", "sef_charts", "sef_figures"]
