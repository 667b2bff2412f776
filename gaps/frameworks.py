"""Pupils judged on their own framework in the cohort figures (issue 22): the headline progress
line said by framework, and the grid columns of pupils on another framework.

The headline progress line ("expected progress or better", assessment.bands) counts pupils on
the school's scale who reached its headline band, and pupils on another of the school's
frameworks (assessment.frameworks) who made that framework's expected progress or better
(`Assessment.expected_met`). A reader is told how many were judged on which:

    12 of 15 made expected progress or better: 6 of 8 on the school's scale, 2 of 2 on pre-key
    stage 2 standards, 3 of 3 on small steps, 1 of 2 on reading age

Each part counts pupils who met their own framework's rate; unlike measures (points, steps,
months of reading age) are never added or averaged. The counts come from the same grouped query
as the figure they explain, grouped by framework as well.

**Disclosure.** The parts add up to the total, and each part's pupils split into those who made
the expected progress and those who did not (a cell the reader never sees, protected when
small), so the parts are cells of a `core.disclosure.Table` with those lines: a part under the
reader's threshold is hidden, and so is a cell that would give it away (the total less the
others).
"""

from dataclasses import dataclass, field

from assessment.models import Framework
from core.disclosure import TOTAL, Table
from core.figures import Count

MAIN = None  # the framework id of a cell on the school's own scale
MAIN_NAME = "the school's scale"


@dataclass(frozen=True)
class Column:
    """A column of a C grid beside the bands: pupils counted on another framework. `pk` keys its
    counts as a band's id does; `order` places it against the scale's threshold (below it)."""

    pk: str
    label: str
    order: int = -1

    @property
    def code(self):
        return self.pk


# Attainment: a pupil on a framework below the main scheme counts as below ARE.
BELOW_ARE = Column("fw", "On another framework (below ARE)")
# Progress: a pupil on another framework, judged on its own expected rate.
OWN_MET = Column("fw_met", "Own framework: expected or better")
OWN_NOT = Column("fw_not", "Own framework: below expected")


def framework_names(school_id):
    """{framework id: its name in a sentence}, in the school's order, main scheme first (one
    query)."""
    names = {MAIN: MAIN_NAME}
    for pk, name in Framework.objects.filter(school_id=school_id).values_list("pk", "name"):
        names[pk] = in_sentence(name)
    return names


def in_sentence(name):
    """A framework's name inside a sentence: "Small steps" reads "small steps", "Pre-key stage 2
    standards" reads "pre-key stage 2 standards", but "KS2 steps" keeps its capitals."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[1:].replace("-", "").islower():
        return name[0].lower() + name[1:]
    return name


@dataclass
class Part:
    name: str  # "the school's scale", "small steps"
    met: Count
    judged: Count

    def says(self):
        return f"{self.met} of {self.judged} on {self.name}"


@dataclass
class ProgressBreakdown:
    """The headline progress line of one group, by the framework each pupil was judged on."""

    line_name: str  # "expected progress or better"
    met: Count
    judged: Count
    parts: list = field(default_factory=list)

    @property
    def mixed(self):
        """Whether any pupil was judged on another framework (otherwise no parts are said)."""
        return any(p.name != MAIN_NAME for p in self.parts)

    def says(self):
        head = f"{self.met} of {self.judged} made {self.line_name}"
        if not self.mixed:
            return head
        return f"{head}: " + ", ".join(p.says() for p in self.parts)

    def __str__(self):
        return self.says()


def add(counts, framework_id, judged, met):
    """Add one grouped row's counts into {framework id: [judged, met]}."""
    totals = counts.setdefault(framework_id, [0, 0])
    totals[0] += judged
    totals[1] += met


def table_add(table, prefix, counts):
    """The breakdown's cells and lines in `table`, under keys starting `prefix`: per framework
    the pupils judged ("n"), those who met its rate ("k") and those who did not ("below", never
    shown), and their totals."""
    frameworks = list(counts)
    for fid in frameworks:
        n, k = counts[fid]
        table.add((*prefix, fid, "k"), k)
        table.add((*prefix, fid, "below"), n - k, shown=False)
        table.add((*prefix, fid, "n"), n)
        table.line((*prefix, fid, "n"), [(*prefix, fid, "k"), (*prefix, fid, "below")])
    for c, index in (("n", 0), ("k", 1)):
        table.add((*prefix, TOTAL, c), sum(counts[f][index] for f in frameworks))
        table.line((*prefix, TOTAL, c), [(*prefix, f, c) for f in frameworks])
    table.add((*prefix, TOTAL, "below"), sum(n - k for n, k in counts.values()), shown=False)
    table.line((*prefix, TOTAL, "below"), [(*prefix, f, "below") for f in frameworks])
    table.line((*prefix, TOTAL, "n"), [(*prefix, TOTAL, "k"), (*prefix, TOTAL, "below")])


def table_read(table, prefix, counts, names, line_name):
    """The `ProgressBreakdown` of `counts` as `table` lets this reader see it."""
    order = list(names)
    frameworks = sorted(counts, key=lambda f: order.index(f) if f in order else len(order))
    parts = [
        Part(
            names.get(fid, "another framework"),
            table.count((*prefix, fid, "k")),
            table.count((*prefix, fid, "n")),
        )
        for fid in frameworks
    ]
    return ProgressBreakdown(
        line_name, table.count((*prefix, TOTAL, "k")), table.count((*prefix, TOTAL, "n")), parts
    )


def breakdown(counts, names, line_name, threshold=0):
    """One group's breakdown standing alone: {framework id: (judged, met)} as a reader with
    `threshold` may read it."""
    table = Table(threshold)
    table_add(table, (), counts)
    return table_read(table, (), counts, names, line_name)
