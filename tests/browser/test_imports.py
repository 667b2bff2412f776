from tests.imports.browser_journey import (  # noqa: F401
    test_senco_checks_corrects_and_imports_a_file,
    test_senco_imports_a_common_transfer_file_chooses_and_sends_one_on,
)
