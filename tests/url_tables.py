"""The permission table of every URL, gathered from each app's tests/<app>/url_table.py.

tests/schools/test_permissions.py walks it; splitting it by app lets each app declare who may
open its pages beside its own tests.
"""

import importlib
from pathlib import Path

from core.roles import Role

ALL = set(Role)
STAFF = {Role.SENCO, Role.HEAD, Role.TEACHER, Role.TEACHING_ASSISTANT}
AGGREGATE_ONLY = {Role.GOVERNOR, Role.TRUST_LEAD}
LEADERS = {Role.SENCO, Role.HEAD}


def collect_url_tables():
    permissions, targets, extra_kwargs = {}, {}, {}
    for path in sorted(Path(__file__).parent.glob("*/url_table.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.url_table")
        duplicated = set(permissions) & set(module.PERMISSIONS)
        assert not duplicated, f"{path} repeats {duplicated}"
        permissions.update(module.PERMISSIONS)
        targets.update(getattr(module, "TARGETS", {}))
        extra_kwargs.update(getattr(module, "EXTRA_KWARGS", {}))
    return permissions, targets, extra_kwargs
