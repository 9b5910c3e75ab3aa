"""Rules of the code's shape that import-linter cannot state (its contracts, in pyproject.toml, keep
the layers, models free of psycopg and Qt, and the package free of import cycles).

The main window's internals are its own: other modules call its public, intent-level methods and
never create its attributes (STYLE.md "Layers and their directions").
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugin_studio"
WINDOW_MODULES = ("ui/main_window.py", "ui/window_layout.py")   # the window and its layout mixin
WINDOW_NAMES = ("window", "window_")


def _is_window(node: ast.expr) -> bool:
    """``window``, ``window_`` or ``<anything>.window``: how other modules hold the main window."""
    if isinstance(node, ast.Name):
        return node.id in WINDOW_NAMES
    return isinstance(node, ast.Attribute) and node.attr in WINDOW_NAMES


def window_intrusions(source: str) -> list[str]:
    """Private attributes of the window used, and attributes of it assigned, in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _is_window(node.value):
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"line {node.lineno}: uses {ast.unparse(node)}")
            elif isinstance(node.ctx, ast.Store):
                found.append(f"line {node.lineno}: assigns {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "setattr" and node.args \
                and _is_window(node.args[0]):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return sorted(found, key=lambda text: int(text.split(':')[0].removeprefix('line ')))


def test_no_module_reaches_into_the_main_window():
    offenders = {
        str(path.relative_to(PACKAGE)): window_intrusions(path.read_text(encoding="utf-8"))
        for path in PACKAGE.rglob("*.py") if str(path.relative_to(PACKAGE)) not in WINDOW_MODULES
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_check_sees_private_calls_and_attributes_made_from_outside():
    sample = ("window._show_plugin(result)\nwindow.act_save = QAction()\nself.window._editor_call('undo')\n"
              "setattr(window, 'current_plugin', None)\nwindow.show_status('ok')\n")
    assert window_intrusions(sample) == [
        "line 1: uses window._show_plugin", "line 2: assigns window.act_save",
        "line 3: uses self.window._editor_call", "line 4: setattr(window, 'current_plugin', None)",
    ]
