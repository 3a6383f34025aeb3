"""Issue #9 (fault: an 11-file import cycle across apps): the domain imports no outer app.

`casework` is imported by flows, notifications, integration and web; if it imported any of them back, the apps
would form a cycle and the domain would depend on its screens and wires. They subscribe to domain events
instead (casework/events/). Function-local imports count too: they are how the cycle hid before.
"""

import ast
from pathlib import Path

import casework

OUTER_APPS = ("integration", "notifications", "web", "flows")
ROOT = Path(casework.__file__).parent


def _outer_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (  # importlib.import_module("integration.x") and __import__("web")
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        for name in names:
            if name.split(".")[0] in OUTER_APPS:
                found.append(f"{path}:{node.lineno} imports {name}")
    return found


def test_casework_imports_no_outer_app():
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) > 50  # the walk really covers the package
    offenders = [line for path in files for line in _outer_imports(path)]
    assert offenders == []


def test_the_check_sees_function_local_and_dynamic_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from integration.push import x\n    import web.base\n"
        "import importlib\nimportlib.import_module('notifications.services')\nfrom flows import y\n"
        "from . import integration\nimport webob\n",
        encoding="utf-8",
    )
    assert len(_outer_imports(sample)) == 4
