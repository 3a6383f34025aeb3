"""Issue 9 item 2, as a property of the code: a case is opened only by `filing.case_open` and ended only by
`conclusion.case_conclude`, so a new entry or a new kind cannot open or close a case its own way again (an
objection during list-exit publicity once did: no clocks, a commitment nobody signed)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    p for d in ("casework", "flows", "integration", "notifications", "web") for p in (ROOT / d).rglob("*.py")
]
SOURCES = [p for p in SOURCES if "migrations" not in p.parts]


def offenders(predicate) -> list[str]:
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if predicate(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _creates_a_case(node) -> bool:
    # Case.objects.create(...) / Case(...)
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in {"create", "bulk_create", "get_or_create"}:
        owner = func.value
        return (
            isinstance(owner, ast.Attribute)
            and owner.attr == "objects"
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "Case"
        )
    return isinstance(func, ast.Name) and func.id == "Case"


def _closes_a_case(node) -> bool:
    # case.closed_at = … / case.outcome = … (also inside a tuple assignment)
    if not isinstance(node, ast.Assign):
        return False
    targets = [
        t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])
    ]
    return any(isinstance(t, ast.Attribute) and t.attr in {"closed_at", "outcome"} for t in targets)


def test_one_filing_path_only_case_open_creates_cases():
    assert [o for o in offenders(_creates_a_case) if not o.startswith("casework/services/filing.py")] == []


def test_one_conclusion_path_only_case_conclude_sets_outcome_and_closed_at():
    assert [o for o in offenders(_closes_a_case) if not o.startswith("casework/services/conclusion.py")] == []
