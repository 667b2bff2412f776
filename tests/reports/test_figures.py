import pytest

from core.figures import Count, Share, percent


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(8, 11, 73), (6, 11, 55), (1, 8, 13), (1, 200, 1), (1, 3, 33), (2, 3, 67), (0, 5, 0)],
)
def test_percent_rounds_half_up(num, den, expected):
    # 6/11 = 54.5...% -> 55; 1/8 = 12.5% -> 13 (not banker's 12); 1/200 = 0.5% -> 1.
    assert percent(num, den) == expected


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None


def test_share_shows_percentage_with_counts():
    assert str(Share.of(8, 11)) == "73% (8/11)"


def test_share_over_small_group_is_suppressed_for_governors():
    share = Share.of(3, 4, suppress_below=5)
    assert share.suppressed
    assert share.percent is None
    assert "3" not in str(share) and "4" not in str(share)
    assert str(share) == "c"


def test_small_count_in_large_group_is_suppressed_too():
    assert Share.of(2, 400, suppress_below=5).suppressed
    assert str(Share.of(5, 400, suppress_below=5)) == "1% (5/400)"


def test_count_suppression_keeps_zero():
    assert str(Count.of(0, suppress_below=5)) == "0"
    assert str(Count.of(4, suppress_below=5)) == "c"
    assert str(Count.of(4)) == "4"
