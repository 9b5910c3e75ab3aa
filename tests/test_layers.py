"""The layer rules import-linter cannot state: models/ may use QtCore, never QtWidgets or QtGui.

(import-linter forbids whole external packages only, and models/ legitimately imports QtCore.)
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugin_studio"
WIDGET_MODULES = ("PySide6.QtWidgets", "PySide6.QtGui")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_models_import_no_widget_modules():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imported_modules(path) if m.startswith(WIDGET_MODULES))
        for path in (PACKAGE / "models").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_a_widget_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtWidgets import QWidget\n")
    assert "PySide6.QtWidgets" in _imported_modules(sample)
