from tests.imports.browser_journey import test_senco_checks_corrects_and_imports_a_file  # noqa: F401
