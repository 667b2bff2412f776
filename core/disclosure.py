"""Disclosure control: which counts of a table a governor or a trust lead may read.

One rule for every table they see (pages, PDFs, CSVs), as the DfE and the ONS practise it.

**What is a table.** Counts of pupils ("cells") and the lines that add them up as the reader sees
them: a row of a table beside its row total, a column beside its column total, the row totals
beside the grand total. A share "64% (7/11)" shows two counts, its numerator and its denominator
(the total of its line), so a row of shares that sum to 100% is a line like any other. A figure
that appears in two tables of one page (the SEN support total on the SEN register, say) is one
cell in both: build one `Table` for the page, with every line it shows.

**Primary suppression.** Every count of 1 to t - 1 pupils, t the school's threshold (default 5),
is hidden. "Fewer than 5" means 1, 2, 3 or 4 pupils; a share over a group of fewer than t pupils
is hidden whatever its numerator.

**Secondary (complementary) suppression.** Then, repeated until nothing changes, every line in
which a hidden cell could be worked out from what is shown gets one more cell hidden: the smallest
other cell of the line that is not zero (the DfE's "next smallest cell"); its total only when no
such cell is left, since hiding a total hides every share over it. "Could be worked out" is
decided exactly, not by counting hidden cells: the reader knows every shown count and total, that
a primary cell is 1 to t - 1 and any other hidden cell at least 0, and solves every line of the
table at once (`determined`). A row "SEN support 14, EHC plan hidden, all 18" gets the 14 hidden
too; a row "7, hidden, 0 of 11" gets the 7 hidden.

**Zeros.** A true zero is shown: it says nothing about another pupil, and hiding zeros would
hide "no pupil was excluded". A zero is hidden only when nothing else in its line can protect a
hidden cell. **Totals** are shown unless they are themselves under the threshold (primary) or are
the only complement left in their line.

**How a hidden figure reads.** Every hidden count or share, primary or secondary, prints the same
letter "c" (as in the DfE's statistics: confidential), and each page that can show one says once
what it means (`SUPPRESSED_NOTE`). One wording for both, so the reader cannot tell a cell of 3
from a cell hidden to protect it, and no hidden figure is described falsely as "fewer than 5".

Rankings and headlines are chosen over the true figures before anything is hidden, so a governor
and a head read the same "largest gap", the governor with its figures hidden if they must be.
"""

from collections import deque
from dataclasses import dataclass, field

from core.figures import Count, Share

TOTAL = "total"
INFINITY = float("inf")

# Work done by the exact solver before it gives up on one question (a table too large to decide;
# the cell is then treated as determined and protected further, which is the safe side),
# counted in equations looked at: each step of the search looks at its question's equations.
_SEARCH_LIMIT = 200_000
# Work done for a whole table, over every question and every round of secondary suppression.
# Each cell the solver gave up on was treated as determined and got one more cell hidden, and
# the next round asked again of a table harder still: a governor's grid of one group took over
# ten minutes (a wide interval in a loop of equations narrows a little at each pass). The demo's
# governor pages decide each of their tables in under 65,000 equations looked at (about a second a
# page); past this limit the table is hidden whole, the safe side (a governor's grid of pupil
# premium pupils on the demo: one table hidden, 3.4 s).
_TABLE_LIMIT = 400_000


