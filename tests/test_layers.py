"""Imports point one way (DESIGN.md, "Apps and their direction").

`basics` imports no app; `archive` imports `basics` only; `exhibits`, `bookings` and `upgrades` may
import `archive` and `basics`, never each other nor the project package; `traditions` wires them
all. Every import statement of every module counts, those inside functions included.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"basics", "traditions", "archive", "exhibits", "bookings", "upgrades", "reading"}
ALLOWED = {
    "basics": set(),
    "archive": {"basics"},
    "exhibits": {"basics", "archive"},
    "bookings": {"basics", "archive"},
    "upgrades": {"basics", "archive"},
    "reading": {"basics", "archive"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level project package, line) for each absolute import of a project package in ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found |= {(module.split(".")[0], node.lineno) for module in modules if module.split(".")[0] in PROJECT}
    return found


PACKAGES = sorted(name for name in ALLOWED if (ROOT / name / "__init__.py").exists())


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - {"traditions"} <= set(PACKAGES)
    assert "basics" in PACKAGES


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_the_layers_below(package):
    directory = ROOT / package
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in sorted(directory.rglob("*.py"))
        for imported, line in sorted(imported_packages(path))
        if imported != package and imported not in ALLOWED[package]
    ]
    assert offending == []


def test_the_checker_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("import os\n\ndef f():\n    from exhibits.models import Exhibit\n    import bookings.models\n")
    assert imported_packages(module) == {("exhibits", 4), ("bookings", 5)}
