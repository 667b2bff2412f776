"""The small cohort of tests/gaps/test_figures.py (11 SEND pupils and 9 others), shared."""

from tests.gaps.test_figures import cohort  # noqa: F401  (a fixture: pytest finds it by name)