@dataclass
class Table:
    """Counts keyed by any hashable key, the lines that add them up, and the school's threshold.

    Add every cell with `add` (or `crosstab`), every sum the reader sees with `line`, then read
    figures with `count` and `share`: they are hidden as the rule above requires.
    """

    threshold: int = 0
    values: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)
    unshown: set = field(default_factory=set)
    _hidden: set | None = None
    _primary: set = field(default_factory=set)

    def add(self, key, n, *, shown=True):
        """A count; `shown=False` for one the reader never sees but that a line adds up (pupils
        with no need recorded, say): an unknown of at least 0 to the reader."""
        self.values[key] = int(n or 0)
        if not shown:
            self.unshown.add(key)
        self._hidden = None
        return key

    def line(self, total, members):
        """`total` is the sum of `members`, and the reader sees (or could see) both."""
        members = tuple(members)
        if members:
            self.lines.append((total, members))
            self._hidden = None

    @classmethod
    def crosstab(cls, counts, rows, columns, *, threshold, row_totals=True, column_totals=True):
        """A table of rows x columns (missing cells are 0) with the sums it shows: each row's total
        under key (row, TOTAL), each column's under (TOTAL, column), the grand total under
        (TOTAL, TOTAL) when both margins are shown."""
        table = cls(threshold)
        table.add_crosstab(counts, rows, columns, row_totals=row_totals, column_totals=column_totals)
        return table

    def add_crosstab(self, counts, rows, columns, *, row_totals=True, column_totals=True, prefix=()):
        rows, columns = list(rows), list(columns)
        for r in rows:
            for c in columns:
                self.add((*prefix, r, c), counts.get((r, c), 0))
        if row_totals:
            for r in rows:
                self.add((*prefix, r, TOTAL), sum(counts.get((r, c), 0) for c in columns))
                self.line((*prefix, r, TOTAL), [(*prefix, r, c) for c in columns])
        if column_totals:
            for c in columns:
                self.add((*prefix, TOTAL, c), sum(counts.get((r, c), 0) for r in rows))
                self.line((*prefix, TOTAL, c), [(*prefix, r, c) for r in rows])
        if row_totals and column_totals:
            self.add((*prefix, TOTAL, TOTAL), sum(self.values[(*prefix, r, TOTAL)] for r in rows))
            self.line((*prefix, TOTAL, TOTAL), [(*prefix, r, TOTAL) for r in rows])
            self.line((*prefix, TOTAL, TOTAL), [(*prefix, TOTAL, c) for c in columns])

    # Reading figures -------------------------------------------------------------------------

    @property
    def hidden(self):
        if self._hidden is None:
            self._hidden, self._primary = protect(self.values, self.lines, self.threshold, self.unshown)
        return self._hidden

    def is_hidden(self, key):
        return key in self.hidden

    def value(self, key):
        return self.values.get(key, 0)

    def count(self, key):
        if self.is_hidden(key):
            return Count.withheld(self.threshold)
        return Count(self.value(key))

    def share(self, numerator, denominator):
        """The share numerator/denominator, hidden when either count is."""
        if self.is_hidden(numerator) or self.is_hidden(denominator):
            return Share.withheld(self.threshold)
        return Share(self.value(numerator), self.value(denominator))


def protect(values, lines, threshold, unshown=()):
    """(hidden keys, primary keys): primary suppression, then secondary until no hidden cell can be
    worked out from the lines shown. `unshown` cells are never shown, whatever their size."""
    if not threshold:
        return set(unshown), set()
    unshown = set(unshown)
    primary = {key for key, n in values.items() if 0 < n < threshold} - unshown
    hidden = primary | unshown
    # Unshown cells may be worked out (the pupils without SEND are the roll less those with it),
    # unless they are small themselves.
    free = {key for key in unshown if not 0 < values[key] < threshold}
    budget = [_TABLE_LIMIT]
    while True:
        _protect_lines(values, lines, hidden, primary, threshold, free)
        found = determined(values, lines, hidden, primary, threshold, ignore=free, budget=budget)
        if budget[0] <= 0:
            # Too large to decide: nothing of it is shown rather than a table that may be solved.
            return set(values), primary
        if not found:
            return hidden, primary
        touching = [line for line in lines if found & {line[0], *line[1]}]
        complement = next(filter(None, (_complement(values, line, hidden) for line in touching)), None)
        if complement is None:
            # Every cell of each line that gives a hidden cell away is hidden already (a total of
            # one pupil made of one cell, say): hide the rest of the table rather than show a
            # solvable one.
            rest = set(values) - hidden
            if not rest:
                return hidden, primary
            complement = min(rest, key=lambda k: values[k])
        hidden.add(complement)


