"""The disclosure rule on hand-worked tables: primary suppression under the threshold, then the
complementary cells that stop a hidden cell being worked out from totals, zeros and shares."""

from core.disclosure import TOTAL, Table, determined, protect
from core.figures import Count, Share


def shown(table, keys):
    return [str(table.count(k)) for k in keys]


def test_no_threshold_hides_nothing():
    table = Table.crosstab({("a", "x"): 1}, ["a"], ["x"], threshold=0)
    assert table.hidden == set()
    assert str(table.count(("a", "x"))) == "1"


def test_a_row_total_does_not_give_a_small_cell_away():
    # SEMH: SEN support 14, EHC plan 4, all 18. Hiding the 4 alone leaves 18 - 14 = 4; the rule
    # hides the other cell of the row (14, the only one that is not zero), keeps the total.
    table = Table(5)
    for key, n in {"k": 14, "e": 4, "all": 18}.items():
        table.add(key, n)
    table.line("all", ["k", "e"])
    assert shown(table, ["k", "e", "all"]) == ["c", "c", "18"]
    # ... and the reader can no longer solve it: k + e = 18, e in 1..4, k >= 0.
    assert determined(table.values, table.lines, table.hidden, {"e"}, 5) == set()


def test_the_smallest_other_cell_is_hidden_and_a_true_zero_stays():
    # A year group of 11: 7 at ARE, 4 below, 0 working towards. "64% (7/11), c, 0% (0/11)"
    # gave 4 away; the 7 is hidden too, the zero and the total of 11 stay.
    table = Table(5)
    for key, n in {"at": 7, "below": 4, "towards": 0, "all": 11}.items():
        table.add(key, n)
    table.line("all", ["at", "below", "towards"])
    assert [str(table.share(k, "all")) for k in ("at", "below", "towards")] == ["c", "c", "0% (0/11)"]
    table = Table(5)
    for key, n in {"a": 9, "b": 2, "c": 6, "all": 17}.items():
        table.add(key, n)
    table.line("all", ["a", "b", "c"])
    assert shown(table, ["a", "b", "c", "all"]) == ["9", "c", "c", "17"]


def test_the_total_is_hidden_when_only_zeros_are_left_beside_the_small_cell():
    table = Table(5)
    for key, n in {"a": 0, "b": 6, "c": 0, "all": 6, "other": 20, "grand": 26}.items():
        table.add(key, n)
    table.line("all", ["a", "b", "c"])
    table.line("grand", ["all", "other"])
    assert table.hidden == set()
    table.values["b"], table.values["all"], table.values["grand"] = 3, 3, 23
    table._hidden = None
    # b = 3 and the row total 3 are primary; the grand total 23 beside the other row of 20 would
    # give the row total (and so b) away: the 20 is hidden as well.
    assert shown(table, ["a", "b", "c", "all", "other", "grand"]) == ["0", "c", "0", "c", "c", "23"]


def test_two_small_cells_that_can_only_be_one_each_are_protected():
    # Hidden 1 and 1 beside a total of 12 with a 10 shown: 1 + 1 = 2 and each is at least 1, so
    # both are 1. The 10 must go too.
    table = Table(5)
    for key, n in {"a": 10, "b": 1, "c": 1, "all": 12}.items():
        table.add(key, n)
    table.line("all", ["a", "b", "c"])
    assert shown(table, ["a", "b", "c", "all"]) == ["c", "c", "c", "12"]


def test_two_by_two_crosstab_with_margins():
    # Worked by hand:      K    E   all
    #   SEMH             15    3    18
    #   MLD              13    1    14
    #   ASD               5    6    11
    #   all              33   10    43
    # 3 and 1 are primary; each row total gives them away, so 15 and 13 go too (the smallest other
    # cell of each row). Column E: 3 + 1 = 10 - 6 = 4, with both in 1..4 that is 1+3, 2+2 or 3+1.
    counts = {
        ("semh", "k"): 15,
        ("semh", "e"): 3,
        ("mld", "k"): 13,
        ("mld", "e"): 1,
        ("asd", "k"): 5,
        ("asd", "e"): 6,
    }
    table = Table.crosstab(counts, ["semh", "mld", "asd"], ["k", "e"], threshold=5)
    assert shown(table, [("semh", "k"), ("semh", "e"), ("semh", TOTAL)]) == ["c", "c", "18"]
    assert shown(table, [("mld", "k"), ("mld", "e"), ("mld", TOTAL)]) == ["c", "c", "14"]
    assert shown(table, [("asd", "k"), ("asd", "e"), ("asd", TOTAL)]) == ["5", "6", "11"]
    assert shown(table, [(TOTAL, "k"), (TOTAL, "e"), (TOTAL, TOTAL)]) == ["33", "10", "43"]


def test_a_single_hidden_cell_in_a_column_is_caught_across_lines():
    # Rows are safe on their own, but column E has one hidden cell beside its total.
    counts = {("a", "k"): 8, ("a", "e"): 2, ("a", "x"): 7, ("b", "k"): 9, ("b", "e"): 6, ("b", "x"): 5}
    table = Table.crosstab(counts, ["a", "b"], ["k", "e", "x"], threshold=5)
    hidden, primary = protect(table.values, table.lines, 5)
    assert primary == {("a", "e")}
    assert determined(table.values, table.lines, hidden, primary, 5) == set()
    assert ("b", "e") in hidden or (TOTAL, "e") in hidden


def test_the_solver_finds_a_cell_given_away_by_two_lines_together():
    # x + y = 5 (row), x + z = 2 (column), y + z = 5 (another row): the rows give x = z, so
    # x = z = 1 and y = 4, though no line alone says so.
    values = {"x": 1, "y": 4, "z": 1, "r1": 5, "c1": 2, "r2": 5}
    lines = [("r1", ("x", "y")), ("c1", ("x", "z")), ("r2", ("y", "z"))]
    assert determined(values, lines, {"x", "y", "z"}, {"x", "y", "z"}, 5) == {"x", "y", "z"}
    # Without the second row, and z at least 0 but not known to be small: x is 1 or 2.
    assert determined(values, lines[:2], {"x", "y", "z"}, {"x", "y"}, 5) == set()


def test_withheld_figures_read_c():
    assert str(Share.withheld(5)) == "c"
    assert str(Count.withheld(5)) == "c"
    assert str(Share.of(3, 11, suppress_below=5)) == "c"
    # 7 of 11 says 4 are not: its complement is small, so it is hidden too; 6 of 11 leaves 5.
    assert str(Share.of(7, 11, suppress_below=5)) == "c"
    assert str(Share.of(6, 11, suppress_below=5)) == "55% (6/11)"
    assert str(Share.of(11, 11, suppress_below=5)) == "100% (11/11)"


def test_a_table_too_large_to_decide_in_time_is_hidden_whole(monkeypatch):
    # The column table above needs the solver to decide it; with almost no work allowed for the
    # table, nothing of it is shown rather than a table the solver could not clear. A governor's
    # grid of one group took over ten minutes before the table had a limit.
    counts = {("a", "k"): 8, ("a", "e"): 2, ("a", "x"): 7, ("b", "k"): 9, ("b", "e"): 6, ("b", "x"): 5}
    table = Table.crosstab(counts, ["a", "b"], ["k", "e", "x"], threshold=5)
    hidden, _primary = protect(table.values, table.lines, 5)
    assert hidden != set(table.values)
    monkeypatch.setattr("core.disclosure._TABLE_LIMIT", 3)
    hidden, primary = protect(table.values, table.lines, 5)
    assert primary == {("a", "e")}
    assert hidden == set(table.values)
