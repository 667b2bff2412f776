"""A checker of disclosure control for tests: read the tables a governor sees, the same tables
with nothing hidden (the school's threshold set to 0), and for every hidden figure try to work it
out from the shown ones, as a reader with a pencil would.

Written apart from core.disclosure on purpose (its own parser, its own solver), so that the rule
is checked, not repeated.

The reader knows every shown count and share ("64% (7/11)" shows 7 and 11), the lines that add
them up (a row beside its total, the status totals beside the need rows ...), and, as the
strictest reader, which hidden cells are small: a hidden cell of 1 to t - 1 pupils lies in
1..t-1, any other hidden cell is at least 0 (except where the page prints zeros "c" too, so that
which cells are small cannot be known: `cannot_tell_small`). A hidden cell is *determined* when
every whole-number solution of the lines gives it the same value; the checker enumerates
solutions exactly.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SHARE = re.compile(r"^(\d+)% \((\d+)/(\d+)\)$")
COUNT = re.compile(r"^\d+$")
HIDDEN = "c"


@dataclass
class HtmlTable:
    caption: str
    rows: list = field(default_factory=list)  # body and footer rows: lists of cell texts
    head: list = field(default_factory=list)  # the rows of <thead>


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.stack, self.cell, self.in_caption, self.in_head = [], [], None, False, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.stack.append(HtmlTable(""))
        elif self.stack and tag == "thead":
            self.in_head = True
        elif self.stack and tag == "tr":
            (self.stack[-1].head if self.in_head else self.stack[-1].rows).append([])
        elif self.stack and tag in ("td", "th"):
            self.cell = []
        elif self.stack and tag == "caption":
            self.in_caption = True
        elif self.cell is not None and tag == "br":
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.tables.append(self.stack.pop())
        elif tag in ("td", "th") and self.cell is not None and self.stack:
            rows = self.stack[-1].head if self.in_head else self.stack[-1].rows
            rows[-1].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.in_caption and self.stack:
            self.stack[-1].caption += data.strip()
        elif self.cell is not None:
            self.cell.append(data)


def tables(html):
    """{caption: table} of a page (the first of each caption)."""
    parser = _Tables()
    parser.feed(html)
    found = {}
    for table in parser.tables:
        found.setdefault(table.caption, table)
    return found


def figure(text):
    """("share", n, d), ("count", n), ("hidden",) or None for a cell's text."""
    if text == HIDDEN:
        return ("hidden",)
    match = SHARE.match(text)
    if match:
        return ("share", int(match[2]), int(match[3]))
    if text == "none (0/0)":
        return ("share", 0, 0)
    if COUNT.match(text):
        return ("count", int(text))
    return None


