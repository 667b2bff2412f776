"""Roles are compared in one place only, core.policy (issue 19): views, services, selectors, models
and templates ask `policy.can(membership, action)` or `membership|may:"action"`.

Read from the source (the AST of each module, the text of each template), so a comparison slipped
into any new module or page fails here before review.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core", "accounts", "schools", "pupils", "assessment", "attendance", "interventions",
    "evidence", "plans", "gaps", "imports", "reports", "overview", "demo", "sendtrack",
]  # fmt: skip
POLICY = ROOT / "core" / "policy.py"


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path != POLICY:
                yield path


def _views_modules():
    for path in _modules():
        if path.name == "views.py" or path.name.startswith("views_") or "views" in path.parent.parts:
            yield path


def _mentions_a_role(node):
    """Whether an expression reads a role: `x.role`, `Role`, `Role.SENCO`, a name like HEAD_ROLES."""
    for part in ast.walk(node):
        if isinstance(part, ast.Attribute) and part.attr == "role":
            return True
        if isinstance(part, ast.Name) and (part.id == "Role" or part.id.endswith("_ROLES")):
            return True
    return False


def role_comparisons(path, source):
    """`==`, `!=`, `in`, `not in` (and `is`) with a role on either side."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and _mentions_a_role(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    return sorted(found, key=lambda hit: int(hit.split(" ", 1)[0].rsplit(":", 1)[1]))


def _is_set_of_roles(node):
    if isinstance(node, ast.Set):
        elements = node.elts
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"set", "frozenset"}
    ):
        elements = node.args
    else:
        return False
    return any(_mentions_a_role(element) for element in elements)


def role_sets(path, source):
    """A set of roles built anywhere ({Role.SENCO}, frozenset(Role) ...), or a name *_ROLES bound:
    who may do what is core.policy's to say."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if _is_set_of_roles(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.endswith("_ROLES"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.id}")
    return sorted(found, key=lambda hit: int(hit.split(" ", 1)[0].rsplit(":", 1)[1]))


# A template that reads the role itself: {% if membership.role == "senco" %}, or a role
# property that answered for the policy before it existed.
TEMPLATE_ROLE_READ = re.compile(
    r"\.role\s*(==|!=|\bin\b)|\.(can_edit_pupils|sees_all_pupils|leads_send|is_aggregate_only"
    r"|reads_termly_grid|reads_gap_dashboards)\b"
)


def template_role_reads(path, source):
    return [
        f"{path.relative_to(ROOT)}:{n} {line.strip()[:100]}"
        for n, line in enumerate(source.splitlines(), 1)
        if TEMPLATE_ROLE_READ.search(line)
    ]


def test_the_checkers_find_what_they_look_for():
    path = ROOT / "sample.py"
    compared = (
        "def v(request):\n"
        "    if request.membership.role == Role.SENCO:\n        pass\n"
        "    ok = m.role in (Role.HEAD, Role.SENCO)\n"
        "    fine = policy.can(m, 'grid.save')\n"
        "    also_fine = PupilRecordView(role=m.role)\n"
    )
    assert [line.split(" ", 1)[0] for line in role_comparisons(path, compared)] == [
        "sample.py:2",
        "sample.py:4",
    ]
    sets = (
        "SENCO = {Role.SENCO}\n"
        "LEADER_ROLES = something()\n"
        "everyone = frozenset(Role)\n"
        "numbers = {1, 2}\n"
        "DEMO_USERS = [('senco', Role.SENCO)]\n"
    )
    assert [line.split(" ", 1)[0] for line in role_sets(path, sets)] == [
        "sample.py:1",
        "sample.py:2",
        "sample.py:3",
    ]
    template = (
        '{% if membership.role == "ta" %}x{% endif %}\n'
        '{% if membership|may:"grid.save" %}y{% endif %}\n'
        "{% if membership.can_edit_pupils %}z{% endif %}\n"
        "{{ membership.get_role_display }}\n"
    )
    assert [line.split(" ", 1)[0] for line in template_role_reads(path, template)] == [
        "sample.py:1",
        "sample.py:3",
    ]


def test_no_views_module_compares_roles():
    found = [hit for path in _views_modules() for hit in role_comparisons(path, path.read_text())]
    assert not found, "Ask core.policy instead:\n" + "\n".join(found)


def test_no_module_outside_the_policy_compares_roles():
    found = [hit for path in _modules() for hit in role_comparisons(path, path.read_text())]
    assert not found, "Ask core.policy instead:\n" + "\n".join(found)


def test_no_set_of_roles_outside_the_policy():
    found = [hit for path in _modules() for hit in role_sets(path, path.read_text())]
    assert not found, "Name the action in core.policy.ACTIONS instead:\n" + "\n".join(found)


def test_no_template_reads_the_role_itself():
    found = [
        hit
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for hit in template_role_reads(path, path.read_text())
    ]
    assert not found, 'Use {% load policy %} and membership|may:"action":\n' + "\n".join(found)


@pytest.mark.parametrize("path", list(_views_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_modules_are_found(path):
    """The walk reaches the views (a rename that hid them from the checks would fail here)."""
    assert "def " in path.read_text()