def _protect_lines(values, lines, hidden, primary, threshold, free):
    """Secondary suppression line by line, until no line on its own gives a hidden cell away."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            while _line_reveals(values, *line, hidden, primary, threshold, free):
                complement = _complement(values, line, hidden)
                if complement is None:
                    break
                hidden.add(complement)
                changed = True


def _complement(values, line, hidden):
    """The cell to hide next in a line: the smallest shown cell that is not zero, the total only
    when no member is left, a zero only when nothing else is."""
    total, members = line
    shown_members = [m for m in members if m not in hidden]
    for candidates in (
        [m for m in shown_members if values[m] > 0],
        [total] if total not in hidden and values[total] > 0 else [],
        shown_members,
    ):
        if candidates:
            return min(candidates, key=lambda k: values[k])
    return None


def _bounds(key, primary, threshold, cap):
    return (1, threshold - 1) if key in primary else (0, cap)


def _line_reveals(values, total, members, hidden, primary, threshold, free=()):
    """Does this line alone pin down one of its hidden cells (interval arithmetic on one sum)?"""
    terms = [(1, m) for m in members] + [(-1, total)]
    if not any(key in hidden for _, key in terms):
        return False
    cap = INFINITY
    known = -sum(sign * values[key] for sign, key in terms if key not in hidden)
    unknown = [(sign, key, *_bounds(key, primary, threshold, cap)) for sign, key in terms if key in hidden]
    for i, (sign, key, lo, hi) in enumerate(unknown):
        if key in free:
            continue
        others = unknown[:i] + unknown[i + 1 :]
        low = sum(s * (lo_ if s > 0 else hi_) for s, _k, lo_, hi_ in others)
        high = sum(s * (hi_ if s > 0 else lo_) for s, _k, lo_, hi_ in others)
        # sign * x = known - others, with others in [low, high]
        a, b = known - high, known - low
        if sign < 0:
            a, b = -b, -a
        if max(lo, a) == min(hi, b):
            return True
    return False


def determined(values, lines, hidden, primary, threshold, *, ignore=(), budget=None):
    """The hidden cells a reader can work out exactly from the shown cells and lines, knowing
    a primary cell is 1 to threshold - 1 and any other hidden cell at least 0.

    Exact: for each hidden cell, a search (bounds propagation and backtracking over whole
    numbers) for a second solution of the lines it is in, with another value in that cell. Cells
    in `ignore` are unknowns that may be worked out (they are not asked about). `budget` (a
    one-item list) is the search steps left for the table, shared by every call for it: once it
    runs out, each cell not yet decided counts as determined (the safe side)."""
    budget = [INFINITY] if budget is None else budget
    if not hidden:
        return set()
    cap = sum(values.values()) or 1
    equations = _equations(values, lines, hidden)
    domains = {key: _bounds(key, primary, threshold, cap) for key in hidden}
    if not _propagate(equations, domains, budget=budget):
        return set(hidden) - set(ignore)  # cannot happen with true values; the safe answer
    by_key = {}
    for equation in equations:
        for _sign, k in equation[0]:
            by_key.setdefault(k, []).append(equation)
    found, witnesses = set(), []
    for key in hidden:
        if key in ignore:
            continue
        if any(w.get(key, values[key]) != values[key] for w in witnesses):
            continue  # a solution found for another cell already gives this one another value
        lo, hi = domains[key]
        witness = (
            None
            if lo == hi or budget[0] <= 0
            else _other_solution(*_component(equations, domains, key, by_key), key, values[key], budget)
        )
        if witness is None:
            found.add(key)
        else:
            witnesses.append(witness)
    return found


def _equations(values, lines, hidden):
    """Each line with a hidden cell as (the hidden cells with their signs, the known sum):
    members add, the total subtracts, and together they make 0."""
    equations = []
    for total, members in lines:
        terms = [(1, m) for m in members] + [(-1, total)]
        if any(key in hidden for _, key in terms):
            known = -sum(sign * values[key] for sign, key in terms if key not in hidden)
            equations.append(([(sign, key) for sign, key in terms if key in hidden], known))
    return equations


def _component(equations, domains, key, by_key):
    """The equations and cells linked to `key` through shared hidden cells (`by_key`: cell ->
    its equations)."""
    seen, todo, linked, taken = {key}, [key], [], set()
    while todo:
        for equation in by_key.get(todo.pop(), []):
            if id(equation) not in taken:
                taken.add(id(equation))
                linked.append(equation)
                for _sign, k in equation[0]:
                    if k not in seen:
                        seen.add(k)
                        todo.append(k)
    return linked, {k: domains[k] for k in seen}


def _other_solution(equations, domains, key, truth, budget):
    """A solution of the equations (cell -> value) with another value than `truth` in `key`, or
    None when there is none (or when the search gives up: the question's own limit, or the
    table's `budget`, which the steps taken are counted against)."""
    index = {}
    for i, (terms, _known) in enumerate(equations):
        for _sign, k in terms:
            index.setdefault(k, []).append(i)
    lo, hi = domains[key]
    for part in ((lo, truth - 1), (truth + 1, hi)):
        if part[0] > part[1]:
            continue
        trial = dict(domains)
        trial[key] = part
        allowed = min(_SEARCH_LIMIT, budget[0])
        left = [allowed]
        solution = _search(equations, index, trial, left)
        budget[0] -= allowed - max(left[0], 0)
        if solution is not None:
            return {k: low for k, (low, _high) in solution.items()}
    return None


def _propagate(equations, domains, index=None, budget=None):
    """Narrow every hidden cell's interval to what its equations allow; False if one empties.
    Equations are looked at again only when a cell of theirs narrowed (`index`: cell -> the
    positions of its equations). Each equation looked at costs `budget` (a one-item list) one
    step; False too once it runs out (the callers then take the safe side). Wide intervals in a
    loop of equations narrow a little at each pass, so a large table can take millions."""
    budget = [INFINITY] if budget is None else budget
    queue = deque(range(len(equations)))
    queued = set(queue)
    while queue:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        i = queue.popleft()
        queued.discard(i)
        terms, known = equations[i]
        # sum(sign * x) = known: the least and the greatest the left side can be.
        least = sum(domains[k][0] if s > 0 else -domains[k][1] for s, k in terms)
        most = sum(domains[k][1] if s > 0 else -domains[k][0] for s, k in terms)
        if least > known or most < known:
            return False
        for sign, key in terms:
            lo, hi = domains[key]
            own_least, own_most = (lo, hi) if sign > 0 else (-hi, -lo)
            # sign * x lies in [known - (most - own_most), known - (least - own_least)]
            a, b = known - (most - own_most), known - (least - own_least)
            if sign < 0:
                a, b = -b, -a
            new = (max(lo, a), min(hi, b))
            if new == (lo, hi):
                continue
            if new[0] > new[1]:
                return False
            domains[key] = new
            new_least, new_most = new if sign > 0 else (-new[1], -new[0])
            least, most = least - own_least + new_least, most - own_most + new_most
            for j in index.get(key, ()) if index is not None else range(len(equations)):
                if j != i and j not in queued:
                    queue.append(j)
                    queued.add(j)
    return True


def _search(equations, index, domains, budget):
    """Every cell fixed to a value that solves the equations (as intervals of one value), or None.
    The budget counts the equations looked at (`_propagate`)."""
    if not _propagate(equations, domains, index, budget):
        return None
    open_keys = [k for k, (lo, hi) in domains.items() if lo < hi]
    if not open_keys:
        return domains
    key = min(open_keys, key=lambda k: domains[k][1] - domains[k][0])
    lo, hi = domains[key]
    middle = (lo + hi) // 2
    for part in ((lo, middle), (middle + 1, hi)):
        trial = dict(domains)
        trial[key] = part
        solution = _search(equations, index, trial, budget)
        if solution is not None:
            return solution
    return None


SUPPRESSED_NOTE = (
    "c: not shown, to protect pupils: a figure over fewer than {threshold} pupils, or one from which "
    "such a figure could be worked out."
)


def suppressed_note(threshold):
    return SUPPRESSED_NOTE.format(threshold=threshold)