class Problem:
    """Unknowns (the cells of a page's tables), what the reader sees of them, and the lines."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.truth = {}
        self.seen = {}
        self.slack = set()
        self.blind = set()
        self.lines = []
        self.shown_small = []

    def cell(self, key, true_value, visible):
        """`visible` is the value shown, or None when hidden. A value shown in one place is known
        everywhere the same cell appears."""
        self.truth[key] = true_value
        if visible is not None:
            assert visible == true_value, f"{key}: shows {visible}, the truth is {true_value}"
            self.seen[key] = visible
            if 0 < visible < self.threshold:
                self.shown_small.append(key)
        else:
            self.seen.setdefault(key, None)

    def unknown(self, key, true_value):
        """A quantity nobody is shown (pupils without SEND of a year, say) that lines add up."""
        self.truth[key] = true_value
        self.seen.setdefault(key, None)
        self.slack.add(key)

    def from_cells(self, true_text, shown_text, numerator, denominator=None):
        """A cell of the page: a count, or a share (its numerator and its denominator)."""
        truth, shown = figure(true_text), figure(shown_text)
        assert truth is not None and truth[0] != "hidden", f"{numerator}: {true_text!r}"
        if truth[0] == "count":
            self.cell(numerator, truth[1], shown[1] if shown and shown[0] == "count" else None)
            return truth
        visible = shown and shown[0] == "share"
        self.cell(numerator, truth[1], shown[1] if visible else None)
        if denominator is not None:
            self.cell(denominator, truth[2], shown[2] if visible else None)
        return truth

    def line(self, total, members):
        self.lines.append((total, list(members)))

    def cannot_tell_small(self, keys):
        """Hidden cells of which the reader cannot tell whether they are small or 0: a row that
        prints every cell "c", zeros too. They are still asked about."""
        self.blind.update(keys)

    # Solving ----------------------------------------------------------------------------------

    def hidden(self):
        return [k for k, v in self.seen.items() if v is None and k not in self.slack]

    def determined(self, limit=200000):
        """Hidden cells with one possible value: for each, an exhaustive search (interval
        propagation, then splitting intervals in halves) for a whole-number solution of every line
        with that cell below its true value, and one with it above."""
        unknowns = [k for k, v in self.seen.items() if v is None]
        cap = max(self.truth.values(), default=0) * 2 + self.threshold
        bounds = {
            k: (1, self.threshold - 1)
            if k not in self.slack and k not in self.blind and 0 < self.truth[k] < self.threshold
            else (0, cap)
            for k in unknowns
        }
        equations = []
        for total, members in self.lines:
            coefficients = {}
            for key, sign in [(total, -1)] + [(m, 1) for m in members]:
                coefficients[key] = coefficients.get(key, 0) + sign
            constant = -sum(c * self.seen[k] for k, c in coefficients.items() if self.seen[k] is not None)
            variables = [(c, k) for k, c in coefficients.items() if self.seen[k] is None and c]
            if variables:
                equations.append((variables, constant))
        found = []
        for key in self.hidden():
            linked = _linked(equations, key)
            equations_of_key = [e for e in equations if any(k in linked for _c, k in e[0])]
            lo, hi = bounds[key]
            truth = self.truth[key]
            near = {k: bounds[k] for k in linked}
            assert lo <= truth <= hi and _feasible(
                equations_of_key, {**near, key: (truth, truth)}, [limit]
            ), f"{key}: the truth {truth} fails the lines"
            others = [(lo, truth - 1), (truth + 1, hi)]
            if not any(
                a <= b and _feasible(equations_of_key, {**near, key: (a, b)}, [limit]) for a, b in others
            ):
                found.append(key)
        return found


def _linked(equations, key):
    """The unknowns joined to `key` by the equations (its connected part of the page)."""
    linked, todo = {key}, [key]
    while todo:
        current = todo.pop()
        for variables, _constant in equations:
            keys = {k for _c, k in variables}
            if current in keys:
                for k in keys - linked:
                    linked.add(k)
                    todo.append(k)
    return linked


def _feasible(equations, bounds, budget):
    """Is there a whole-number point in `bounds` on every equation (sum of c * x = constant)?"""
    budget[0] -= 1
    assert budget[0] > 0, "the checker's search ran out of steps"
    bounds = dict(bounds)
    changed = True
    while changed:
        changed = False
        for variables, constant in equations:
            for c, key in variables:
                rest_lo = sum(min(d * bounds[k][0], d * bounds[k][1]) for d, k in variables if k != key)
                rest_hi = sum(max(d * bounds[k][0], d * bounds[k][1]) for d, k in variables if k != key)
                # c * x = constant - rest
                a, b = sorted(((constant - rest_hi) / c, (constant - rest_lo) / c))
                lo, hi = bounds[key]
                new = (max(lo, -(-a // 1)), min(hi, b // 1))
                new = (int(new[0]), int(new[1]))
                if new[0] > new[1]:
                    return False
                if new != (lo, hi):
                    bounds[key], changed = new, True
    free = [k for k, (lo, hi) in bounds.items() if lo < hi]
    if not free:
        return True
    # Split the narrowest open interval in two and look in each half.
    key = min(free, key=lambda k: bounds[k][1] - bounds[k][0])
    lo, hi = bounds[key]
    middle = (lo + hi) // 2
    return any(
        _feasible(equations, {**bounds, key: half}, budget) for half in ((lo, middle), (middle + 1, hi))
    )
